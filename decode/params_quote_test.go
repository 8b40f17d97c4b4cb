package decode

import "testing"

// FuzzQuoteEndShort holds the word-wise quoteEndShort equal to quoteEnd.
func FuzzQuoteEndShort(f *testing.F) {
	for _, s := range []string{`"Olivia 392" <sip:a@h>`, `"a\"b" <sip:a@h>`, `"12345678\"" x`,
		`"1234567" x`, `"unterminated`, `"`, `"\\\\" y`, `"abcdefghijklmno\p" <x>`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) == 0 || b[0] != '"' {
			return
		}
		if got, want := quoteEndShort(b), quoteEnd(b); got != want {
			t.Fatalf("%q: quoteEndShort %d, quoteEnd %d", b, got, want)
		}
	})
}
