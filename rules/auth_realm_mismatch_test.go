package rules

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/config"
	"github.com/sipdiag/sipdiag/decode"
)

// A CUBE at 192.0.2.9 registered with an ITSP at 192.0.2.200 (the
// afterthenumber.com case: the ITSP moved the trunk to realm sip-2.ITSP_1).
const cubeConfig = `interface GigabitEthernet0/1
 ip address 192.0.2.9 255.255.255.0
!
dial-peer voice 2 voip
 session target dns:sip.provider.example
 authentication username 0161496000 password 7 0822455D0A16 realm sip.provider.example
!
sip-ua
 credentials username 0161496000 password 7 0822455D0A16 realm sip-1.ITSP_1
 authentication username 0161496000 password 7 0822455D0A16 realm sip-1.ITSP_1
 registrar ipv4:192.0.2.200 expires 3600
!
`

var (
	cube = netip.MustParseAddrPort("192.0.2.9:5060")
	itsp = netip.MustParseAddrPort("192.0.2.200:5060")
)

func parseCube(t *testing.T, text string) *config.Config {
	t.Helper()
	c, err := config.Parse(strings.NewReader(text), "cube.cfg")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// challenged builds an exchange: method from client to uri, challenged by
// a 401 of realm at frame; answered with answerRealm when it is not "".
func challenged(method, uri string, client netip.AddrPort, realm, answerRealm string, frame int64) *decode.AuthExchange {
	txn := func(f int64) *decode.Transaction {
		return &decode.Transaction{
			Method: method, CallID: fmt.Sprintf("call-%d", frame), CSeq: 1, Client: client, Server: itsp,
			RequestURI: uri, FromAOR: "sip:0161496000@192.0.2.200", ToAOR: "sip:0161496000@192.0.2.200",
			Request: decode.Ref{Frame: f, Time: frame * 1e9}, Sends: 1, Requested: -1,
		}
	}
	ch := txn(frame)
	ch.Final = &decode.Response{At: decode.Ref{Frame: frame + 1, Time: frame*1e9 + 1e7}, Status: 401, Reason: "Unauthorized",
		Challenge: &decode.AuthChallenge{Realm: realm, Header: fmt.Sprintf(`WWW-Authenticate: Digest realm="%s", nonce="n"`, realm)}}
	a := &decode.AuthExchange{Subject: ch.ToAOR, Method: method, CallID: ch.CallID, Client: client, Challenge: ch, Outcome: decode.AuthUnanswered}
	if answerRealm != "" {
		ans := txn(frame + 2)
		ans.Credentials = &decode.AuthCredentials{Username: "0161496000", Realm: answerRealm}
		ans.Final = &decode.Response{At: decode.Ref{Frame: frame + 3}, Status: 401, Reason: "Unauthorized"}
		a.Answer, a.Outcome = ans, decode.AuthRejected
	} else {
		a.Next = txn(frame + 40)
	}
	return a
}

func runRealmRule(t *testing.T, c *config.Config, xs ...*decode.AuthExchange) []Finding {
	t.Helper()
	r, err := NewRunner([]*Rule{RealmMismatch}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.SetConfig(c)
	for _, x := range xs {
		for _, f := range r.Observers().Auth {
			f(x)
		}
	}
	return r.Finish(&decode.Trace{})
}

// flat renders findings with every evidence line, for matching and for the
// password check.
func flat(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s frame %d %s: %s\n", f.Confidence, f.At.Frame, f.Subject, f.Message)
		for _, e := range f.Evidence {
			fmt.Fprintf(&b, "  %s | %s\n", e.Summary, e.Note)
		}
	}
	return b.String()
}

func TestRealmMismatchConfigPartB(t *testing.T) {
	cfg := parseCube(t, cubeConfig)
	for _, tc := range []struct {
		name string
		cfg  *config.Config
		x    *decode.AuthExchange
		want []string // substrings of the flattened findings; nil: nothing may fire
	}{
		{"REGISTER, new realm, nothing configured for it", cfg,
			challenged("REGISTER", "sip:192.0.2.200", cube, "sip-2.ITSP_1", "", 10),
			[]string{
				`high frame 11 sip:0161496000@192.0.2.200: the server challenges for realm "sip-2.ITSP_1" and no configured credentials match it (configured: "sip-1.ITSP_1" (sip-ua credentials, line 9), "sip-1.ITSP_1" (sip-ua authentication, line 10))`,
				`cube.cfg line 9: credentials username 0161496000 password 7 <hidden> realm sip-1.ITSP_1 | sip-ua credentials: realm "sip-1.ITSP_1", not the challenged "sip-2.ITSP_1"`,
				`fix cube.cfg line 9 (sip-ua): change to | credentials username 0161496000 password <password> realm sip-2.ITSP_1`,
				`the UA sends this instead of answering the challenge`,
			}},
		{"INVITE through dial-peer 2, realm of neither the dial-peer nor sip-ua", cfg,
			challenged("INVITE", "sip:0123@sip.provider.example", cube, "other.example", "", 20),
			[]string{
				`cube.cfg line 6: authentication username 0161496000 password 7 <hidden> realm sip.provider.example | dial-peer authentication: realm "sip.provider.example", not the challenged "other.example"`,
				`fix cube.cfg line 6 (dial-peer voice 2 voip): change to | authentication username 0161496000 password <password> realm other.example`,
			}},
		{"near miss: the dial-peer answers its realm", cfg,
			challenged("INVITE", "sip:0123@sip.provider.example", cube, "sip.provider.example", "", 20), nil},
		{"near miss: sip-ua answers the realm", cfg,
			challenged("REGISTER", "sip:192.0.2.200", cube, "sip-1.ITSP_1", "", 10), nil},
		{"near miss: a realm-less entry answers any realm",
			parseCube(t, cubeConfig+"sip-ua\n authentication username 0161496000 password 0 Wildcard99\n"),
			challenged("REGISTER", "sip:192.0.2.200", cube, "sip-2.ITSP_1", "", 10), nil},
		{"near miss: the challenged UA is not this router", cfg,
			challenged("REGISTER", "sip:192.0.2.200", netip.MustParseAddrPort("10.9.9.9:5060"), "sip-2.ITSP_1", "", 10), nil},
		{"realm differing only in case is said so", cfg,
			challenged("REGISTER", "sip:192.0.2.200", cube, "SIP-1.itsp_1", "", 10),
			[]string{`"sip-1.ITSP_1" (sip-ua credentials, line 9), which differs only in letter case`}},
		{"a log without the client's address is the router's own", cfg,
			challenged("REGISTER", "sip:192.0.2.200", netip.AddrPort{}, "sip-2.ITSP_1", "", 10),
			[]string{`no configured credentials match it`}},
		{"a pasted sip-ua section (no addresses): medium confidence",
			parseCube(t, "sip-ua\n credentials username 0161496000 password 7 0822455D0A16 realm sip-1.ITSP_1\n registrar ipv4:192.0.2.200 expires 3600\n"),
			challenged("REGISTER", "sip:192.0.2.200", netip.MustParseAddrPort("10.9.9.9:5060"), "sip-2.ITSP_1", "", 10),
			[]string{`medium frame 11 sip:0161496000@192.0.2.200: the server challenges for realm "sip-2.ITSP_1" and no configured credentials match it`}},
		{"near miss: no addresses, and the account is not configured",
			parseCube(t, "sip-ua\n credentials username 7000 password 7 0822455D0A16 realm sip-1.ITSP_1\n"),
			challenged("REGISTER", "sip:192.0.2.200", netip.MustParseAddrPort("10.9.9.9:5060"), "sip-2.ITSP_1", "", 10), nil},
		{"near miss: a REGISTER to a registrar the router does not use",
			parseCube(t, "sip-ua\n credentials username 0161496000 password 7 0822455D0A16 realm sip-1.ITSP_1\n registrar ipv4:192.0.2.201 expires 3600\n"),
			challenged("REGISTER", "sip:192.0.2.200", netip.MustParseAddrPort("10.9.9.9:5060"), "sip-2.ITSP_1", "", 10), nil},
		{"near miss: no configuration given", nil,
			challenged("REGISTER", "sip:192.0.2.200", cube, "sip-2.ITSP_1", "", 10), nil},
		{"INVITE to a host no dial-peer targets: every dial-peer and sip-ua fail", cfg,
			challenged("INVITE", "sip:0123@203.0.113.7", cube, "x.example", "", 30),
			[]string{`no configured credentials match it`}},
		{"near miss: INVITE to an untargeted host, but some dial-peer could answer", cfg,
			challenged("INVITE", "sip:0123@203.0.113.7", cube, "sip.provider.example", "", 30), nil},
		{"part (a) with the configuration: the line the wrong realm comes from", cfg,
			challenged("REGISTER", "sip:192.0.2.200", cube, "sip-2.ITSP_1", "sip-1.ITSP_1", 10),
			[]string{
				`answers with credentials for realm "sip-1.ITSP_1"`,
				`cube.cfg line 9: credentials username 0161496000 password 7 <hidden> realm sip-1.ITSP_1 | sip-ua credentials for realm "sip-1.ITSP_1": the realm the UA answers with`,
				`fix cube.cfg line 9 (sip-ua): change to | credentials username 0161496000 password <password> realm sip-2.ITSP_1`,
			}},
		{"part (a), but the configuration already has the challenged realm", cfg,
			challenged("REGISTER", "sip:192.0.2.200", cube, "sip-1.ITSP_1", "old.example", 10),
			[]string{`cube.cfg line 9: credentials username 0161496000 password 7 <hidden> realm sip-1.ITSP_1 | sip-ua credentials (realm "sip-1.ITSP_1") already answers realm "sip-1.ITSP_1": the UA that answered is not running this configuration`}},
	} {
		got := flat(runRealmRule(t, tc.cfg, tc.x))
		if strings.Contains(got, "0822455D0A16") || strings.Contains(got, "Wildcard99") {
			t.Errorf("%s: a configured password reaches a finding:\n%s", tc.name, got)
		}
		if tc.want == nil {
			if got != "" {
				t.Errorf("%s: want no finding, got:\n%s", tc.name, got)
			}
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: missing %q in:\n%s", tc.name, w, got)
			}
		}
	}
}

