package rules

import (
	"fmt"
	"net/netip"
	"runtime"
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/decode"
)

// silentUA feeds one REGISTER from the UA at ua, challenged at t0, and the
// correlator's verdict that no credentials followed.
func silentUA(f *synFeeder, ua netip.AddrPort, callID string, t0 float64, frame int64) {
	f.auth(unansweredFrom(f, ua, callID, t0, frame, false))
}

func uaNumber(i int) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 9, byte(i >> 8), byte(i)}), 5060)
}

// Eight UAs silent on one account: the first group-uas get a finding of
// their own, the others one finding on the account.
func TestChallengeUnansweredFoldsManyUAs(t *testing.T) {
	for _, tc := range []struct {
		groupUAs string // "" for the default
		own      int
		folded   int // UAs in the fold, 0 for none
	}{
		{"", 5, 3},
		{"7", 7, 1},
		{"8", 8, 0},
		{"0", 8, 0},
	} {
		t.Run("group-uas="+tc.groupUAs, func(t *testing.T) {
			var over map[string]string
			if tc.groupUAs != "" {
				over = map[string]string{"AUTH002.group-uas": tc.groupUAs}
			}
			f := newSynFeeder(t, []*Rule{ChallengeUnanswered}, over)
			for i := range 8 {
				silentUA(f, uaNumber(i), fmt.Sprintf("c%d", i), float64(i), int64(2*i+1))
			}
			fs := f.finish(100)
			own, folds := 0, 0
			for _, g := range fs {
				switch {
				case strings.HasPrefix(g.Message, "the UA at "):
					own++
				case strings.Contains(g.Message, "more UAs"):
					folds++
					want := fmt.Sprintf("%d more UAs (the first at %s, the last at %s) answered none of %d challenges",
						tc.folded, uaNumber(8-tc.folded).Addr(), uaNumber(7).Addr(), tc.folded)
					if !strings.HasPrefix(g.Message, want) || g.Subject != synAOR || g.Affected != tc.folded || g.Confidence != Medium {
						t.Errorf("fold: %+v, want it to start %q", g, want)
					}
					if ev := g.Evidence; tc.folded > 1 && (len(ev) != 3 || ev[0].At.Frame != int64(2*(8-tc.folded)+1) || ev[2].At.Frame != 16) {
						t.Errorf("fold evidence: %+v", ev)
					}
				default:
					t.Errorf("unexpected finding %+v", g)
				}
			}
			if own != tc.own || folds != min(tc.folded, 1) {
				t.Errorf("%d findings of their own and %d folds, want %d and %d", own, folds, tc.own, min(tc.folded, 1))
			}
		})
	}
}

// A fold counts a UA once, however often it is silent, and says when it
// met more addresses than it counts.
func TestSilentAccountsCountDistinctUAs(t *testing.T) {
	ch := synChallenged(synReq("REGISTER", synAOR, "c1", synUA, 0, 1), 401, 0.01, "pbx.example", "n")
	x := &silence{ex: synExchange(ch, nil, decode.AuthUnanswered)}
	sa := silentAccounts{groupUAs: 1}
	ua := synUA.Addr()
	if sa.place(synAOR, "REGISTER", ua) != placeOwn || sa.place(synAOR, "REGISTER", ua) != placeAccount || sa.place(synAOR, "INVITE", ua) != placeOwn {
		t.Fatal("place: one UA of its own per account and method")
	}
	sa.fold(placeAccount, synAOR, "REGISTER", uaNumber(1).Addr(), x)
	sa.fold(placeAccount, synAOR, "REGISTER", uaNumber(1).Addr(), x)
	sa.fold(placeAccount, synAOR, "REGISTER", uaNumber(2).Addr(), x)
	f := sa.accounts[foldKey{synAOR, "REGISTER"}]
	if len(sa.order) != 1 || f.uas.len() != 2 || f.silences != 3 || f.moreUAs {
		t.Fatalf("fold: %d UAs, %d silences, more %v; %d folds", f.uas.len(), f.silences, f.moreUAs, len(sa.order))
	}
	for i := range maxFoldedUAs {
		sa.fold(placeAccount, synAOR, "REGISTER", netip.AddrFrom4([4]byte{11, byte(i >> 16), byte(i >> 8), byte(i)}), x)
	}
	if f.uas.len() != maxFoldedUAs || !f.moreUAs {
		t.Errorf("after %d more UAs: %d counted, more %v", maxFoldedUAs, f.uas.len(), f.moreUAs)
	}
}

