package diagnose

import "testing"

var digestRedactCases = []string{
	`Digest username="alice", realm="example.com", nonce="abc\"def", uri="sip:example.com", response="0123456789abcdef", opaque="xyz", algorithm=MD5, cnonce="c1", nc=00000001, qop=auth`,
	`WWW-Authenticate: Digest realm="r", nonce = "n1" , opaque=plain, stale=FALSE`,
	`NextNonce="n2", rspauth="r2"`,
	`xnonce="kept" nonce=bare,rest`,
	`nonce="unclosed`,
	`nonce="ends with backslash\`,
	"nonce=\"escaped newline\\\nstill\" after",
	"nonce=\"spans\nlines\" tail",
	`nonce=, response= ,opaque`,
	`nonces="kept"`,
	`cnonce nonce="x"`,
	`_nonce="kept" 9nonce="kept" -nonce="gone"`,
	"response\t=\r\n\"a\"",
	"response\v=\"vertical tab is not \\\\s\"",
	`nextnoncenonce="x"`,
	`opaque="a"response="b"`,
	``,
	`no secrets here`,
}

// TestRedactDigestMatchesRegexp: the hand-written digest redaction gives
// what the regexp it replaces gives.
func TestRedactDigestMatchesRegexp(t *testing.T) {
	for _, s := range digestRedactCases {
		want := digestSecret.ReplaceAllString(s, `$1$2"`+Placeholder+`"`)
		if got := redactDigestASCII(s); got != want {
			t.Errorf("redactDigestASCII(%q)\n got %q\nwant %q", s, got, want)
		}
	}
}

func FuzzRedactDigest(f *testing.F) {
	for _, s := range digestRedactCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !isASCII(s) {
			return // non-ASCII stays with the regexp
		}
		want := digestSecret.ReplaceAllString(s, `$1$2"`+Placeholder+`"`)
		if got := redactDigestASCII(s); got != want {
			t.Fatalf("redactDigestASCII(%q)\n got %q\nwant %q", s, got, want)
		}
	})
}
