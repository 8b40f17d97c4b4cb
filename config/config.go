package config

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Line is one command of the configuration as it will be cited.
type Line struct {
	N    int    // 1-based line number in the input; 0 for a line to be added
	Text string // the command, trimmed, with any password replaced by "<hidden>"
}

func (l Line) String() string {
	if l.N == 0 {
		return l.Text
	}
	return fmt.Sprintf("line %d: %s", l.N, l.Text)
}

// Password records that a password was configured, never its value.
type Password struct {
	Set  bool
	Type int // 0 (clear), 6 (AES) or 7 (Cisco type 7) as written; 0 when no type was given
}

func (p Password) String() string {
	if !p.Set {
		return "not set"
	}
	return "set, type " + strconv.Itoa(p.Type)
}

// Scope is the configuration mode a command was found in.
type Scope uint8

const (
	SIPUA       Scope = iota + 1 // sip-ua
	Tenant                       // voice class tenant N
	DialPeer                     // dial-peer voice N voip
	Voice                        // voice service voip (and its sip sub-mode)
	ServerGroup                  // voice class server-group N
)

// Kind tells a `credentials` line (what REGISTER uses) from an
// `authentication` line (what answers challenges to other requests).
type Kind uint8

const (
	Credentials Kind = iota + 1
	Authentication
)

func (k Kind) String() string {
	if k == Credentials {
		return "credentials"
	}
	return "authentication"
}

// Auth is one `credentials` or `authentication` command.
type Auth struct {
	Kind     Kind
	Scope    Scope
	ScopeID  int    // tenant or dial-peer tag; 0 in sip-ua
	Number   string // `credentials number N`; "" otherwise
	Username string
	Password Password
	Realm    string // "" answers a challenge of any realm
	Line     Line
}

// Target is a `session target`, `sip-server`, `registrar` or `localhost`
// address: ipv4:A[:port], ipv6:[A][:port], dns:H[:port], or a keyword
// (`sip-server`, `dhcp`) in Scheme with no Host.
type Target struct {
	Scheme string // "ipv4", "ipv6", "dns", "sip-server", "dhcp"
	Host   string // address or name, without brackets
	Port   int    // 0 when not written
}

func (t Target) String() string {
	switch {
	case t.Host == "":
		return t.Scheme
	case t.Port == 0:
		return t.Scheme + ":" + t.Host
	case t.Scheme == "ipv6":
		return fmt.Sprintf("ipv6:[%s]:%d", t.Host, t.Port)
	}
	return fmt.Sprintf("%s:%s:%d", t.Scheme, t.Host, t.Port)
}

// DefaultRegistrarExpires is what IOS puts in REGISTER when `registrar`
// has no `expires` (3600 s, the `registrar` command's documented default).
const DefaultRegistrarExpires = 3600

// Registrar is one `registrar` command of sip-ua or a tenant.
type Registrar struct {
	Scope     Scope
	ScopeID   int
	Index     int // 1..6 in the multiple-registrars form; 0 in the old form
	Target    Target
	Expires   int    // seconds asked for; -1 when not written
	Transport string // "udp", "tcp", "tls" or ""
	Secondary bool   // old form: `... secondary`
	Line      Line
}

// Section is one configuration mode: sip-ua, a tenant, a dial-peer, or
// voice service voip. Fields that do not apply stay zero.
type Section struct {
	Scope  Scope
	ID     int  // tenant or dial-peer tag
	Header Line // "sip-ua", "dial-peer voice 100 voip", ...

	Auth       []Auth      // in configuration order
	Registrars []Registrar // sip-ua and tenants
	SIPServer  *Target
	Localhost  *Target // `localhost dns:H` or `voice-class sip localhost dns:H`
	LocalLine  Line

	// sip-ua and tenants: -1 when not written.
	RetryRegister  int // `retry register N`: REGISTER retransmissions
	TimersRegister int // `timers register MS`: REGISTER retransmission timer
	TimersExpires  int // `timers expires MS`: Expires of INVITE

	// dial-peers.
	SessionTarget *Target // `session target ...`; Scheme "registrar" routes to the registrar
	TargetLine    Line
	ServerGroupID int  // `session server-group N`; 0 none
	GroupLine     Line // that line

	// server groups (voice class server-group N): the members in
	// configuration order (`ipv4 A [port P] [preference N]`, `ipv6 A ...`,
	// `dns H ...`).
	Members       []Target
	Tenant        int    // `voice-class sip tenant N`; 0 none
	VoiceClassSIP []Line // every `voice-class sip ...` line, redacted
}

