package config

import (
	"net/netip"
	"strconv"
	"strings"
)

// RegistrarFor returns the configured registrar that host names: the
// Request-URI host[:port] of a REGISTER, or the address it was sent to
// ("10.0.0.1:5060", "[2001:db8::1]:5060", "sip.example.net"). A registrar
// configured without a port matches any port; names compare without case.
// With several matches the first in configuration order wins.
func (c *Config) RegistrarFor(host string) (Registrar, bool) {
	for _, r := range c.Registrars() {
		if r.Target.matches(host) {
			return r, true
		}
	}
	return Registrar{}, false
}

// RegistrarExpires returns the registration expiry the router asks of the
// registrar host names (see RegistrarFor for host), and the `registrar`
// line that sets it. Without `expires` on that line the IOS default
// (DefaultRegistrarExpires) is returned with the same line: the fix is then
// to add `expires`. ok is false when no configured registrar matches host.
func (c *Config) RegistrarExpires(host string) (expires int, line Line, ok bool) {
	r, ok := c.RegistrarFor(host)
	if !ok {
		return 0, Line{}, false
	}
	return r.asked(), r.Line, true
}

// asked is the expiry the router puts in its REGISTERs to r: the
// configured `expires`, else the IOS default.
func (r Registrar) asked() int {
	if r.Expires < 0 {
		return DefaultRegistrarExpires
	}
	return r.Expires
}

// ExpiryFix is the REG002 cross-check: when the router asks registrar host
// for longer than the granted seconds, the edit that makes it ask for
// granted (the `registrar` line it comes from, or the line to change when
// `expires` is the default). ok is false when no configured registrar
// matches host or the configuration already asks for no more than granted.
func (c *Config) ExpiryFix(host string, granted int) (e Edit, asked int, ok bool) {
	r, found := c.RegistrarFor(host)
	if !found || granted <= 0 {
		return Edit{}, 0, false
	}
	asked = r.asked()
	if asked <= granted {
		return Edit{}, asked, false
	}
	return Edit{Mode: c.modeOf(r.Scope, r.ScopeID), Old: r.Line, New: r.WithExpires(granted)}, asked, true
}

// WithExpires is the registrar command with `expires` set to s: what to
// enter (under sip-ua or the tenant) so the router asks for no more than
// the registrar grants.
func (r Registrar) WithExpires(s int) string {
	f := strings.Fields(r.Line.Text)
	for i := 0; i+1 < len(f); i++ {
		if f[i] == "expires" {
			f[i+1] = strconv.Itoa(s)
			return strings.Join(f, " ")
		}
	}
	// `expires` goes after the address (after the index and address in
	// the multiple-registrars form).
	at := 1
	if at < len(f) {
		if _, err := strconv.Atoi(f[at]); err == nil {
			at++
		}
	}
	if at < len(f) && (strings.Contains(f[at], ":") || f[at] == "dhcp") {
		at++
	}
	if at > len(f) {
		at = len(f)
	}
	out := append([]string{}, f[:at]...)
	out = append(out, "expires", strconv.Itoa(s))
	out = append(out, f[at:]...)
	return strings.Join(out, " ")
}

// matches reports whether host (a name or address with an optional port)
// is this target.
func (t Target) matches(host string) bool {
	if t.Host == "" {
		return false
	}
	h, port := splitHostPort(host)
	if h == "" {
		return false
	}
	if a, err := netip.ParseAddr(h); err == nil {
		b, err := netip.ParseAddr(t.Host)
		if err != nil || a.Unmap() != b.Unmap() {
			return false
		}
	} else if !strings.EqualFold(strings.TrimSuffix(h, "."), strings.TrimSuffix(t.Host, ".")) {
		return false
	}
	return t.Port == 0 || port == 0 || t.Port == port
}

// splitHostPort splits "h", "h:p", "[v6]:p", "[v6]" or a bare IPv6 address.
func splitHostPort(s string) (string, int) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", 0
		}
		return s[1:end], atoiPort(strings.TrimPrefix(s[end+1:], ":"))
	}
	if strings.Count(s, ":") > 1 { // a bare IPv6 address
		return s, 0
	}
	if h, p, ok := strings.Cut(s, ":"); ok {
		return h, atoiPort(p)
	}
	return s, 0
}

func atoiPort(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 65535 {
		return 0
	}
	return n
}
