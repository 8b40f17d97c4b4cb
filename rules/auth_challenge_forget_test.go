package rules

import (
	"testing"

	"github.com/sipdiag/sipdiag/decode"
)

// TestIdleQueueForgetsOnlyWhatIsNoLongerNeeded checks that only accounts
// with nothing to follow, nothing to report and an old latest challenge
// are forgotten, and that one still following a challenge is looked at
// again later.
func TestIdleQueueForgetsOnlyWhatIsNoLongerNeeded(t *testing.T) {
	if idleAfter <= int64(decode.TimerF) {
		t.Fatalf("idleAfter %d must exceed Timer F: the verdicts come at Timer F", idleAfter)
	}
	at := int64(1000e9)
	idle := &silenceState{subject: "idle", lastAt: at}
	again := &silenceState{subject: "again", lastAt: at}
	open := &silenceState{subject: "open", lastAt: at, open: 1}
	waiting := &silenceState{subject: "waiting", lastAt: at, waiting: []*silence{{}}}
	found := &silenceState{subject: "found", lastAt: at, first: &silence{}}
	u := &uaSeen{accounts: []*silenceState{idle, again, open, waiting, found}}
	var q idleQueue
	for _, s := range u.accounts {
		q.push(u, s, at+idleAfter)
	}
	// "again" is challenged anew a minute later.
	again.lastAt = at + 60e9
	q.push(u, again, again.lastAt+idleAfter)

	kept := func() []string {
		var names []string
		for _, s := range u.accounts {
			names = append(names, s.subject)
		}
		return names
	}
	check := func(want ...string) {
		t.Helper()
		got := kept()
		if len(got) != len(want) {
			t.Fatalf("kept %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("kept %v, want %v", got, want)
			}
		}
	}
	q.forget(at + idleAfter) // nothing due yet
	check("idle", "again", "open", "waiting", "found")
	q.forget(at + idleAfter + 1)
	check("again", "open", "waiting", "found")
	open.open = 0 // its verdict came
	q.forget(at + 60e9 + idleAfter + 1)
	check("open", "waiting", "found")
	q.forget(at + 60e9 + 2*idleAfter + 2)
	check("waiting", "found")
}
