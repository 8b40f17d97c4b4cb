package decode

import (
	"strings"
	"unsafe"
)

// challengeOf reads a 401/407's WWW-Authenticate or Proxy-Authenticate
// value h (RFC 3261 §22.2) into what rules read. The fields are substrings
// of Header: one copy of the header, not one per parameter.
func challengeOf(h []byte, proxy bool) *AuthChallenge {
	name := "WWW-Authenticate: "
	if proxy {
		name = "Proxy-Authenticate: "
	}
	ch := newChallenge(name, h)
	ch.Proxy = proxy
	scheme, rest := authScheme(h)
	if scheme == nil {
		return ch
	}
	var f authFields
	f.collect(rest)
	// A sub-slice's offset in h is the difference of the capacities.
	text, at := ch.Header[len(name):], cap(h)-cap(rest)
	ch.Scheme = text[cap(h)-cap(scheme) : cap(h)-cap(scheme)+len(scheme)]
	ch.Realm = f.unquoted(text, at, rest, authRealm)
	ch.Nonce = f.text(text, at, authNonce)
	ch.Algorithm = f.text(text, at, authAlgorithm)
	ch.Qop = f.text(text, at, authQop)
	ch.Opaque = f.text(text, at, authOpaque)
	ch.Stale = f.stale(rest)
	return ch
}

// credentialsOf reads a request's Authorization or Proxy-Authorization
// value h (RFC 3261 §22.2, §22.3) as challengeOf reads a challenge.
func credentialsOf(h []byte, proxy bool) *AuthCredentials {
	name := "Authorization: "
	if proxy {
		name = "Proxy-Authorization: "
	}
	cr := newCredentials(name, h)
	cr.Proxy = proxy
	scheme, rest := authScheme(h)
	if scheme == nil {
		return cr
	}
	var f authFields
	f.collect(rest)
	text, at := cr.Header[len(name):], cap(h)-cap(rest)
	cr.Scheme = text[cap(h)-cap(scheme) : cap(h)-cap(scheme)+len(scheme)]
	cr.Username = f.unquoted(text, at, rest, authUsername)
	cr.Realm = f.unquoted(text, at, rest, authRealm)
	cr.Nonce = f.text(text, at, authNonce)
	cr.URI = f.text(text, at, authURI)
	cr.Algorithm = f.text(text, at, authAlgorithm)
	cr.Qop = f.text(text, at, authQop)
	return cr
}

// challengeBox is an AuthChallenge with room for its Header after it, so
// that a challenge and the copy of its header are one allocation, not two;
// 320 bytes hold a usual challenge header, and the header's first bytes
// share a cache line with the fields. The exchange the challenge opens
// (Correlator.resolveAuth) is allocated apart: held in the box, it would
// be reachable from the challenge and its transaction, and its Next from
// the next challenged transaction's box, so that a rule keeping one
// challenged transaction (as evidence) or a string of its challenge would
// keep every later transaction and challenge of the UA's Call-ID alive
// (TestHeldChallengeKeepsNoLaterTransaction).
type challengeBox struct {
	AuthChallenge
	text [challengeInline]byte
}

const challengeInline = int(320 - unsafe.Sizeof(AuthChallenge{}))

// credentialsBox is challengeBox for credentials, which are about twice as
// long (512 bytes hold a usual one).
type credentialsBox struct {
	AuthCredentials
	text [credentialsInline]byte
}

const credentialsInline = int(512 - unsafe.Sizeof(AuthCredentials{}))

// newChallenge returns a challenge whose Header is name followed by h, in
// the challenge's own allocation when it fits.
func newChallenge(name string, h []byte) *AuthChallenge {
	if n := len(name) + len(h); n <= challengeInline {
		b := &challengeBox{}
		copy(b.text[copy(b.text[:], name):], h)
		b.Header = unsafe.String(&b.text[0], n)
		return &b.AuthChallenge
	}
	return &AuthChallenge{Header: concat(name, h)}
}

// newCredentials is newChallenge for credentials.
func newCredentials(name string, h []byte) *AuthCredentials {
	if n := len(name) + len(h); n <= credentialsInline {
		b := &credentialsBox{}
		copy(b.text[copy(b.text[:], name):], h)
		b.Header = unsafe.String(&b.text[0], n)
		return &b.AuthCredentials
	}
	return &AuthCredentials{Header: concat(name, h)}
}

// concat returns name followed by h in one allocation (name + string(h)
// makes two).
func concat(name string, h []byte) string {
	var b strings.Builder
	b.Grow(len(name) + len(h))
	b.WriteString(name)
	b.Write(h)
	return b.String()
}

// text returns parameter n as written, from text, a string copy of the
// list collect read that starts at offset at ("" when absent or empty).
func (f *authFields) text(text string, at int, n authName) string {
	if f.set&(1<<n) == 0 {
		return ""
	}
	return text[at+f.span[n].lo : at+f.span[n].hi]
}

// unquoted is text with the value's quoted-pair escapes resolved (Unquote):
// a copy when there were any, a substring otherwise. b is the list.
func (f *authFields) unquoted(text string, at int, b []byte, n authName) string {
	if f.set&(1<<n) == 0 {
		return ""
	}
	v := b[f.span[n].lo:f.span[n].hi]
	if u := Unquote(v); len(u) != len(v) {
		return string(u)
	}
	return text[at+f.span[n].lo : at+f.span[n].hi]
}
