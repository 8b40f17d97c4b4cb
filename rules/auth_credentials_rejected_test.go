package rules

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/decode"
)

// rejectedCycle feeds REGISTER -> 401 (nonce) -> REGISTER(credentials) ->
// final, and returns the exchange it settles.
func rejectedCycle(f *synFeeder, aor, callID string, t0 float64, frame int64, answerNonce string, final int) *decode.AuthExchange {
	ch := synChallenged(synReq("REGISTER", aor, callID, synUA, t0, frame), 401, t0+0.01, "pbx.example", "n"+callID)
	f.txn(ch)
	ans := synCreds(synReq("REGISTER", aor, callID, synUA, t0+0.02, frame+2), "alice", "pbx.example", answerNonce)
	synAnswer(ans, final, t0+0.03)
	if final == 401 {
		ans.Final.Challenge = &decode.AuthChallenge{Scheme: "Digest", Realm: "pbx.example", Nonce: "m" + callID}
	}
	f.txn(ans)
	outcome := decode.AuthRejected
	if final == 200 {
		outcome = decode.AuthAccepted
	}
	a := synExchange(ch, ans, outcome)
	f.auth(a)
	return a
}

func TestCredentialsRejectedFires(t *testing.T) {
	f := newSynFeeder(t, []*Rule{CredentialsRejected}, nil)
	rejectedCycle(f, synAOR, "c1", 0, 1, "nc1", 401)
	fs := f.finish(60)
	if len(fs) != 1 {
		t.Fatalf("want one finding, got %v", fs)
	}
	g := fs[0]
	if g.Confidence != High || g.Subject != synAOR || g.At.Frame != 3 ||
		!strings.Contains(g.Message, `username "alice"`) || !strings.Contains(g.Message, "401→401") ||
		!strings.Contains(g.Message, "password or the username is wrong") {
		t.Errorf("finding: %+v", g)
	}
	// Evidence: the challenge, the answer (never its response), the rejection.
	if len(g.Evidence) != 3 || g.Evidence[0].At.Frame != 2 || g.Evidence[1].At.Frame != 3 || g.Evidence[2].At.Frame != 4 ||
		!strings.Contains(g.Evidence[1].Note, "the challenge's own nonce") {
		t.Errorf("evidence: %+v", g.Evidence)
	}
}

func TestCredentialsRejectedNearMisses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(f *synFeeder)
	}{
		{"stale=true re-challenge (RFC 7616 §3.3)", func(f *synFeeder) {
			ch := synChallenged(synReq("REGISTER", synAOR, "c1", synUA, 0, 1), 401, 0.01, "pbx.example", "n1")
			ans := synChallenged(synCreds(synReq("REGISTER", synAOR, "c1", synUA, 0.02, 3), "alice", "pbx.example", "n1"), 401, 0.03, "pbx.example", "n2")
			ans.Final.Challenge.Stale = true
			f.auth(synExchange(ch, ans, decode.AuthStale)) // the correlator's verdict for it
		}},
		{"re-challenge blaming the nonce", func(f *synFeeder) {
			ch := synChallenged(synReq("REGISTER", synAOR, "c1", synUA, 0, 1), 401, 0.01, "pbx.example", "n1")
			ans := synAnswer(synCreds(synReq("REGISTER", synAOR, "c1", synUA, 17, 3), "alice", "pbx.example", "n1"), 401, 17.1)
			ans.Final.Reason = "nonce has changed"
			f.auth(synExchange(ch, ans, decode.AuthRejected))
		}},
		{"credentials for another realm (AUTH001)", func(f *synFeeder) {
			ch := synChallenged(synReq("REGISTER", synAOR, "c1", synUA, 0, 1), 401, 0.01, "pbx.example", "n1")
			ans := synAnswer(synCreds(synReq("REGISTER", synAOR, "c1", synUA, 0.02, 3), "alice", "old.example", "n1"), 401, 0.03)
			f.auth(synExchange(ch, ans, decode.AuthRejected))
		}},
		{"old nonce from before the capture, re-challenged", func(f *synFeeder) {
			ans := synAnswer(synCreds(synReq("REGISTER", synAOR, "c1", synUA, 0, 1), "alice", "pbx.example", "old"), 401, 0.01)
			f.auth(synExchange(nil, ans, decode.AuthRejected))
		}},
		{"accepted", func(f *synFeeder) {
			rejectedCycle(f, synAOR, "c1", 0, 1, "nc1", 200)
		}},
	} {
		f := newSynFeeder(t, []*Rule{CredentialsRejected}, nil)
		tc.setup(f)
		if fs := f.finish(60); len(fs) != 0 {
			t.Errorf("%s: want nothing, got %v", tc.name, fs)
		}
	}
}

