package decode

import "math/bits"

// Challenge is a WWW-Authenticate or Proxy-Authenticate value (RFC 3261
// §20.44, §22.4; RFC 7616 §3.3). Quoted values are returned without the
// quotes and with backslash escapes kept raw (see Unquote).
type Challenge struct {
	Scheme    []byte // "Digest", "Basic", ... as written
	Realm     []byte
	Nonce     []byte
	Opaque    []byte
	Algorithm []byte
	Qop       []byte // the qop-options list as written, e.g. "auth,auth-int"
	Domain    []byte
	Stale     bool
	// Malformed is set when some parameter was neither a token nor a
	// quoted-string but could still be read, e.g. realm=\"x\" with
	// backslash-escaped quotes as delimiters (seen in public captures).
	Malformed bool
}

// ParseChallenge parses one challenge. ok is false when there is no auth
// scheme; unknown parameters are skipped.
func ParseChallenge(v []byte) (Challenge, bool) {
	var c Challenge
	scheme, rest := authScheme(v)
	if scheme == nil {
		return c, false
	}
	c.Scheme = scheme
	var f authFields
	c.Malformed = !f.collect(rest)
	c.Realm = f.value(rest, authRealm)
	c.Nonce = f.value(rest, authNonce)
	c.Opaque = f.value(rest, authOpaque)
	c.Algorithm = f.value(rest, authAlgorithm)
	c.Qop = f.value(rest, authQop)
	c.Domain = f.value(rest, authDomain)
	c.Stale = f.stale(rest)
	return c, true
}

// Credentials is an Authorization or Proxy-Authorization value (RFC 3261
// §20.7, §22.4; RFC 7616 §3.4). Quoted values are returned without the
// quotes, escapes kept raw.
type Credentials struct {
	Scheme    []byte
	Username  []byte
	Realm     []byte
	Nonce     []byte
	URI       []byte
	Response  []byte
	Algorithm []byte
	CNonce    []byte
	Opaque    []byte
	Qop       []byte
	NC        []byte
	Malformed bool // see Challenge.Malformed
}

// ParseCredentials parses one credentials value. ok is false when there
// is no auth scheme.
func ParseCredentials(v []byte) (Credentials, bool) {
	var c Credentials
	scheme, rest := authScheme(v)
	if scheme == nil {
		return c, false
	}
	c.Scheme = scheme
	var f authFields
	c.Malformed = !f.collect(rest)
	c.Username = f.value(rest, authUsername)
	c.Realm = f.value(rest, authRealm)
	c.Nonce = f.value(rest, authNonce)
	c.URI = f.value(rest, authURI)
	c.Response = f.value(rest, authResponse)
	c.Algorithm = f.value(rest, authAlgorithm)
	c.CNonce = f.value(rest, authCNonce)
	c.Opaque = f.value(rest, authOpaque)
	c.Qop = f.value(rest, authQop)
	c.NC = f.value(rest, authNC)
	return c, true
}

// authScheme splits the leading auth-scheme token from its parameters.
func authScheme(v []byte) (scheme, rest []byte) {
	v = trimLWS(v)
	n := 0
	for n < len(v) && tokenChars[v[n]] {
		n++
	}
	if n == 0 || (n < len(v) && !isLWS(v[n])) {
		return nil, nil
	}
	return v[:n], v[n:]
}

// paramSepChars marks the bytes between auth-params: LWS and ','.
var paramSepChars = [256]bool{' ': true, '\t': true, '\r': true, '\n': true, ',': true}

// skipToComma returns the index of the next ',' outside a quoted-string at
// or after i, or len(b).
func skipToComma(b []byte, i int) int {
	if i >= len(b) {
		return len(b)
	}
	if j := indexByteOutside(b[i:], ','); j >= 0 {
		return i + j
	}
	return len(b)
}

// leadingLetters returns how many of the eight bytes of w (little endian:
// the first byte lowest) are ASCII letters before the first other byte.
// With 0x20 ORed in, a byte is a letter exactly when it falls in 'a'..'z';
// the range is tested in every byte at once on its low seven bits, where
// the additions cannot carry into the next byte, and bytes with the high
// bit set are no letters.
func leadingLetters(w uint64) int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	x := w | 0x2020202020202020
	low7 := x &^ hi
	letters := (low7 + (0x80-'a')*lo) &^ (low7 + (0x7f-'z')*lo) &^ x & hi
	return bits.TrailingZeros64(^letters&hi) / 8
}
