package decode

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strconv"
)

// URI is a SIP, SIPS or other URI split into its parts (RFC 3261 §19.1.1).
// For schemes other than sip/sips (tel:, urn:, ...) the part after the
// scheme up to ';' or '?' is in User and Host is empty.
type URI struct {
	Scheme   []byte
	User     []byte // escapes kept raw
	Password []byte
	Host     []byte // IPv6 references keep their brackets
	Port     int    // 0 when absent
	Params   []byte // from the first ';' after the host, up to '?' (nil when none)
	Headers  []byte // after '?' (nil when none)
}

// ParseURI splits u. ok is false when u has no scheme, the host is empty,
// the port is not a number, or u contains LWS; the fields then hold a
// best-effort reading.
func ParseURI(u []byte) (URI, bool) {
	var r URI
	ok := true
	t := trimLWS(u)
	if len(t) != len(u) {
		ok = false
	}
	colon := 3
	sip := startsWithSIPColon(t)
	if !sip {
		colon = bytes.IndexByte(t, ':')
		if colon <= 0 || !isScheme(t[:colon]) {
			return r, false
		}
		sip = equalFold(t[:colon], "sip") || equalFold(t[:colon], "sips")
	}
	r.Scheme = t[:colon]
	rest := t[colon+1:]
	if !sip {
		end := hostEnd(rest)
		r.User = rest[:end]
		rest = rest[end:]
		r.Params, r.Headers = splitParamsHeaders(rest)
		if len(r.User) == 0 || hasLWS(t) {
			ok = false
		}
		return r, ok
	}
	// The userinfo ends at '@', which cannot appear unescaped anywhere
	// else in a SIP URI (RFC 3261 §25.1); user may contain ';' and '?'
	// (RFC 4475 §3.1.1.2, §3.1.1.9).
	if at := bytes.IndexByte(rest, '@'); at >= 0 {
		userinfo := rest[:at]
		if c := bytes.IndexByte(userinfo, ':'); c >= 0 {
			r.User, r.Password = userinfo[:c], userinfo[c+1:]
		} else {
			r.User = userinfo
		}
		rest = rest[at+1:]
	}
	end := hostEnd(rest)
	host, port, hpOK := splitHostPort(rest[:end])
	r.Host, r.Port = host, port
	r.Params, r.Headers = splitParamsHeaders(rest[end:])
	if !hpOK || hasLWS(t) {
		ok = false
	}
	return r, ok
}

// splitParamsHeaders splits ";params?headers".
func splitParamsHeaders(rest []byte) (params, headers []byte) {
	if q := bytes.IndexByte(rest, '?'); q >= 0 {
		headers = rest[q+1:]
		rest = rest[:q]
	}
	if len(rest) > 0 {
		params = rest
	}
	return params, headers
}

// isScheme: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
func isScheme(b []byte) bool {
	if len(b) == 0 || lower(b[0]) < 'a' || lower(b[0]) > 'z' {
		return false
	}
	for _, c := range b[1:] {
		if !schemeChars[c] {
			return false
		}
	}
	return true
}

// schemeChars marks the characters allowed after a scheme's first letter.
var schemeChars = alphanumAnd("+-.")

// hostEnd returns the index of the first ';' or '?' in b (where a SIP
// URI's hostport ends), or len(b).
func hostEnd(b []byte) int {
	for i, c := range b {
		if c == ';' || c == '?' {
			return i
		}
	}
	return len(b)
}

// hasLWS reports whether b holds a space, tab, CR or LF. Every LWS byte
// is below 0x21, so eight bytes at a time are first tested for any byte
// below 0x21 ("hasless" in Anderson's Bit Twiddling Hacks, exact as to
// whether such a byte exists); URIs rarely have one, so the byte loop
// usually only sees the tail.
func hasLWS(b []byte) bool {
	for len(b) >= 8 {
		x := binary.LittleEndian.Uint64(b)
		if (x-0x2121212121212121)&^x&0x8080808080808080 != 0 {
			break
		}
		b = b[8:]
	}
	for _, c := range b {
		if lwsChars[c] {
			return true
		}
	}
	return false
}

// NameAddr is a From / To / Contact / Route style value (RFC 3261 §20.10,
// §25.1): ["display"] <uri> *(;param) or a bare addr-spec *(;param).
type NameAddr struct {
	Display []byte // without quotes, escapes kept raw (see Unquote); nil when absent
	URI     []byte // without the angle brackets
	Params  []byte // header parameters from the first ';' after the URI (nil when none)
	Tag     []byte // tag parameter (RFC 3261 §19.3); nil when absent
}