func TestRealmMismatchConfigCaptureEnded(t *testing.T) {
	x := challenged("REGISTER", "sip:192.0.2.200", cube, "sip-2.ITSP_1", "", 10)
	x.Next, x.CaptureEnded = nil, true
	fs := runRealmRule(t, parseCube(t, cubeConfig), x, x)
	if len(fs) != 1 || fs[0].Confidence != Medium || fs[0].Affected != 2 {
		t.Fatalf("want one medium-confidence finding covering both, got:\n%s", flat(fs))
	}
}

// Part (b) takes the place of part (c): with the configuration, a realm
// change that nothing configured answers is reported once, as (b), with
// the earlier accepted answer as evidence.
func TestRealmMismatchConfigReplacesPartC(t *testing.T) {
	ok := challenged("REGISTER", "sip:192.0.2.200", cube, "sip-1.ITSP_1", "sip-1.ITSP_1", 1)
	ok.Outcome, ok.Answer.Final.Status = decode.AuthAccepted, 200
	changed := challenged("REGISTER", "sip:192.0.2.200", cube, "sip-2.ITSP_1", "", 10)
	without := flat(runRealmRule(t, nil, ok, changed))
	if !strings.Contains(without, `the realm changed from "sip-1.ITSP_1"`) {
		t.Fatalf("without --config, part (c) must fire:\n%s", without)
	}
	with := flat(runRealmRule(t, parseCube(t, cubeConfig), ok, changed))
	if strings.Contains(with, "the realm changed") || strings.Count(with, "no configured credentials match it") != 1 ||
		!strings.Contains(with, "earlier answer, accepted") {
		t.Errorf("with --config, want part (b) once with the earlier answer:\n%s", with)
	}
}

