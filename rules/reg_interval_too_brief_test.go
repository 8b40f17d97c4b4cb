package rules

import (
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/decode"
)

// feed423 feeds a REGISTER asking `asked` seconds refused with 423 and
// Min-Expires min (-1: absent).
func feed423(f *synFeeder, reg *decode.Registration, t0 float64, frame int64, asked, min int) {
	t := synAnswer(synReq("REGISTER", reg.AOR, "r1", synUA, t0, frame), 423, t0+0.01)
	t.Requested = asked
	t.Final.MinExpires = min
	f.reg(decode.RegFailed, reg, t)
}

func TestIntervalTooBrief(t *testing.T) {
	newReg := func() *decode.Registration { return &decode.Registration{AOR: synAOR, Registrar: "pbx.example"} }

	// Retry still below Min-Expires, refused again.
	f := newSynFeeder(t, []*Rule{IntervalTooBrief}, nil)
	reg := newReg()
	feed423(f, reg, 0, 1, 5, 20)
	feed423(f, reg, 0.1, 3, 5, 20)
	fs := f.finish(60)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "Min-Expires: 20") || !strings.Contains(fs[0].Message, "retried with 5 s, still below the minimum") ||
		fs[0].Affected != 2 || fs[0].Confidence != High {
		t.Fatalf("retry too brief: %v", fs)
	}
	if ev := fs[0].Evidence; len(ev) != 4 || ev[1].At.Frame != 2 || ev[2].At.Frame != 3 || ev[3].At.Frame != 4 {
		t.Errorf("evidence: %+v", ev)
	}

	// Gave up: nothing after the 423 while the capture goes on.
	f = newSynFeeder(t, []*Rule{IntervalTooBrief}, nil)
	feed423(f, newReg(), 0, 1, 5, 20)
	fs = f.finish(60)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "gave up") {
		t.Errorf("gave up: %v", fs)
	}

	// A 423 without Min-Expires, refused again.
	f = newSynFeeder(t, []*Rule{IntervalTooBrief}, nil)
	reg = newReg()
	feed423(f, reg, 0, 1, 5, -1)
	feed423(f, reg, 0.1, 3, 10, -1)
	register(f, reg, decode.RegGranted, 0.2, 5, 3600, 200, 3600)
	fs = f.finish(60)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "without Min-Expires") || fs[0].Confidence != Medium {
		t.Errorf("no Min-Expires: %v", fs)
	}
}

func TestIntervalTooBriefNearMisses(t *testing.T) {
	// RFC 3261 §10.2.8 followed: retry at Min-Expires, registered.
	f := newSynFeeder(t, []*Rule{IntervalTooBrief}, nil)
	reg := &decode.Registration{AOR: synAOR, Registrar: "pbx.example"}
	feed423(f, reg, 0, 1, 10, 20)
	register(f, reg, decode.RegGranted, 0.1, 3, 20, 200, 20)
	if fs := f.finish(60); len(fs) != 0 {
		t.Errorf("compliant retry: %v", fs)
	}
	// The retry was challenged first: judged on what it asks for.
	f = newSynFeeder(t, []*Rule{IntervalTooBrief}, nil)
	reg = &decode.Registration{AOR: synAOR, Registrar: "pbx.example"}
	feed423(f, reg, 0, 1, 10, 20)
	ch := synChallenged(synReq("REGISTER", synAOR, "r1", synUA, 0.1, 3), 401, 0.11, "pbx.example", "n")
	ch.Requested = 20
	f.reg(decode.RegChallenged, reg, ch)
	if fs := f.finish(60); len(fs) != 0 {
		t.Errorf("compliant retry, challenged: %v", fs)
	}
	// The capture ends before the UA could retry: undecided, not a finding.
	f = newSynFeeder(t, []*Rule{IntervalTooBrief}, nil)
	feed423(f, &decode.Registration{AOR: synAOR, Registrar: "pbx.example"}, 0, 1, 10, 20)
	if fs := f.finish(5); len(fs) != 0 || len(f.r.Undecided()) != 1 {
		t.Errorf("capture ends: findings %v, undecided %v", fs, f.r.Undecided())
	}
}
