package decode

import "bytes"

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
		if isLWS(c) || c == '"' || c == '<' || c == '>' || c == ',' {
			return host, port, false
		}
	}
	return host, port, ok
}
