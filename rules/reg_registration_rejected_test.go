package rules

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/decode"
)

func refuse(f *synFeeder, reg *decode.Registration, t0 float64, frame int64, status int) *decode.Transaction {
	t := synAnswer(synReq("REGISTER", reg.AOR, "r1", synUA, t0, frame), status, t0+0.01)
	t.Requested = 3600
	f.reg(decode.RegFailed, reg, t)
	return t
}

func TestRegistrationRejectedPerCode(t *testing.T) {
	for _, tc := range []struct {
		status int
		want   string // words of the per-code explanation
	}{
		{400, "cannot read the REGISTER"},
		{403, "allow-list"},
		{404, "does not know this user or domain"},
		{420, "Unsupported"},
		{480, "cannot serve this user now"},
		{500, "failed internally"},
		{504, "could not get an answer from the registrar"},
		{600, "definitive refusal"},
		{603, "declines"},
		{302, "redirects"},
	} {
		f := newSynFeeder(t, []*Rule{RegistrationRejected}, nil)
		refuse(f, &decode.Registration{AOR: synAOR, Registrar: "pbx.example"}, 0, 1, tc.status)
		fs := f.finish(60)
		if len(fs) != 1 {
			t.Errorf("%d: want one finding, got %v", tc.status, fs)
			continue
		}
		g := fs[0]
		if !strings.Contains(g.Message, fmt.Sprintf("refused with %d", tc.status)) || !strings.Contains(g.Message, tc.want) ||
			!strings.Contains(g.Message, "Fix: ") || g.Confidence != High || g.Subject != synAOR || g.At.Frame != 2 {
			t.Errorf("%d: %+v", tc.status, g)
		}
	}
	// Every code the catalogue names gets its own words, not the fallback.
	fallback := explainRefusal(499).meaning
	for _, code := range []int{400, 403, 404, 420, 480, 500, 502, 503, 600, 603, 604} {
		if explainRefusal(code).meaning == fallback || explainRefusal(code).fix == "" {
			t.Errorf("%d falls back to the generic explanation", code)
		}
	}
}

// What other rules own is not REG004's.
func TestRegistrationRejectedNearMisses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(f *synFeeder, reg *decode.Registration)
	}{
		{"401 with a challenge (AUTH rules)", func(f *synFeeder, reg *decode.Registration) {
			f.reg(decode.RegChallenged, reg, synChallenged(synReq("REGISTER", reg.AOR, "r1", synUA, 0, 1), 401, 0.01, "pbx.example", "n"))
		}},
		{"403 to credentials (AUTH003)", func(f *synFeeder, reg *decode.Registration) {
			f.reg(decode.RegFailed, reg, synAnswer(synCreds(synReq("REGISTER", reg.AOR, "r1", synUA, 0, 1), "alice", "pbx.example", "n"), 403, 0.01))
		}},
		{"423 (REG003)", func(f *synFeeder, reg *decode.Registration) { refuse(f, reg, 0, 1, 423) }},
		{"408 (TXN002)", func(f *synFeeder, reg *decode.Registration) { refuse(f, reg, 0, 1, 408) }},
		{"503 (TXN002)", func(f *synFeeder, reg *decode.Registration) { refuse(f, reg, 0, 1, 503) }},
		{"200", func(f *synFeeder, reg *decode.Registration) { register(f, reg, decode.RegGranted, 0, 1, 60, 200, 60) }},
	} {
		f := newSynFeeder(t, []*Rule{RegistrationRejected}, nil)
		tc.setup(f, &decode.Registration{AOR: synAOR, Registrar: "pbx.example"})
		if fs := f.finish(60); len(fs) != 0 {
			t.Errorf("%s: want nothing, got %v", tc.name, fs)
		}
	}
}

func TestRegistrationRejectedResolvedAndRepeated(t *testing.T) {
	f := newSynFeeder(t, []*Rule{RegistrationRejected}, nil)
	reg := &decode.Registration{AOR: synAOR, Registrar: "pbx.example"}
	refuse(f, reg, 0, 1, 500)
	refuse(f, reg, 5, 3, 500)
	register(f, reg, decode.RegGranted, 10, 5, 60, 200, 60)
	fs := f.finish(60)
	if len(fs) != 1 || fs[0].Affected != 2 || fs[0].Confidence != Low || !strings.Contains(fs[0].Message, "(twice)") ||
		!strings.Contains(fs[0].Message, "Registered at frame 6 later") {
		t.Errorf("resolved: %v", fs)
	}
	// Refused again after the success: live again.
	f2 := newSynFeeder(t, []*Rule{RegistrationRejected}, nil)
	refuse(f2, reg, 0, 1, 500)
	register(f2, reg, decode.RegGranted, 10, 3, 60, 200, 60)
	refuse(f2, reg, 20, 5, 500)
	if fs := f2.finish(60); len(fs) != 1 || fs[0].Confidence != High {
		t.Errorf("refused after success: %v", fs)
	}
}

func TestRegistrationRejectedGroupsBySource(t *testing.T) {
	f := newSynFeeder(t, []*Rule{RegistrationRejected}, nil)
	for i := 0; i < 6; i++ {
		reg := &decode.Registration{AOR: fmt.Sprintf("sip:%d@pbx.example", 100+i), Registrar: "pbx.example"}
		refuse(f, reg, float64(i), int64(2*i+1), 404)
	}
	fs := f.finish(60)
	if len(fs) != 1 || fs[0].Subject != "source 10.0.0.5" || !strings.Contains(fs[0].Message, "for 6 accounts") ||
		fs[0].Affected != 6 || fs[0].Confidence != High {
		t.Fatalf("want one finding on the source, got %v", fs)
	}
	// Refused by many servers: a scan, low confidence.
	f = newSynFeeder(t, []*Rule{RegistrationRejected}, nil)
	for i := 0; i < 3; i++ {
		reg := &decode.Registration{AOR: fmt.Sprintf("sip:100@192.0.2.%d", i), Registrar: fmt.Sprintf("192.0.2.%d", i)}
		tx := synAnswer(synReq("REGISTER", reg.AOR, "r1", synUA, float64(i), int64(2*i+1)), 405, float64(i)+0.01)
		tx.Server = netip.AddrPortFrom(netip.MustParseAddr(fmt.Sprintf("192.0.2.%d", i+1)), 5060)
		f.reg(decode.RegFailed, reg, tx)
	}
	fs = f.finish(60)
	if len(fs) != 3 || fs[0].Confidence != Low || !strings.Contains(fs[0].Message, "looks like a scan") {
		t.Errorf("scan: %v", fs)
	}
}

// A 403 whose reason phrase names the cause gets that cause, not the list.
func TestRegistrationRejected403Reasons(t *testing.T) {
	for reason, want := range map[string]string{
		"Forbidden - source not allowed":              "source address is not allowed",
		"Forbidden - too many failed authentications": "banned or rate-limited",
		"Account suspended":                           "disabled or suspended",
		"Forbidden":                                   "allow-list, the account is disabled",
	} {
		f := newSynFeeder(t, []*Rule{RegistrationRejected}, nil)
		tx := synAnswer(synReq("REGISTER", synAOR, "r1", synUA, 0, 1), 403, 0.01)
		tx.Final.Reason = reason
		f.reg(decode.RegFailed, &decode.Registration{AOR: synAOR, Registrar: "pbx.example"}, tx)
		fs := f.finish(60)
		if len(fs) != 1 || !strings.Contains(fs[0].Message, want) {
			t.Errorf("403 %s: want %q in %v", reason, want, fs)
		}
	}
}
