package config

import (
	"net/netip"
	"strconv"
	"strings"
)

// command reads one sub-command of the open section.
func (p *parser) command(l rawLine, f []string) {
	s := p.cur
	line := Line{N: l.n, Text: redactFields(f)}
	switch s.Scope {
	case SIPUA, Tenant:
		switch f[0] {
		case "credentials":
			p.auth(s, Credentials, line, f)
		case "authentication":
			p.auth(s, Authentication, line, f)
		case "registrar":
			p.registrar(s, line, f)
		case "sip-server":
			if t, ok := p.target(l.n, f, 1); ok {
				s.SIPServer = &t
			}
		case "localhost":
			p.localhost(s, line, f, 1)
		case "retry":
			if len(f) == 3 && f[1] == "register" {
				s.RetryRegister = p.number(l.n, f[2])
			}
		case "timers":
			if len(f) >= 3 && f[1] == "register" {
				s.TimersRegister = p.number(l.n, f[2])
			}
			if len(f) >= 3 && f[1] == "expires" {
				s.TimersExpires = p.number(l.n, f[2])
			}
		}
	case DialPeer:
		switch {
		case f[0] == "authentication":
			p.auth(s, Authentication, line, f)
		case f[0] == "session" && len(f) >= 2 && f[1] == "target":
			if t, ok := p.target(l.n, f, 2); ok {
				s.SessionTarget, s.TargetLine = &t, line
			}
		case f[0] == "session" && len(f) >= 3 && f[1] == "server-group":
			if id := p.number(l.n, f[2]); id > 0 {
				s.ServerGroupID, s.GroupLine = id, line
			}
		case f[0] == "voice-class" && len(f) >= 2 && f[1] == "sip":
			s.VoiceClassSIP = append(s.VoiceClassSIP, line)
			switch {
			case len(f) >= 4 && f[2] == "tenant":
				s.Tenant = p.number(l.n, f[3])
			case len(f) >= 4 && f[2] == "localhost":
				p.localhost(s, line, f, 3)
			}
		}
	case Voice:
		// `localhost` sits in the `sip` sub-mode of voice service voip.
		if f[0] == "localhost" {
			p.localhost(s, line, f, 1)
		}
	case ServerGroup:
		switch f[0] {
		case "ipv4", "ipv6", "dns":
			p.member(s, l.n, f)
		}
	}
}

// member reads one server of a `voice class server-group`:
//
//	ipv4 A [port P] [preference N]
//	ipv6 A [port P] [preference N]
//	dns H [port P] [preference N]
func (p *parser) member(s *Section, n int, f []string) {
	if len(f) < 2 {
		p.problem(n, "server-group member %q without an address", f[0])
		return
	}
	t := Target{Scheme: f[0], Host: strings.Trim(f[1], "[]")}
	for i := 2; i+1 < len(f); i++ {
		if f[i] == "port" {
			port, err := strconv.Atoi(f[i+1])
			if err != nil || port <= 0 || port > 65535 {
				p.problem(n, "server-group member: bad port %q", f[i+1])
				return
			}
			t.Port = port
			i++
		}
	}
	s.Members = append(s.Members, t)
}

// auth reads `credentials [number N] username U password [0|6|7] P [realm R]`
// and `authentication username U password [0|6|7] P [realm R]`.
func (p *parser) auth(s *Section, kind Kind, line Line, f []string) {
	a := Auth{Kind: kind, Scope: s.Scope, ScopeID: s.ID, Line: line}
	if len(f) >= 2 && (f[1] == "dhcp" || f[1] == "no") {
		return // DHCP-provided credentials: nothing to check offline
	}
	for i := 1; i < len(f); i++ {
		switch f[i] {
		case "number":
			if i+1 < len(f) {
				i++
				a.Number = f[i]
			}
		case "username":
			if i+1 < len(f) {
				i++
				a.Username = unquote(f[i])
			}
		case "password":
			if i+1 >= len(f) {
				break
			}
			a.Password.Set = true
			if isPasswordType(f[i+1]) && i+2 < len(f) {
				a.Password.Type, _ = strconv.Atoi(f[i+1])
				i++
			}
			i++ // the value itself: skipped, never stored
		case "realm":
			if i+1 < len(f) {
				i++
				a.Realm = unquote(f[i])
			} else {
				// IOS rejects this; a paste lost the value (a blog's
				// HTML filter, an editor). Read as no realm, and say so.
				p.problem(line.N, "%s ends in \"realm\" without a value: read as no realm", kind)
			}
		}
	}
	if a.Username == "" {
		p.problem(line.N, "%s without a username: ignored", kind)
		return
	}
	if !a.Password.Set {
		p.problem(line.N, "%s for username %q has no password", kind, a.Username)
	}
	s.Auth = append(s.Auth, a)
}

