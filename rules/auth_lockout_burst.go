package rules

import (
	"fmt"
	"time"

	"github.com/sipdiag/sipdiag/decode"
)

// LockoutBurst is AUTH005.
var LockoutBurst = &Rule{
	ID: "AUTH005", Name: "lockout-burst", Severity: Critical,
	Title: "a burst of failed authentications got the account or address locked out",
	Doc: `Registrars and SBCs protect accounts against password guessing: after a few failed digest
answers in a short time they lock the account or ban the source address (Kamailio htable/pike,
Asterisk/FreeSWITCH with fail2ban, carrier SBC flood protection). The trace shows a burst of
authentication failures for one account or one source, followed by a change in how the server
answers: 403 without a challenge, 503, or nothing at all. From then on even correct credentials
fail until the lock expires or is lifted.`,
	Fix: `The account or source address is locked or banned: ask the provider to unlock it, or wait for
the ban to expire. Fix the credentials first (see AUTH004/AUTH003) or the next burst locks it
again; verify with one endpoint before re-enabling bulk registration; have the provider
whitelist the address in its flood protection if the burst came from many legitimate phones
behind one NAT.`,
	Refs: []string{"RFC 3261 §22.2", "Kamailio pike and htable ban patterns", "fail2ban asterisk/freeswitch filters"},
	Thresholds: []Threshold{
		{Name: "burst", Default: "5", Doc: "authentication failures that make a burst; common lockout settings are 3-10 (fail2ban maxretry 5)"},
		{Name: "window", Default: "60s", Doc: "time the burst must fit in (fail2ban findtime, Kamailio htable autoexpire are typically 60 s)"},
	},
	Explains: []string{"AUTH003", "AUTH004", "REG001", "REG004"},
	Run:      runLockoutBurst,
}

type burstState struct {
	times    []int64 // failure times within the window
	failures []*decode.AuthExchange
	armed    *burstInfo
	reported bool
}

type burstInfo struct {
	first, last *decode.AuthExchange
	count       int           // failures from the burst's start until the change
	window      time.Duration // how long the first `burst` failures took
	inWindow    int
	rejected403 bool // the burst's own rejections were 403s
}

func runLockoutBurst(p *Pass) error {
	burst, err := p.Int("burst")
	if err != nil {
		return err
	}
	window, err := p.Duration("window")
	if err != nil {
		return err
	}
	if burst < 1 {
		return fmt.Errorf("burst must be at least 1")
	}
	accounts := map[string]*burstState{}
	sources := map[uint64]*burstState{} // by addrKey: cheaper to hash than netip.Addr, and every accepted exchange deletes from it

	note := func(s *burstState, a *decode.AuthExchange) {
		t := a.Answer.Final.At.Time
		s.times = append(s.times, t)
		s.failures = append(s.failures, a)
		for len(s.times) > 0 && t-s.times[0] > int64(window) {
			s.times, s.failures = s.times[1:], s.failures[1:]
		}
		if len(s.times) >= burst {
			if s.armed == nil {
				// The window that first held `burst` failures is the burst;
				// later failures only add to the count.
				s.armed = &burstInfo{first: s.failures[0], count: len(s.failures) - 1,
					window: time.Duration(t - s.failures[0].Answer.Final.At.Time), inWindow: len(s.failures)}
			}
			s.armed.last = a
			s.armed.count++
			s.armed.rejected403 = s.armed.rejected403 || a.Answer.Final.Status == 403
		}
		// Keep the window small: only the last `burst` failures matter.
		if len(s.times) > burst {
			s.times, s.failures = s.times[len(s.times)-burst:], s.failures[len(s.failures)-burst:]
		}
	}

	p.OnAuth(func(a *decode.AuthExchange) {
		switch a.Outcome {
		case decode.AuthRejected:
			if a.Answer == nil || a.Answer.Final == nil {
				return
			}
			note(stateOf(accounts, a.Subject), a)
			note(stateOf(sources, addrKey(a.Client.Addr())), a)
		case decode.AuthAccepted:
			// The lock, if any, is gone; a later burst is a new episode.
			// Looked up before deleting: deleting a key that is absent
			// (nearly always) costs twice a lookup.
			if _, ok := accounts[a.Subject]; ok {
				delete(accounts, a.Subject)
			}
			if _, ok := sources[addrKey(a.Client.Addr())]; ok {
				delete(sources, addrKey(a.Client.Addr()))
			}
		}
	})

	p.OnTransaction(func(t *decode.Transaction) {
		if t.Orphan {
			return
		}
		change := behaviourChange(t)
		if change == "" {
			return
		}
		for _, cand := range []struct {
			s     *burstState
			key   string
			label string
		}{
			{accounts[t.Subject()], t.Subject(), "account"},
			{sources[addrKey(t.Client.Addr())], t.Client.Addr().String(), "source"},
		} {
			s := cand.s
			if s == nil || s.armed == nil || s.reported {
				continue
			}
			b := s.armed
			if t.Request.Time < b.last.Answer.Final.At.Time {
				continue
			}
			if change == "403" && t.Credentials != nil && b.rejected403 {
				continue // the burst itself was 403s: another 403 is more of the same
			}
			s.reported = true
			// One episode, one finding: the source view and the account
			// view of the same burst would say the same thing twice.
			if other := accounts[t.Subject()]; other != nil {
				other.reported = true
			}
			if other := sources[addrKey(t.Client.Addr())]; other != nil {
				other.reported = true
			}
			report(p, cand.label, cand.key, b, t, change)
			return
		}
	})
	return nil
}

