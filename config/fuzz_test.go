package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse: any input is either rejected with an error or read without
// panicking, every kept line is cited within the input, and every kept
// text is already redacted (redacting it again changes nothing: each word
// after "password" is Hidden). Run: go test ./config -run XXX -fuzz FuzzParse
// -fuzztime 30s -fuzzminimizetime 50x (on a loaded machine the default
// minimisation of each new input takes most of the budget).
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("sip-ua\n credentials number 1 username u password 7 realm\n registrar 1 ipv6:[::1 expires\n"))
	f.Add([]byte("dial-peer voice 1 voip\n session target ipv4::\n voice-class sip tenant x\n --More-- \b\b\r authentication username a password"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(strings.NewReader(string(data)), "fuzz")
		if err != nil {
			return
		}
		lines := strings.Count(string(data), "\n") + 1
		check := func(l Line) {
			if l.N < 1 || l.N > lines {
				t.Fatalf("line %d outside 1..%d", l.N, lines)
			}
			if again := redactFields(strings.Fields(l.Text)); again != l.Text {
				t.Fatalf("stored text not redacted: %q", l.Text)
			}
		}
		for _, s := range append(append([]*Section{c.SIPUA, c.Voice}, c.Tenants...), c.DialPeers...) {
			if s == nil {
				continue
			}
			check(s.Header)
			for _, a := range s.Auth {
				check(a.Line)
				if a.Username == "" {
					t.Fatalf("auth without username kept: %+v", a)
				}
			}
			for _, r := range s.Registrars {
				check(r.Line)
				_ = r.WithExpires(1)
			}
			for _, l := range s.VoiceClassSIP {
				check(l)
			}
		}
		_ = everything(t, c)
	})
}