// registrar reads both IOS forms:
//
//	registrar ipv4:A[:port] | dns:H[:port] [expires S] [tcp|udp] [secondary]
//	registrar N ipv4:A[:port] | dns:H[:port] [scheme S] [expires S] [tcp [tls]] [refresh-ratio R]
func (p *parser) registrar(s *Section, line Line, f []string) {
	if len(f) >= 2 && f[1] == "server" { // CME's own registrar, not a client setting
		return
	}
	r := Registrar{Scope: s.Scope, ScopeID: s.ID, Expires: -1, Line: line}
	i := 1
	if i < len(f) {
		if n, err := strconv.Atoi(f[i]); err == nil {
			r.Index = n
			i++
		}
	}
	if i < len(f) && (strings.Contains(f[i], ":") || f[i] == "dhcp") {
		t, ok := p.target(line.N, f, i)
		if !ok {
			return
		}
		r.Target = t
		i++
	}
	for ; i < len(f); i++ {
		switch f[i] {
		case "expires":
			if i+1 < len(f) {
				i++
				r.Expires = p.number(line.N, f[i])
			}
		case "tcp", "udp":
			if r.Transport != "tls" {
				r.Transport = f[i]
			}
		case "tls":
			r.Transport = "tls"
		case "secondary":
			r.Secondary = true
		case "scheme", "refresh-ratio", "auth-realm":
			i++
		}
	}
	s.Registrars = append(s.Registrars, r)
}

func (p *parser) localhost(s *Section, line Line, f []string, at int) {
	if t, ok := p.target(line.N, f, at); ok {
		s.Localhost, s.LocalLine = &t, line
	}
}

// target reads f[at] as ipv4:A[:port], ipv6:[A][:port], dns:H[:port] or a
// keyword (sip-server, dhcp, registrar, ...).
func (p *parser) target(n int, f []string, at int) (Target, bool) {
	if at >= len(f) {
		p.problem(n, "%s without an address", f[0])
		return Target{}, false
	}
	v := f[at]
	if i := strings.IndexByte(v, ';'); i >= 0 {
		v = v[:i]
	}
	scheme, rest, ok := strings.Cut(v, ":")
	if !ok {
		return Target{Scheme: v}, true
	}
	t := Target{Scheme: strings.ToLower(scheme)}
	host, port := rest, ""
	switch {
	case strings.HasPrefix(rest, "["):
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			p.problem(n, "%s: unclosed '[' in %q", f[0], v)
			return Target{}, false
		}
		host, port = rest[1:end], strings.TrimPrefix(rest[end+1:], ":")
	case t.Scheme != "ipv6":
		if h, pt, ok := strings.Cut(rest, ":"); ok {
			host, port = h, pt
		}
	}
	t.Host = host
	if port != "" {
		n2, err := strconv.Atoi(port)
		if err != nil || n2 <= 0 || n2 > 65535 {
			p.problem(n, "%s: bad port in %q", f[0], v)
			return Target{}, false
		}
		t.Port = n2
	}
	if t.Host == "" {
		p.problem(n, "%s: no host in %q", f[0], v)
		return Target{}, false
	}
	return t, true
}

// address reads an interface's `ip address A M` / `ipv6 address A/len`.
func (p *parser) address(l rawLine, f []string) {
	if len(f) < 3 || f[1] != "address" {
		return
	}
	switch f[0] {
	case "ip":
		if a, err := netip.ParseAddr(f[2]); err == nil {
			p.c.Addrs = append(p.c.Addrs, a)
		}
	case "ipv6":
		if pf, err := netip.ParsePrefix(f[2]); err == nil {
			p.c.Addrs = append(p.c.Addrs, pf.Addr())
		} else if a, err := netip.ParseAddr(f[2]); err == nil {
			p.c.Addrs = append(p.c.Addrs, a)
		}
	}
}

// number reads a non-negative integer argument; -1 and a Problem when it
// is not one.
func (p *parser) number(n int, s string) int {
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 {
		p.problem(n, "%q is not a number", s)
		return -1
	}
	return v
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}
