package diagnose

import "testing"

var digestRedactCases = []string{
	`failed 401→401 — nonce="x→y", response=a→b,c`,
	"invalid \xff utf-8 nonce=\xfe\xff, opaque=\"\\\xff\"",
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
		if !foldsAsASCII(s) {
			return // left to the regexp
		}
		want := digestSecret.ReplaceAllString(s, `$1$2"`+Placeholder+`"`)
		if got := redactDigestASCII(s); got != want {
			t.Fatalf("redactDigestASCII(%q)\n got %q\nwant %q", s, got, want)
		}
	})
}

// redactEveryRegexp is Redact without its shortcuts: every regexp on every
// text. Redact must give the same.
func redactEveryRegexp(s string) string {
	s = digestSecret.ReplaceAllString(s, `$1$2"`+Placeholder+`"`)
	s = basicAuth.ReplaceAllString(s, `${1}`+Placeholder)
	s = iosTyped.ReplaceAllString(s, `${1}`+Placeholder)
	s = iosUntyped.ReplaceAllString(s, `${1}`+Placeholder)
	s = iosPSK.ReplaceAllString(s, `${1}`+Placeholder)
	s = iosLine.ReplaceAllString(s, `${1}`+Placeholder)
	s = iosKeys.ReplaceAllString(s, `${1}`+Placeholder)
	s = snmpCommunity.ReplaceAllString(s, `${1}`+Placeholder)
	return confSecret.ReplaceAllString(s, `${1}`+Placeholder)
}

var redactShortcutCases = []string{
	"the password is wrong; the secret key was not used",
	"password 7 0822455D0A16",
	"  enable secret 5 $1$abc",
	"enable\tpassword cisco",
	"x\n  password cisco",
	"text password cisco",
	"secret=abc\npassword = def",
	"md5secret=abc",
	"username bob password s3cret",
	"credentials username 1001 password 0 pw realm r",
	"snmp-server community public RO",
	"crypto isakmp key 0 abc address 1.2.3.4",
	"pre-shared-key 6 xyz",
	"Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
}

func TestRedactShortcutsChangeNothing(t *testing.T) {
	for _, s := range append(redactShortcutCases, digestRedactCases...) {
		if got, want := Redact(s), redactEveryRegexp(s); got != want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", s, got, want)
		}
	}
}

func FuzzRedactShortcuts(f *testing.F) {
	for _, s := range append(redactShortcutCases, digestRedactCases...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Redact(s), redactEveryRegexp(s); got != want {
			t.Fatalf("Redact(%q)\n got %q\nwant %q", s, got, want)
		}
	})
}
