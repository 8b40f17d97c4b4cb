package config

import (
	"fmt"
	"strings"
)

// Edit is one configuration change to suggest.
type Edit struct {
	Mode string // the mode to enter: "sip-ua", "dial-peer voice 100 voip", "voice class tenant 1"
	Old  Line   // the command to replace; N == 0 when New is to be added
	New  string // the command to enter; a password appears only as Placeholder
}

func (e Edit) String() string {
	if e.Old.N == 0 {
		return fmt.Sprintf("add under %s: %s", e.Mode, e.New)
	}
	return fmt.Sprintf("line %d (%s): change %q to %q", e.Old.N, e.Mode, e.Old.Text, e.New)
}

// RealmEdits suggests how to make leg answer a challenge of realm:
// change the realm of the entries that were meant for it, or add one
// entry when there are none. username is the account the trace shows
// (a challenged request's From user or an earlier Authorization
// username); "" when unknown. It picks the entries of one step: the first
// step with entries for that username, else the first step with entries
// (the one CUBE looks at first).
func (c *Config) RealmEdits(realm string, leg Leg, username string) []Edit {
	cands := c.Consulted(leg)
	var pick []Candidate
	// One step is enough: the first entry that matches answers, and
	// changing a later step's realm could break what it answers now (the
	// sip-ua credentials a REGISTER uses, when a dial-peer is challenged).
	for _, byUser := range []bool{true, false} {
		for _, k := range cands {
			if k.Auth.Realm == realm {
				continue // already right: an edit would change nothing
			}
			if byUser && (username == "" || k.Auth.Username != username && k.Auth.Number != username) {
				continue
			}
			if len(pick) > 0 && k.Step != pick[0].Step {
				break
			}
			pick = append(pick, k)
		}
		if len(pick) > 0 {
			break
		}
	}
	var out []Edit
	for _, k := range pick {
		a := k.Auth
		a.Realm = realm
		out = append(out, Edit{Mode: c.modeOf(a.Scope, a.ScopeID), Old: k.Auth.Line, New: a.Command()})
	}
	if len(out) > 0 {
		return out
	}
	if username == "" {
		username = "<username>"
	}
	add := Auth{Kind: Authentication, Username: username, Password: Password{Set: true}, Realm: realm}
	mode := "sip-ua"
	switch {
	case c.DialPeerByTag(leg.DialPeer) != nil:
		mode = c.modeOf(DialPeer, leg.DialPeer)
	case leg.Tenant != 0:
		mode = c.modeOf(Tenant, leg.Tenant)
		add.Kind = Credentials
	case leg.DialPeer == 0:
		add.Kind = Credentials // REGISTER: CUBE registers and answers with `credentials`
	}
	return []Edit{{Mode: mode, New: add.Command()}}
}

// Command is the IOS command for a, with the password as Placeholder.
func (a Auth) Command() string {
	w := []string{a.Kind.String()}
	if a.Number != "" {
		w = append(w, "number", a.Number)
	}
	w = append(w, "username", a.Username, "password", Placeholder)
	if a.Realm != "" {
		w = append(w, "realm", a.Realm)
	}
	return strings.Join(w, " ")
}

func (c *Config) modeOf(s Scope, id int) string {
	switch s {
	case DialPeer:
		if d := c.DialPeerByTag(id); d != nil {
			return d.Header.Text
		}
		return fmt.Sprintf("dial-peer voice %d voip", id)
	case Tenant:
		return fmt.Sprintf("voice class tenant %d", id)
	case Voice:
		return "voice service voip"
	}
	return "sip-ua"
}
