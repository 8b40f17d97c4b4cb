package rules

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/decode"
)

// unanswered feeds a REGISTER challenged at t0 and the correlator's verdict
// (delivered at Timer F) that no credentials followed on its Call-ID.
func unanswered(f *synFeeder, callID string, t0 float64, frame int64, captureEnded bool) *decode.AuthExchange {
	return unansweredFrom(f, synUA, callID, t0, frame, captureEnded)
}

// unansweredFrom is unanswered for the UA at ua.
func unansweredFrom(f *synFeeder, ua netip.AddrPort, callID string, t0 float64, frame int64, captureEnded bool) *decode.AuthExchange {
	a := unansweredFor(f, ua, synAOR, callID, t0, frame)
	a.CaptureEnded = captureEnded
	return a
}

// unansweredFor is unansweredFrom for the account aor.
func unansweredFor(f *synFeeder, ua netip.AddrPort, aor, callID string, t0 float64, frame int64) *decode.AuthExchange {
	ch := synChallenged(synReq("REGISTER", aor, callID, ua, t0, frame), 401, t0+0.01, "pbx.example", "n-"+callID)
	f.txn(ch)
	return synExchange(ch, nil, decode.AuthUnanswered)
}

func TestChallengeUnansweredFires(t *testing.T) {
	f := newSynFeeder(t, []*Rule{ChallengeUnanswered}, nil)
	a := unanswered(f, "c1", 0, 1, false)
	f.auth(a)
	fs := f.finish(40)
	if len(fs) != 1 {
		t.Fatalf("want one finding, got %v", fs)
	}
	g := fs[0]
	if g.Confidence != High || g.Subject != synAOR || g.At.Frame != 2 ||
		!strings.Contains(g.Message, `401 Unauthorized (realm "pbx.example")`) ||
		!strings.Contains(g.Message, "within 32 s") || !strings.Contains(g.Message, "sent no other REGISTER") {
		t.Errorf("finding: %+v", g)
	}
	if len(g.Evidence) != 3 || g.Evidence[0].At.Frame != 1 || g.Evidence[1].At.Frame != 2 || !strings.Contains(g.Evidence[2].Note, "end of capture") {
		t.Errorf("evidence: %+v", g.Evidence)
	}
}

// What the UA did next: a new Call-ID without credentials.
func TestChallengeUnansweredShowsWhatCameNext(t *testing.T) {
	f := newSynFeeder(t, []*Rule{ChallengeUnanswered}, nil)
	a := unanswered(f, "c1", 0, 1, false)
	f.auth(a) // at Timer F
	f.txn(synChallenged(synReq("REGISTER", synAOR, "c2", synUA, 40, 5), 401, 40.01, "pbx.example", "n-c2"))
	fs := f.finish(80)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "started over with a new REGISTER on another Call-ID") {
		t.Fatalf("got %v", fs)
	}
	if ev := fs[0].Evidence; len(ev) != 3 || ev[2].At.Frame != 5 {
		t.Errorf("evidence: %+v", ev)
	}
}

func TestChallengeUnansweredNearMisses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(f *synFeeder)
	}{
		{"answered on a new Call-ID, delivered before the verdict", func(f *synFeeder) {
			a := unanswered(f, "c1", 0, 1, false)
			f.txn(synAnswer(synCreds(synReq("REGISTER", synAOR, "c2", synUA, 1, 3), "alice", "pbx.example", "n-c1"), 200, 1.01))
			f.auth(a)
		}},
		{"answered on a new Call-ID, delivered after the verdict", func(f *synFeeder) {
			a := unanswered(f, "c1", 0, 1, false)
			f.auth(a)
			f.txn(synAnswer(synCreds(synReq("REGISTER", synAOR, "c2", synUA, 31, 3), "alice", "pbx.example", "n-c1"), 200, 31.01))
		}},
		{"the challenge rejected credentials the UA had sent for this realm", func(f *synFeeder) {
			ch := synCreds(synReq("REGISTER", synAOR, "c1", synUA, 0, 1), "alice", "pbx.example", "n0")
			synChallenged(ch, 401, 0.01, "pbx.example", "n1")
			f.txn(ch)
			f.auth(synExchange(ch, nil, decode.AuthUnanswered))
		}},
	} {
		f := newSynFeeder(t, []*Rule{ChallengeUnanswered}, nil)
		tc.setup(f)
		if fs := f.finish(60); len(fs) != 0 {
			t.Errorf("%s: want nothing, got %v", tc.name, fs)
		}
	}
}

// The deadline rule stays silent when the capture ends inside Timer F and
// says so instead (issue 4, item 2).
func TestChallengeUnansweredCaptureEnds(t *testing.T) {
	f := newSynFeeder(t, []*Rule{ChallengeUnanswered}, nil)
	f.auth(unanswered(f, "c1", 0, 1, true))
	fs := f.finish(8)
	if len(fs) != 0 {
		t.Fatalf("want no finding, got %v", fs)
	}
	us := f.r.Undecided()
	if len(us) != 1 || us[0].Rule != ChallengeUnanswered || !strings.Contains(us[0].Message, "cannot be told") {
		t.Errorf("undecided: %v", us)
	}

	// A window longer than Timer F is cut by the capture's end too.
	f = newSynFeeder(t, []*Rule{ChallengeUnanswered}, map[string]string{"AUTH002.answer-within": "60s"})
	f.auth(unanswered(f, "c1", 0, 1, false))
	if fs := f.finish(40); len(fs) != 0 || len(f.r.Undecided()) != 1 {
		t.Errorf("60 s window, capture of 40 s: findings %v, undecided %v", fs, f.r.Undecided())
	}
}

// Credentials on the challenge's Call-ID after the window: a late answer,
// reported with less confidence and what the server made of it.
func TestChallengeUnansweredLateAnswer(t *testing.T) {
	f := newSynFeeder(t, []*Rule{ChallengeUnanswered}, nil)
	f.auth(unanswered(f, "c1", 0, 1, false))
	late := synAnswer(synCreds(synReq("REGISTER", synAOR, "c1", synUA, 34, 3), "alice", "pbx.example", "n-c1"), 401, 34.1)
	late.Final.Reason = "nonce has changed"
	f.txn(late)
	fs := f.finish(60)
	if len(fs) != 1 || fs[0].Confidence != Medium || !strings.Contains(fs[0].Message, "answered only 34.0 s later") ||
		!strings.Contains(fs[0].Message, "the nonce had aged") {
		t.Errorf("got %v", fs)
	}
}
