package config

import "fmt"

// Step is where in the selection order an entry sits.
//
// Cisco's "Configuring Multiple Registrars on SIP Trunks" (Determination of
// Authentication Details): when a REGISTER or INVITE is challenged, the
// realm of the challenge is matched against (1) the dial-peer's
// `authentication` lines, (2) sip-ua `credentials`, (3) sip-ua
// `authentication`; with no match the request is terminated — the 401/407
// is never answered. IOS-XE tenants (`voice class tenant N`, bound by
// `voice-class sip tenant N`) take precedence over the global sip-ua
// settings, so a tenant's lines are consulted between (1) and (2), in the
// same credentials-then-authentication order.
type Step uint8

const (
	StepDialPeer             Step = iota + 1 // dial-peer `authentication`
	StepTenantCredentials                    // voice class tenant `credentials`
	StepTenantAuthentication                 // voice class tenant `authentication`
	StepCredentials                          // sip-ua `credentials`
	StepAuthentication                       // sip-ua `authentication`
)

func (s Step) String() string {
	switch s {
	case StepDialPeer:
		return "dial-peer authentication"
	case StepTenantCredentials:
		return "tenant credentials"
	case StepTenantAuthentication:
		return "tenant authentication"
	case StepCredentials:
		return "sip-ua credentials"
	case StepAuthentication:
		return "sip-ua authentication"
	}
	return "none"
}

// Leg says which configuration a challenged request went out under.
type Leg struct {
	DialPeer int // tag of the outbound dial-peer; 0 for REGISTER or when unknown
	Tenant   int // tenant tag; 0: the dial-peer's `voice-class sip tenant`, if any
}

// Candidate is one configured entry in the order it is consulted.
type Candidate struct {
	Auth Auth
	Step Step
}

// Match is the entry that answers a challenge.
type Match struct {
	Candidate
	// AnyRealm: the entry has no realm, so it answers with the challenge's
	// realm (and may be sending the wrong password to a realm it was not
	// meant for).
	AnyRealm bool
}

func (m Match) String() string {
	how := fmt.Sprintf("realm %q", m.Auth.Realm)
	if m.AnyRealm {
		how = "no realm configured: answers any realm"
	}
	return fmt.Sprintf("%s (%s), line %d", m.Step, how, m.Auth.Line.N)
}

// CredentialsFor returns the entry that answers a challenge of realm for a
// call sent through dial-peer dialPeer (0 for REGISTER or when unknown);
// ok is false when nothing matches: CUBE then terminates the request.
func (c *Config) CredentialsFor(realm string, dialPeer int) (Match, bool) {
	return c.Select(realm, Leg{DialPeer: dialPeer})
}

// Select applies the selection order to one leg. Within one step an entry
// with the exact realm wins over one without a realm; otherwise the first in
// configuration order wins. Realms are compared exactly (RFC 3261 §22.1: the
// realm is an opaque quoted string).
func (c *Config) Select(realm string, leg Leg) (Match, bool) {
	cands := c.Consulted(leg)
	for i := 0; i < len(cands); {
		j := i
		for j < len(cands) && cands[j].Step == cands[i].Step {
			j++
		}
		var wildcard *Candidate
		for k := i; k < j; k++ {
			switch cands[k].Auth.Realm {
			case realm:
				if realm != "" {
					return Match{Candidate: cands[k]}, true
				}
				fallthrough
			case "":
				if wildcard == nil {
					wildcard = &cands[k]
				}
			}
		}
		if wildcard != nil {
			return Match{Candidate: *wildcard, AnyRealm: true}, true
		}
		i = j
	}
	return Match{}, false
}

// Consulted lists the entries the selection order looks at for one leg,
// in that order.
func (c *Config) Consulted(leg Leg) []Candidate {
	var out []Candidate
	add := func(s *Section, kind Kind, step Step) {
		if s == nil {
			return
		}
		for _, a := range s.Auth {
			if a.Kind == kind {
				out = append(out, Candidate{Auth: a, Step: step})
			}
		}
	}
	dp := c.DialPeerByTag(leg.DialPeer)
	add(dp, Authentication, StepDialPeer)
	tenant := leg.Tenant
	if tenant == 0 && dp != nil {
		tenant = dp.Tenant
	}
	if t := c.TenantByID(tenant); t != nil {
		add(t, Credentials, StepTenantCredentials)
		add(t, Authentication, StepTenantAuthentication)
	}
	add(c.SIPUA, Credentials, StepCredentials)
	add(c.SIPUA, Authentication, StepAuthentication)
	return out
}

// LegForRegister is the leg of a REGISTER sent to host (the Request-URI
// host[:port]): the tenant whose registrar it is, if any.
func (c *Config) LegForRegister(host string) Leg {
	if r, ok := c.RegistrarFor(host); ok && r.Scope == Tenant {
		return Leg{Tenant: r.ScopeID}
	}
	return Leg{}
}

// DialPeersTo returns the tags of the dial-peers that send to one of
// hosts (each "host", "host:port", "[v6]:port"); a target without a port
// matches any port. A dial-peer sends to its `session target`;
// `session target sip-server` goes through the sip-ua (or tenant)
// `sip-server`, `session target registrar` to any of the sip-ua (or
// tenant) registrars, and `session server-group N` to any member of
// `voice class server-group N`.
func (c *Config) DialPeersTo(hosts ...string) []int {
	var out []int
	for _, d := range c.DialPeers {
		for _, t := range c.targetsOf(d) {
			if t.matchesAny(hosts) {
				out = append(out, d.ID)
				break
			}
		}
	}
	return out
}

// targetsOf lists where a dial-peer may send a request.
func (c *Config) targetsOf(d *Section) []Target {
	var out []Target
	if t := d.SessionTarget; t != nil {
		switch t.Scheme {
		case "sip-server":
			if s := c.sipServerOf(d); s != nil {
				out = append(out, *s)
			}
		case "registrar":
			for _, r := range c.registrarsOf(d) {
				out = append(out, r.Target)
			}
		default:
			out = append(out, *t)
		}
	}
	if g := sectionByID(c.ServerGroups, d.ServerGroupID); g != nil {
		out = append(out, g.Members...)
	}
	return out
}

func (t Target) matchesAny(hosts []string) bool {
	for _, h := range hosts {
		if t.matches(h) {
			return true
		}
	}
	return false
}

// registrarsOf are the registrars a dial-peer's `session target registrar`
// reaches: its tenant's when the tenant has any, else sip-ua's.
func (c *Config) registrarsOf(d *Section) []Registrar {
	if t := c.TenantByID(d.Tenant); t != nil && len(t.Registrars) > 0 {
		return t.Registrars
	}
	if c.SIPUA != nil {
		return c.SIPUA.Registrars
	}
	return nil
}

func (c *Config) sipServerOf(d *Section) *Target {
	if t := c.TenantByID(d.Tenant); t != nil && t.SIPServer != nil {
		return t.SIPServer
	}
	if c.SIPUA != nil {
		return c.SIPUA.SIPServer
	}
	return nil
}
