package rules

import (
	"fmt"
	"net/netip"
	"time"
)

// silentAccounts decides, per account and method, which silent UAs get an
// AUTH002 finding of their own: the first group-uas of them. The silences
// of every further UA on that account are folded into one finding on the
// account. Many addresses failing alike on one account is one story (a
// fleet provisioned without the password, or a flood using the account's
// name), and a UA whose silences are folded keeps no state once it goes
// quiet: memory stays proportional to the UAs still followed, not to every
// UA the capture ever saw fail.
type silentAccounts struct {
	groupUAs int // 0: never fold
	byKey    map[foldKey]*accountFold
	order    []*accountFold // in the order their first silence was folded
}

type foldKey struct{ subject, method string }

// accountFold is what is folded for one account and method.
type accountFold struct {
	subject, method string
	own             int // UAs with a finding of their own
	silences        int // silences folded
	// uas are the folded UAs' addrKeys, up to maxFoldedUAs; moreUAs is
	// set when there were more.
	uas             keySet
	moreUAs         bool
	first, last     *silence
	firstUA, lastUA netip.Addr
	calls           callIDs
}

// maxFoldedUAs bounds the addresses a fold counts exactly (8 bytes each).
const maxFoldedUAs = 1 << 16

// ownFinding tells whether a UA newly found silent on subject and method
// gets a finding of its own, and counts it when it does.
func (sa *silentAccounts) ownFinding(subject, method string) bool {
	if sa.groupUAs < 1 {
		return true
	}
	f := sa.account(subject, method)
	if f.own < sa.groupUAs {
		f.own++
		return true
	}
	return false
}

func (sa *silentAccounts) account(subject, method string) *accountFold {
	k := foldKey{subject, method}
	f := sa.byKey[k]
	if f == nil {
		if sa.byKey == nil {
			sa.byKey = map[foldKey]*accountFold{}
		}
		f = &accountFold{subject: subject, method: method}
		sa.byKey[k] = f
	}
	return f
}

// fold adds silence x of the UA at ua to its account's fold.
func (sa *silentAccounts) fold(subject, method string, ua netip.Addr, x *silence) {
	f := sa.account(subject, method)
	if f.first == nil {
		f.first, f.firstUA = x, ua
		sa.order = append(sa.order, f)
	}
	f.last, f.lastUA = x, ua
	f.silences++
	if k := addrKey(ua); !f.uas.has(k) {
		if f.uas.len() < maxFoldedUAs {
			f.uas.add(k)
		} else {
			f.moreUAs = true
		}
	}
	f.calls.add(x.ex.CallID)
}

// report reports every fold, one finding per account and method.
func (sa *silentAccounts) report(p *Pass, window time.Duration) {
	for _, f := range sa.order {
		reportFoldedSilence(p, f, window)
	}
}

func reportFoldedSilence(p *Pass, f *accountFold, window time.Duration) {
	ch := f.first.ex.Challenge
	c := ch.Final.Challenge
	uas := fmt.Sprintf("%d more UAs", f.uas.len())
	if f.moreUAs {
		uas = fmt.Sprintf("more than %d further UAs", f.uas.len())
	}
	msg := fmt.Sprintf("%s (the first at %s, the last at %s) answered none of %d challenges (%s, realm %q) to their %s for %s with credentials within %s",
		uas, f.firstUA, f.lastUA, f.silences, statusSummary(ch.Final), c.Realm, f.method, f.subject, seconds(window))
	msg += fmt.Sprintf("; the first %d silent UAs are reported on their own", f.own)
	msg += "; many addresses failing alike on one account is a fleet of UAs provisioned without this account's password, or a flood or scan using the account's name"
	ev := []Evidence{
		requestEvidence(ch, fmt.Sprintf("the request of the UA at %s", f.firstUA)),
		finalEvidence(ch, "challenge: "+challengeNote(c)),
	}
	if f.last != f.first {
		l := f.last.ex.Challenge
		ev = append(ev, finalEvidence(l, fmt.Sprintf("challenge %d, to the UA at %s, unanswered too: %s", f.silences, f.lastUA, challengeNote(l.Final.Challenge))))
	}
	p.Report(Finding{
		Subject: f.subject, At: ch.Final.At, Message: msg,
		Evidence: ev, CallIDs: f.calls.ids, Affected: f.silences, Confidence: Medium,
	})
}
