package decode

import (
	"runtime"
	"strings"
	"testing"
	"time"
	"weak"
)

// TestHeldChallengeKeepsNoLaterTransaction: a rule that keeps a challenged
// transaction (AUTH002 keeps the first of a run as evidence) must not keep
// what came after it alive. Each challenge a UA leaves unanswered links its
// exchange to the next challenged request (AuthExchange.Next); if the
// transaction or its challenge reached its own exchange, holding the first
// of a long run (a UA re-sending REGISTER without credentials for hours)
// would keep every later transaction and challenge of the run.
func TestHeldChallengeKeepsNoLaterTransaction(t *testing.T) {
	first, later := challengeRun(t, 6)
	for i := 0; i < 3; i++ {
		runtime.GC()
	}
	alive := 0
	for _, w := range later {
		if w.Value() != nil {
			alive++
		}
	}
	if alive > 0 {
		t.Errorf("holding the first challenged transaction keeps %d of the %d later ones alive", alive, len(later))
	}
	runtime.KeepAlive(first)
}

// challengeRun feeds n REGISTER/401 pairs on one Call-ID, none answered,
// and returns the first transaction and weak pointers to the others; the
// correlator and everything else it made are garbage afterwards.
//
//go:noinline
func challengeRun(t *testing.T, n int) (*Transaction, []weak.Pointer[Transaction]) {
	var first *Transaction
	var later []weak.Pointer[Transaction]
	obs := &Observers{Transaction: []func(*Transaction){func(x *Transaction) {
		if first == nil {
			first = x
			return
		}
		later = append(later, weak.Make(x))
	}}}
	c := NewCorrelator(obs, Options{})
	var steps []step
	for i := 1; i <= n; i++ {
		b := "z9hG4bK" + strings.Repeat("x", i)
		at := time.Duration(i) * time.Second
		steps = append(steps,
			step{at, ua, reg, registerMsg(i, b, "")},
			step{at + time.Millisecond, reg, ua, response("401 Unauthorized", b, i, challenge)})
	}
	feedSteps(t, c, steps)
	c.Finish()
	if first == nil || len(later) != n-1 {
		t.Fatalf("%d transactions after the first, want %d", len(later), n-1)
	}
	return first, later
}
