package decode

// Reference copies of the sub-parsers as they were before the fast paths,
// kept so that the differential tests can check the fast paths return the
// same results on every input.

import "bytes"

func refParseVia(v []byte) (Via, bool) {
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
		valid := refWalkParams(via.Params, func(name, value []byte) {
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

func refParams(params []byte, fn func(name, value []byte) bool) {
	for len(params) > 0 {
		i := refIndexByteOutside(params, ';')
		var p []byte
		if i < 0 {
			p, params = params, nil
		} else {
			p, params = params[:i], params[i+1:]
		}
		p = trimLWS(p)
		if len(p) == 0 {
			continue
		}
		name, value := refSplitParam(p)
		if !fn(name, value) {
			return
		}
	}
}

func refSplitParam(p []byte) (name, value []byte) {
	eq := refIndexByteOutside(p, '=')
	if eq < 0 {
		return trimLWS(p), nil
	}
	name = trimLWS(p[:eq])
	value = trimLWS(p[eq+1:])
	if inner, ok := quotedInner(value); ok {
		value = inner
	}
	return name, value
}

func refParam(params []byte, name string) (value []byte, present bool) {
	refParams(params, func(n, v []byte) bool {
		if equalFold(n, name) {
			value, present = v, true
			return false
		}
		return true
	})
	return value, present
}

func refWalkParams(params []byte, fn func(name, value []byte)) bool {
	valid := true
	if len(params) > 0 && params[0] == ';' {
		params = params[1:]
	}
	for {
		i := refIndexByteOutside(params, ';')
		var p []byte
		if i < 0 {
			p = params
		} else {
			p = params[:i]
		}
		p = trimLWS(p)
		if len(p) == 0 {
			valid = false
		} else {
			name, value := refSplitParam(p)
			if !isToken(name) || (value != nil && !refIsParamValue(p, value)) {
				valid = false
			}
			if fn != nil {
				fn(name, value)
			}
		}
		if i < 0 {
			return valid
		}
		params = params[i+1:]
	}
}

func refIsParamValue(raw, value []byte) bool {
	if len(raw) > 0 && raw[len(raw)-1] == '"' {
		return true
	}
	if len(value) == 0 {
		return false
	}
	for _, c := range value {
		if !tokenChars[c] && c != ':' && c != '[' && c != ']' {
			return false
		}
	}
	return true
}

func refParseNameAddr(v []byte) (NameAddr, bool) {
	var na NameAddr
	ok := true
	v = trimLWS(v)
	if len(v) == 0 {
		return na, false
	}
	var rest []byte
	switch lt := refIndexOutsideQuotes(v, '<'); {
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
		valid := refWalkParams(rest, func(name, value []byte) {
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

func refParseContact(v []byte) Contact {
	v = trimLWS(v)
	if len(v) == 1 && v[0] == '*' {
		return Contact{Star: true, ok: true}
	}
	na, ok := refParseNameAddr(v)
	c := Contact{NameAddr: na, ok: ok}
	if e, present := refParam(na.Params, "expires"); present {
		if n, eok := ParseExpires(e); eok {
			c.Expires, c.HasExpires = n, true
		} else {
			c.ok = false
		}
	}
	return c
}

func refParseURI(u []byte) (URI, bool) {
	var r URI
	ok := true
	t := trimLWS(u)
	if len(t) != len(u) {
		ok = false
	}
	colon := bytes.IndexByte(t, ':')
	if colon <= 0 || !isScheme(t[:colon]) {
		return r, false
	}
	r.Scheme = t[:colon]
	rest := t[colon+1:]
	if !equalFold(r.Scheme, "sip") && !equalFold(r.Scheme, "sips") {
		end := 0
		for end < len(rest) && rest[end] != ';' && rest[end] != '?' {
			end++
		}
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
	end := 0
	for end < len(rest) && rest[end] != ';' && rest[end] != '?' {
		end++
	}
	host, port, hpOK := splitHostPort(rest[:end])
	r.Host, r.Port = host, port
	r.Params, r.Headers = splitParamsHeaders(rest[end:])
	if !hpOK || hasLWS(t) {
		ok = false
	}
	return r, ok
}

func refParseChallenge(v []byte) (Challenge, bool) {
	var c Challenge
	scheme, rest := authScheme(v)
	if scheme == nil {
		return c, false
	}
	c.Scheme = scheme
	wellFormed := refAuthParams(rest, func(name, value []byte) bool {
		switch {
		case equalFold(name, "realm"):
			c.Realm = value
		case equalFold(name, "nonce"):
			c.Nonce = value
		case equalFold(name, "opaque"):
			c.Opaque = value
		case equalFold(name, "algorithm"):
			c.Algorithm = value
		case equalFold(name, "qop"):
			c.Qop = value
		case equalFold(name, "domain"):
			c.Domain = value
		case equalFold(name, "stale"):
			c.Stale = equalFold(value, "true")
		}
		return true
	})
	c.Malformed = !wellFormed
	return c, true
}

func refParseCredentials(v []byte) (Credentials, bool) {
	var c Credentials
	scheme, rest := authScheme(v)
	if scheme == nil {
		return c, false
	}
	c.Scheme = scheme
	wellFormed := refAuthParams(rest, func(name, value []byte) bool {
		switch {
		case equalFold(name, "username"):
			c.Username = value
		case equalFold(name, "realm"):
			c.Realm = value
		case equalFold(name, "nonce"):
			c.Nonce = value
		case equalFold(name, "uri"):
			c.URI = value
		case equalFold(name, "response"):
			c.Response = value
		case equalFold(name, "algorithm"):
			c.Algorithm = value
		case equalFold(name, "cnonce"):
			c.CNonce = value
		case equalFold(name, "opaque"):
			c.Opaque = value
		case equalFold(name, "qop"):
			c.Qop = value
		case equalFold(name, "nc"):
			c.NC = value
		}
		return true
	})
	c.Malformed = !wellFormed
	return c, true
}

func refAuthParams(b []byte, fn func(name, value []byte) bool) (wellFormed bool) {
	wellFormed = true
	i := 0
	for {
		for i < len(b) && (isLWS(b[i]) || b[i] == ',') {
			i++
		}
		if i >= len(b) {
			return wellFormed
		}
		ns := i
		for i < len(b) && tokenChars[b[i]] {
			i++
		}
		name := b[ns:i]
		for i < len(b) && isLWS(b[i]) {
			i++
		}
		if len(name) == 0 || i >= len(b) || b[i] != '=' {
			wellFormed = false
			i = refSkipToComma(b, i)
			continue
		}
		i++
		for i < len(b) && isLWS(b[i]) {
			i++
		}
		var value []byte
		switch {
		case i < len(b) && b[i] == '"':
			end := quoteEnd(b[i:])
			if end < 0 {
				wellFormed = false
				value = b[i+1:]
				i = len(b)
			} else {
				value = b[i+1 : i+end]
				i += end + 1
			}
		case i+1 < len(b) && b[i] == '\\' && b[i+1] == '"':
			wellFormed = false
			end := bytes.Index(b[i+2:], []byte(`\"`))
			if end < 0 {
				value = b[i+2 : refSkipToComma(b, i)]
				i = refSkipToComma(b, i)
			} else {
				value = b[i+2 : i+2+end]
				i += 2 + end + 2
			}
		default:
			vs := i
			for i < len(b) && b[i] != ',' && !isLWS(b[i]) {
				if !tokenChars[b[i]] {
					wellFormed = false
				}
				i++
			}
			value = b[vs:i]
		}
		for i < len(b) && isLWS(b[i]) {
			i++
		}
		if i < len(b) && b[i] != ',' {
			wellFormed = false
			i = refSkipToComma(b, i)
		}
		if !fn(name, value) {
			return wellFormed
		}
	}
}

func refSkipToComma(b []byte, i int) int {
	if i >= len(b) {
		return len(b)
	}
	if j := refIndexByteOutside(b[i:], ','); j >= 0 {
		return i + j
	}
	return len(b)
}

func refParseCSeq(v []byte) (CSeq, bool) {
	v = trimLWS(v)
	n := 0
	for n < len(v) && v[n] >= '0' && v[n] <= '9' {
		n++
	}
	method := trimLWS(v[n:])
	cs := CSeq{Method: method}
	seq, ok := parseUint(v[:n], 1<<31-1)
	if !ok || n == len(v) || !isLWS(v[n]) || !isToken(method) {
		return cs, false
	}
	cs.Seq = uint32(seq)
	return cs, true
}

func refFirstElement(v []byte) []byte {
	if i := refIndexByteOutside(v, ','); i >= 0 {
		v = v[:i]
	}
	return trimLWS(v)
}

func refSplitList(v []byte, fn func([]byte) bool) bool {
	for len(v) > 0 {
		i := refIndexByteOutside(v, ',')
		var elem []byte
		if i < 0 {
			elem, v = v, nil
		} else {
			elem, v = v[:i], v[i+1:]
		}
		if elem = trimLWS(elem); len(elem) > 0 && !fn(elem) {
			return false
		}
	}
	return true
}

func refIndexByteOutside(b []byte, c byte) int {
	i := bytes.IndexByte(b, c)
	if i < 0 {
		return -1
	}
	// Fast path: nothing before the first c can open a quote or <...>.
	if bytes.IndexByte(b[:i], '"') < 0 && bytes.IndexByte(b[:i], '<') < 0 {
		return i
	}
	inQuote, inAngle := false, false
	for i := 0; i < len(b); i++ {
		switch x := b[i]; {
		case inQuote:
			if x == '\\' {
				i++
			} else if x == '"' {
				inQuote = false
			}
		case x == '"':
			inQuote = true
		case inAngle:
			if x == '>' {
				inAngle = false
			}
		case x == '<':
			inAngle = true
		case x == c:
			return i
		}
	}
	return -1
}

func refIndexOutsideQuotes(b []byte, c byte) int {
	inQuote := false
	for i := 0; i < len(b); i++ {
		switch x := b[i]; {
		case inQuote:
			if x == '\\' {
				i++
			} else if x == '"' {
				inQuote = false
			}
		case x == '"':
			inQuote = true
		case x == c:
			return i
		}
	}
	return -1
}