// stateOf returns the burst state of key, creating it.
func stateOf[K comparable](m map[K]*burstState, key K) *burstState {
	s := m[key]
	if s == nil {
		s = &burstState{}
		m[key] = s
	}
	return s
}

// behaviourChange names how a server answer differs from "challenge, then
// judge the credentials": 403 without a challenge, 503, or silence.
func behaviourChange(t *decode.Transaction) string {
	switch {
	case t.State == decode.TimedOut:
		return "no response"
	case t.Final == nil:
		return ""
	case t.Final.Status == 503:
		return "503"
	case t.Final.Status == 403:
		return "403"
	}
	return ""
}

func report(p *Pass, label, key string, b *burstInfo, t *decode.Transaction, change string) {
	var what string
	switch change {
	case "no response":
		what = "the server stops answering"
	case "503":
		what = "the server answers " + statusSummary(t.Final)
	case "403":
		what = "the server answers 403 Forbidden without a challenge"
	}
	subject := key
	if label == "source" {
		subject = sourceSubject(t.Client.Addr()) // key is that address
	}
	msg := fmt.Sprintf("%d authentication failures for %s %s within %s, then %s: locked out or banned",
		b.inWindow, label, key, seconds(b.window), what)
	if b.count > b.inWindow {
		msg = fmt.Sprintf("%d authentication failures for %s %s (the first %d within %s), then %s: locked out or banned",
			b.count, label, key, b.inWindow, seconds(b.window), what)
	}
	ev := []Evidence{
		requestEvidence(b.first.Answer, "first failed answer: "+credentialsNote(b.first.Answer.Credentials)),
		finalEvidence(b.first.Answer, "rejected"),
		finalEvidence(b.last.Answer, fmt.Sprintf("failure %d of the burst", b.count)),
	}
	if t.Final != nil {
		ev = append(ev, requestEvidence(t, "after the burst"), finalEvidence(t, "new behaviour: "+what))
	} else {
		ev = append(ev, requestEvidence(t, fmt.Sprintf("after the burst: no response to %d copies", t.Sends)))
	}
	var calls callIDs
	calls.add(b.first.CallID)
	calls.add(b.last.CallID)
	calls.add(t.CallID)
	p.Report(Finding{
		Subject: subject, At: t.Request, Message: msg, Evidence: ev,
		CallIDs: calls.ids, Affected: b.count,
	})
}