// ParseNameAddr parses one name-addr or addr-spec with its parameters.
// In the addr-spec form the first ';' starts the header parameters (RFC
// 3261 §20.10). ok is false for an unterminated quoted display name
// (RFC 4475 §3.1.2.6), a display name that is neither tokens nor a
// quoted-string (§3.1.2.15), LWS inside <...> (§3.1.2.14), an addr-spec
// holding '?' or ',' that needed <...> (§3.1.2.13), a URI without a
// scheme, or malformed parameters. The fields hold a best-effort reading
// either way.
func ParseNameAddr(v []byte) (NameAddr, bool) {
	var na NameAddr
	ok := parseNameAddrInto(&na, v)
	return na, ok
}

// parseNameAddrInto is ParseNameAddr writing into *na, which must be
// zero: Message.From and To fill their cached views in place.
func parseNameAddrInto(na *NameAddr, v []byte) bool {
	// Not inlined (two calls are over the inliner's budget): the hot
	// callers, whose values are trimmed already, call the two parsers
	// themselves (Message.parseVFTViews, contactOKTrimmed).
	v = trimLWS(v)
	return parseNameAddrFast(na, v) || parseNameAddrIntoGeneral(na, v)
}

// parseNameAddrIntoGeneral is parseNameAddrInto for what
// parseNameAddrFast leaves, v trimmed.
func parseNameAddrIntoGeneral(na *NameAddr, v []byte) bool {
	var ok bool
	*na, ok = parseNameAddrGeneral(v)
	return ok
}

// parseNameAddrFast reads a well-formed name-addr in one pass:
// [quoted-string or tokens] LWS "<" uri ">" *(SEMI generic-param), v
// already trimmed. ok is false for anything else (bare addr-specs, odd
// spacing, every malformed value); parseNameAddrGeneral then gives the
// full reading. For what it accepts both agree. *na must be zero on
// entry; it holds partial results when ok is false.
func parseNameAddrFast(na *NameAddr, v []byte) bool {
	if len(v) == 0 {
		return false
	}
	var i int
	if v[0] == '"' {
		// The closing '"' without a call in the usual case (see
		// quotedPlainEnd).
		k := quotedPlainEnd(v, 1)
		end := k
		if k >= len(v) || v[k] != '"' {
			if end = quoteEndShort(v[k-1:]); end >= 0 {
				end += k - 1
			}
		}
		if end < 0 {
			return false
		}
		na.Display = v[1:end]
		i = end + 1
		if i+2 <= len(v) && binary.LittleEndian.Uint16(v[i:i+2]) == spaceAngle {
			i++ // '"name" <uri>', the usual spacing
		} else {
			for i < len(v) && lwsChars[v[i]] {
				i++
			}
			if i == len(v) || v[i] != '<' {
				return false
			}
		}
	} else {
		lt := bytes.IndexByte(v, '<')
		if lt < 0 || bytes.IndexByte(v[:lt], '"') >= 0 {
			return false
		}
		if lt > 0 {
			na.Display = trimLWS(v[:lt])
			if !isDisplayTokens(na.Display) {
				return false
			}
		}
		i = lt
	}
	var uri []byte
	// The usual URI: its '>' found by uriPlainEnd (inlined), uriAngleEnd
	// called only for what that leaves open.
	gt := uriPlainEnd(v, i+1)
	if gt >= len(v) || v[gt] != '>' {
		if gt < len(v) && v[gt] > ' ' && gt >= i+9 {
			// The word loop stopped with fewer than eight bytes left
			// (as before a To's closing '>' at the end of the value),
			// after at least one word: the last eight bytes, those
			// before gt already found plain, settle the rest in one
			// word (uriLastWordEnd).
			gt = uriLastWordEnd(v)
		}
		if gt >= len(v) || v[gt] != '>' {
			gt = uriAngleEnd(v, gt)
		}
	}
	if gt >= 0 {
		uri = v[i+1 : gt] // holds no byte below 0x21, so no LWS
	} else {
		// a control byte or LWS before the '>', or no '>' at all
		g := bytes.IndexByte(v[i:], '>')
		if g < 0 {
			return false
		}
		gt = i + g
		uri = v[i+1 : gt]
		if hasLWS(uri) {
			return false
		}
	}
	// hasScheme's "sip:" test inlined: the call is made only for other
	// schemes.
	if !startsWithSIPColon(uri) && (len(uri) == 0 || !hasScheme(uri)) {
		return false
	}
	na.URI = uri
	i = gt + 1
	if i == len(v) {
		return true
	}
	if v[i] != ';' {
		// LWS before the parameters or at the end (trimmed values have
		// none there, but v may come untrimmed)
		for i < len(v) && lwsChars[v[i]] {
			i++
		}
		if i == len(v) {
			return true
		}
		if v[i] != ';' {
			return false
		}
	}
	na.Params = v[i:]
	p := v[i+1:]
	if len(p) > 4 && binary.LittleEndian.Uint32(p)|0x00202020 == tagEquals {
		// ";tag=token" as the only parameter, as in nearly every From
		// and To that has one: read without scanParam's general steps.
		j := 4
		for ; j+8 <= len(p); j += 8 {
			if !paramValueTable.all8(p[j : j+8 : j+8]) {
				break
			}
		}
		for j < len(p) && paramValueChars[p[j]] {
			j++
		}
		if j == len(p) {
			na.Tag = p[4:]
			return true
		}
	}
	for {
		name, value, end, fast := scanParam(p)
		if !fast {
			return false
		}
		if na.Tag == nil && len(name) == 3 && equalFold(name, "tag") {
			na.Tag = nonNil(value)
		}
		if end == len(p) {
			return true
		}
		p = p[end+1:]
	}
}