// place: the account's fold first, then the UA's, then the capture's; a
// pair of its own counts on its account, its UA and the capture.
func TestSilentAccountsPlace(t *testing.T) {
	sa := silentAccounts{groupUAs: 2, groupAccounts: 2, groupAll: 5}
	ua := func(i int) netip.Addr { return uaNumber(i).Addr() }
	acct := func(i int) string { return fmt.Sprintf("sip:%d@pbx.example", i) }
	for _, tc := range []struct {
		ua   int
		acct int
		want placement
	}{
		{1, 1, placeOwn},
		{2, 1, placeOwn},
		{3, 1, placeAccount}, // two UAs on account 1 already
		{1, 2, placeOwn},
		{1, 3, placeUA}, // two accounts of UA 1 already
		{3, 3, placeOwn},
		{4, 4, placeOwn}, // the fifth of its own
		{5, 5, placeAll},
		{2, 1, placeAccount}, // the account's fold comes first
		{1, 6, placeUA},      // then the UA's
	} {
		if got := sa.place(acct(tc.acct), "REGISTER", ua(tc.ua)); got != tc.want {
			t.Errorf("UA %d, account %d: placed %d, want %d", tc.ua, tc.acct, got, tc.want)
		}
	}
	if sa.own != 5 || len(sa.accounts) != 4 || len(sa.uas) != 4 {
		t.Errorf("%d pairs of their own, %d accounts and %d UAs recorded; want 5, 4, 4", sa.own, len(sa.accounts), len(sa.uas))
	}
	off := silentAccounts{}
	for i := range 100 {
		if got := off.place(acct(i%3), "REGISTER", ua(i%7)); got != placeOwn {
			t.Fatalf("with every fold off, placed %d", got)
		}
	}
	if off.accounts != nil || off.uas != nil {
		t.Error("with every fold off, nothing is recorded per account or UA")
	}
}

// The point of folding: a UA whose silences are folded keeps no state once
// quiet, so memory does not grow with the number of silent UAs. Each UA
// is challenged once and sends a request again 70 s later (which settles
// its silence); with every UA reported on its own, each keeps its state,
// its silence and the transactions they point to to the end.
func TestChallengeUnansweredFoldKeepsNoStatePerUA(t *testing.T) {
	const uas = 4000
	perUA := func(over map[string]string) float64 {
		f := newSynFeeder(t, []*Rule{ChallengeUnanswered}, over)
		before := liveHeap()
		const step, again = 1.0, 70.0 // some 200 UAs followed at a time
		lag := int(again / step)
		tail := int(4 * float64(idleAfter) / 1e9 / step)
		for i := 0; i < uas+lag+tail; i++ {
			at := float64(i) * step
			if i < uas {
				silentUA(f, uaNumber(i), fmt.Sprintf("c%d", i), at, int64(3*i+1))
			}
			if j := i - lag; j >= 0 && j < uas {
				f.txn(synAnswer(synReq("REGISTER", synAOR, fmt.Sprintf("r%d", j), uaNumber(j), at, int64(3*j+3)), 200, at+0.01))
			} else if i >= uas {
				// Time goes on: another UA's traffic, which is not followed.
				f.txn(synAnswer(synReq("REGISTER", "sip:bob@pbx.example", fmt.Sprintf("b%d", i), synUA, at, int64(3*i+2)), 200, at+0.01))
			}
		}
		kept := liveHeap() - before
		runtime.KeepAlive(f)
		return float64(kept) / uas
	}
	folded := perUA(map[string]string{"AUTH002.group-uas": "5"})
	own := perUA(map[string]string{"AUTH002.group-uas": "0", "AUTH002.group-all": "0"})
	t.Logf("bytes kept per silent UA: %.0f folded, %.0f each reported", folded, own)
	if own < 1000 {
		t.Fatalf("with every UA reported on its own, %.0f bytes per UA: the measurement does not see the states", own)
	}
	if folded > 100 {
		t.Errorf("with folding, %.0f bytes kept per silent UA; want at most 100 (its address in the fold's count)", folded)
	}
}

// More unanswered challenges than a UA's waiting list holds (maxWaiting):
// the oldest are counted as they are pushed out, so every one is counted
// once.
func TestChallengeUnansweredWaitingOverflow(t *testing.T) {
	f := newSynFeeder(t, []*Rule{ChallengeUnanswered}, nil)
	const n = maxWaiting + 3
	for i := range n {
		silentUA(f, synUA, fmt.Sprintf("c%d", i), 0.1*float64(i), int64(2*i+1))
	}
	fs := f.finish(100)
	if len(fs) != 1 || fs[0].Affected != n || !strings.Contains(fs[0].Message, fmt.Sprintf("answered none of %d challenges", n)) {
		t.Fatalf("want one finding on %d challenges, got %+v", n, fs)
	}
}
