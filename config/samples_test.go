package config

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
)

// What the CUBE log cases in samples/text/cisco-ccsip rely on (see
// samples/config/README.md): the router at 192.0.2.9, the ITSP at
// 192.0.2.200:5060, and which line answers which realm.
func TestPairedSampleConfigs(t *testing.T) {
	load := func(name string) *Config {
		c, err := ParseFile(filepath.Join("..", "samples", "text", "cisco-ccsip", name+".config"))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	answer := func(c *Config, realm string, leg Leg) string {
		if m, ok := c.Select(realm, leg); ok {
			return fmt.Sprintf("line %d any=%v", m.Auth.Line.N, m.AnyRealm)
		}
		return "none"
	}
	edits := func(c *Config, realm string, leg Leg) string {
		var out []string
		for _, e := range c.RealmEdits(realm, leg, "01614960000") {
			out = append(out, e.String())
		}
		return strings.Join(out, "\n")
	}
	changed := load("realm-changed")
	same(t, "realm-changed, new realm", answer(changed, "sip-2.ITSP_1", changed.LegForRegister("192.0.2.200:5060")), "none")
	same(t, "realm-changed, edit", edits(changed, "sip-2.ITSP_1", Leg{}),
		`line 40 (sip-ua): change "credentials username 01614960000 password 7 <hidden> realm sip-1.ITSP_1" to "credentials username 01614960000 password <password> realm sip-2.ITSP_1"`)
	same(t, "realm-matches", answer(load("realm-matches"), "sip-1.ITSP_1", Leg{}), "line 40 any=false")
	same(t, "realm-any", answer(load("realm-any"), "sip-2.ITSP_1", Leg{}), "line 40 any=true")

	inv := load("invite-realm")
	dps := inv.DialPeersTo("192.0.2.200:5060")
	if len(dps) != 1 || dps[0] != 100 {
		t.Fatalf("invite-realm: dial-peers to the ITSP: %v", dps)
	}
	same(t, "invite-realm", answer(inv, "voice.itsp.example", Leg{DialPeer: 100}), "none")
	same(t, "invite-realm, edit", edits(inv, "voice.itsp.example", Leg{DialPeer: 100}),
		`line 38 (dial-peer voice 100 voip): change "authentication username 01614960000 password 7 <hidden> realm sip-1.ITSP_1" to "authentication username 01614960000 password <password> realm voice.itsp.example"`)

	exp := load("expires-too-long")
	e, l, ok := exp.RegistrarExpires("192.0.2.200:5060")
	if !ok || e != 3600 || l.N != 45 {
		t.Fatalf("expires-too-long: %d %v %v", e, l, ok)
	}
	r, _ := exp.RegistrarFor("192.0.2.200")
	same(t, "expires-too-long, fix", r.WithExpires(600), "registrar ipv4:192.0.2.200:5060 expires 600")
	for _, c := range []*Config{changed, inv, exp} {
		if owns, known := c.Owns(netip.MustParseAddr("192.0.2.9")); !owns || !known {
			t.Errorf("%s: the router is 192.0.2.9", c.Source)
		}
	}
}
