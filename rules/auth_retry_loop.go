package rules

import (
	"fmt"
	"net/netip"
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
	kinds       map[string]int  // "401→401": count
	calls       callIDs
}

func runAuthRetryLoop(p *Pass) error {
	minCycles, err := p.Int("min-cycles")
	if err != nil {
		return err
	}
	loops := map[string][]*loopState{}

	find := func(a *decode.AuthExchange) (int, *loopState) {
		for i, s := range loops[a.Subject] {
			if s.ua == a.Client.Addr() && s.method == a.Method {
				return i, s
			}
		}
		return -1, nil
	}
	flush := func(subject string, s *loopState, success *decode.AuthExchange) {
		if s.cycles < minCycles {
			return
		}
		period := median(s.gaps)
		var kinds []string
		for kd := range s.kinds {
			kinds = append(kinds, kd)
		}
		sort.Strings(kinds)
		when := "(the log has no timestamps, so no period)"
		if s.first.Answer.Request.Time != 0 && s.last.Answer.Request.Time != 0 {
			span := since(s.first.Answer.Request, s.last.Answer.Request)
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
				s.gaps = append(s.gaps, since(s.last.Answer.Request, a.Answer.Request))
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
		for subject, list := range loops { // diagnose orders the findings
			for _, s := range list {
				flush(subject, s, nil)
			}
		}
	})
	return nil
}
