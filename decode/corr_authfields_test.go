package decode

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// authFieldsSeeds are parameter lists around every branch of the scanner:
// LWS around '=', separators, values empty, quoted, escaped, left open,
// delimited by \" and broken, names repeated and in other cases.
var authFieldsSeeds = []string{
	`Digest username="102392", realm="voice.example.com", nonce="25a817591f458bb5bb07680a58285f99", uri="sip:100231@voice.example.com", response="25d0f350453fadc21c4011675657f73a", algorithm=MD5, cnonce="041712a460eae38e", qop=auth, nc=00000001`,
	`Digest realm="voice.example.com", nonce="25a817591f458bb5bb07680a58285f99", qop="auth", algorithm=MD5`,
	`Digest realm = "b" , nonce= "c",qop=auth`,
	`Digest realm="b",, ,nonce="c" ,  qop=auth`,
	`Digest a=b c=d, e=f`,
	`Digest a=, b="", c=`,
	`Digest realm=`,
	`Digest realm="x`,
	`Digest ,realm=b,`,
	`Digest nonce=b, `,
	`Digest =b, realm=d`,
	"Digest realm=b\t, nonce=d",
	`Digest realm=\"x\", nonce=y`,
	`Digest realm=\"x, nonce=y`,
	`Digest realm=x;y, nonce=y`,
	`Digest realm="x\"y", nonce=z`,
	`Digest username="a\\b", REALM="r", Realm="s"`,
	`Digest stale=TRUE, stale=false`,
	`Digest stale=false, STALE="true"`,
	`Digest domain="sip:a sip:b", opaque="o", response="r", cnonce="c", nc=1, uri=x`,
	`Digest realm="12345678901234567\"x", nonce=1`,
	`Digest realm="abc\`,
	`Digest realm="`,
	"Digest\r\n realm=\"r\",\r\n nonce=\"n\"\r\n",
	`Basic`,
	`Digest`,
	` Digest realm="r" `,
	`Digest, realm="r"`,
}

// refCollect is what authFields.collect records, taken from the plain
// walk of the former AuthParams (refAuthParams), the last of each name
// winning.
func refCollect(b []byte) (got map[authName][2]int, wellFormed bool) {
	got = map[authName][2]int{}
	wellFormed = refAuthParams(b, func(name, value []byte) bool {
		if n := refKnown(name); n < authNames {
			lo := cap(b) - cap(value)
			got[n] = [2]int{lo, lo + len(value)}
		}
		return true
	})
	return got, wellFormed
}

// refKnown is known written with equalFold.
func refKnown(name []byte) authName {
	for n, s := range [authNames]string{"nc", "uri", "qop", "realm", "nonce", "stale", "cnonce", "opaque", "domain", "username", "response", "algorithm"} {
		if equalFold(name, s) {
			return authName(n)
		}
	}
	return authNames
}

// TestKnownNames: every known name in every case pattern, at the end of
// the buffer and before more bytes, and each with one byte changed to
// every value, with a byte more and a byte less, is classified as
// equalFold would.
func TestKnownNames(t *testing.T) {
	check := func(name []byte) {
		for _, tail := range []string{"", "=\"value\", more"} {
			b := append(append([]byte{}, name...), tail...)
			if got, want := known(b, 0, len(name)), refKnown(name); got != want {
				t.Fatalf("known(%q) = %d, want %d", name, got, want)
			}
			// the same name further into the buffer
			b = append([]byte("xx, "), b...)
			if got, want := known(b, 4, 4+len(name)), refKnown(name); got != want {
				t.Fatalf("known(%q at 4) = %d, want %d", name, got, want)
			}
		}
	}
	for _, s := range []string{"nc", "uri", "qop", "realm", "nonce", "stale", "cnonce", "opaque", "domain", "username", "response", "algorithm", "a", "algorithms", "usernames"} {
		for mask := 0; mask < 1<<len(s); mask++ {
			name := []byte(s)
			for i := range name {
				if mask&(1<<i) != 0 {
					name[i] -= 'a' - 'A'
				}
			}
			check(name)
		}
		for i := 0; i < len(s); i++ {
			for c := 0; c < 256; c++ {
				name := []byte(s)
				name[i] = byte(c)
				check(name)
			}
		}
		check([]byte(s + "s"))
		check([]byte(s[:len(s)-1]))
	}
}

func checkAuthFields(t *testing.T, b []byte) {
	t.Helper()
	var f authFields
	wf := f.collect(b)
	want, wwf := refCollect(b)
	got := map[authName][2]int{}
	for n := authName(0); n < authNames; n++ {
		if f.set&(1<<n) != 0 {
			got[n] = [2]int{f.span[n].lo, f.span[n].hi}
		}
	}
	if wf != wwf || !reflect.DeepEqual(got, want) {
		t.Fatalf("collect(%q) = %v %v, reference walk %v %v", b, got, wf, want, wwf)
	}
}

// refChallengeOf and refCredentialsOf are challengeOf and credentialsOf
// written plainly: every field a copy of the parsed value.
func refChallengeOf(h []byte, proxy bool) *AuthChallenge {
	name := "WWW-Authenticate: "
	if proxy {
		name = "Proxy-Authenticate: "
	}
	ch := &AuthChallenge{Proxy: proxy, Header: name + string(h)}
	if p, ok := refParseChallenge(h); ok {
		ch.Scheme, ch.Realm, ch.Nonce = string(p.Scheme), string(Unquote(p.Realm)), string(p.Nonce)
		ch.Algorithm, ch.Qop, ch.Opaque, ch.Stale = string(p.Algorithm), string(p.Qop), string(p.Opaque), p.Stale
	}
	return ch
}

