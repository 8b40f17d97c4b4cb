package decode

import (
	"bytes"
	"encoding/binary"
)

// parseStartLine reads a Request-Line or Status-Line (RFC 3261 §7.1, §7.2).
// It returns ErrNotSIP only when the line cannot be read as either; odd
// spacing, other versions and malformed Request-URIs become defects.
func (m *Message) parseStartLine(line []byte) error {
	if len(line) >= 4 && equalFold(line[:4], "SIP/") {
		return m.parseStatusLine(line)
	}
	return m.parseRequestLine(line)
}

// parseStatusLine: SIP-Version SP Status-Code SP Reason-Phrase.
func (m *Message) parseStatusLine(line []byte) error {
	sp := statusVersionEnd(line)
	if sp < 0 {
		return ErrNotSIP
	}
	m.Version = line[:sp]
	rest := line[sp+1:]
	if len(rest) > 0 && rest[0] == ' ' {
		m.addDefect(DefectBadStartLine)
		rest = trimLeftLWS(rest)
	}
	// Status-Code is exactly 3 digits, 100..699 (RFC 3261 §7.2, §21;
	// RFC 4475 §3.1.2.19 sends 4294967301). Three digits and SP, as
	// nearly every status line has them, are read at once, with one
	// bounds check; the loop would stop at that SP with the same code.
	n, code := 3, 0
	if r := rest; len(r) >= 4 && r[3] == ' ' && r[0]-'0' < 10 && r[1]-'0' < 10 && r[2]-'0' < 10 {
		code = int(r[0]-'0')*100 + int(r[1]-'0')*10 + int(r[2]-'0')
	} else {
		n = 0
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n != 3 || (n < len(rest) && rest[n] != ' ') {
			return ErrNotSIP
		}
		code = int(rest[0]-'0')*100 + int(rest[1]-'0')*10 + int(rest[2]-'0')
	}
	if code < 100 || code > 699 {
		return ErrNotSIP
	}
	m.StatusCode = code
	if n < len(rest) {
		m.ReasonPhrase = rest[n+1:] // may be empty (RFC 4475 §3.1.1.13)
	} else {
		m.ReasonPhrase = rest[n:]
	}
	if !equalFold(m.Version, "SIP/2.0") {
		m.addDefect(DefectBadVersion)
	}
	return nil
}

// parseRequestLine: Method SP Request-URI SP SIP-Version.
func (m *Message) parseRequestLine(line []byte) error {
	sp := methodEnd(line)
	if sp < 0 {
		return ErrNotSIP
	}
	m.Method = line[:sp]
	rest := line[sp+1:]
	trimmed := trimLWS(rest)
	if len(trimmed) != len(rest) {
		m.addDefect(DefectBadStartLine) // RFC 4475 §3.1.2.9, §3.1.2.10
	}
	last := requestVersionStart(trimmed)
	if last < 0 {
		return ErrNotSIP
	}
	version := trimmed[last+1:]
	if len(version) < 4 || !equalFold(version[:4], "SIP/") {
		return ErrNotSIP
	}
	m.Version = version
	uri := trimmed[:last]
	if t := trimLWS(uri); len(t) != len(uri) {
		m.addDefect(DefectBadStartLine)
		uri = t
	}
	if len(uri) == 0 {
		return ErrNotSIP
	}
	m.Request = true
	m.RequestURI = uri
	if !equalFold(version, "SIP/2.0") {
		m.addDefect(DefectBadVersion) // RFC 4475 §3.1.2.16
	}
	if !validRequestURI(uri) {
		m.addDefect(DefectBadRequestURI)
	}
	return nil
}

// statusVersionEnd returns the index of the first SP in a status line,
// or -1. Nearly every one starts "SIP/2.0 ", settled by looking at those
// eight bytes instead of searching. TestStartLineShortcuts and
// FuzzStartLineShortcuts hold it to bytes.IndexByte.
func statusVersionEnd(line []byte) int {
	if len(line) >= 8 && line[7] == ' ' && equalFold(line[:7], "SIP/2.0") {
		return 7
	}
	return bytes.IndexByte(line, ' ')
}

