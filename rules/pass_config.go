package rules

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"

	"github.com/sipdiag/sipdiag/config"
	"github.com/sipdiag/sipdiag/decode"
)

// Config is the router configuration given with --config, or nil. Read it
// inside observers and AtEnd hooks (Runner.SetConfig may come after the
// rules' setup).
func (p *Pass) Config() *config.Config {
	if p.runner == nil {
		return nil
	}
	return p.runner.config
}

// configEvidence cites one configuration line. Its text is stored redacted
// by package config, so no password can reach the report through it.
func configEvidence(c *config.Config, l config.Line, note string) Evidence {
	return Evidence{Summary: fmt.Sprintf("%s line %d: %s", filepath.Base(c.Source), l.N, l.Text), Note: note}
}

// editEvidence shows one suggested configuration change.
func editEvidence(c *config.Config, e config.Edit) Evidence {
	if e.Old.N == 0 {
		return Evidence{Summary: fmt.Sprintf("fix %s: add under %s", filepath.Base(c.Source), e.Mode), Note: e.New}
	}
	return Evidence{Summary: fmt.Sprintf("fix %s line %d (%s): change to", filepath.Base(c.Source), e.Old.N, e.Mode), Note: e.New}
}

// configApplies reports whether the router of c sent t: its client
// address is one of the configured interface addresses, or it cannot be
// told (the configuration lists no addresses, as a pasted sip-ua section;
// the input gives no client address).
func configApplies(c *config.Config, t *decode.Transaction) bool {
	if !t.Client.IsValid() {
		return true // a text log that names no local address: the router's own debug output
	}
	owns, known := c.Owns(t.Client.Addr())
	return owns || !known
}

// configLegs are the configurations a challenged request may have gone out
// under: a REGISTER's tenant (by its registrar); for other requests the
// dial-peers whose session target is where the request went, or, when none
// is, none (sip-ua alone) and then every dial-peer.
func configLegs(c *config.Config, t *decode.Transaction) []config.Leg {
	hosts := requestHosts(t)
	if t.Method == "REGISTER" {
		for _, h := range hosts {
			if leg := c.LegForRegister(h); leg.Tenant != 0 {
				return []config.Leg{leg}
			}
		}
		return []config.Leg{{}}
	}
	dps := c.DialPeersTo(hosts...)
	if len(dps) == 0 {
		// Unknown dial-peer: sip-ua first, so that evidence cites it.
		dps = append(dps, 0)
		for _, d := range c.DialPeers {
			dps = append(dps, d.ID)
		}
	}
	legs := make([]config.Leg, len(dps))
	for i, d := range dps {
		legs[i] = config.Leg{DialPeer: d}
	}
	return legs
}

