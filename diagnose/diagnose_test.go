package diagnose

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/sipdiag/sipdiag/decode"
	"github.com/sipdiag/sipdiag/rules"
)

var (
	t0   = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC).UnixNano()
	ua   = netip.MustParseAddrPort("10.0.0.5:5060")
	itsp = netip.MustParseAddrPort("192.0.2.1:5060")
)

func ref(frame int64, sec float64) decode.Ref {
	return decode.Ref{Frame: frame, Time: t0 + int64(sec*1e9)}
}

// Rules of the fixture: copies with fixed texts, so that the goldens do
// not change whenever a rule's wording does.
var (
	ruleRealm = &rules.Rule{ID: "AUTH001", Name: "realm-mismatch", Severity: rules.Critical,
		Title: "credentials use a realm that the server did not challenge for",
		Fix: `Set the credentials' realm to the challenged one. On Cisco CUBE: drop "realm ..." from the
"credentials ... realm ..." (sip-ua) line.`, Explains: []string{"AUTH004"}}
	ruleLoop = &rules.Rule{ID: "AUTH004", Name: "auth-retry-loop", Severity: rules.Critical,
		Title: "the UA keeps answering challenges with credentials the server rejects",
		Fix:   "Re-enter the username and password of the account on the UA."}
	ruleLapse = &rules.Rule{ID: "REG001", Name: "missing-refresh", Severity: rules.Warning,
		Title: "a registration expired because the UA did not refresh it in time",
		Fix:   "Check the UA's registration timer and the NAT/firewall pinholes to the registrar."}
)

// fixture: a realm mismatch that explains a retry loop on the same account,
// and an unrelated missing refresh on another.
func fixture() ([]rules.Finding, *decode.Trace) {
	mismatch := rules.Finding{
		Rule: ruleRealm, Subject: "sip:trunk@itsp.example", At: ref(3, 0.1),
		Message:    `the server challenges for realm "sip-2.ITSP_1" but the UA answers with credentials for realm "ITSP" (3 times)`,
		Confidence: rules.High, Affected: 3, CallIDs: []string{"abc@10.0.0.5"},
		Evidence: []rules.Evidence{
			{At: ref(2, 0.05), Src: itsp, Dst: ua, Summary: "401 Unauthorized",
				Note: `WWW-Authenticate: Digest realm="sip-2.ITSP_1", nonce="8f2a1c", qop="auth"`},
			{At: ref(3, 0.1), Src: ua, Dst: itsp, Summary: "REGISTER sip:itsp.example",
				Note: `Authorization: Digest username="trunk", realm="ITSP", nonce="8f2a1c", response="deadbeef", cnonce="xyz"`},
		},
	}
	loop := rules.Finding{
		Rule: ruleLoop, Subject: "sip:trunk@itsp.example", At: ref(3, 0.1),
		Message: "3 401→401 cycles for REGISTER over 11 s, every ~5.5 s", Confidence: rules.High, Affected: 3,
		CallIDs:  []string{"abc@10.0.0.5"},
		Evidence: []rules.Evidence{{At: ref(9, 11.1), Src: itsp, Dst: ua, Summary: "401 Unauthorized", Note: "still rejected"}},
	}
	lapse := rules.Finding{
		Rule: ruleLapse, Subject: "sip:100@pbx.example", At: ref(20, 30),
		Message: "binding of sip:100@pbx.example at pbx.example granted for 60 s was not refreshed", Confidence: rules.High, Affected: 1,
		CallIDs:  []string{"r1"},
		Evidence: []rules.Evidence{{At: ref(20, 30), Src: itsp, Dst: ua, Summary: "200 OK", Note: "binding granted for 60 s; password 7 0822455D0A16"}},
	}
	tr := &decode.Trace{Messages: 42, Transactions: 12, Dialogs: 1, Span: decode.Span{First: t0, Last: t0 + 300e9},
		Problems: []decode.Problem{{At: ref(40, 200), Message: "malformed SIP: bad-via"}}, ProblemCount: 1,
		Registrations: make([]*decode.Registration, 2)}
	return []rules.Finding{lapse, loop, mismatch}, tr
}

