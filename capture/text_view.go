package capture

import (
	"bytes"
	"net/netip"
	"strconv"
)

// sipView is what orientation and timing read from a rebuilt message: the
// start line, the top Via, the first Route, Call-ID, CSeq and Date. Slices
// point into the message.
type sipView struct {
	request bool
	method  []byte
	uri     []byte // Request-URI
	status  int

	via    viaView
	route  []byte // first Route value, "" if none
	callID []byte
	cseq   []byte
	date   []byte
}

// viaView is the top Via header field value (RFC 3261 §20.42, §18.2.1).
type viaView struct {
	present   bool
	transport Transport
	host      []byte // sent-by host, "" when sanitised away
	port      int    // 0 when absent
	received  []byte
	rport     int // 0 when absent or empty
	branch    []byte
}

// viewOf reads v from a message written with CRLF.
func viewOf(p []byte) sipView {
	v, p := startView(p)
	for len(p) > 0 {
		eol := bytes.IndexByte(p, '\n')
		if eol < 0 {
			eol = len(p)
		}
		line := p[:eol]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		p = p[min(eol+1, len(p)):]
		if len(line) == 0 {
			break // end of headers
		}
		v.header(line)
	}
	return v
}

// startView reads the start line of p and returns the rest.
func startView(p []byte) (v sipView, rest []byte) {
	eol := bytes.IndexByte(p, '\n')
	if eol < 0 {
		eol = len(p)
	}
	start := p[:eol]
	if n := len(start); n > 0 && start[n-1] == '\r' {
		start = start[:n-1]
	}
	if bytes.HasPrefix(start, sipVersion) {
		if len(start) >= 11 {
			v.status = decimalOrZero(start[8:11])
		}
	} else if sp := bytes.IndexByte(start, ' '); sp > 0 {
		v.request = true
		v.method = start[:sp]
		uri := start[sp+1:]
		if sp2 := bytes.IndexByte(uri, ' '); sp2 > 0 {
			uri = uri[:sp2]
		}
		v.uri = uri
	}
	return v, p[min(eol+1, len(p)):]
}

// header reads one header line (without its CRLF) into v when it is one v
// keeps and the first of its name.
func (v *sipView) header(line []byte) {
	if len(line) == 0 {
		return
	}
	switch line[0] | 0x20 {
	case 'v', 'r', 'c', 'i', 'd':
	default:
		return
	}
	colon := headerColon(line)
	if colon < 0 {
		return
	}
	name := trimRightWS(line[:colon])
	var kind viewHeaderKind
	switch {
	case nameIs(name, "via") || nameIs(name, "v"):
		kind = viewVia
	case nameIs(name, "route"):
		kind = viewRoute
	case nameIs(name, "call-id") || nameIs(name, "i"):
		kind = viewCallID
	case nameIs(name, "cseq"):
		kind = viewCSeq
	case nameIs(name, "date"):
		kind = viewDate
	default:
		return
	}
	v.headerOf(kind, line[colon+1:])
}

// viewHeaderKind names the headers a sipView keeps.
type viewHeaderKind uint8

const (
	viewVia viewHeaderKind = iota + 1
	viewRoute
	viewCallID
	viewCSeq
	viewDate
)

// headerOf reads the value (what follows the colon) of a header of the
// given kind into v when it is the first of its name.
func (v *sipView) headerOf(kind viewHeaderKind, value []byte) {
	val := trimWS(value)
	switch {
	case kind == viewVia && !v.via.present:
		v.via = parseVia(firstElement(val))
	case kind == viewRoute && v.route == nil:
		v.route = firstElement(val)
	case kind == viewCallID && v.callID == nil:
		v.callID = val
	case kind == viewCSeq && v.cseq == nil:
		v.cseq = val
	case kind == viewDate && v.date == nil:
		v.date = val
	}
}

