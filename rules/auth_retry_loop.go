package rules

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sipdiag/sipdiag/decode"
)

// AuthRetryLoop is AUTH004.
var AuthRetryLoop = &Rule{
	ID: "AUTH004", Name: "auth-retry-loop", Severity: Critical,
	Title: "the UA keeps answering challenges with credentials the server rejects",
	Doc: `The cycle challenge -> request with credentials -> rejection repeats for one account: 401 -> 401
(the registrar re-challenges a wrong password, as Kamailio and Asterisk do), 407 -> 403 (a proxy
refuses the credentials of an INVITE), or 401 -> 403. Each cycle uses the nonce just given
(a stale=true re-challenge, RFC 7616 §3.3, is not counted), so the password, the username or the
realm is wrong — the UA cannot get in, and it keeps trying. The period of the cycles shows the
UA's retry timer; a tight loop is what trips a server's lockout (AUTH005).`,
	Fix: `Re-enter the username and password of the account on the UA; make sure the username is the
authentication username the provider gave (often not the phone number), and check case and
trailing spaces. Then stop the retry storm (disable the account on the UA or lengthen its retry
interval) before the provider locks the account or bans the address.`,
	Refs: []string{"RFC 3261 §22.2", "RFC 3261 §22.4", "RFC 7616 §3.3"},
	Thresholds: []Threshold{
		{Name: "min-cycles", Default: "3", Doc: "rejected challenge/credentials cycles in a row (without a success between) that make a loop; RULES.md: ≥ 3"},
		{Name: "group-accounts", Default: "5", Doc: "accounts looping from one source address that are reported as one finding on the source (password guessing, or a PBX with a wrong bulk password), as AUTH003 and REG004 do; 0 never groups"},
	},
	Explains: []string{"AUTH003", "REG001"},
	Run:      runAuthRetryLoop,
}

// A loop is one UA (address) failing one method for one account. States
// are kept per account (a string key: cheap to look up on every accepted
// exchange), with the rare several UAs or methods of one account in a list.
type loopState struct {
	ua          netip.Addr
	method      string
	first, last *decode.AuthExchange
	cycles      int
	gaps        []time.Duration // between consecutive cycles, first 64
	// earliest and latest answer times: the cycles arrive in the order
	// they complete, which a capture whose clock goes back (files merged
	// out of order, a clock stepped back) does not keep in time order.
	earliest, latest int64
	kinds            map[string]int // "401→401": count
	calls            callIDs
}

