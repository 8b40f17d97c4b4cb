package config

import (
	"fmt"
	"strings"
	"testing"
)

func mustParse(t *testing.T, lines ...string) *Config {
	t.Helper()
	c, err := Parse(strings.NewReader(strings.Join(lines, "\n")), "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Problems) > 0 {
		t.Fatalf("problems: %+v", c.Problems)
	}
	return c
}

// The line numbers of selectionConfig are the comments' numbers.
var selectionConfig = []string{
	"voice class tenant 5", // 1
	" credentials username t-cred password 0 x realm tenant.example",         // 2
	" authentication username t-auth password 0 x realm tenant-auth.example", // 3
	"dial-peer voice 10 voip",                                         // 4
	" session target ipv4:192.0.2.1:5060",                             // 5
	" voice-class sip tenant 5",                                       // 6
	" authentication username dp password 0 x realm dp.example",       // 7
	" authentication username dp-any password 0 x",                    // 8
	"dial-peer voice 20 voip",                                         // 9
	" session target dns:sip.example",                                 // 10
	" authentication username dp20 password 0 x realm shared.example", // 11
	"sip-ua", // 12
	" credentials username cred password 0 x realm shared.example",           // 13
	" credentials username cred2 password 0 x realm cred.example",            // 14
	" authentication username auth password 0 x realm auth.example",          // 15
	" authentication username auth-shared password 0 x realm shared.example", // 16
}

func TestSelectionOrder(t *testing.T) {
	c := mustParse(t, selectionConfig...)
	for _, tc := range []struct {
		realm string
		leg   Leg
		want  string // "line step any" or "none"
	}{
		{"dp.example", Leg{DialPeer: 10}, "7 dial-peer authentication false"},
		{"other.example", Leg{DialPeer: 10}, "8 dial-peer authentication true"}, // realm-less: any realm, before the tenant
		{"shared.example", Leg{DialPeer: 20}, "11 dial-peer authentication false"},
		{"shared.example", Leg{}, "13 sip-ua credentials false"}, // credentials before authentication
		{"auth.example", Leg{}, "15 sip-ua authentication false"},
		{"cred.example", Leg{DialPeer: 20}, "14 sip-ua credentials false"},
		{"tenant.example", Leg{Tenant: 5}, "2 tenant credentials false"},
		{"tenant-auth.example", Leg{Tenant: 5}, "3 tenant authentication false"},
		{"auth.example", Leg{Tenant: 5}, "15 sip-ua authentication false"}, // the tenant falls back to sip-ua
		{"nope.example", Leg{DialPeer: 20}, "none"},
		{"nope.example", Leg{}, "none"},
		{"dp.example", Leg{DialPeer: 20}, "none"}, // another dial-peer's line does not count
		{"tenant.example", Leg{}, "none"},         // nor a tenant that is not bound
		{"dp.example", Leg{DialPeer: 99}, "none"}, // an unknown dial-peer: sip-ua only
		{"Auth.Example", Leg{}, "none"},           // realms compare exactly
	} {
		got := "none"
		if m, ok := c.Select(tc.realm, tc.leg); ok {
			got = fmt.Sprintf("%d %s %v", m.Auth.Line.N, m.Step, m.AnyRealm)
		}
		if got != tc.want {
			t.Errorf("Select(%q, %+v) = %s, want %s", tc.realm, tc.leg, got, tc.want)
		}
	}
	// The tenant comes from the dial-peer's voice-class sip tenant.
	if m, ok := c.CredentialsFor("tenant-auth.example", 20); ok {
		t.Errorf("dial-peer 20 has no tenant, got %v", m)
	}
	if m, ok := c.CredentialsFor("nope.example", 10); !ok || m.Auth.Line.N != 8 {
		t.Errorf("dial-peer 10, any realm: %v %v", m, ok)
	}
}

func TestSelectionWithinAStep(t *testing.T) {
	c := mustParse(t,
		"sip-ua",
		" authentication username w password 0 x",
		" authentication username e password 0 x realm e.example",
	)
	for realm, want := range map[string]int{"e.example": 3, "z.example": 2, "": 2} {
		m, ok := c.CredentialsFor(realm, 0)
		if !ok || m.Auth.Line.N != want || m.AnyRealm != (want == 2) {
			t.Errorf("realm %q: got %v %v, want line %d", realm, m, ok, want)
		}
	}
	// A realm-less credentials line answers before an exact authentication line.
	c = mustParse(t, "sip-ua", " credentials username c password 0 x", " authentication username a password 0 x realm a.example")
	if m, ok := c.CredentialsFor("a.example", 0); !ok || m.Auth.Line.N != 2 || !m.AnyRealm {
		t.Errorf("got %v %v", m, ok)
	}
}