// lineAt returns the line of p starting at off, without its CRLF.
func lineAt(p []byte, off int) []byte {
	line := p[off:]
	if eol := bytes.IndexByte(line, '\n'); eol >= 0 {
		line = line[:eol]
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line
}

// firstElement: the first of a comma-separated header value, outside
// quotes and angle brackets (RFC 3261 §7.3.1).
func firstElement(val []byte) []byte {
	if bytes.IndexByte(val, ',') < 0 {
		return val
	}
	quoted, angle := false, false
	for i, c := range val {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '<':
			angle = true
		case c == '>':
			angle = false
		case c == ',' && !angle:
			return bytes.TrimSpace(val[:i])
		}
	}
	return val
}

// parseVia reads "SIP/2.0/UDP host:port;branch=...;received=...;rport=N".
func parseVia(val []byte) (v viaView) {
	v.present = true
	sp := bytes.IndexByte(val, ' ')
	if t := bytes.IndexByte(val, '\t'); t >= 0 && (sp < 0 || t < sp) {
		sp = t
	}
	if sp < 0 {
		return v
	}
	proto := val[:sp]
	if i := bytes.LastIndexByte(proto, '/'); i >= 0 {
		v.transport = transportNamed(proto[i+1:])
	}
	rest := trimLeftWS(val[sp:])
	sentBy := rest
	params := []byte(nil)
	if i := bytes.IndexByte(rest, ';'); i >= 0 {
		sentBy, params = trimSpaceASCII(rest[:i]), rest[i+1:]
	}
	v.host, v.port = splitHostPort(sentBy)
	for len(params) > 0 {
		var p []byte
		if i := bytes.IndexByte(params, ';'); i >= 0 {
			p, params = params[:i], params[i+1:]
		} else {
			p, params = params, nil
		}
		p = trimSpaceASCII(p)
		name, value := p, []byte(nil)
		if i := bytes.IndexByte(p, '='); i >= 0 {
			name, value = trimSpaceASCII(p[:i]), trimSpaceASCII(p[i+1:])
		}
		switch {
		case nameIs(name, "branch"):
			v.branch = value
		case nameIs(name, "received"):
			v.received = value
		case nameIs(name, "rport"):
			v.rport = decimalOrZero(value)
		}
	}
	return v
}

// transportNamed maps a Via transport or a log's transport word, in any
// case ("UDP", "udp", "tls"), with the "6" some logs add for IPv6
// ("UDP6"). WSS is SIP over WebSocket (RFC 7118) whatever the security
// below it.
func transportNamed(b []byte) Transport {
	if n := len(b); n > 1 && b[n-1] == '6' {
		b = b[:n-1]
	}
	switch {
	case nameIs(b, "udp"):
		return UDP
	case nameIs(b, "tcp"):
		return TCP
	case nameIs(b, "tls"):
		return TLS
	case nameIs(b, "sctp"), nameIs(b, "tls-sctp"):
		return SCTP
	case nameIs(b, "ws"), nameIs(b, "wss"):
		return WS
	}
	return TransportUnknown
}

// splitHostPort splits "host", "host:port", "[v6]" or "[v6]:port".
func splitHostPort(b []byte) (host []byte, port int) {
	if len(b) > 0 && b[0] == '[' {
		end := bytes.IndexByte(b, ']')
		if end < 0 {
			return b, 0
		}
		host = b[1:end]
		if rest := b[end+1:]; len(rest) > 1 && rest[0] == ':' {
			port = decimalOrZero(rest[1:])
		}
		return host, port
	}
	if i := bytes.LastIndexByte(b, ':'); i >= 0 && bytes.IndexByte(b[:i], ':') < 0 {
		port = decimalOrZero(trimSpaceASCII(b[i+1:]))
		return trimSpaceASCII(b[:i]), port
	}
	return b, 0
}

