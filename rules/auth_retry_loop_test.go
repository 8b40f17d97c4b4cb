package rules

import (
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/decode"
)

// loopCycles feeds n rejected 401 -> 401 cycles, period seconds apart.
func loopCycles(f *synFeeder, n int, period float64) {
	for i := range n {
		rejectedCycle(f, synAOR, "c"+string(rune('a'+i)), float64(i)*period, int64(1+4*i), "n", 401)
	}
}

func TestAuthRetryLoopPeriod(t *testing.T) {
	f := newSynFeeder(t, []*Rule{AuthRetryLoop}, nil)
	loopCycles(f, 4, 5)
	fs := f.finish(60)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "4 401→401 cycles for REGISTER over 15 s, every ~5.0 s") {
		t.Fatalf("want one loop with its period, got %+v", fs)
	}
}

// Cycles handed over out of time order (a capture whose clock goes back,
// files merged the wrong way round) still give the loop's real span and
// period, not a negative one.
func TestAuthRetryLoopClockGoesBack(t *testing.T) {
	f := newSynFeeder(t, []*Rule{AuthRetryLoop}, nil)
	for i := range 4 {
		rejectedCycle(f, synAOR, "c"+string(rune('a'+i)), float64(3-i)*5, int64(1+4*i), "n", 401)
	}
	fs := f.finish(60)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "4 401→401 cycles for REGISTER over 15 s, every ~5.0 s") {
		t.Fatalf("want one loop over 15 s every 5 s, got %+v", fs)
	}
}

// A text log without timestamps gives every message time 0: the loop is
// still a loop, but no "over 0.0 ms, every ~0.0 ms" may be claimed.
func TestAuthRetryLoopNoTimestamps(t *testing.T) {
	f := newSynFeeder(t, []*Rule{AuthRetryLoop}, nil)
	for i := range 3 {
		rejectedCycleUntimed(f, i)
	}
	fs := f.r.Finish(&decode.Trace{})
	if len(fs) != 1 {
		t.Fatalf("want one loop, got %+v", fs)
	}
	msg := fs[0].Message
	if !strings.Contains(msg, "3 401→401 cycles for REGISTER (the log has no timestamps, so no period)") || strings.Contains(msg, "every ~") {
		t.Errorf("message %q", msg)
	}
}

// rejectedCycleUntimed is rejectedCycle with every time zeroed, as a text
// log without timestamps gives them.
func rejectedCycleUntimed(f *synFeeder, i int) {
	callID := "u" + string(rune('a'+i))
	frame := int64(1 + 4*i)
	ch := synChallenged(synReq("REGISTER", synAOR, callID, synUA, 0, frame), 401, 0, "pbx.example", "n"+callID)
	ans := synCreds(synReq("REGISTER", synAOR, callID, synUA, 0, frame+2), "alice", "pbx.example", "n"+callID)
	synAnswer(ans, 401, 0)
	ans.Final.Challenge = &decode.AuthChallenge{Scheme: "Digest", Realm: "pbx.example", Nonce: "m" + callID}
	for _, t := range []*decode.Transaction{ch, ans} {
		t.Request.Time, t.LastSend.Time, t.Final.At.Time = 0, 0, 0
		f.txn(t)
	}
	f.auth(synExchange(ch, ans, decode.AuthRejected))
}

// Password guessing: five accounts looping from one address are one
// finding on the source (as AUTH003 and REG004 group them), not five.
func TestAuthRetryLoopGroupsAccountsOfOneSource(t *testing.T) {
	f := newSynFeeder(t, []*Rule{AuthRetryLoop}, nil)
	frame := int64(1)
	for acc := range 5 {
		aor := "sip:user" + string(rune('a'+acc)) + "@pbx.example"
		for i := range 3 {
			rejectedCycle(f, aor, aor+string(rune('a'+i)), float64(acc*10+i), frame, "n", 401)
			frame += 4
		}
	}
	fs := f.finish(100)
	if len(fs) != 1 || !strings.HasPrefix(fs[0].Subject, "source ") || fs[0].Affected != 15 ||
		!strings.Contains(fs[0].Message, "5 accounts from") {
		t.Fatalf("want one finding on the source covering 15 cycles, got %+v", fs)
	}
	// Four accounts stay four findings: below group-accounts.
	f = newSynFeeder(t, []*Rule{AuthRetryLoop}, nil)
	for acc := range 4 {
		aor := "sip:user" + string(rune('a'+acc)) + "@pbx.example"
		for i := range 3 {
			rejectedCycle(f, aor, aor+string(rune('a'+i)), float64(acc*10+i), frame, "n", 401)
			frame += 4
		}
	}
	if fs := f.finish(100); len(fs) != 4 {
		t.Fatalf("want 4 findings per account, got %d", len(fs))
	}
}