func TestCredentialsRejectedConfidence(t *testing.T) {
	// Fixed during the capture: history, low confidence.
	f := newSynFeeder(t, []*Rule{CredentialsRejected}, nil)
	rejectedCycle(f, synAOR, "c1", 0, 1, "nc1", 401)
	rejectedCycle(f, synAOR, "c1", 5, 5, "nc1", 200)
	fs := f.finish(60)
	if len(fs) != 1 || fs[0].Confidence != Low || !strings.Contains(fs[0].Message, "resolved during the capture") {
		t.Errorf("resolved: %v", fs)
	}

	// A plain 403 to a REGISTER's credentials: the password, or a
	// disabled account.
	f = newSynFeeder(t, []*Rule{CredentialsRejected}, nil)
	rejectedCycle(f, synAOR, "c1", 0, 1, "nc1", 403)
	fs = f.finish(60)
	if len(fs) != 1 || fs[0].Confidence != High || !strings.Contains(fs[0].Message, "wrong; a 403 to a REGISTER with credentials can also mean the account is disabled") {
		t.Errorf("plain 403 to REGISTER: %v", fs)
	}

	// A plain 403 to an INVITE's credentials may be a call policy.
	f = newSynFeeder(t, []*Rule{CredentialsRejected}, nil)
	ch := synChallenged(synReq("INVITE", synAOR, "c4", synUA, 0, 1), 407, 0.01, "pbx.example", "n4")
	f.auth(synExchange(ch, synAnswer(synCreds(synReq("INVITE", synAOR, "c4", synUA, 0.02, 3), "alice", "pbx.example", "n4"), 403, 0.03), decode.AuthRejected))
	fs = f.finish(60)
	if len(fs) != 1 || fs[0].Confidence != Medium || !strings.Contains(fs[0].Message, "may not do this request") {
		t.Errorf("plain 403 to INVITE: %v", fs)
	}

	// A 5xx after later credentials does not show they passed.
	f = newSynFeeder(t, []*Rule{CredentialsRejected}, nil)
	rejectedCycle(f, synAOR, "c1", 0, 1, "nc1", 401)
	ch5 := synChallenged(synReq("REGISTER", synAOR, "c1", synUA, 5, 5), 401, 5.01, "pbx.example", "n5")
	f.auth(synExchange(ch5, synAnswer(synCreds(synReq("REGISTER", synAOR, "c1", synUA, 5.02, 7), "alice", "pbx.example", "n5"), 503, 5.03), decode.AuthOther))
	fs = f.finish(60)
	if len(fs) != 1 || fs[0].Confidence != High || strings.Contains(fs[0].Message, "resolved") {
		t.Errorf("503 after credentials: %v", fs)
	}

	// "403 Incorrect Authentication" (Kamailio) is about the password.
	f2 := newSynFeeder(t, []*Rule{CredentialsRejected}, nil)
	ch = synChallenged(synReq("INVITE", synAOR, "c3", synUA, 0, 1), 407, 0.01, "pbx.example", "n3")
	ans := synAnswer(synCreds(synReq("INVITE", synAOR, "c3", synUA, 0.02, 3), "alice", "pbx.example", "n3"), 403, 0.03)
	ans.Final.Reason = "Incorrect Authentication"
	f2.auth(synExchange(ch, ans, decode.AuthRejected))
	fs = f2.finish(60)
	if len(fs) != 1 || fs[0].Confidence != High || !strings.Contains(fs[0].Message, "407→403") {
		t.Errorf("403 Incorrect Authentication: %v", fs)
	}

	// The UA answered with another nonce than the challenge's.
	f = newSynFeeder(t, []*Rule{CredentialsRejected}, nil)
	rejectedCycle(f, synAOR, "c1", 0, 1, "someother", 401)
	fs = f.finish(60)
	if len(fs) != 1 || fs[0].Confidence != Low || !strings.Contains(fs[0].Message, "did not use the nonce") {
		t.Errorf("other nonce: %v", fs)
	}
}