func TestExpiryConfigEvidence(t *testing.T) {
	c := parseCube(t, cubeConfig)
	reg := challenged("REGISTER", "sip:192.0.2.200", cube, "r", "", 1).Challenge
	got := ""
	for _, e := range expiryConfigEvidence(c, reg, 600) {
		got += e.Summary + " | " + e.Note + "\n"
	}
	want := "cube.cfg line 11: registrar ipv4:192.0.2.200 expires 3600 | the router asks for 3600 s; the registrar grants 600 s\n" +
		"fix cube.cfg line 11 (sip-ua): change to | registrar ipv4:192.0.2.200 expires 600\n"
	if got != want {
		t.Errorf("got:\n%swant:\n%s", got, want)
	}
	if ev := expiryConfigEvidence(c, reg, 3600); ev != nil {
		t.Errorf("granted what it asks: %v", ev)
	}
	other := challenged("REGISTER", "sip:192.0.2.200", netip.MustParseAddrPort("10.9.9.9:5060"), "r", "", 1).Challenge
	if ev := expiryConfigEvidence(c, other, 600); ev != nil || expiryConfigEvidence(nil, reg, 600) != nil {
		t.Errorf("another UA, or no configuration: %v", ev)
	}
}

func TestURIHostAndAORUser(t *testing.T) {
	for in, want := range map[string]string{
		"sip:a@b.example:5070;transport=tcp": "b.example:5070",
		"sip:b.example":                      "b.example",
		"sips:[2001:db8::1]:5061":            "[2001:db8::1]:5061",
		"sip:u@[2001:db8::1]":                "[2001:db8::1]",
		"sip:u:pw@h?subject=x":               "h",
		// Malformed Request-URIs, read as the comment of uriHost says
		// (decode.ParseURI reads them otherwise).
		"sip:a@b@host":                  "host",
		"<sip:host>":                    "host",
		"host":                          "host",
		"tel:+15551234;phone-context=x": "+15551234",
	} {
		if got := uriHost(in); got != want {
			t.Errorf("uriHost(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"sip:1001@example.com": "1001", "sip:example.com": "", "1001@x": "1001"} {
		if got := aorUser(in); got != want {
			t.Errorf("aorUser(%q) = %q, want %q", in, got, want)
		}
	}
}

// With no interface addresses, a UA that answered with a configured
// username is the router, whatever account its later requests are for.
func TestRealmMismatchConfigLearnsTheRouter(t *testing.T) {
	cfg := parseCube(t, "sip-ua\n credentials username 0161496000 password 7 0822455D0A16 realm sip-1.ITSP_1\n")
	ua := netip.MustParseAddrPort("10.9.9.9:5060")
	ok := challenged("REGISTER", "sip:192.0.2.200", ua, "sip-1.ITSP_1", "sip-1.ITSP_1", 1)
	ok.Outcome, ok.Answer.Final.Status = decode.AuthAccepted, 200
	call := challenged("INVITE", "sip:0123@192.0.2.200", ua, "sip-2.ITSP_1", "", 10)
	call.Subject = "sip:4420@192.0.2.9"
	if got := flat(runRealmRule(t, cfg, ok, call)); !strings.Contains(got, `medium frame 11 sip:4420@192.0.2.9: the server challenges for realm "sip-2.ITSP_1"`) {
		t.Errorf("the router's INVITE: got:\n%s", got)
	}
	if got := flat(runRealmRule(t, cfg, call)); got != "" {
		t.Errorf("nothing ties the INVITE to the router: got:\n%s", got)
	}
	// With interface addresses, the address alone says it.
	fromCube := challenged("INVITE", "sip:0123@192.0.2.200", cube, "sip-2.ITSP_1", "", 10)
	fromCube.Subject = "sip:4420@192.0.2.9"
	if got := flat(runRealmRule(t, parseCube(t, cubeConfig), fromCube)); !strings.Contains(got, `high frame 11 sip:4420@192.0.2.9`) {
		t.Errorf("the router's address: got:\n%s", got)
	}
}

// Part (a) for a UA that nothing ties to the configuration (no interface
// addresses, another username) gets no configuration evidence.
func TestRealmMismatchConfigOtherUA(t *testing.T) {
	cfg := parseCube(t, "sip-ua\n credentials username 7000 password 7 0822455D0A16 realm sip-1.ITSP_1\n")
	x := challenged("REGISTER", "sip:192.0.2.200", netip.MustParseAddrPort("10.9.9.9:5060"), "sip-2.ITSP_1", "old.example", 10)
	got := flat(runRealmRule(t, cfg, x))
	if !strings.Contains(got, `answers with credentials for realm "old.example" (once)`) || strings.Contains(got, "cube.cfg") {
		t.Errorf("want part (a) without configuration lines, got:\n%s", got)
	}
}