func TestGroupingMergesSymptoms(t *testing.T) {
	fs, tr := fixture()
	r := Build(fs, tr, []Input{{Name: "trace.pcap", Format: "pcap", Messages: 42}}, Options{Redact: RedactOptions{Secrets: true}})
	if len(r.Diagnoses) != 2 {
		t.Fatalf("%d diagnoses, want 2 (the loop merged into the realm mismatch)", len(r.Diagnoses))
	}
	d := r.Diagnoses[0]
	if d.Rank != 1 || d.Rules[0] != "AUTH001" || len(d.Findings) != 2 || d.Findings[1].Role != "symptom" || d.Findings[1].Rule != "AUTH004" {
		t.Errorf("first diagnosis: %+v", d)
	}
	if d.Severity != "critical" || r.Diagnoses[1].Rules[0] != "REG001" {
		t.Errorf("ranking: %s then %v", d.Severity, r.Diagnoses[1].Rules)
	}
	if r.Summary.Critical != 1 || r.Summary.Warning != 1 || r.Summary.Registrations != 2 {
		t.Errorf("summary %+v", r.Summary)
	}
}

func TestStableOrder(t *testing.T) {
	fs, tr := fixture()
	a := Build(fs, tr, nil, Options{})
	// Same findings in another order: same report.
	b := Build([]rules.Finding{fs[2], fs[0], fs[1]}, tr, nil, Options{})
	var ba, bb bytes.Buffer
	WriteJSON(&ba, a)
	WriteJSON(&bb, b)
	if ba.String() != bb.String() {
		t.Error("report depends on the order findings arrive in")
	}
}

func TestScoreOrdersBySeverityConfidenceAndReach(t *testing.T) {
	if !(score(rules.Critical, rules.High, 1) > score(rules.Warning, rules.High, 50)) {
		t.Error("a certain critical finding must outrank a widespread warning")
	}
	if !(score(rules.Critical, rules.High, 15) > score(rules.Critical, rules.High, 1)) {
		t.Error("more affected attempts must rank higher")
	}
	if !(score(rules.Critical, rules.High, 1) > score(rules.Critical, rules.Low, 1)) {
		t.Error("confidence must count")
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		`Digest realm="x", nonce="abc", qop="auth"`:                   `Digest realm="x", nonce="<redacted>", qop="auth"`,
		`username="u", response="0a1b", cnonce="zz", nc=00000001`:     `username="u", response="<redacted>", cnonce="<redacted>", nc=00000001`,
		`NONCE=abc,opaque="o"`:                                        `NONCE="<redacted>",opaque="<redacted>"`,
		`nonce="a\"b", realm="r"`:                                     `nonce="<redacted>", realm="r"`,
		` credentials username trunk password 7 0822455D0A16 realm x`: ` credentials username trunk password 7 <redacted> realm x`,
		`authentication username u password 0 s3cret`:                 `authentication username u password 0 <redacted>`,
		`realm="nonce-free"`:                                          `realm="nonce-free"`,
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

func TestRenderersGolden(t *testing.T) {
	fs, tr := fixture()
	r := Build(fs, tr, []Input{{Name: "trace.pcap", Format: "pcap", Frames: 50, Messages: 42, Problems: 1}}, Options{Redact: RedactOptions{Secrets: true}})
	for _, tc := range []struct {
		file   string
		render func(*bytes.Buffer) error
	}{
		{"report.txt", func(b *bytes.Buffer) error { return WriteText(b, r, TextOptions{}) }},
		{"report-color.txt", func(b *bytes.Buffer) error { return WriteText(b, r, TextOptions{Color: true}) }},
		{"report.json", func(b *bytes.Buffer) error { return WriteJSON(b, r) }},
	} {
		var b bytes.Buffer
		if err := tc.render(&b); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, tc.file, b.Bytes())
	}
	var b bytes.Buffer
	WriteText(&b, r, TextOptions{})
	if strings.Contains(b.String(), "deadbeef") || strings.Contains(b.String(), "8f2a1c") || strings.Contains(b.String(), "0822455D0A16") {
		t.Error("secrets leaked into the text report")
	}
}

// TestFilterQuoting: Call-IDs are quoted as Wireshark display-filter
// strings — '"' and '\' escaped, non-printing and non-UTF-8 bytes as \xhh,
// printable non-ASCII left as it is (Go's %q would write \u escapes).
func TestFilterQuoting(t *testing.T) {
	for in, want := range map[string]string{
		"abc@10.0.0.1":   `sip.Call-ID == "abc@10.0.0.1"`,
		`a"b\c`:          `sip.Call-ID == "a\"b\\c"`,
		"a\tb\x7f\xff":   `sip.Call-ID == "a\x09b\x7f\xff"`,
		"zürich\u00ad@h": `sip.Call-ID == "zürich\xc2\xad@h"`,
		"x y":            `sip.Call-ID == "x y"`,
	} {
		if got := Filter([]string{in}); got != want {
			t.Errorf("Filter(%q) = %s, want %s", in, got, want)
		}
	}
	if got := Filter([]string{"a", "b"}); got != `sip.Call-ID == "a" || sip.Call-ID == "b"` {
		t.Errorf("two Call-IDs: %s", got)
	}
}
