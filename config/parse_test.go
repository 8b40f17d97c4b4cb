package config

import (
	"errors"
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
)

func mustParseFile(t *testing.T, name string) *Config {
	t.Helper()
	c, err := ParseFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// authLines renders a section's Auth entries compactly for comparison.
func authLines(as []Auth) string {
	var out []string
	for _, a := range as {
		s := fmt.Sprintf("%d %s user=%s pw=%s realm=%q", a.Line.N, a.Kind, a.Username, a.Password, a.Realm)
		if a.Number != "" {
			s += " number=" + a.Number
		}
		out = append(out, s)
	}
	return strings.Join(out, "\n")
}

func registrarLines(rs []Registrar) string {
	var out []string
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%d #%d %s expires=%d %s sec=%v", r.Line.N, r.Index, r.Target, r.Expires, r.Transport, r.Secondary))
	}
	return strings.Join(out, "\n")
}

func same(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s:\n got: %s\nwant: %s", what, strings.ReplaceAll(got, "\n", "\n      "), strings.ReplaceAll(want, "\n", "\n      "))
	}
}

func TestParseIOSXE17Tenant(t *testing.T) {
	c := mustParseFile(t, "iosxe17-tenant.cfg")
	if len(c.Tenants) != 2 {
		t.Fatalf("tenants: got %d", len(c.Tenants))
	}
	t100 := c.TenantByID(100)
	same(t, "tenant 100 registrars", registrarLines(t100.Registrars),
		"51 #1 dns:sip.itsp.example.net:5060 expires=600 tcp sec=false\n52 #2 ipv4:203.0.113.10:5060 expires=3600  sec=false")
	same(t, "tenant 100 auth", authLines(t100.Auth),
		"53 credentials user=4085550100 pw=set, type 6 realm=\"sip.itsp.example.net\" number=4085550100\n"+
			"54 authentication user=4085550100 pw=set, type 6 realm=\"sip.itsp.example.net\"")
	if t100.SIPServer == nil || t100.SIPServer.String() != "dns:sip.itsp.example.net" {
		t.Errorf("tenant sip-server: %v", t100.SIPServer)
	}
	if t100.Localhost == nil || t100.Localhost.Host != "cube01.example.com" || t100.RetryRegister != 10 || t100.TimersRegister != 500 {
		t.Errorf("tenant localhost/retry/timers: %+v", t100)
	}
	same(t, "tenant 200 auth", authLines(c.TenantByID(200).Auth),
		"65 credentials user=trunk2 pw=set, type 6 realm=\"voip.other.example\"")
	// `registrar server` under voice service voip is CME's own registrar.
	if c.Voice == nil || c.Voice.Localhost == nil || c.Voice.Localhost.Host != "cube01.example.com" || len(c.Voice.Registrars) != 0 {
		t.Errorf("voice service voip: %+v", c.Voice)
	}
	if len(c.DialPeers) != 3 {
		t.Fatalf("dial-peers: %d", len(c.DialPeers))
	}
	dp := c.DialPeerByTag(101)
	if dp.Tenant != 100 || dp.SessionTarget.String() != "ipv4:203.0.113.10:5060" || dp.TargetLine.N != 99 {
		t.Errorf("dial-peer 101: %+v", dp)
	}
	same(t, "dial-peer 101 auth", authLines(dp.Auth),
		"101 authentication user=4085550100 pw=set, type 6 realm=\"backup.itsp.example.net\"")
	if got := len(c.DialPeerByTag(200).VoiceClassSIP); got != 1 {
		t.Errorf("dial-peer 200 voice-class sip lines: %d", got)
	}
	if c.SIPUA == nil || c.SIPUA.RetryRegister != 5 || c.SIPUA.TimersExpires != 300000 || c.SIPUA.TimersRegister != 250 || len(c.SIPUA.Auth) != 0 {
		t.Errorf("sip-ua: %+v", c.SIPUA)
	}
	want := []string{"198.51.100.2", "10.10.10.1", "2001:db8:10::1"}
	if len(c.Addrs) != len(want) {
		t.Fatalf("addrs: %v", c.Addrs)
	}
	for i, a := range want {
		if c.Addrs[i] != netip.MustParseAddr(a) {
			t.Errorf("addr %d: %v, want %s", i, c.Addrs[i], a)
		}
	}
	if len(c.Problems) != 0 {
		t.Errorf("problems: %+v", c.Problems)
	}
	same(t, "summary", c.String(), "sip-ua (0 credentials/authentication lines, 0 registrars), 2 tenants, 3 dial-peers")
}