// Problem is a line that looked like a command this package reads but
// could not be understood. The message never quotes a password.
type Problem struct {
	Line    int
	Message string
}

// Config is what was read.
type Config struct {
	Source    string     // file name as given to ParseFile, or the name passed to Parse
	SIPUA     *Section   // nil when the input has no sip-ua section
	Tenants   []*Section // in input order
	DialPeers []*Section // VoIP dial-peers in input order
	Voice     *Section   // voice service voip; nil when absent
	// ServerGroups are the `voice class server-group N` sections that a
	// dial-peer's `session server-group N` sends to, in input order.
	ServerGroups []*Section
	// Addrs are the router's interface addresses (`ip address A M`,
	// `ipv6 address A/len`): a trace's messages from these are its own.
	Addrs    []netip.Addr
	Problems []Problem
}

// DialPeerByTag returns the dial-peer with this tag, or nil.
func (c *Config) DialPeerByTag(tag int) *Section { return sectionByID(c.DialPeers, tag) }

// TenantByID returns the tenant with this tag, or nil.
func (c *Config) TenantByID(id int) *Section { return sectionByID(c.Tenants, id) }

// sectionByID returns the section of list numbered id, or nil. A number
// is in a list once: the parser merges a mode entered again (numbered).
func sectionByID(list []*Section, id int) *Section {
	for _, s := range list {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// Owns reports whether addr is one of the router's interface addresses.
// known is false when the configuration lists no addresses at all (a pasted
// sip-ua section), so the caller cannot tell.
func (c *Config) Owns(addr netip.Addr) (owns, known bool) {
	if len(c.Addrs) == 0 {
		return false, false
	}
	addr = addr.Unmap()
	for _, a := range c.Addrs {
		if a == addr {
			return true, true
		}
	}
	return false, true
}

// HasUser reports whether name is the username or number of any
// configured credentials or authentication entry.
func (c *Config) HasUser(name string) bool {
	if name == "" {
		return false
	}
	for _, s := range c.sections() {
		for _, a := range s.Auth {
			if a.Username == name || a.Number == name {
				return true
			}
		}
	}
	return false
}

func (c *Config) sections() []*Section {
	var out []*Section
	if c.SIPUA != nil {
		out = append(out, c.SIPUA)
	}
	out = append(out, c.Tenants...)
	return append(out, c.DialPeers...)
}

// Registrars returns every registrar of sip-ua and the tenants.
func (c *Config) Registrars() []Registrar {
	var out []Registrar
	if c.SIPUA != nil {
		out = append(out, c.SIPUA.Registrars...)
	}
	for _, t := range c.Tenants {
		out = append(out, t.Registrars...)
	}
	return out
}

// String summarises what was read, for the report's list of inputs:
// "sip-ua (2 credentials/authentication, 1 registrar), 1 tenant, 3 dial-peers, 2 problems".
func (c *Config) String() string {
	var parts []string
	count := func(n int, what string) string {
		if n == 1 {
			return "1 " + what
		}
		return strconv.Itoa(n) + " " + what + "s"
	}
	if c.SIPUA != nil {
		parts = append(parts, fmt.Sprintf("sip-ua (%s, %s)", count(len(c.SIPUA.Auth), "credentials/authentication line"), count(len(c.SIPUA.Registrars), "registrar")))
	}
	if len(c.Tenants) > 0 {
		parts = append(parts, count(len(c.Tenants), "tenant"))
	}
	parts = append(parts, count(len(c.DialPeers), "dial-peer"))
	if len(c.ServerGroups) > 0 {
		parts = append(parts, count(len(c.ServerGroups), "server group"))
	}
	if len(c.Problems) > 0 {
		parts = append(parts, count(len(c.Problems), "problem"))
	}
	return strings.Join(parts, ", ")
}
