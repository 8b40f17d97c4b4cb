package decode

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"testing"
)

// TestAuthParamShortcuts holds authFields.collect's shortcuts (a 'name='
// with no LWS before the '=', a ", " after a value stepped over at once)
// to the reference walk on the shapes around them: LWS on either side of
// '=', several commas and spaces between parameters, values at the list's
// end and values left open.
func TestAuthParamShortcuts(t *testing.T) {
	for _, v := range []string{
		`Digest username="a", realm="b", nonce="c", uri="sip:x", response="d", algorithm=MD5, cnonce="e", qop=auth, nc=00000001`,
		`Digest realm = "b" , nonce= "c",qop=auth`,
		`Digest realm="b",, ,nonce="c" ,  qop=auth`,
		`Digest a=b c=d, e=f`,
		`Digest a=, b="", c=`,
		`Digest a=`,
		`Digest a="x`,
		`Digest ,a=b,`,
		`Digest a=b, `,
		`Digest a=b,`,
		`Digest =b, c=d`,
		`Digest a=b\t, c=d`,
		`Digest a=\"x\", b=y`,
		`Digest a=x;y, b=y`,
		`Digest a="x\"y", b=z`,
		`Digest a=b, ,`,
		// quoted values: closed, escaped or left open in the first word,
		// a later word or the last fewer than eight bytes
		`Digest a="12345678901234567\"x", b=1`, `Digest a="\"x"`, `Digest a="\"`, `Digest a="abcdefghij`,
		`Digest a="abcdefgh"`, `Digest a="abcdefg"`, `Digest a=""`, `Digest a="abcdefghijklmnop\\"`,
		`Digest a="abcdefghijklmnopq", b="x\y"`, `Digest a="`, `Digest a="abc\`,
	} {
		b := []byte(v)
		checkSameAsReference(t, b)
		_, rest := authScheme(b)
		checkAuthFields(t, rest)
		cr, _ := ParseCredentials(b)
		rcr, _ := refParseCredentials(b)
		if !reflect.DeepEqual(cr, rcr) {
			t.Errorf("ParseCredentials(%q) = %#v, reference %#v", v, cr, rcr)
		}
	}
}

func refLeadingLetters(b []byte) int {
	n := 0
	for n < len(b) && (b[n]|0x20) >= 'a' && (b[n]|0x20) <= 'z' {
		n++
	}
	return n
}

// TestLeadingLetters: every byte value at every place of the word, after
// a run of letters of each case.
func TestLeadingLetters(t *testing.T) {
	for pos := 0; pos < 8; pos++ {
		for c := 0; c < 256; c++ {
			for _, fill := range []byte{'a', 'Z', 'm'} {
				b := bytes.Repeat([]byte{fill}, 8)
				b[pos] = byte(c)
				if got, want := leadingLetters(binary.LittleEndian.Uint64(b)), refLeadingLetters(b); got != want {
					t.Fatalf("leadingLetters(%q) = %d, want %d", b, got, want)
				}
			}
		}
	}
}

func FuzzLeadingLetters(f *testing.F) {
	f.Add(uint64(0x3d656d616e726573))
	f.Fuzz(func(t *testing.T, w uint64) {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], w)
		if got, want := leadingLetters(w), refLeadingLetters(b[:]); got != want {
			t.Fatalf("leadingLetters(%q) = %d, want %d", b, got, want)
		}
	})
}
