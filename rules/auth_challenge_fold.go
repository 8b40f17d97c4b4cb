package rules

import (
	"fmt"
	"net/netip"
	"time"
)

// placement says where the silences of one UA (address) on one account and
// method are reported, decided when its first silence is counted.
type placement uint8

const (
	placeUndecided placement = iota
	placeOwn                 // a finding of its own (reportSilence)
	placeAccount             // the account's fold: many UAs silent on one account
	placeUA                  // the UA's fold: one UA silent on many accounts
	placeAll                 // the capture's fold: silence spread over many UAs and accounts
)

// silentAccounts decides which silent UA/account pairs get an AUTH002
// finding of their own, and folds the others:
//
//   - past the first group-uas UAs silent on one account and method, the
//     further UAs go to one finding on the account (a fleet provisioned
//     without the password, or a flood using the account's name);
//   - past the first group-accounts accounts one UA is silent on for a
//     method, its further accounts go to one finding on the UA (an
//     extension scan such as SIPVicious svwar, or a PBX with none of these
//     passwords);
//   - past group-all pairs with a finding of their own in the capture,
//     every further pair that neither fold takes goes to one finding for
//     the capture (silence spread over many addresses and accounts: a
//     distributed scan or flood).
//
// A pair whose silences are folded keeps no state once it goes quiet, and
// this record keeps state only for the pairs with a finding of their own
// (at most group-all) and for the folds: memory and the number of findings
// stay bounded however many UAs and accounts a scan goes through.
type silentAccounts struct {
	groupUAs, groupAccounts, groupAll int // 0: no such fold
	own                               int // pairs with a finding of their own
	accounts                          map[foldKey]*silenceFold
	uas                               map[uaFoldKey]*silenceFold
	all                               map[string]*silenceFold // by method
	order                             []*silenceFold          // in the order their first silence was folded
}

type foldKey struct{ subject, method string }

type uaFoldKey struct {
	ua     uint64 // addrKey
	method string
}

// silenceFold is what is folded for one account (placeAccount), one UA
// (placeUA) or the capture (placeAll), and one method; own counts the
// pairs with a finding of their own on that account or UA. The account of
// an account's fold is its firstSubject, the UA of a UA's fold its firstUA.
type silenceFold struct {
	kind     placement
	method   string
	own      int // pairs of the account or UA with a finding of their own
	silences int // silences folded
	// uas and accounts count the folded UAs (addrKey; not for a UA's
	// fold) and accounts (accountKey; not for an account's fold), up to
	// maxFoldedUAs each; moreUAs and moreAccounts are set when there were
	// more.
	uas, accounts             keySet
	moreUAs, moreAccounts     bool
	first, last               *silence
	firstUA, lastUA           netip.Addr
	firstSubject, lastSubject string
	calls                     callIDs
}

// maxFoldedUAs bounds the addresses (and the accounts) a fold counts
// exactly (8 bytes each).
const maxFoldedUAs = 1 << 16

// place decides where the silences of the UA at ua on subject and method
// go, and counts a pair given a finding of its own.
func (sa *silentAccounts) place(subject, method string, ua netip.Addr) placement {
	if sa.groupUAs > 0 {
		if f := sa.accounts[foldKey{subject, method}]; f != nil && f.own >= sa.groupUAs {
			return placeAccount
		}
	}
	uk := uaFoldKey{addrKey(ua), method}
	if sa.groupAccounts > 0 {
		if f := sa.uas[uk]; f != nil && f.own >= sa.groupAccounts {
			return placeUA
		}
	}
	if sa.groupAll > 0 && sa.own >= sa.groupAll {
		return placeAll
	}
	sa.own++
	if sa.groupUAs > 0 {
		foldIn(&sa.accounts, foldKey{subject, method}, placeAccount, method).own++
	}
	if sa.groupAccounts > 0 {
		foldIn(&sa.uas, uk, placeUA, method).own++
	}
	return placeOwn
}

// foldIn returns the fold under k in *m, adding one of kind for method
// when there is none.
func foldIn[K comparable](m *map[K]*silenceFold, k K, kind placement, method string) *silenceFold {
	f := (*m)[k]
	if f == nil {
		if *m == nil {
			*m = map[K]*silenceFold{}
		}
		f = &silenceFold{kind: kind, method: method}
		(*m)[k] = f
	}
	return f
}

// fold adds silence x of the UA at ua on subject to the fold where says.
func (sa *silentAccounts) fold(where placement, subject, method string, ua netip.Addr, x *silence) {
	var f *silenceFold
	switch where {
	case placeAccount:
		f = foldIn(&sa.accounts, foldKey{subject, method}, placeAccount, method)
	case placeUA:
		f = foldIn(&sa.uas, uaFoldKey{addrKey(ua), method}, placeUA, method)
	default:
		f = foldIn(&sa.all, method, placeAll, method)
	}
	if f.first == nil {
		f.first, f.firstUA, f.firstSubject = x, ua, subject
		sa.order = append(sa.order, f)
	}
	f.last, f.lastUA, f.lastSubject = x, ua, subject
	f.silences++
	if where != placeUA {
		f.moreUAs = countDistinct(&f.uas, addrKey(ua)) || f.moreUAs
	}
	if where != placeAccount {
		f.moreAccounts = countDistinct(&f.accounts, accountKey(subject)) || f.moreAccounts
	}
	f.calls.add(x.ex.CallID)
}