func TestDialPeersTo(t *testing.T) {
	c := mustParse(t, append(selectionConfig,
		" sip-server dns:proxy.example",
		"dial-peer voice 30 voip",
		" session target sip-server",
		"dial-peer voice 40 voip",
		" session target ipv6:[2001:db8::5]:5062",
	)...)
	checkDialPeersTo(t, c, []dialPeersCase{
		{[]string{"192.0.2.1:5060"}, "[10]"},
		{[]string{"192.0.2.1:5070"}, "[]"},
		{[]string{"192.0.2.1"}, "[10]"},
		{[]string{"10.0.0.1:5060", "SIP.example"}, "[20]"},
		{[]string{"sip.example:5080"}, "[20]"}, // a target without a port matches any
		{[]string{"proxy.example"}, "[30]"},
		{[]string{"[2001:db8::5]:5062"}, "[40]"},
		{[]string{"2001:db8::5"}, "[40]"},
		{[]string{"garbage:"}, "[]"},
	})
}

func TestRegistrarExpires(t *testing.T) {
	c := mustParse(t,
		"voice class tenant 7",
		" registrar 1 dns:reg.tenant.example expires 600 tcp",
		"sip-ua",
		" registrar 1 ipv4:198.51.100.50:5060 expires 3600",
		" registrar 2 dns:reg2.example",
	)
	for _, tc := range []struct {
		host string
		want string
	}{
		{"198.51.100.50:5060", "3600 line 4 true"},
		{"198.51.100.50", "3600 line 4 true"},
		{"198.51.100.50:5080", "0 line 0 false"},
		{"reg2.example", "3600 line 5 true"}, // no expires: the IOS default
		{"REG.tenant.example:5060", "600 line 2 true"},
		{"elsewhere.example", "0 line 0 false"},
	} {
		e, l, ok := c.RegistrarExpires(tc.host)
		if got := fmt.Sprintf("%d line %d %v", e, l.N, ok); got != tc.want {
			t.Errorf("RegistrarExpires(%q) = %s, want %s", tc.host, got, tc.want)
		}
	}
	if leg := c.LegForRegister("reg.tenant.example"); leg.Tenant != 7 {
		t.Errorf("LegForRegister: %+v", leg)
	}
	for host, want := range map[string]string{
		"198.51.100.50": "registrar 1 ipv4:198.51.100.50:5060 expires 60",
		"reg2.example":  "registrar 2 dns:reg2.example expires 60",
	} {
		r, _ := c.RegistrarFor(host)
		if got := r.WithExpires(60); got != want {
			t.Errorf("WithExpires: %q, want %q", got, want)
		}
	}
	for _, tc := range []struct {
		host    string
		granted int
		want    string
	}{
		{"198.51.100.50", 600, `line 4 (sip-ua): change "registrar 1 ipv4:198.51.100.50:5060 expires 3600" to "registrar 1 ipv4:198.51.100.50:5060 expires 600" (asks 3600)`},
		{"reg2.example", 120, `line 5 (sip-ua): change "registrar 2 dns:reg2.example" to "registrar 2 dns:reg2.example expires 120" (asks 3600)`},
		{"reg.tenant.example", 300, `line 2 (voice class tenant 7): change "registrar 1 dns:reg.tenant.example expires 600 tcp" to "registrar 1 dns:reg.tenant.example expires 300 tcp" (asks 600)`},
		{"reg.tenant.example", 600, "none (asks 600)"},
		{"reg.tenant.example", 900, "none (asks 600)"},
		{"elsewhere.example", 60, "none (asks 0)"},
	} {
		e, asked, ok := c.ExpiryFix(tc.host, tc.granted)
		got := "none"
		if ok {
			got = e.String()
		}
		if got = fmt.Sprintf("%s (asks %d)", got, asked); got != tc.want {
			t.Errorf("ExpiryFix(%q, %d) = %s, want %s", tc.host, tc.granted, got, tc.want)
		}
	}
	old := mustParse(t, "sip-ua", " registrar ipv4:192.0.2.200 tcp secondary")
	r, _ := old.RegistrarFor("192.0.2.200")
	if got := r.WithExpires(300); got != "registrar ipv4:192.0.2.200 expires 300 tcp secondary" {
		t.Errorf("WithExpires, old form: %q", got)
	}
}