func runAuthRetryLoop(p *Pass) error {
	minCycles, err := p.Int("min-cycles")
	if err != nil {
		return err
	}
	groupAccounts, err := p.Int("group-accounts")
	if err != nil {
		return err
	}
	loops := map[string][]*loopState{}
	// Loops are reported at the end, so that many accounts looping from
	// one source (a brute force) become one finding, not one per guess.
	var ended []endedLoop

	find := func(a *decode.AuthExchange) (int, *loopState) {
		for i, s := range loops[a.Subject] {
			if s.ua == a.Client.Addr() && s.method == a.Method {
				return i, s
			}
		}
		return -1, nil
	}
	report := func(subject string, s *loopState, success *decode.AuthExchange) {
		period := median(s.gaps)
		var kinds []string
		for kd := range s.kinds {
			kinds = append(kinds, kd)
		}
		sort.Strings(kinds)
		when := "(the log has no timestamps, so no period)"
		if s.first.Answer.Request.Time != 0 && s.last.Answer.Request.Time != 0 {
			span := time.Duration(s.latest - s.earliest)
			when = fmt.Sprintf("over %s, every ~%s", seconds(span), seconds(period))
		}
		msg := fmt.Sprintf("%d %s cycles for %s %s: the credentials (username %q, realm %q) are rejected each time",
			s.cycles, strings.Join(kinds, " / "), s.method, when,
			s.first.Answer.Credentials.Username, s.first.Answer.Credentials.Realm)
		conf := High
		if success != nil {
			// The UA got in at last (someone fixed the password mid-capture):
			// history worth showing, not a live failure.
			msg += fmt.Sprintf("; then accepted at frame %d, so it was resolved during the capture", success.Answer.Final.At.Frame)
			conf = Low
		}
		ev := []Evidence{
			finalEvidence(s.first.Challenge, "first challenge: "+challengeNote(s.first.Challenge.Final.Challenge)),
			requestEvidence(s.first.Answer, "first answer: "+credentialsNote(s.first.Answer.Credentials)),
			finalEvidence(s.first.Answer, "rejected"),
			requestEvidence(s.last.Answer, fmt.Sprintf("cycle %d: %s", s.cycles, credentialsNote(s.last.Answer.Credentials))),
			finalEvidence(s.last.Answer, "still rejected"),
		}
		p.Report(Finding{
			Subject: subject, At: s.first.Answer.Request, Message: msg,
			Evidence: ev, CallIDs: s.calls.ids, Affected: s.cycles, Confidence: conf,
		})
	}

	flush := func(subject string, s *loopState, success *decode.AuthExchange) {
		if s.cycles >= minCycles {
			ended = append(ended, endedLoop{subject, s, success})
		}
	}

	p.OnAuth(func(a *decode.AuthExchange) {
		switch a.Outcome {
		case decode.AuthRejected:
			// Only a cycle that answers a captured challenge counts: a
			// request reusing an old nonce may be rejected for that alone.
			if a.Challenge == nil || a.Answer == nil || a.Answer.Credentials == nil || a.Answer.Final == nil {
				return
			}
			_, s := find(a)
			if s == nil {
				s = &loopState{ua: a.Client.Addr(), method: a.Method, first: a, kinds: map[string]int{}}
				loops[a.Subject] = append(loops[a.Subject], s)
			} else if len(s.gaps) < 64 {
				gap := since(s.last.Answer.Request, a.Answer.Request)
				s.gaps = append(s.gaps, max(gap, -gap))
			}
			if at := a.Answer.Request.Time; at != 0 {
				if s.earliest == 0 || at < s.earliest {
					s.earliest = at
				}
				s.latest = max(s.latest, at)
			}
			s.last = a
			s.cycles++
			s.kinds[fmt.Sprintf("%d→%d", a.Challenge.Final.Status, a.Answer.Final.Status)]++
			s.calls.add(a.CallID)
		case decode.AuthAccepted, decode.AuthOther:
			// The credentials worked (AuthOther: auth passed, the request
			// failed for another reason): the loop, if any, is over.
			if len(loops) == 0 {
				return
			}
			if i, s := find(a); s != nil {
				list := loops[a.Subject]
				if len(list) == 1 {
					delete(loops, a.Subject)
				} else {
					loops[a.Subject] = append(list[:i:i], list[i+1:]...)
				}
				flush(a.Subject, s, a)
			}
		}
		// Unanswered, stale and no-response neither extend nor end a loop:
		// UAs pause between bursts of retries.
	})
	p.AtEnd(func(*decode.Trace) {
		for subject, list := range loops {
			for _, s := range list {
				flush(subject, s, nil)
			}
		}
		bySource := map[netip.Addr][]endedLoop{}
		for _, e := range ended {
			bySource[e.s.ua] = append(bySource[e.s.ua], e)
		}
		for src, group := range bySource { // diagnose orders the findings
			accounts := map[string]bool{}
			for _, e := range group {
				accounts[e.subject] = true
			}
			if groupAccounts > 0 && len(accounts) >= groupAccounts && src.IsValid() {
				reportSourceLoops(p, src, len(accounts), group)
				continue
			}
			for _, e := range group {
				report(e.subject, e.s, e.success)
			}
		}
	})
	return nil
}

// endedLoop is a loop long enough to report, with the success that ended
// it (nil when it was still going at the end of the capture).
type endedLoop struct {
	subject string
	s       *loopState
	success *decode.AuthExchange
}

// reportSourceLoops reports the loops of many accounts from one source as
// one finding on "source ADDR", the subject AUTH003, REG004 and AUTH005 use
// for the same pattern, so that a lockout explains it.
func reportSourceLoops(p *Pass, src netip.Addr, accounts int, group []endedLoop) {
	sort.Slice(group, func(i, j int) bool {
		return group[i].s.first.Answer.Request.Frame < group[j].s.first.Answer.Request.Frame
	})
	cycles, resolved := 0, 0
	var calls callIDs
	var names []string
	for _, e := range group {
		cycles += e.s.cycles
		if e.success != nil {
			resolved++
		}
		for _, id := range e.s.calls.ids {
			calls.add(id)
		}
		if len(names) < 3 && !slices.Contains(names, e.subject) {
			names = append(names, e.subject)
		}
	}
	first, last := group[0].s, group[len(group)-1].s
	msg := fmt.Sprintf("%d accounts from %s loop on rejected credentials (%s, ...), %d cycles in all: "+
		"every account this source tries fails, so either a PBX/SBC there has wrong passwords for all of them or someone is guessing passwords",
		accounts, src, strings.Join(names, ", "), cycles)
	conf := High
	if resolved > 0 {
		msg += fmt.Sprintf("; %d of them were accepted at last", resolved)
		if resolved == len(group) {
			conf = Low
		}
	}
	ev := []Evidence{
		finalEvidence(first.first.Challenge, "first challenge: "+challengeNote(first.first.Challenge.Final.Challenge)),
		requestEvidence(first.first.Answer, "first answer: "+credentialsNote(first.first.Answer.Credentials)),
		finalEvidence(first.first.Answer, "rejected"),
		requestEvidence(last.last.Answer, fmt.Sprintf("last account tried: %s", credentialsNote(last.last.Answer.Credentials))),
		finalEvidence(last.last.Answer, "still rejected"),
	}
	p.Report(Finding{
		Subject: sourceSubject(src), At: first.first.Answer.Request, Message: msg,
		Evidence: ev, CallIDs: calls.ids, Affected: cycles, Confidence: conf,
	})
}