func TestParseIOS15SIPUA(t *testing.T) {
	c := mustParseFile(t, "ios15-sipua.cfg")
	same(t, "sip-ua auth", authLines(c.SIPUA.Auth),
		"44 credentials user=0161496000 pw=set, type 7 realm=\"sip-1.ITSP_1\"\n"+
			"45 authentication user=0161496000 pw=set, type 7 realm=\"sip-1.ITSP_1\"")
	same(t, "sip-ua registrars", registrarLines(c.SIPUA.Registrars),
		"49 #0 ipv4:192.0.2.200 expires=3600  sec=false\n50 #0 dns:backup.provider.example:5060 expires=1800 tcp sec=true")
	if s := c.SIPUA.Auth[0].Line.Text; s != "credentials username 0161496000 password 7 <hidden> realm sip-1.ITSP_1" {
		t.Errorf("stored text: %q", s)
	}
	if d := c.DialPeerByTag(1); d.SessionTarget.String() != "ipv4:192.0.2.200" || len(d.Auth) != 0 {
		t.Errorf("dial-peer 1: %+v", d)
	}
	if len(c.Addrs) != 3 {
		t.Errorf("addrs (a secondary address counts): %v", c.Addrs)
	}
}

// A paste of `sh run | sec` output: CRLF, prompts, no indentation, and
// the --More-- pager both with its erasing backspaces and without.
func TestParsePastedSections(t *testing.T) {
	c := mustParseFile(t, "pasted-sections.txt")
	same(t, "sip-ua auth", authLines(c.SIPUA.Auth),
		"3 credentials user=5551000 pw=set, type 7 realm=\"voip.example.org\"\n"+
			"4 authentication user=5551000 pw=set, type 0 realm=\"voip.example.org\"\n"+
			"8 authentication user=other pw=set, type 7 realm=\"other.example.org\"")
	same(t, "registrars", registrarLines(c.SIPUA.Registrars),
		"6 #1 ipv4:198.51.100.50:5060 expires=120  sec=false\n7 #2 dns:reg2.example.org expires=3600 tcp sec=false")
	if c.SIPUA.TimersExpires != 180000 {
		t.Errorf("timers expires: %d", c.SIPUA.TimersExpires)
	}
	d := c.DialPeerByTag(10)
	if d == nil || d.SessionTarget.String() != "dns:voip.example.org" || d.Localhost.String() != "dns:cube.example.org" {
		t.Fatalf("dial-peer 10: %+v", d)
	}
	same(t, "dial-peer 10 auth", authLines(d.Auth), "15 authentication user=5551000 pw=set, type 7 realm=\"\"")
}

func TestParseConfigMode(t *testing.T) {
	c := mustParseFile(t, "config-mode.txt")
	same(t, "sip-ua", authLines(c.SIPUA.Auth)+"\n"+registrarLines(c.SIPUA.Registrars),
		"4 credentials user=2125550123 pw=set, type 0 realm=\"nyc.example.net\" number=2125550123\n"+
			"5 #1 dns:nyc.example.net expires=3600 tls sec=false")
	d := c.DialPeerByTag(300)
	if d == nil || len(d.Auth) != 1 || d.Auth[0].Line.N != 9 {
		t.Fatalf("dial-peer 300: %+v", d)
	}
}

