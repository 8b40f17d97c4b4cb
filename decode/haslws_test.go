package decode

import "testing"

// hasLWS must agree with a byte-by-byte check wherever the LWS byte sits
// relative to the eight-byte words, and must not mistake bytes near 0x21
// or above 0x7f for LWS.
func TestHasLWSMatchesByteLoop(t *testing.T) {
	naive := func(b []byte) bool {
		for _, c := range b {
			if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
				return true
			}
		}
		return false
	}
	fillers := []byte{'a', '!', 0x21, 0x7f, 0x80, 0xff, 0x00, 0x1f}
	for n := 0; n <= 20; n++ {
		for _, f := range fillers {
			b := make([]byte, n)
			for i := range b {
				b[i] = f
			}
			if got, want := hasLWS(b), naive(b); got != want {
				t.Fatalf("len %d filler %#x: got %v want %v", n, f, got, want)
			}
			for pos := 0; pos < n; pos++ {
				for _, c := range []byte{' ', '\t', '\r', '\n'} {
					saved := b[pos]
					b[pos] = c
					if !hasLWS(b) {
						t.Fatalf("len %d filler %#x: %q at %d not found", n, f, c, pos)
					}
					b[pos] = saved
				}
			}
		}
	}
}
