package decode

import (
	"bytes"
	"encoding/binary"
)

// Via is one via-parm (RFC 3261 §20.42):
// sent-protocol LWS sent-by *( SEMI via-params ).
type Via struct {
	Transport []byte // "UDP", "TCP", "TLS", "SCTP", "WS", ... as written
	Host      []byte // sent-by host; IPv6 references keep their brackets
	Port      int    // 0 when absent
	Branch    []byte // branch parameter (RFC 3261 §8.1.1.7)
	Received  []byte // received parameter (RFC 3261 §18.2.1)
	RPort     []byte // rport value; empty when rport has no value (RFC 3581)
	HasRPort  bool
	Params    []byte // the raw parameter list from its first ';' (or nil)
}

// ParseVia parses one Via element (split lists with Message.Values or use
// Message.TopVia). LWS is allowed around '/', ':' and ';' (RFC 3261
// §25.1 SLASH, COLON, SEMI). The fields hold a best-effort reading even
// when ok is false, which it is for a missing protocol part, an empty
// host, a bad port or malformed parameters.
func ParseVia(v []byte) (Via, bool) {
	var via Via
	ok := parseViaInto(&via, v)
	return via, ok
}

// parseViaInto is ParseVia writing into *via, which must be zero:
// Message.TopVia fills its cached view in place instead of copying the
// struct out and in again.
func parseViaInto(via *Via, v []byte) bool {
	v = trimLWS(v)
	if parseViaFast(via, v) {
		return true
	}
	var ok bool
	*via, ok = parseViaGeneral(v)
	return ok
}

// parseTopViaGeneral reads the first element of a Via header value v when
// parseViaFast, tried on the whole (trimmed) value first, refused it. The
// fast reading stops at no ',' outside a quoted-string, so when it accepts
// the value, the value is a single element and the search for the first
// ',' (firstElement) is not needed (Message.parseTopViaView).
func parseTopViaGeneral(via *Via, v []byte) bool {
	*via = Via{}
	return parseViaInto(via, firstElement(v))
}