func TestRealmEdits(t *testing.T) {
	c := mustParse(t, selectionConfig...)
	for _, tc := range []struct {
		realm, user string
		leg         Leg
		want        string
	}{
		{"new.example", "", Leg{DialPeer: 20}, `line 11 (dial-peer voice 20 voip): change "authentication username dp20 password 0 <hidden> realm shared.example" to "authentication username dp20 password <password> realm new.example"`},
		{"new.example", "cred2", Leg{}, `line 14 (sip-ua): change "credentials username cred2 password 0 <hidden> realm cred.example" to "credentials username cred2 password <password> realm new.example"`},
		{"new.example", "", Leg{}, `line 13 (sip-ua): change "credentials username cred password 0 <hidden> realm shared.example" to "credentials username cred password <password> realm new.example"` + "\n" +
			`line 14 (sip-ua): change "credentials username cred2 password 0 <hidden> realm cred.example" to "credentials username cred2 password <password> realm new.example"`},
	} {
		var got []string
		for _, e := range c.RealmEdits(tc.realm, tc.leg, tc.user) {
			got = append(got, e.String())
		}
		same(t, fmt.Sprintf("RealmEdits(%q, %+v, %q)", tc.realm, tc.leg, tc.user), strings.Join(got, "\n"), tc.want)
	}
	empty := mustParse(t, "sip-ua", " retry register 3", "dial-peer voice 9 voip", " session target dns:x.example")
	for _, tc := range []struct {
		leg  Leg
		user string
		want string
	}{
		{Leg{}, "1001", "add under sip-ua: credentials username 1001 password <password> realm r.example"},
		{Leg{DialPeer: 9}, "", "add under dial-peer voice 9 voip: authentication username <username> password <password> realm r.example"},
	} {
		e := empty.RealmEdits("r.example", tc.leg, tc.user)
		if len(e) != 1 || e[0].String() != tc.want {
			t.Errorf("RealmEdits on an empty sip-ua, %+v: %v", tc.leg, e)
		}
	}
}

// TestDialPeersToRegistrarAndServerGroup: `session target registrar` sends
// to the registrars of the dial-peer's tenant (else sip-ua's), and
// `session server-group N` to any member of voice class server-group N.
func TestDialPeersToRegistrarAndServerGroup(t *testing.T) {
	c := mustParse(t,
		"voice class server-group 3",
		" ipv4 198.51.100.1 port 5062 preference 1",
		" ipv4 198.51.100.2 preference 2",
		" dns sbc.example",
		" hunt-scheme round-robin",
		"voice class tenant 7",
		" registrar 1 dns:reg.tenant.example:5060 expires 600",
		"sip-ua",
		" registrar ipv4:203.0.113.9 expires 3600",
		"dial-peer voice 50 voip",
		" session server-group 3",
		"dial-peer voice 60 voip",
		" session target registrar",
		"dial-peer voice 70 voip",
		" session target registrar",
		" voice-class sip tenant 7",
	)
	if len(c.ServerGroups) != 1 || len(c.ServerGroups[0].Members) != 3 {
		t.Fatalf("server groups %d, members %+v", len(c.ServerGroups), c.ServerGroups[0].Members)
	}
	checkDialPeersTo(t, c, []dialPeersCase{
		{[]string{"198.51.100.1:5062"}, "[50]"},
		{[]string{"198.51.100.1:5060"}, "[]"}, // the member names port 5062
		{[]string{"198.51.100.2:5099"}, "[50]"},
		{[]string{"SBC.example"}, "[50]"},
		{[]string{"203.0.113.9:5060"}, "[60]"},
		{[]string{"reg.tenant.example"}, "[70]"},
		{[]string{"192.0.2.99"}, "[]"},
	})
	if len(c.Problems) != 0 {
		t.Errorf("problems: %+v", c.Problems)
	}
}

type dialPeersCase struct {
	hosts []string
	want  string // the tags, as fmt prints a []int
}

func checkDialPeersTo(t *testing.T, c *Config, cases []dialPeersCase) {
	t.Helper()
	for _, tc := range cases {
		if got := fmt.Sprint(c.DialPeersTo(tc.hosts...)); got != tc.want {
			t.Errorf("DialPeersTo(%v) = %s, want %s", tc.hosts, got, tc.want)
		}
	}
}
