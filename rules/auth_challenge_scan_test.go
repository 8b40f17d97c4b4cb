package rules

import (
	"fmt"
	"net/netip"
	"runtime"
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/decode"
)

// scanPairs feeds n one-shot silences, pair i from uaOf(i) for
// accountOf(i), one a second, none ever answered nor followed by another
// request of its UA, each with the correlator's verdict at Timer F; then
// other traffic long enough for every idle check to come due. It returns
// the findings and the heap the rule kept per pair, measured before the
// end (so the findings' own memory is not counted).
func scanPairs(t *testing.T, over map[string]string, n int, uaOf func(int) netip.AddrPort, accountOf func(int) string) ([]Finding, float64) {
	t.Helper()
	f := newSynFeeder(t, []*Rule{ChallengeUnanswered}, over)
	before := liveHeap()
	verdict := int(decode.TimerF / 1e9)
	tail := int(4 * float64(idleAfter) / 1e9)
	pending := make([]*decode.AuthExchange, 0, verdict+1)
	for i := 0; i < n+tail; i++ {
		at := float64(i)
		if len(pending) > verdict || (i >= n && len(pending) > 0) {
			f.auth(pending[0])
			pending = pending[1:]
		}
		if i < n {
			pending = append(pending, unansweredFor(f, uaOf(i), accountOf(i), fmt.Sprintf("s%d", i), at, int64(3*i+1)))
			continue
		}
		// Time goes on: another UA's traffic, which is not followed.
		f.txn(synAnswer(synReq("REGISTER", "sip:bob@pbx.example", fmt.Sprintf("b%d", i), synUA, at, int64(3*i+2)), 200, at+0.01))
	}
	perPair := float64(liveHeap()-before) / float64(n)
	runtime.KeepAlive(f)
	return f.finish(float64(n + tail)), perPair
}

// liveHeap is the heap in use after a collection: what the rule (and
// the test) keeps alive.
func liveHeap() int64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// ownAndFolds counts the findings of a pair of its own and returns the
// folds, whose message starts with foldPrefix; any other is an error.
func ownAndFolds(t *testing.T, fs []Finding, foldPrefix string) (own int, folds []Finding) {
	t.Helper()
	for _, g := range fs {
		switch {
		case strings.HasPrefix(g.Message, foldPrefix):
			folds = append(folds, g)
		case strings.HasPrefix(g.Message, "the UA at "):
			own++
		default:
			t.Errorf("unexpected finding %+v", g)
		}
	}
	return own, folds
}

func scanAccount(i int) string { return fmt.Sprintf("sip:%d@pbx.example", 1000+i) }

func scanUA(i int) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{11, byte(i >> 16), byte(i >> 8), byte(i)}), 5060)
}

// One UA challenged once on each of thousands of accounts, never
// answering (SIPVicious svwar): group-accounts findings of its own and one
// on the UA, and the accounts folded keep no state once quiet. Before the
// UA's accounts were indexed, each transaction scanned them all: a
// million accounts did not finish in 25 minutes.
func TestChallengeUnansweredExtensionScan(t *testing.T) {
	const n = 4000
	fs, perPair := scanPairs(t, nil, n, func(int) netip.AddrPort { return synUA }, scanAccount)
	t.Logf("%d findings, %.0f bytes kept per account", len(fs), perPair)
	own, folds := ownAndFolds(t, fs, fmt.Sprintf("the UA at %s answered none of %d challenges", synUA.Addr(), n-5))
	for _, g := range folds {
		want := fmt.Sprintf("for %d more accounts (the first %s, the last %s)", n-5, scanAccount(5), scanAccount(n-1))
		if !strings.Contains(g.Message, want) || g.Subject != synUA.Addr().String() || g.Affected != n-5 ||
			g.Confidence != Medium || len(g.Evidence) != 3 || g.Evidence[0].At.Frame != 3*5+1 || g.Evidence[2].At.Frame != 3*(n-1)+2 {
			t.Errorf("UA fold: %+v; want it to say %q", g, want)
		}
	}
	if own != 5 || len(folds) != 1 {
		t.Errorf("%d findings of their own and %d folds, want 5 and 1", own, len(folds))
	}
	if perPair > 150 {
		t.Errorf("%.0f bytes kept per silent account; want at most 150 (the fold's count)", perPair)
	}
}

// Silence spread over thousands of UAs and accounts, each pair once:
// group-all findings of their own, one for the capture, no state kept for
// the pairs folded.
func TestChallengeUnansweredSpreadScan(t *testing.T) {
	const n = 4000
	fs, perPair := scanPairs(t, nil, n, scanUA, scanAccount)
	t.Logf("%d findings, %.0f bytes kept per pair", len(fs), perPair)
	own, folds := ownAndFolds(t, fs, fmt.Sprintf("%d more UAs answered none of %d challenges", n-50, n-50))
	for _, g := range folds {
		if !strings.Contains(g.Message, fmt.Sprintf("for %d accounts (the first from %s for %s, the last from %s for %s)", n-50, scanUA(50).Addr(), scanAccount(50), scanUA(n-1).Addr(), scanAccount(n-1))) ||
			g.Affected != n-50 || g.Confidence != Medium {
			t.Errorf("capture fold: %+v", g)
		}
	}
	if own != 50 || len(folds) != 1 {
		t.Errorf("%d findings of their own and %d folds, want 50 and 1", own, len(folds))
	}
	if perPair > 120 {
		t.Errorf("%.0f bytes kept per silent pair; want at most 120 (the fold's counts: the UA table forgets quiet UAs)", perPair)
	}
	// group-all=0: every pair on its own, as before the capture's fold.
	fs, _ = scanPairs(t, map[string]string{"AUTH002.group-all": "0"}, 200, scanUA, scanAccount)
	if len(fs) != 200 {
		t.Errorf("group-all=0: %d findings, want 200", len(fs))
	}
}

// While a scan goes on, the rule lets go of a folded pair's challenge (the
// transaction, its response and the exchange) and of its account state
// 2·Timer F after the challenge: once the correlator's verdict (at Timer
// F) is in and the window plus Linger has closed. The heap 400 s into a
// scan of 20 accounts a second, against the heap 30 s in (when the test
// itself still holds every exchange, awaiting its verdict), tells how many
// seconds of the scan are held: 2.5 times with 64 s, 4.7 with 128 s.
func TestChallengeUnansweredHoldsTwoTimerFOfAScan(t *testing.T) {
	const rate, seconds = 20, 400
	f := newSynFeeder(t, []*Rule{ChallengeUnanswered}, nil)
	base := liveHeap()
	var early int64
	var pending []*decode.AuthExchange
	for i := 0; i < rate*seconds; i++ {
		at := float64(i) / rate
		for len(pending) > 0 && synAt(0, at).Time-pending[0].Challenge.Final.At.Time > int64(decode.TimerF) {
			f.auth(pending[0])
			pending[0] = nil
			pending = pending[1:]
		}
		pending = append(pending, unansweredFor(f, synUA, scanAccount(i), fmt.Sprintf("s%d", i), at, int64(3*i+1)))
		if i == rate*30 {
			early = liveHeap() - base
		}
	}
	late := liveHeap() - base
	runtime.KeepAlive(pending)
	t.Logf("heap after 30 s: %d bytes, after %d s: %d bytes (%.1f times)", early, seconds, late, float64(late)/float64(early))
	if float64(late) > 3.5*float64(early) {
		t.Errorf("%d s into the scan the rule holds %.1f times the heap of its first 30 s; want under 3.5 (2·Timer F of pairs, not more)", seconds, float64(late)/float64(early))
	}
	f.finish(seconds + 200)
}
