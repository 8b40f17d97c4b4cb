package config

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Found independently of redactFields: every word after "password" or
// "secret" (and its type digit), plus the key of `key config-key`.
var secretArg = regexp.MustCompile(`(?i)\b(?:password|secret|password-encrypt)\s+(?:[05-9]\s+)?(\S+)`)

// everything renders all a Config can tell: its fields (deeply), every
// Match, Edit and registrar fix it can produce.
func everything(t *testing.T, c *Config) string {
	t.Helper()
	js, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.Write(js)
	legs := []Leg{{}}
	for _, d := range c.DialPeers {
		legs = append(legs, Leg{DialPeer: d.ID})
	}
	for _, tn := range c.Tenants {
		legs = append(legs, Leg{Tenant: tn.ID})
	}
	for _, leg := range legs {
		for _, realm := range []string{"", "nope.example", "sip-1.ITSP_1"} {
			if m, ok := c.Select(realm, leg); ok {
				fmt.Fprintln(&b, m, m.Auth.Line, m.Auth.Command())
			}
			for _, e := range c.RealmEdits(realm, leg, "") {
				fmt.Fprintln(&b, e)
			}
		}
		for _, k := range c.Consulted(leg) {
			fmt.Fprintln(&b, k.Auth.Line, k.Auth.Password)
		}
	}
	for _, r := range c.Registrars() {
		fmt.Fprintln(&b, r.Line, r.WithExpires(60))
	}
	for _, p := range c.Problems {
		fmt.Fprintln(&b, p.Line, p.Message)
	}
	return b.String()
}

func TestNoPasswordInAnyOutput(t *testing.T) {
	files, _ := filepath.Glob("testdata/*")
	if len(files) < 4 {
		t.Fatalf("testdata: %v", files)
	}
	for _, f := range files {
		raw, c := readAndParse(t, f)
		out := everything(t, c)
		if noPasswordIn(t, f, raw, out) == 0 {
			t.Fatalf("%s: the test found no password to look for", f)
		}
		if !strings.Contains(out, Hidden) {
			t.Errorf("%s: no %s in the output: are passwords being parsed?", f, Hidden)
		}
	}
}

func TestRedactFields(t *testing.T) {
	for in, want := range map[string]string{
		"credentials username u password 7 0822455D0A16 realm r": "credentials username u password 7 <hidden> realm r",
		"authentication username u password pw":                  "authentication username u password <hidden>",
		"authentication username u password 7":                   "authentication username u password <hidden>",
		"enable secret 9 $9$abc":                                 "enable secret 9 <hidden>",
		"voice-class sip auth-password 0 x realm r":              "voice-class sip auth-password 0 <hidden> realm r",
		"username admin password 0 a password 7 b":               "username admin password 0 <hidden> password 7 <hidden>",
		"password": "password",
	} {
		if got := redactFields(strings.Fields(in)); got != want {
			t.Errorf("redactFields(%q) = %q, want %q", in, got, want)
		}
	}
}

// The configurations under samples/ read without problems and leak no
// password either.
func TestSamplesConfigs(t *testing.T) {
	var files []string
	for _, pat := range []string{"../samples/config/*.cfg", "../samples/text/cisco-ccsip/*.config"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	if len(files) < 7 {
		t.Fatalf("samples: found only %v", files)
	}
	for _, f := range files {
		raw, c := readAndParse(t, f)
		if len(c.Problems) > 0 {
			t.Errorf("%s: %+v", f, c.Problems)
		}
		if len(c.Consulted(Leg{Tenant: 100})) == 0 || len(c.Addrs) == 0 {
			t.Errorf("%s: credentials and interface addresses expected", f)
		}
		noPasswordIn(t, f, raw, everything(t, c))
	}
}

func readAndParse(t *testing.T, f string) ([]byte, *Config) {
	t.Helper()
	raw, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return raw, c
}

// noPasswordIn checks that no password argument of configuration file f
// (its text raw) appears in out, and returns how many it looked for.
func noPasswordIn(t *testing.T, f string, raw []byte, out string) int {
	t.Helper()
	secrets := secretArg.FindAllStringSubmatch(string(raw), -1)
	for _, s := range secrets {
		if strings.Contains(out, s[1]) {
			t.Errorf("%s: password %q reaches the output", f, s[1])
		}
	}
	return len(secrets)
}