// uriHostPort reads the host and port of a SIP URI ("sip:user@host:port;
// params", possibly inside <>) and whether the scheme is sips (RFC 3261
// §19.1.1). lr reports an ";lr" parameter (loose routing, §19.1.1).
func uriHostPort(u []byte) (host []byte, port int, secure, lr bool) {
	if i := bytes.IndexByte(u, '<'); i >= 0 {
		u = u[i+1:]
		if j := bytes.IndexByte(u, '>'); j >= 0 {
			u = u[:j]
		}
	}
	switch {
	case hasPrefixFold(u, "sips:"):
		secure, u = true, u[5:]
	case hasPrefixFold(u, "sip:"):
		u = u[4:]
	default:
		return nil, 0, false, false
	}
	if at := bytes.LastIndexByte(u, '@'); at >= 0 {
		u = u[at+1:]
	}
	hp := u
	if i := indexParamsOrHeaders(u); i >= 0 {
		hp = u[:i]
		lr = containsLower(u[i:], ";lr")
	}
	host, port = splitHostPort(hp)
	return host, port, secure, lr
}

// indexParamsOrHeaders is bytes.IndexAny(u, ";?") without building a
// byte set per call: neither byte occurs inside a UTF-8 sequence, so the
// first such byte is the first such character.
func indexParamsOrHeaders(u []byte) int {
	for i, c := range u {
		if c == ';' || c == '?' {
			return i
		}
	}
	return -1
}

// hostAddr returns host as an address when it is an IP literal; names and
// sanitised hosts ("x.x.x.x", "BW_SBC") are not addresses.
func hostAddr(host []byte) (netip.Addr, bool) {
	if len(host) == 0 || len(host) > 64 {
		return netip.Addr{}, false
	}
	c := host[0]
	if !isDigit(c) && c != ':' && !('a' <= c|0x20 && c|0x20 <= 'f') {
		return netip.Addr{}, false
	}
	if a, ok := parseIPv4(host); ok {
		return a, true
	}
	a, err := netip.ParseAddr(string(host))
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// parseIPv4 reads a dotted-quad IPv4 address the way netip.ParseAddr does
// (four decimal fields of at most 255, no leading zeros), without
// converting host to a string: the orienter reads a host per message.
// Anything else (IPv6, a zone, a name) is left to netip.
func parseIPv4(b []byte) (netip.Addr, bool) {
	var q [4]byte
	field, digits, v := 0, 0, 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= '0' && c <= '9':
			if digits == 1 && v == 0 {
				return netip.Addr{}, false // leading zero
			}
			v = v*10 + int(c-'0')
			digits++
			if v > 255 {
				return netip.Addr{}, false
			}
		case c == '.' && digits > 0 && field < 3:
			q[field] = byte(v)
			field, digits, v = field+1, 0, 0
		default:
			return netip.Addr{}, false
		}
	}
	if field != 3 || digits == 0 {
		return netip.Addr{}, false
	}
	q[3] = byte(v)
	return netip.AddrFrom4(q), true
}

// defaultPort is 5060, or 5061 for TLS and sips (RFC 3261 §19.1.2).
func defaultPort(t Transport, secure bool) uint16 {
	if secure || t == TLS {
		return 5061
	}
	return 5060
}

// decimalOrZero is strconv.Atoi with its error dropped (0 for a value
// that is not a number), reading the common short run of digits itself
// to spare the conversion to a string.
func decimalOrZero(b []byte) int {
	if len(b) == 0 {
		return 0 // "rport" without a value; strconv would build an error
	}
	if v, ok := smallDecimal(b); ok {
		return v
	}
	v, _ := strconv.Atoi(string(b))
	return v
}

// trimSpaceASCII is bytes.TrimSpace (nil for nothing left), answered at
// once when b starts and ends with a printable ASCII byte (nearly always
// in a header value).
func trimSpaceASCII(b []byte) []byte {
	if n := len(b); n > 0 && b[0] > ' ' && b[0] < 0x7f && b[n-1] > ' ' && b[n-1] < 0x7f {
		return b
	}
	return bytes.TrimSpace(b)
}