func TestParseTolerance(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string // want: sip-ua auth lines
	}{
		{"tab indentation", "sip-ua\n\tcredentials username a password 0 x realm r\n", "2 credentials user=a pw=set, type 0 realm=\"r\""},
		{"no password type", "sip-ua\n authentication username a password x\n", "2 authentication user=a pw=set, type 0 realm=\"\""},
		{"quoted realm", "sip-ua\n authentication username a password 7 0000 realm \"r r\"\n", "2 authentication user=a pw=set, type 7 realm=\"\\\"r\""},
		{"indented block ends at an unindented command", "sip-ua\n credentials username a password 0 x\nline vty 0 4\n authentication username b password 0 y\n", "2 credentials user=a pw=set, type 0 realm=\"\""},
		{"bang ends the block", "sip-ua\ncredentials username a password 0 x\n!\nauthentication username b password 0 y\n", "2 credentials user=a pw=set, type 0 realm=\"\""},
		{"lost indentation, other command between", "sip-ua\ncredentials username a password 0 x\nno remote-party-id\nauthentication username b password 0 y\n", "2 credentials user=a pw=set, type 0 realm=\"\"\n4 authentication user=b pw=set, type 0 realm=\"\""},
		{"repeated sip-ua is one mode", "sip-ua\n credentials username a password 0 x\n!\nsip-ua\n authentication username b password 0 y\n", "2 credentials user=a pw=set, type 0 realm=\"\"\n5 authentication user=b pw=set, type 0 realm=\"\""},
		{"CR only at ends", "sip-ua\r\n authentication username a password 0 x realm r\r\n", "2 authentication user=a pw=set, type 0 realm=\"r\""},
	} {
		c, err := Parse(strings.NewReader(tc.in), tc.name)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		same(t, tc.name, authLines(c.SIPUA.Auth), tc.want)
	}
}

func TestParseProblems(t *testing.T) {
	in := "sip-ua\n credentials password 7 0822455D0A16 realm r\n authentication username a\n registrar 1 ipv4:10.0.0.1:99999 expires 60\n registrar 2 ipv4:10.0.0.2 expires soon\n retry register x\n credentials username u password 7 <myencryptedpassword> realm\n"
	c, err := Parse(strings.NewReader(in), "bad")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range c.Problems {
		got = append(got, fmt.Sprintf("%d: %s", p.Line, p.Message))
	}
	same(t, "problems", strings.Join(got, "\n"), strings.Join([]string{
		`2: credentials without a username: ignored`,
		`3: authentication for username "a" has no password`,
		`4: registrar: bad port in "ipv4:10.0.0.1:99999"`,
		`5: "soon" is not a number`,
		`6: "x" is not a number`,
		`7: credentials ends in "realm" without a value: read as no realm`,
	}, "\n"))
	if len(c.SIPUA.Registrars) != 1 || c.SIPUA.Registrars[0].Expires != -1 {
		t.Errorf("registrars: %+v", c.SIPUA.Registrars)
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"", "interface Gi0\n ip address 10.0.0.1 255.0.0.0\n", "\x00\x01binary", "dial-peer voice 5 pots\n session target ipv4:1.2.3.4\n"} {
		if _, err := Parse(strings.NewReader(in), "x"); !errors.Is(err, ErrNoVoiceConfig) {
			t.Errorf("%q: err = %v, want ErrNoVoiceConfig", in, err)
		}
	}
	if _, err := ParseFile("testdata/does-not-exist"); err == nil || errors.Is(err, ErrNoVoiceConfig) {
		t.Errorf("missing file: %v", err)
	}
}

func TestCleanLine(t *testing.T) {
	for in, want := range map[string]rawLine{
		"CUBE(config-sip-ua)#registrar 1 ipv4:1.2.3.4": {text: "registrar 1 ipv4:1.2.3.4", mode: "config-sip-ua"},
		"Router#show run":         {text: "show run", mode: "exec"},
		" credentials username a": {text: "credentials username a", indented: true},
		" --More-- \b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b sip-ua": {text: "sip-ua", indented: true},
		"description Main#1 link": {text: "description Main#1 link"},
		"a#":                      {text: "", mode: "exec"},
	} {
		got := cleanLine(0, in)
		if got != want {
			t.Errorf("cleanLine(%q) = %+v, want %+v", in, got, want)
		}
	}
}