// parseViaFast reads the usual shape of a Via element in one pass:
// "SIP/2.0/UDP host[:port][;param...]" with no LWS except the one after
// the transport and a plain hostname or IPv4 host. ok is false for
// anything else, including every malformed element; parseViaGeneral
// then gives the full reading. For what it accepts both agree. *via must
// be zero on entry; it holds partial results when ok is false.
func parseViaFast(via *Via, v []byte) bool {
	i, parts := 0, 2
	if len(v) >= 8 && binary.LittleEndian.Uint64(v)|0x202020 == sipVersionSlash {
		i, parts = 8, 0 // "SIP/2.0/" in any case, as nearly every Via starts
	}
	for part := 0; part < parts; part++ {
		s := i
		for i < len(v) && tokenChars[v[i]] {
			i++
		}
		if i == s || i >= len(v) || v[i] != '/' {
			return false
		}
		i++
	}
	if parts == 0 && len(v) >= 12 && binary.LittleEndian.Uint32(v[8:12])|0x00202020 == udpSpace {
		// "UDP " in any case, as nearly every Via over UDP has it: three
		// token bytes and an SP, where the token loop would stop; the
		// LWS loop goes on after that SP
		via.Transport = v[8:11]
		i = 12
	} else {
		s := i
		for i < len(v) && tokenChars[v[i]] {
			i++
		}
		if i == s || i >= len(v) || !lwsChars[v[i]] {
			return false
		}
		via.Transport = v[s:i]
	}
	for i < len(v) && lwsChars[v[i]] {
		i++
	}
	s := i
	for i+8 <= len(v) {
		// hostnames and addresses are mostly longer than eight bytes
		if !plainHostTable.all8(v[i : i+8 : i+8]) {
			break
		}
		i += 8
	}
	for i < len(v) && plainHostChars[v[i]] {
		i++
	}
	if i == s {
		return false
	}
	via.Host = v[s:i]
	if i < len(v) && v[i] == ':' {
		i++
		s = i
		// the digits read and their value summed in one loop; a port
		// of more than five digits (leading zeros) is left to
		// parseViaGeneral
		read := false
		if i+5 <= len(v) {
			// four digits and then no digit ("5060;"), as nearly every
			// port is written: read at once, and below 65536
			if x := binary.LittleEndian.Uint32(v[i : i+4]); fourDigits(x) && v[i+4]-'0' >= 10 {
				via.Port = fourDigitValue(x)
				i += 4
				read = true
			}
		}
		if !read {
			port := 0
			for i < len(v) && v[i] >= '0' && v[i] <= '9' && i-s < 5 {
				port = port*10 + int(v[i]-'0')
				i++
			}
			if i == s || port > 65535 || (i < len(v) && v[i] >= '0' && v[i] <= '9') {
				return false
			}
			via.Port = port
		}
	}
	if i == len(v) {
		return true
	}
	if v[i] != ';' {
		return false
	}
	via.Params = v[i:]
	p := v[i+1:]
	for {
		if len(p) >= 8 && binary.LittleEndian.Uint64(p)&0x00ffffffffffffff|0x0000202020202020 == branchEquals {
			// "branch=token", in every Via and with the longest value:
			// the name by one word comparison, the value eight bytes
			// at a time, without scanParam's general steps.
			j := 7
			for ; j+8 <= len(p); j += 8 {
				if !paramValueTable.all8(p[j : j+8 : j+8]) {
					break
				}
			}
			if j+8 > len(p) && j < len(p) {
				// Fewer than eight bytes left, all checked before the
				// last eight: when those are all value bytes (the branch
				// is usually the last parameter) one word settles the
				// rest.
				if paramValueTable.all8(p[len(p)-8:]) {
					j = len(p)
				}
			}
			for j < len(p) && paramValueChars[p[j]] {
				j++
			}
			if j > 7 && (j == len(p) || p[j] == ';') {
				if via.Branch == nil {
					via.Branch = p[7:j]
				}
				if j == len(p) {
					return true
				}
				p = p[j+1:]
				continue
			}
		}
		if len(p) >= 5 && binary.LittleEndian.Uint32(p)|0x20202020 == rporWord && p[4]|0x20 == 't' &&
			(len(p) == 5 || p[5] == ';') {
			// a bare "rport" (RFC 3581 §3), as clients send it: present
			// without a value
			if !via.HasRPort {
				via.HasRPort = true
				via.RPort = nonNil(nil)
			}
			if len(p) == 5 {
				return true
			}
			p = p[6:]
			continue
		}
		// "rport=port" and "received=address", as a server adds them
		// (RFC 3581 §4, RFC 3261 §18.2.1): the name by word comparison.
		vs := 0
		if len(p) > 6 && binary.LittleEndian.Uint32(p)|0x20202020 == rporWord && p[4]|0x20 == 't' && p[5] == '=' {
			vs = 6
		} else if len(p) > 9 && binary.LittleEndian.Uint64(p)|0x2020202020202020 == receivedWord && p[8] == '=' {
			vs = 9
		}
		if vs > 0 {
			j := vs
			if vs == 6 {
				// "rport=5060": four digits (value bytes) taken at once,
				// the loop below reads on from there
				if j+4 <= len(p) && fourDigits(binary.LittleEndian.Uint32(p[j:j+4])) {
					j += 4
				}
			} else {
				// the received address, mostly eight bytes or more, eight
				// at a time as the branch
				for ; j+8 <= len(p); j += 8 {
					if !paramValueTable.all8(p[j : j+8 : j+8]) {
						break
					}
				}
			}
			for j < len(p) && paramValueChars[p[j]] {
				j++
			}
			if j > vs && (j == len(p) || p[j] == ';') {
				if vs == 9 {
					if via.Received == nil {
						via.Received = p[vs:j]
					}
				} else if !via.HasRPort {
					via.HasRPort = true
					via.RPort = p[vs:j]
				}
				if j == len(p) {
					return true
				}
				p = p[j+1:]
				continue
			}
		}
		name, value, end, fast := scanParam(p)
		if !fast {
			return false
		}
		switch len(name) {
		case 6:
			if via.Branch == nil && equalFold(name, "branch") {
				via.Branch = nonNil(value)
			}
		case 8:
			if via.Received == nil && equalFold(name, "received") {
				via.Received = nonNil(value)
			}
		case 5:
			if !via.HasRPort && equalFold(name, "rport") {
				via.HasRPort = true
				via.RPort = nonNil(value)
			}
		}
		if end == len(p) {
			return true
		}
		p = p[end+1:]
	}
}

// sipVersionSlash is "sip/2.0/" read as a little-endian word; OR-ing
// 0x20 into the first three bytes folds the case of S, I and P only.
const sipVersionSlash = 0x2f302e322f706973

// fourDigits reports whether the four bytes of x are all ASCII digits:
// with no high bit set, OR-ing 0x80 into each byte and subtracting '0'
// leaves the high bit set exactly in the bytes >= '0', and adding
// 0x46 sets it exactly in the bytes >= ':' (0x3a), neither with a
// borrow or carry between bytes.
func fourDigits(x uint32) bool {
	return x&0x80808080 == 0 && ((x|0x80808080)-0x30303030)&^(x+0x46464646)&0x80808080 == 0x80808080
}