// uriPlainEnd returns the first k' >= k at which v holds '>' or a byte
// below 0x21, or, when there is none, where fewer than eight bytes are
// left: uriAngleEnd's word loop, small enough to be inlined. When v[k']
// is not '>', uriAngleEnd(v, k') gives what uriAngleEnd(v, k) would.
func uriPlainEnd(v []byte, k int) int {
	for k+8 <= len(v) {
		if f := uriStops(binary.LittleEndian.Uint64(v[k : k+8 : k+8])); f != 0 {
			return k + bits.TrailingZeros64(f)/8
		}
		k += 8
	}
	return k
}

// spaceAngle is " <" read as a little-endian 16-bit word.
const spaceAngle = ' ' | '<'<<8

// uriLastWordEnd is uriPlainEnd's test on the last eight bytes of v
// (at least eight): the index of the first '>' or byte below 0x21 in
// them, or len(v) when there is none. The caller knows the bytes of that
// word before its own start plain (none flagged), so none of them makes
// a false flag above it either, and the answer is exact.
func uriLastWordEnd(v []byte) int {
	k := len(v) - 8
	if f := uriStops(binary.LittleEndian.Uint64(v[k:])); f != 0 {
		return k + bits.TrailingZeros64(f)/8
	}
	return len(v)
}

// uriStops flags (0x80) the bytes of the word x that are '>' or below
// 0x21, the bytes a URI in angle brackets stops at; the lowest flag is
// exact, flags above it may be false (see uriAngleEnd).
func uriStops(x uint64) uint64 {
	q := x ^ 0x3e3e3e3e3e3e3e3e
	return ((q-0x0101010101010101)&^q | (x-0x2121212121212121)&^x) & 0x8080808080808080
}

// uriAngleEnd returns the index of the first '>' in v at or after i when
// no byte below 0x21 (among them every LWS byte) comes before it, and -1
// otherwise. It does in one pass, eight bytes at a time, what a search
// for the '>' and hasLWS over the URI would do in two: a word XORed with
// '>' in every byte has a zero byte where v has a '>', the zero-byte test
// flags it, and the "hasless" test flags bytes below 0x21 (Anderson's Bit
// Twiddling Hacks); the lowest flag of either is exact (false flags only
// appear above a true one), so it is the first byte of either kind.
func uriAngleEnd(v []byte, i int) int {
	for i = uriPlainEnd(v, i); i < len(v); i++ {
		if c := v[i]; c == '>' {
			return i
		} else if c < 0x21 {
			return -1
		}
	}
	return -1
}

// parseNameAddrGeneral is ParseNameAddr for any input, v already trimmed.
func parseNameAddrGeneral(v []byte) (NameAddr, bool) {
	var na NameAddr
	ok := true
	if len(v) == 0 {
		return na, false
	}
	var rest []byte
	switch lt := indexOutsideQuotes(v, '<'); {
	case v[0] == '"':
		end := quoteEnd(v)
		if end < 0 {
			na.Display = v[1:]
			return na, false
		}
		na.Display = v[1:end]
		rest = trimLeftLWS(v[end+1:])
		if len(rest) == 0 || rest[0] != '<' {
			return na, false
		}
		rest, ok = na.angleURI(rest)
	case lt >= 0:
		if lt > 0 {
			na.Display = trimLWS(v[:lt])
			if !isDisplayTokens(na.Display) {
				ok = false
			}
		}
		var aok bool
		rest, aok = na.angleURI(v[lt:])
		ok = ok && aok
	default:
		semi := bytes.IndexByte(v, ';')
		if semi < 0 {
			na.URI, rest = v, nil
		} else {
			na.URI, rest = trimLWS(v[:semi]), v[semi:]
		}
		if bytes.IndexByte(na.URI, '?') >= 0 || bytes.IndexByte(na.URI, ',') >= 0 || hasLWS(na.URI) {
			ok = false
		}
	}
	if !hasScheme(na.URI) {
		ok = false
	}
	rest = trimLWS(rest)
	if len(rest) > 0 {
		na.Params = rest
		valid := walkParams(rest, func(name, value []byte) {
			if na.Tag == nil && len(name) == 3 && equalFold(name, "tag") {
				na.Tag = nonNil(value)
			}
		})
		if rest[0] != ';' || !valid {
			ok = false
		}
	}
	return na, ok
}

