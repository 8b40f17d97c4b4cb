package decode

import "testing"

// Word-wise searches against byte loops.

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

// FuzzURIAngleEnd holds the word-wise uriAngleEnd equal to a byte loop.
func FuzzURIAngleEnd(f *testing.F) {
	for _, s := range []string{`<sip:102392@voice.example.com>;tag=1`, `<sip:a b@h>`, "<sip:a\x01@h>",
		`<sip:a@h`, `<>`, "<sip:12345678901234\t>", "<sip:\x80\xff@h>x"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		want := -1
		for j := 1; j < len(v); j++ {
			if v[j] == '>' {
				want = j
				break
			}
			if v[j] < 0x21 {
				break
			}
		}
		if got := uriAngleEnd(v, 1); got != want {
			t.Fatalf("%q: uriAngleEnd %d, want %d", v, got, want)
		}
	})
}