// fourDigitValue is the number four ASCII digits (fourDigits) spell,
// the first in the low byte: each byte times ten plus the next gives
// the two-digit pairs in bytes 0 and 2, no byte overflowing.
func fourDigitValue(x uint32) int {
	y := x - 0x30303030
	t := y*10 + y>>8
	return int(t&0xff)*100 + int(t>>16&0xff)
}

// udpSpace is "udp " read as a little-endian 32-bit word; OR-ing 0x20
// into the three letters folds their case, the SP is compared as it is.
const udpSpace = 0x20706475

// branchEquals is "branch=" read as the low seven bytes of a
// little-endian word; OR-ing 0x20 into the six letters folds their case.
const branchEquals = 0x3d68636e617262

// rporWord is "rpor" read as a little-endian 32-bit word (letters only,
// so OR-ing 0x20 into every byte folds the case of each).
const rporWord = 0x726f7072

// receivedWord is "received" read as a little-endian word (letters only).
const receivedWord = 0x6465766965636572

var plainHostTable = tableOf(&plainHostChars)

// plainHostChars: the characters of a hostname or IPv4address (RFC 3261
// §25.1), the hosts parseViaFast handles itself.
var plainHostChars = alphanumAnd("-._")

// parseViaGeneral is ParseVia for any input, v already trimmed.
func parseViaGeneral(v []byte) (Via, bool) {
	var via Via
	ok := true
	rest := trimLWS(v)
	// sent-protocol = protocol-name SLASH protocol-version SLASH transport
	for part := 0; part < 2; part++ {
		slash := bytes.IndexByte(rest, '/')
		if slash < 0 {
			return via, false
		}
		if !isToken(trimLWS(rest[:slash])) {
			ok = false
		}
		rest = trimLeftLWS(rest[slash+1:])
	}
	n := 0
	for n < len(rest) && tokenChars[rest[n]] {
		n++
	}
	via.Transport = rest[:n]
	if n == 0 {
		ok = false
	}
	after := rest[n:]
	rest = trimLeftLWS(after)
	if len(rest) == len(after) {
		ok = false // sent-protocol LWS sent-by: the LWS is required
	}
	// sent-by = host [ COLON port ]
	semi := bytes.IndexByte(rest, ';')
	hostport := rest
	if semi >= 0 {
		hostport = rest[:semi]
		via.Params = rest[semi:]
	}
	host, port, hpOK := splitHostPort(trimLWS(hostport))
	via.Host, via.Port = host, port
	if !hpOK {
		ok = false
	}
	if via.Params != nil {
		valid := walkParams(via.Params, func(name, value []byte) {
			switch {
			case len(name) == 6 && equalFold(name, "branch"):
				if via.Branch == nil {
					via.Branch = nonNil(value)
				}
			case len(name) == 8 && equalFold(name, "received"):
				if via.Received == nil {
					via.Received = nonNil(value)
				}
			case len(name) == 5 && equalFold(name, "rport"):
				if !via.HasRPort {
					via.HasRPort = true
					via.RPort = nonNil(value)
				}
			}
		})
		ok = ok && valid
	}
	return via, ok
}

// nonNil turns a nil value (parameter without '=') into an empty slice so
// that "present" and "absent" stay distinguishable.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// splitHostPort splits host [":" port], allowing LWS around the colon and
// bracketed IPv6 references (RFC 3261 §25.1 hostport). ok is false for an
// empty host, LWS inside the host, or a port that is not 0..65535.
func splitHostPort(hp []byte) (host []byte, port int, ok bool) {
	ok = true
	if len(hp) > 0 && hp[0] == '[' {
		end := bytes.IndexByte(hp, ']')
		if end < 0 {
			return hp, 0, false
		}
		host, hp = hp[:end+1], trimLeftLWS(hp[end+1:])
		if len(hp) == 0 {
			return host, 0, true
		}
		if hp[0] != ':' {
			return host, 0, false
		}
		p, pok := parseUint(trimLWS(hp[1:]), 65535)
		return host, int(p), pok
	}
	colon := bytes.IndexByte(hp, ':')
	if colon < 0 {
		host = hp
	} else {
		host = trimLWS(hp[:colon])
		p, pok := parseUint(trimLWS(hp[colon+1:]), 65535)
		port, ok = int(p), pok
	}
	if len(host) == 0 {
		return host, port, false
	}
	for _, c := range host {
		if notInHost[c] {
			return host, port, false
		}
	}
	return host, port, ok
}

// notInHost marks what splitHostPort refuses inside a host: LWS and the
// delimiters that show a value was split in the wrong place.
var notInHost = [256]bool{' ': true, '\t': true, '\r': true, '\n': true, '"': true, '<': true, '>': true, ',': true}