// Many accounts failing from one address are one finding on the source,
// which AUTH005's source view (subject "source ADDR") can explain.
func TestCredentialsRejectedGroupsBySource(t *testing.T) {
	for _, n := range []int{4, 5} {
		f := newSynFeeder(t, []*Rule{CredentialsRejected}, nil)
		for i := 0; i < n; i++ {
			rejectedCycle(f, fmt.Sprintf("sip:%d@pbx.example", 100+i), fmt.Sprintf("c%d", i), float64(i), int64(10*i+1), fmt.Sprintf("nc%d", i), 401)
		}
		fs := f.finish(60)
		switch n {
		case 4:
			if len(fs) != 4 {
				t.Errorf("4 accounts: want one finding each, got %d", len(fs))
			}
		case 5:
			if len(fs) != 1 || fs[0].Subject != "source 10.0.0.5" || !strings.Contains(fs[0].Message, "5 accounts") || fs[0].Affected != 5 ||
				fs[0].Confidence != High {
				t.Errorf("5 accounts: want one finding on the source, got %v", fs)
			}
		}
	}
}

// One source rejected for many accounts by many servers is a scanner.
func TestCredentialsRejectedScanner(t *testing.T) {
	f := newSynFeeder(t, []*Rule{CredentialsRejected}, nil)
	for i := 0; i < 5; i++ {
		aor := fmt.Sprintf("sip:%d@192.0.2.%d", 100+i, i%3+1)
		ch := synChallenged(synReq("REGISTER", aor, fmt.Sprint(i), synUA, float64(i), int64(10*i+1)), 401, float64(i)+0.01, "r", fmt.Sprint("n", i))
		ans := synAnswer(synCreds(synReq("REGISTER", aor, fmt.Sprint(i), synUA, float64(i)+0.02, int64(10*i+3)), "x", "r", fmt.Sprint("n", i)), 403, float64(i)+0.03)
		ans.Server = netip.AddrPortFrom(netip.MustParseAddr(fmt.Sprintf("192.0.2.%d", i%3+1)), 5060)
		f.auth(synExchange(ch, ans, decode.AuthRejected))
	}
	fs := f.finish(60)
	if len(fs) != 1 || fs[0].Confidence != Low || !strings.Contains(fs[0].Message, "at 3 servers, which a scanner does") {
		t.Errorf("got %v", fs)
	}
}

// A UA that answers a 407 only after Timer F (the correlator has closed the
// challenge, so the answer arrives without it) and is refused "403 Wrong
// password or domain": a late answer on an aged nonce, reported by AUTH002,
// not credentials rejected. Without the challenge in the capture the same
// 403 is still AUTH003's.
func TestCredentialsRejectedLeavesLateAnswers(t *testing.T) {
	late := func(withChallenge bool) []Finding {
		f := newSynFeeder(t, []*Rule{CredentialsRejected}, nil)
		if withChallenge {
			f.txn(synChallenged(synReq("INVITE", synAOR, "c1", synUA, 0, 1), 407, 0.2, "pbx.example", "n1"))
		}
		ans := synAnswer(synCreds(synReq("INVITE", synAOR, "c1", synUA, 51, 3), "alice", "pbx.example", "n1"), 403, 51.2)
		ans.Final.Reason = "Wrong password or domain"
		f.txn(ans)
		f.auth(synExchange(nil, ans, decode.AuthRejected))
		return f.finish(120)
	}
	if fs := late(true); len(fs) != 0 {
		t.Errorf("late answer to a captured challenge: want nothing, got %v", fs)
	}
	if fs := late(false); len(fs) != 1 || !strings.Contains(fs[0].Message, "credentials→403") {
		t.Errorf("credentials without their challenge in the capture: %v", fs)
	}
}