// uriHost is the host[:port] of a SIP URI ("sip:user@host:port;params"),
// as text for package config, which splits host and port itself. It does
// not call decode.ParseURI: that one stops the userinfo at the first '@'
// ("sip:a@b@host" -> "b@host") and gives no host for a Request-URI in <>
// or without a scheme, where this reads "host"; tel: URIs give the number
// either way. TestURIHostAndAORUser holds these readings.
func uriHost(uri string) string {
	s := uri
	if i := strings.IndexByte(s, ':'); i >= 0 && !strings.HasPrefix(s, "[") {
		s = s[i+1:]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.IndexAny(s, ";?>"); i >= 0 {
		s = s[:i]
	}
	return s
}

// aorUser is the user part of an AOR ("sip:1001@example.com" -> "1001").
func aorUser(aor string) string {
	_, rest, ok := strings.Cut(aor, ":")
	if !ok {
		rest = aor
	}
	user, _, ok := strings.Cut(rest, "@")
	if !ok {
		return ""
	}
	return user
}

// unconfiguredRealm reports whether, by the configuration given, the
// router that sent a's challenged request has no credentials for realm on
// any leg it may have gone out under (Cisco's selection order, package
// config).
func unconfiguredRealm(c *config.Config, a *decode.AuthExchange, realm string, seen routerSeen) bool {
	t := a.Challenge
	if c == nil || !isRouter(c, t, aorUser(a.Subject), seen) {
		return false
	}
	if t.Method == "REGISTER" && len(c.Registrars()) > 0 && !registrarConfigured(c, t) {
		return false // registering somewhere this router is not configured to: another UA
	}
	for _, leg := range configLegs(c, t) {
		if _, ok := c.Select(realm, leg); ok {
			return false
		}
	}
	return true
}

// realmConfigEvidence cites the configured entries for the leg of a's
// challenge — the one whose realm the UA answered with (answered != ""),
// or all consulted ones — and the edits that make realm answerable.
func realmConfigEvidence(c *config.Config, a *decode.AuthExchange, realm, answered, user string) []Evidence {
	leg := configLegs(c, a.Challenge)[0]
	if m, ok := c.Select(realm, leg); ok && answered != "" {
		// The configuration answers the challenge, yet the UA did not:
		// it is not running this configuration. Nothing to edit.
		return []Evidence{configEvidence(c, m.Auth.Line, fmt.Sprintf("%s (%s) already answers realm %q: the UA that answered is not running this configuration",
			m.Step, realmOrAny(m), realm))}
	}
	var ev []Evidence
	for _, cd := range c.Consulted(leg) {
		switch {
		case answered != "" && cd.Auth.Realm == answered:
			ev = append(ev, configEvidence(c, cd.Auth.Line, fmt.Sprintf("%s for realm %q: the realm the UA answers with", cd.Step, answered)))
		case answered == "":
			ev = append(ev, configEvidence(c, cd.Auth.Line, fmt.Sprintf("%s: realm %q, not the challenged %q", cd.Step, cd.Auth.Realm, realm)))
		}
	}
	for _, e := range c.RealmEdits(realm, leg, user) {
		ev = append(ev, editEvidence(c, e))
	}
	return ev
}

// expiryConfigEvidence is REG002's cross-check with --config: when the
// router that sent REGISTER t asks its registrar for longer than granted
// seconds, the `registrar` line that sets it and the edit to make. Empty
// without a configuration, when t is not the router's, when no configured
// registrar is where t went, or when the configuration already agrees.
func expiryConfigEvidence(c *config.Config, t *decode.Transaction, granted int) []Evidence {
	if c == nil || !configApplies(c, t) {
		return nil
	}
	for _, h := range requestHosts(t) {
		if e, asked, ok := c.ExpiryFix(h, granted); ok {
			return []Evidence{
				configEvidence(c, e.Old, fmt.Sprintf("the router asks for %d s; the registrar grants %d s", asked, granted)),
				editEvidence(c, e),
			}
		}
	}
	return nil
}

// consultedRealms lists what the selection order looks at for leg, for a
// finding's message: `configured: "a" (sip-ua credentials, line 9), ...`.
func consultedRealms(c *config.Config, leg config.Leg, challenged string) string {
	var realms []string
	for _, cd := range c.Consulted(leg) {
		r := fmt.Sprintf("%q (%s, line %d)", cd.Auth.Realm, cd.Step, cd.Auth.Line.N)
		if strings.EqualFold(cd.Auth.Realm, challenged) {
			r += ", which differs only in letter case"
		}
		realms = append(realms, r)
	}
	if len(realms) == 0 {
		return "no credentials or authentication lines apply"
	}
	return "configured: " + strings.Join(realms, ", ")
}

func realmOrAny(m config.Match) string {
	if m.AnyRealm {
		return "no realm: any"
	}
	return fmt.Sprintf("realm %q", m.Auth.Realm)
}

// registrarConfigured reports whether REGISTER t went to a registrar of c.
func registrarConfigured(c *config.Config, t *decode.Transaction) bool {
	for _, h := range requestHosts(t) {
		if _, ok := c.RegistrarFor(h); ok {
			return true
		}
	}
	return false
}

// requestHosts names where t went, as a configuration would name it: the
// host of its Request-URI, then the address it was sent to when the input
// gives one.
func requestHosts(t *decode.Transaction) []string {
	hosts := []string{uriHost(t.RequestURI)}
	if t.Server.IsValid() {
		hosts = append(hosts, t.Server.String())
	}
	return hosts
}

// configConfidence is how sure a finding resting on c can be about t:
// lower when the configuration lists no interface addresses, so that
// whether the router sent t is a guess.
func configConfidence(c *config.Config, t *decode.Transaction) Confidence {
	if _, known := c.Owns(t.Client.Addr()); !known {
		return Medium
	}
	return High
}

// isRouter reports whether the router of c sent t: configApplies, and
// when the configuration lists no interface addresses, something ties t to
// it: its client answered with a configured username before (seen), or
// user (the account t is for) is configured.
func isRouter(c *config.Config, t *decode.Transaction, user string, seen routerSeen) bool {
	if !configApplies(c, t) {
		return false
	}
	_, known := c.Owns(t.Client.Addr())
	return known || seen[t.Client.Addr()] || c.HasUser(user)
}

// routerSeen holds the client addresses that answered a challenge with a
// configured username: when the configuration lists no interface
// addresses, they (and requests for a configured user) are the router's,
// and other UAs in the capture are left alone.
type routerSeen map[netip.Addr]bool

func (r routerSeen) learn(c *config.Config, a *decode.AuthExchange) {
	if c != nil && a.Answer != nil && a.Answer.Credentials != nil && c.HasUser(a.Answer.Credentials.Username) {
		r[a.Answer.Client.Addr()] = true
	}
}
