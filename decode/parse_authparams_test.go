package decode

import (
	"reflect"
	"testing"
)

// TestAuthParamShortcuts holds the scanner's shortcuts (a 'name=' with no
// LWS before the '=', a ", " after a value stepped over at once) to the
// reference walk on the shapes around them: LWS on either side of '=',
// several commas and spaces between parameters, values at the list's end
// and values left open.
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
	} {
		b := []byte(v)
		checkSameAsReference(t, b)
		_, rest := authScheme(b)
		if got, want := AuthParams(rest, func(_, _ []byte) bool { return true }), refAuthParams(rest, func(_, _ []byte) bool { return true }); got != want {
			t.Errorf("AuthParams(%q) wellFormed = %v, reference %v", rest, got, want)
		}
		cr, _ := ParseCredentials(b)
		rcr, _ := refParseCredentials(b)
		if !reflect.DeepEqual(cr, rcr) {
			t.Errorf("ParseCredentials(%q) = %#v, reference %#v", v, cr, rcr)
		}
	}
}