// countDistinct adds k to s while s holds fewer than maxFoldedUAs keys, and
// tells when k was new but did not fit.
func countDistinct(s *keySet, k uint64) (over bool) {
	if s.has(k) {
		return false
	}
	if s.len() < maxFoldedUAs {
		s.add(k)
		return false
	}
	return true
}

// report reports every fold, one finding each.
func (sa *silentAccounts) report(p *Pass, window time.Duration) {
	for _, f := range sa.order {
		switch f.kind {
		case placeAccount:
			reportFoldedSilence(p, f, window)
		case placeUA:
			reportFoldedAccounts(p, f, window)
		default:
			reportFoldedCapture(p, f, window, sa.groupAll)
		}
	}
}

// distinct says "N" or "more than N" for a count kept up to maxFoldedUAs.
func distinct(s *keySet, more bool) string {
	if more {
		return fmt.Sprintf("more than %d", s.len())
	}
	return fmt.Sprint(s.len())
}

func reportFoldedSilence(p *Pass, f *silenceFold, window time.Duration) {
	ch := f.first.ex.Challenge
	c := ch.Final.Challenge
	uas := fmt.Sprintf("%d more UAs", f.uas.len())
	if f.moreUAs {
		uas = fmt.Sprintf("more than %d further UAs", f.uas.len())
	}
	msg := fmt.Sprintf("%s (the first at %s, the last at %s) answered none of %d challenges (%s, realm %q) to their %s for %s with credentials within %s",
		uas, f.firstUA, f.lastUA, f.silences, statusSummary(ch.Final), c.Realm, f.method, f.firstSubject, seconds(window))
	msg += fmt.Sprintf("; the first %d silent UAs are reported on their own", f.own)
	msg += "; many addresses failing alike on one account is a fleet of UAs provisioned without this account's password, or a flood or scan using the account's name"
	p.Report(Finding{
		Subject: f.firstSubject, At: ch.Final.At, Message: msg,
		Evidence: foldEvidence(f, fmt.Sprintf("the request of the UA at %s", f.firstUA), fmt.Sprintf("to the UA at %s", f.lastUA)),
		CallIDs:  f.calls.ids, Affected: f.silences, Confidence: Medium,
	})
}

func reportFoldedAccounts(p *Pass, f *silenceFold, window time.Duration) {
	ch := f.first.ex.Challenge
	c := ch.Final.Challenge
	msg := fmt.Sprintf("the UA at %s answered none of %d challenges (%s, realm %q) to its %s for %s more accounts (the first %s, the last %s) with credentials within %s",
		f.firstUA, f.silences, statusSummary(ch.Final), c.Realm, f.method, distinct(&f.accounts, f.moreAccounts), f.firstSubject, f.lastSubject, seconds(window))
	msg += fmt.Sprintf("; the first %d accounts it was silent on are reported on their own", f.own)
	msg += "; one address challenged on many accounts that never answers is an extension scan (SIPVicious svwar and the like) or a PBX that has none of these accounts' passwords"
	p.Report(Finding{
		Subject: f.firstUA.String(), At: ch.Final.At, Message: msg,
		Evidence: foldEvidence(f, "the request for "+f.firstSubject, "for "+f.lastSubject),
		CallIDs:  f.calls.ids, Affected: f.silences, Confidence: Medium,
	})
}

func reportFoldedCapture(p *Pass, f *silenceFold, window time.Duration, groupAll int) {
	ch := f.first.ex.Challenge
	c := ch.Final.Challenge
	msg := fmt.Sprintf("%s more UAs answered none of %d challenges (%s, realm %q) to their %s for %s accounts (the first from %s for %s, the last from %s for %s) with credentials within %s",
		distinct(&f.uas, f.moreUAs), f.silences, statusSummary(ch.Final), c.Realm, f.method, distinct(&f.accounts, f.moreAccounts),
		f.firstUA, f.firstSubject, f.lastUA, f.lastSubject, seconds(window))
	msg += fmt.Sprintf("; the first %d silent UA/account pairs are reported on their own", groupAll)
	msg += "; silence spread over this many addresses and accounts is a distributed scan or flood, or a fleet provisioned without its passwords"
	p.Report(Finding{
		Subject: "many accounts", At: ch.Final.At, Message: msg,
		Evidence: foldEvidence(f, fmt.Sprintf("the request of the UA at %s for %s", f.firstUA, f.firstSubject), fmt.Sprintf("to the UA at %s for %s", f.lastUA, f.lastSubject)),
		CallIDs:  f.calls.ids, Affected: f.silences, Confidence: Medium,
	})
}

// foldEvidence is a fold's first request and challenge, and its last
// challenge when there were several.
func foldEvidence(f *silenceFold, firstNote, lastTo string) []Evidence {
	ch := f.first.ex.Challenge
	ev := []Evidence{
		requestEvidence(ch, firstNote),
		finalEvidence(ch, "challenge: "+challengeNote(ch.Final.Challenge)),
	}
	if f.last != f.first {
		l := f.last.ex.Challenge
		ev = append(ev, finalEvidence(l, fmt.Sprintf("challenge %d, %s, unanswered too: %s", f.silences, lastTo, challengeNote(l.Final.Challenge))))
	}
	return ev
}
