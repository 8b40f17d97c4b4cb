package decode

import (
	"reflect"
	"strings"
	"testing"
)

// TestURIPlainEnd: URIs of every length up to 30 bytes, with the '>' (or
// a byte below 0x21, or nothing) at every place, after a byte below 0x21
// before the start that must never be read: uriAngleEnd, and
// parseNameAddrFast's way (uriPlainEnd, then uriAngleEnd from where it
// stopped unless at a '>'), agree with a byte loop.
func TestURIPlainEnd(t *testing.T) {
	ref := func(v []byte, i int) int {
		for ; i < len(v); i++ {
			if v[i] == '>' {
				return i
			}
			if v[i] < 0x21 {
				return -1
			}
		}
		return -1
	}
	for n := 0; n <= 30; n++ {
		for pos := 0; pos <= n; pos++ {
			for _, c := range []string{">", " ", "\x00", "\x7f>", "\xff", ""} {
				for _, after := range []string{"", ">", ";tag=1"} {
					v := []byte(" <" + strings.Repeat("u", pos) + c + strings.Repeat("h", n-pos) + after)
					want := ref(v, 2)
					if got := uriAngleEnd(v, 2); got != want {
						t.Fatalf("uriAngleEnd(%q, 2) = %d, want %d", v, got, want)
					}
					gt := uriPlainEnd(v, 2)
					if gt >= len(v) || v[gt] != '>' {
						gt = uriAngleEnd(v, gt)
					}
					if gt != want {
						t.Fatalf("uriPlainEnd+uriAngleEnd(%q, 2) = %d, want %d", v, gt, want)
					}
				}
			}
		}
	}
}

// TestNameAddrURILastWord holds parseNameAddrFast's last-word reading of
// a URI's end (uriLastWordEnd after the word loop) equal to the
// reference parser, for URI lengths around the word size, a '>' or a
// byte below 0x21 at every place and what follows the '>'.
func TestNameAddrURILastWord(t *testing.T) {
	for _, display := range []string{"", `"A" `, "Bob "} {
		for n := 0; n <= 26; n++ {
			for pos := 0; pos <= n; pos++ {
				for _, c := range []string{"", ">", " ", "\x00", "\x7f", "<", "\""} {
					for _, after := range []string{">", ">;tag=1", "", "> ", ">x"} {
						v := []byte(display + "<sip:" + strings.Repeat("u", pos) + c + strings.Repeat("h", n-pos) + after)
						got, gok := ParseNameAddr(v)
						want, wok := refParseNameAddr(v)
						if gok != wok || !reflect.DeepEqual(got, want) {
							t.Fatalf("%q: ParseNameAddr %+v %v, reference %+v %v", v, got, gok, want, wok)
						}
					}
				}
			}
		}
	}
}