// requestVersionStart returns the index of the last SP in a request line
// (trimmed of LWS), the one before the SIP-Version, or -1. Nearly every
// line ends " SIP/2.0", which holds no other SP, so those eight bytes
// settle it; bytes.LastIndexByte has no assembly version and walks byte
// by byte.
func requestVersionStart(line []byte) int {
	if n := len(line) - 8; n >= 0 && line[n] == ' ' && equalFold(line[n+1:], "SIP/2.0") {
		return n
	}
	return bytes.LastIndexByte(line, ' ')
}

// methodEnd returns the index of the SP that ends the request line's
// method, or -1 when the line does not start with a token followed by SP.
// The token is read up to the first non-token byte, which must be that
// SP: one pass, where finding the SP first and then checking the token
// before it is two. TestMethodEnd/FuzzMethodEnd hold it to the two-pass
// definition.
func methodEnd(line []byte) int {
	sp := 0
	for sp < len(line) && tokenChars[line[sp]] {
		sp++
	}
	if sp == 0 || sp == len(line) || line[sp] != ' ' {
		return -1
	}
	return sp
}

// validRequestURI rejects what RFC 3261 §19.1.1 forbids in a Request-URI:
// LWS (RFC 4475 §3.1.2.8; ParseURI fails on any), enclosing <>
// (§3.1.2.7) and, for SIP URIs, escaped headers (§3.1.2.11).
func validRequestURI(uri []byte) bool {
	if valid, decided := plainSIPURIValid(uri); decided {
		return valid
	}
	return validRequestURIParsed(uri)
}

// validRequestURIParsed is validRequestURI by ParseURI, for any shape.
func validRequestURIParsed(uri []byte) bool {
	if len(uri) == 0 || uri[0] == '<' {
		return false
	}
	u, ok := ParseURI(uri)
	if !ok {
		return false
	}
	if (equalFold(u.Scheme, "sip") || equalFold(u.Scheme, "sips")) && u.Headers != nil {
		return false
	}
	return true
}

// plainSIPURIValid decides in one pass the Request-URI shape nearly every
// request has, "sip:[user@]host[:port][;params]" with a plain user and a
// hostname or IPv4 host, which validRequestURI accepts; decided is false
// for anything else, which then gets ParseURI's full reading. Where the
// pass decides, ParseURI would agree: the user and host runs hold none of
// '@', ':', ';', '?' or LWS, so the first '@' ends the user and the first
// ';' the host; the port is one to five digits; the parameters hold no
// LWS, '@' (which would move where ParseURI sees the user end) or '?'
// (URI headers, which §19.1.1 forbids here).
func plainSIPURIValid(uri []byte) (valid, decided bool) {
	if !startsWithSIPColon(uri) {
		return false, false
	}
	i := 4
	for i < len(uri) && plainHostChars[uri[i]] {
		i++
	}
	if i < len(uri) && uri[i] == '@' {
		i++
		s := i
		// The host (a domain name, usually longer than eight bytes) is
		// settled eight bytes at a time while they are all host bytes
		// (table lookups ANDed), as parseViaFast reads a Via's host.
		for i+8 <= len(uri) {
			if !plainHostTable.all8(uri[i : i+8 : i+8]) {
				break
			}
			i += 8
		}
		for i < len(uri) && plainHostChars[uri[i]] {
			i++
		}
		if i == s {
			return false, false
		}
	} else if i == 4 {
		return false, false
	}
	if i < len(uri) && uri[i] == ':' {
		i++
		if i+4 <= len(uri) && fourDigits(binary.LittleEndian.Uint32(uri[i:i+4])) && (i+4 == len(uri) || uri[i+4]-'0' >= 10) {
			// four digits and then the end or no digit ("5060"), as
			// nearly every port is written: below 65536, and where the
			// loop below would stop
			i += 4
		} else {
			s, port := i, 0
			for i < len(uri) && uri[i] >= '0' && uri[i] <= '9' && i-s < 5 {
				port = port*10 + int(uri[i]-'0')
				i++
			}
			if i == s || port > 65535 {
				return false, false
			}
		}
	}
	if i == len(uri) {
		return true, true
	}
	if uri[i] != ';' {
		return false, false
	}
	for _, c := range uri[i+1:] {
		if c <= ' ' || c >= 0x7f || c == '@' || c == '?' {
			return false, false
		}
	}
	return true, true
}