// angleURI reads "<uri>" at the start of b and returns what follows.
func (na *NameAddr) angleURI(b []byte) (rest []byte, ok bool) {
	gt := bytes.IndexByte(b, '>')
	if gt < 0 {
		na.URI = trimLWS(b[1:])
		return nil, false
	}
	inner := b[1:gt]
	na.URI = trimLWS(inner)
	return b[gt+1:], len(na.URI) == len(inner) && len(inner) > 0 && !hasLWS(inner)
}

func hasScheme(uri []byte) bool {
	if startsWithSIPColon(uri) {
		return true
	}
	c := bytes.IndexByte(uri, ':')
	return c > 0 && isScheme(uri[:c])
}

// startsWithSIPColon reports whether b starts with "sip:" in any case:
// nearly every URI does, and then the scheme is known without a search
// for the colon.
//
// The four bytes are compared as one word: OR-ing 0x20 into the first
// three folds the case of 's', 'i' and 'p' only (x|0x20 == 's' holds for
// 's' and 'S' alone), and the ':' is compared as it is.
func startsWithSIPColon(b []byte) bool {
	return len(b) >= 4 && binary.LittleEndian.Uint32(b)|0x00202020 == sipColon
}

// sipColon is "sip:" and tagEquals "tag=" read as little-endian 32-bit
// words; OR-ing 0x00202020 into a word folds the case of its three
// letters only.
const (
	sipColon  = 0x3a706973
	tagEquals = 0x3d676174
)

// isDisplayTokens: display-name = *(token LWS) (RFC 3261 §25.1).
func isDisplayTokens(d []byte) bool {
	for _, c := range d {
		if !tokenChars[c] && !isLWS(c) {
			return false
		}
	}
	return true
}

// Contact is one Contact element (RFC 3261 §20.10) or "*".
type Contact struct {
	NameAddr
	Expires    int // the expires parameter (RFC 3261 §10.2.1.1)
	HasExpires bool
	Star       bool
	ok         bool
}

// ParseContact parses one Contact element.
func ParseContact(v []byte) Contact {
	v = trimLWS(v)
	if len(v) == 1 && v[0] == '*' {
		return Contact{Star: true, ok: true}
	}
	var c Contact
	c.ok = parseNameAddrInto(&c.NameAddr, v)
	if c.Params == nil {
		return c
	}
	if e, present := Param(c.Params, "expires"); present {
		if n, eok := ParseExpires(e); eok {
			c.Expires, c.HasExpires = n, true
		} else {
			c.ok = false
		}
	}
	return c
}

// Valid reports whether the element was well-formed.
func (c Contact) Valid() bool { return c.ok }

// AOR returns the canonical address-of-record of a URI, "sip:user@host",
// for use as a map key: scheme and host lower-cased, user kept as written,
// port kept only when not the scheme default (5060 sip, 5061 sips),
// password, parameters and headers dropped (RFC 3261 §10.3 step 5 and
// §19.1.4 compare users case-sensitively, hosts case-insensitively). A
// name-addr such as "Bob <sip:b@x>;tag=1" is accepted too. Allocates.
func AOR(uri []byte) string {
	uri = trimLWS(uri)
	if bytes.IndexByte(uri, '<') >= 0 || (len(uri) > 0 && uri[0] == '"') {
		if na, _ := ParseNameAddr(uri); len(na.URI) > 0 {
			uri = na.URI
		}
	}
	u, _ := ParseURI(uri)
	if len(u.Scheme) == 0 {
		return string(uri)
	}
	out := make([]byte, 0, len(u.Scheme)+len(u.User)+len(u.Host)+8)
	out = appendLower(out, u.Scheme)
	out = append(out, ':')
	isSIP := equalFold(u.Scheme, "sip") || equalFold(u.Scheme, "sips")
	if !isSIP {
		return string(append(out, u.User...))
	}
	if len(u.User) > 0 {
		out = append(out, u.User...)
		out = append(out, '@')
	}
	out = appendLower(out, u.Host)
	def := 5060
	if equalFold(u.Scheme, "sips") {
		def = 5061
	}
	if u.Port != 0 && u.Port != def {
		out = append(out, ':')
		out = strconv.AppendInt(out, int64(u.Port), 10)
	}
	return string(out)
}

func appendLower(dst, b []byte) []byte {
	for _, c := range b {
		dst = append(dst, lower(c))
	}
	return dst
}
