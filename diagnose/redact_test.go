package diagnose

import (
	"bytes"
	"strings"
	"testing"
)

func TestRedactSecrets(t *testing.T) {
	for in, want := range map[string]string{
		`Authentication-Info: nextnonce="47364c23432d2e131a5fb210812c", rspauth="6629fae49393a05397450978507c4ef1"`: `Authentication-Info: nextnonce="<redacted>", rspauth="<redacted>"`,
		`Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==`:                                                         `Authorization: Basic <redacted>`,
		`enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0`:                                                            `enable secret 5 <redacted>`,
		`credentials username 0301234 password s3cret realm sip.example`:                                            `credentials username 0301234 password <redacted> realm sip.example`,
		`crypto isakmp key 7 0822455D0A16 address 0.0.0.0`:                                                          `crypto isakmp key 7 <redacted> address 0.0.0.0`,
		`pre-shared-key s3cr3t`:                              `pre-shared-key <redacted>`,
		"enable secret s3cret\n password cisco123\n":         "enable secret <redacted>\n password <redacted>\n",
		`tacacs-server key 7 0822455D0A16`:                   `tacacs-server key 7 <redacted>`,
		` key-string s3cr3t`:                                 ` key-string <redacted>`,
		`snmp-server community public RO`:                    `snmp-server community <redacted> RO`,
		"[6001]\ntype=auth\npassword=hunter2\nsecret = s3\n": "[6001]\ntype=auth\npassword=<redacted>\nsecret = <redacted>\n",
		`the password was wrong 3 times`:                     `the password was wrong 3 times`,
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

func TestPseudonymsAreStable(t *testing.T) {
	r := NewRedactor(RedactOptions{Numbers: true, Hosts: true})
	a := r.String(`From: "+4930123456" <sip:+4930123456@10.0.0.5;user=phone>, To: <tel:+4930999>`)
	b := r.String(`sip:+4930123456@192.0.2.1 via 10.0.0.5 and [2001:db8::1]:5060 at 10:00:05.123`)
	if a != `From: "num-1" <sip:num-1@ip-1;user=phone>, To: <tel:num-2>` {
		t.Errorf("first: %q", a)
	}
	if b != `sip:num-1@ip-2 via ip-1 and [ip-3]:5060 at 10:00:05.123` {
		t.Errorf("second: %q", b)
	}
	if got := r.String("sip:192.168.1.20:5060;transport=udp, tel:+1-201-555-0123"); got != "sip:ip-4:5060;transport=udp, tel:num-3" {
		t.Errorf("host URI / tel URI: %q", got)
	}
	if got := r.Addr("10.0.0.5:5080"); got != "ip-1:5080" {
		t.Errorf("Addr = %q", got)
	}
	// Without the options nothing but secrets change.
	plain := NewRedactor(RedactOptions{Secrets: true})
	if s := plain.String("sip:+4930123456@10.0.0.5"); s != "sip:+4930123456@10.0.0.5" {
		t.Errorf("identifiers changed without --redact-*: %q", s)
	}
}

// Every renderer of a report built with pseudonyms must leave none of the
// originals, and every renderer of a redacted report none of the secrets.
func TestNoSecretOrIdentifierLeaves(t *testing.T) {
	r := fixtureReport(RedactOptions{Secrets: true, Numbers: true, Hosts: true})
	for _, rd := range renderers {
		var b bytes.Buffer
		if err := rd.render(&b, r); err != nil {
			t.Fatal(err)
		}
		for _, raw := range []string{"deadbeef", "8f2a1c", "xyz\"", "op4que", "0822455D0A16", "10.0.0.5", "192.0.2.1", "4930123456"} {
			if strings.Contains(b.String(), raw) {
				t.Errorf("%s output contains %q", rd.name, raw)
			}
		}
	}
	// --no-redact really shows them (so the check above can fail).
	r = fixtureReport(RedactOptions{})
	var b bytes.Buffer
	WriteHTML(&b, r, HTMLOptions{})
	if !strings.Contains(b.String(), "deadbeef") || !strings.Contains(b.String(), "10.0.0.5") {
		t.Error("an unredacted report lacks the raw values")
	}
}

// TestPseudonymsReachNamesAndLabels: with hosts and numbers pseudonymised,
// an input named after a host and a ladder label quoting an address (a
// reason phrase) show neither in any format.
func TestPseudonymsReachNamesAndLabels(t *testing.T) {
	fs, tr := fixture()
	flows := fixtureFlows()
	flows[0].Messages[0].Label = "503 Service Unavailable (trunk 203.0.113.77 down)"
	for _, opt := range []RedactOptions{{Secrets: true, Hosts: true, Numbers: true}, {Secrets: true}} {
		r := Build(fs, tr, []Input{{Name: "trunk-198.51.100.23.pcap", Format: "pcap", Frames: 50, Messages: 42}}, Options{Redact: opt})
		r.AddFlows(flows)
		for _, rd := range renderers {
			var b bytes.Buffer
			if err := rd.render(&b, r); err != nil {
				t.Fatal(err)
			}
			for _, raw := range []string{"198.51.100.23", "203.0.113.77"} {
				// Unpseudonymised, the JSON shows both (so the check can
				// fail); ladders in text and Markdown may cut the label.
				got := strings.Contains(b.String(), raw)
				if opt.Hosts && got || !opt.Hosts && rd.name == "json" && !got {
					t.Errorf("hosts pseudonymised %v: %s output contains %q: %v", opt.Hosts, rd.name, raw, got)
				}
			}
		}
	}
}
