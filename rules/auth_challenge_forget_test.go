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
	idle := &silenceState{silenceHead: silenceHead{subject: "idle", lastAt: at}}
	again := &silenceState{silenceHead: silenceHead{subject: "again", lastAt: at}}
	open := &silenceState{silenceHead: silenceHead{subject: "open", lastAt: at, open: 1}}
	waiting := &silenceState{silenceHead: silenceHead{subject: "waiting", lastAt: at, waiting: []*silence{{}}, nwait: 1}}
	found := &silenceState{silenceHead: silenceHead{subject: "found", lastAt: at, first: &silence{}}}
	var uas uaTable
	const key = 7
	u := uas.add(key)
	for _, s := range []*silenceState{idle, again, open, waiting, found} {
		u.add(s) // the fifth goes to more: forgetting moves it up into own
	}
	var q idleQueue
	for _, s := range u.list() {
		q.push(key, s, at+idleAfter)
	}
	// "again" is challenged anew a minute later.
	again.lastAt = at + 60e9
	q.push(key, again, again.lastAt+idleAfter)

	kept := func() []string {
		var names []string
		for _, s := range u.list() {
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
	q.forget(at+idleAfter, &uas, keepWaiting) // nothing due yet
	check("idle", "again", "open", "waiting", "found")
	q.forget(at+idleAfter+1, &uas, keepWaiting)
	check("again", "open", "waiting", "found")
	open.open = 0 // its verdict came
	q.forget(at+60e9+idleAfter+1, &uas, keepWaiting)
	check("open", "waiting", "found")
	q.forget(at+60e9+2*idleAfter+2, &uas, keepWaiting)
	check("waiting", "found")
}

// TestIdleQueueReuseSkipsStaleEntries checks that a forgotten account is
// handed out again by reuse, and that an older queue entry of it, still
// pending, does not forget it in its new use.
func TestIdleQueueReuseSkipsStaleEntries(t *testing.T) {
	at := int64(1000e9)
	s := &silenceState{silenceHead: silenceHead{subject: "old", lastAt: at}}
	var uas uaTable
	u := uas.add(9)
	u.add(s)
	var q idleQueue
	q.push(9, s, at+idleAfter)
	q.push(9, s, at+2*idleAfter) // a second entry of the same account
	q.forget(at+idleAfter+1, &uas, keepWaiting)
	if len(u.list()) != 0 {
		t.Fatalf("idle account not forgotten: %d left", len(u.list()))
	}
	r := q.reuse()
	if r != s {
		t.Fatal("the forgotten account was not reused")
	}
	r.silenceHead = silenceHead{subject: "new", lastAt: at, gen: r.gen} // as find does
	u.add(r)
	q.forget(at+2*idleAfter+1, &uas, keepWaiting) // the old second entry comes due
	if l := u.list(); len(l) != 1 || l[0].subject != "new" {
		t.Fatalf("the reused account was forgotten by an entry of its former use: %d left", len(l))
	}
	if q.reuse() == s {
		t.Fatal("the reused account was handed out twice")
	}
}

// keepWaiting is the idle queue's closed for a test of the forgetting
// alone: silences still waiting stay.
func keepWaiting(uint64, *silenceState, int64) {}