func refCredentialsOf(h []byte, proxy bool) *AuthCredentials {
	name := "Authorization: "
	if proxy {
		name = "Proxy-Authorization: "
	}
	cr := &AuthCredentials{Proxy: proxy, Header: name + string(h)}
	if p, ok := refParseCredentials(h); ok {
		cr.Scheme, cr.Username, cr.Realm = string(p.Scheme), string(Unquote(p.Username)), string(Unquote(p.Realm))
		cr.Nonce, cr.URI, cr.Algorithm, cr.Qop = string(p.Nonce), string(p.URI), string(p.Algorithm), string(p.Qop)
	}
	return cr
}

func checkAuthHeaders(t *testing.T, h []byte) {
	t.Helper()
	checkAuthFields(t, h)
	if _, rest := authScheme(h); rest != nil {
		checkAuthFields(t, rest)
	}
	for _, proxy := range []bool{false, true} {
		if got, want := challengeOf(h, proxy), refChallengeOf(h, proxy); !reflect.DeepEqual(got, want) {
			t.Fatalf("challengeOf(%q, %v) = %+v, reference %+v", h, proxy, got, want)
		}
		if got, want := credentialsOf(h, proxy), refCredentialsOf(h, proxy); !reflect.DeepEqual(got, want) {
			t.Fatalf("credentialsOf(%q, %v) = %+v, reference %+v", h, proxy, got, want)
		}
		c, ok := ParseChallenge(h)
		rc, rok := refParseChallenge(h)
		if ok != rok || !reflect.DeepEqual(c, rc) {
			t.Fatalf("ParseChallenge(%q) = %#v, reference %#v", h, c, rc)
		}
		cr, ok := ParseCredentials(h)
		rcr, rok := refParseCredentials(h)
		if ok != rok || !reflect.DeepEqual(cr, rcr) {
			t.Fatalf("ParseCredentials(%q) = %#v, reference %#v", h, cr, rcr)
		}
	}
}

func TestAuthFieldsMatchReference(t *testing.T) {
	for _, s := range authFieldsSeeds {
		checkAuthHeaders(t, []byte(s))
	}
	// Headers around the room of the challenge's and the credentials'
	// own allocation (newChallenge, newCredentials): they must read the
	// same whether the header is held there or apart.
	for n := 100; n < 600; n++ {
		checkAuthHeaders(t, []byte(`Digest realm="r", nonce="`+strings.Repeat("n", n)+`", username="u"`))
	}
}

// TestAuthHeaderInline: a header that fits is held in the allocation of
// its challenge or credentials, right after the fields.
func TestAuthHeaderInline(t *testing.T) {
	h := []byte(authFieldsSeeds[0])
	cr := credentialsOf(h, true)
	if p, q := uintptr(unsafe.Pointer(unsafe.StringData(cr.Header))), uintptr(unsafe.Pointer(cr)); p != q+unsafe.Sizeof(*cr) {
		t.Errorf("credentials header at %#x, want right after the fields at %#x", p, q+unsafe.Sizeof(*cr))
	}
	ch := challengeOf([]byte(authFieldsSeeds[1]), true)
	if p, q := uintptr(unsafe.Pointer(unsafe.StringData(ch.Header))), uintptr(unsafe.Pointer(ch)); p != q+unsafe.Sizeof(*ch) {
		t.Errorf("challenge header at %#x, want right after the fields at %#x", p, q+unsafe.Sizeof(*ch))
	}
	if unsafe.Sizeof(uintptr(0)) == 8 && (unsafe.Sizeof(challengeBox{}) != 320 || unsafe.Sizeof(credentialsBox{}) != 512) {
		t.Errorf("boxes are %d and %d bytes, want 320 and 512 (allocation size classes)", unsafe.Sizeof(challengeBox{}), unsafe.Sizeof(credentialsBox{}))
	}
}

// TestAuthHeaderFieldsShareHeader: fields without escapes are substrings
// of Header (no copy each); an escaped one is a resolved copy.
func TestAuthHeaderFieldsShareHeader(t *testing.T) {
	h := []byte(`Digest username="a\"b", realm="r", nonce="n", uri="sip:x", algorithm=MD5, qop=auth`)
	cr := credentialsOf(h, true)
	within := func(s string) bool {
		base := uintptr(unsafe.Pointer(unsafe.StringData(cr.Header)))
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		return p >= base && p < base+uintptr(len(cr.Header))
	}
	for _, s := range []string{cr.Scheme, cr.Realm, cr.Nonce, cr.URI, cr.Algorithm, cr.Qop} {
		if !within(s) {
			t.Errorf("%q is not a substring of Header", s)
		}
	}
	if cr.Username != `a"b` || within(cr.Username) {
		t.Errorf("Username = %q (shares Header: %v), want a resolved copy of a\"b", cr.Username, within(cr.Username))
	}
}

func FuzzAuthFieldsMatchReference(f *testing.F) {
	for _, s := range authFieldsSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkAuthHeaders(t, b)
	})
}
