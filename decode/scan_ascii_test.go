package decode

import (
	"bytes"
	"testing"
)

// refTrimLWS is trimLWS written plainly, to hold its fast path equal.
func refTrimLWS(b []byte) []byte {
	return bytes.TrimFunc(b, func(r rune) bool { return r == ' ' || r == '\t' || r == '\r' || r == '\n' })
}

func checkTrimLWS(t *testing.T, b []byte) {
	t.Helper()
	got, want := trimLWS(b), refTrimLWS(b)
	if !bytes.Equal(got, want) {
		t.Fatalf("trimLWS(%q) = %q, want %q", b, got, want)
	}
	// The result is a sub-slice of b, as callers rely on (offsets by
	// capacity difference).
	if off := cap(b) - cap(got); len(got) > 0 && (off < 0 || off+len(got) > len(b) || &b[off] != &got[0]) {
		t.Fatalf("trimLWS(%q) does not point into its input", b)
	}
}

func TestTrimLWS(t *testing.T) {
	for _, s := range []string{"", " ", "\r\n", "a", " a", "a ", " a ", "\t a b \r\n", "ab", "a\r\n b", "\n", "x\t"} {
		checkTrimLWS(t, []byte(s))
	}
	if got := trimLWS(nil); got != nil {
		t.Fatalf("trimLWS(nil) = %#v", got)
	}
}

func FuzzTrimLWS(f *testing.F) {
	for _, s := range []string{"", " a ", "a", "\r\n\t", "a b"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkTrimLWS(t, b) })
}
