package rules

import (
	"fmt"
	"strings"
	"time"

	"github.com/sipdiag/sipdiag/decode"
)

// ChallengeUnanswered is AUTH002.
var ChallengeUnanswered = &Rule{
	ID: "AUTH002", Name: "challenge-unanswered", Severity: Warning,
	Title: "the UA does not answer the server's authentication challenge",
	Doc: `A 401/407 asks the UA to repeat the request with credentials (RFC 3261 §22.2, §8.1.3.5): same
Call-ID, CSeq one higher, an Authorization or Proxy-Authorization computed for the challenged
realm. Here no request with credentials from that UA followed within Timer F (64·T1 = 32 s,
§17.1.2.2) although the capture went on long enough to show one. A retry with credentials on a
new Call-ID counts as an answer. What the UA did instead (a new request without credentials,
nothing at all) is shown. A UA stays silent when it has no credentials for the challenged realm
(CUBE chooses credentials by realm and terminates the request when none matches: AUTH001), when
it does not support the algorithm or qop offered (SHA-256 only, auth-int: AUTH007), or when it
is configured without authentication. A challenge whose window the capture cuts short is not
judged; the summary says so.`,
	Fix: `Look at the challenge's realm and algorithm first. (1) Give the UA credentials for the
challenged realm: on Cisco CUBE, the realm of the dial-peer "authentication", the sip-ua
"credentials" or the sip-ua "authentication" line must equal the challenge's realm, or carry no
realm at all (then the challenge's realm is used); see AUTH001. (2) If the challenge offers only
algorithm=SHA-256 or qop=auth-int, have the server also offer MD5/qop=auth or upgrade the UA.
(3) If the UA is configured without authentication, add the account's username and password.`,
	Refs: []string{"RFC 3261 §8.1.3.5", "RFC 3261 §22.2", "RFC 3261 §17.1.2.2", "RFC 7616 §3.3", "Cisco CUBE: multiple registrars and realm matching"},
	Thresholds: []Threshold{
		{Name: "answer-within", Default: "32s", Doc: "time the UA has to answer a challenge: Timer F = 64·T1 = 32 s (RFC 3261 §17.1.2.2); the correlator closes a challenge at 32 s, a longer value also accepts later answers on another Call-ID"},
	},
	Run: runChallengeUnanswered,
}

// uaKey is one UA (address) acting for one account.
type uaKey struct {
	subject string
	ua      string
}

// silence is one unanswered challenge, waiting for what the UA did next.
type silence struct {
	ex   *decode.AuthExchange
	at   int64               // time of the challenge
	next *decode.Transaction // first request of this UA for the account after it
}

type silenceState struct {
	first, last *silence
	count       int
	calls       callIDs
	// waiting are the unanswered challenges whose window is still open
	// in delivery order: a transaction completing later may still show an
	// answer on another Call-ID. Bounded by maxWaiting.
	waiting []*silence
	// recent are this UA's last requests for the account (for challenges
	// reported after their retry was already delivered).
	recent []*decode.Transaction
}

const (
	maxWaiting = 64
	maxRecent  = 8
)

func runChallengeUnanswered(p *Pass) error {
	window, err := p.Duration("answer-within")
	if err != nil {
		return err
	}
	states := map[uaKey]*silenceState{}
	var order []uaKey
	var cutShort int
	var cutExample *decode.AuthExchange

	state := func(k uaKey) *silenceState {
		s := states[k]
		if s == nil {
			s = &silenceState{}
			states[k] = s
		}
		return s
	}
	// answers reports whether t answers the challenge x: a request with
	// credentials from the same UA for the same account within the window
	// (a UA may retry on a new Call-ID), using its nonce when both show one
	// (an answer to a later challenge is not an answer to this one).
	answers := func(t *decode.Transaction, x *silence) bool {
		if t.Credentials == nil || t.Request.Time <= x.at || t.Request.Time-x.at > int64(window) {
			return false
		}
		c := x.ex.Challenge.Final.Challenge
		return c.Nonce == "" || t.Credentials.Nonce == "" || c.Nonce == t.Credentials.Nonce
	}
	count := func(k uaKey, s *silenceState, x *silence) {
		if s.first == nil {
			s.first = x
			order = append(order, k)
		}
		s.last = x
		s.count++
		s.calls.add(x.ex.CallID)
	}

	p.OnTransaction(func(t *decode.Transaction) {
		if t.Orphan || t.Method == "ACK" || t.Method == "CANCEL" {
			return
		}
		k := uaKey{t.Subject(), t.Client.Addr().String()}
		s := states[k]
		if s == nil {
			if t.Final == nil || t.Final.Challenge == nil {
				return // requests are remembered only for UAs that were challenged
			}
			s = state(k)
		}
		if len(s.recent) == maxRecent {
			s.recent = append(s.recent[:0], s.recent[1:]...)
		}
		s.recent = append(s.recent, t)
		kept := s.waiting[:0]
		for _, x := range s.waiting {
			if x.next == nil && t.Request.Time > x.at {
				x.next = t
			}
			switch {
			case answers(t, x):
				// Answered on another Call-ID: not a silence.
			case t.Request.Time-x.at > int64(window)+int64(decode.Linger):
				count(k, s, x) // its window closed long ago
			default:
				kept = append(kept, x)
			}
		}
		s.waiting = kept
	})

	p.OnAuth(func(a *decode.AuthExchange) {
		if a.Outcome != decode.AuthUnanswered || a.Challenge == nil || a.Challenge.Final == nil {
			return
		}
		if a.CaptureEnded {
			cutShort++
			if cutExample == nil {
				cutExample = a
			}
			return
		}
		k := uaKey{a.Subject, a.Client.Addr().String()}
		s := state(k)
		x := &silence{ex: a, at: a.Challenge.Final.At.Time, next: a.Next}
		for _, t := range s.recent {
			if answers(t, x) {
				return // answered on another Call-ID before we heard of it
			}
			if x.next == nil && t.Request.Time > x.at {
				x.next = t
			}
		}
		if len(s.waiting) == maxWaiting {
			count(k, s, s.waiting[0])
			s.waiting = s.waiting[1:]
		}
		s.waiting = append(s.waiting, x)
	})

	p.AtEnd(func(tr *decode.Trace) {
		for k, s := range states {
			for _, x := range s.waiting {
				if tr.Span.Last-x.at < int64(window) {
					cutShort++ // a window longer than Timer F, cut by the end
					if cutExample == nil {
						cutExample = x.ex
					}
					continue
				}
				count(k, s, x)
			}
			s.waiting = nil
		}
		if cutShort > 0 {
			p.Undecided(fmt.Sprintf("%d challenge(s) (the first to %s for %s at %s) came less than %s before the capture ends: whether the UA would answer cannot be told",
				cutShort, cutExample.Method, cutExample.Subject, cutExample.Challenge.Final.At.T().Format("15:04:05"), seconds(window)))
		}
		for _, k := range order {
			reportSilence(p, k, states[k], tr)
		}
	})
	return nil
}

func reportSilence(p *Pass, k uaKey, s *silenceState, tr *decode.Trace) {
	x := s.first
	ch := x.ex.Challenge
	c := ch.Final.Challenge
	msg := fmt.Sprintf("%s challenged %s (%d %s, realm %q) and the UA at %s never answered with credentials",
		x.ex.Method, k.subject, ch.Final.Status, ch.Final.Reason, c.Realm, k.ua)
	if s.count > 1 {
		msg = fmt.Sprintf("%s challenged %s %s (%d %s, realm %q) and the UA at %s answered none of them with credentials",
			x.ex.Method, k.subject, times(s.count), ch.Final.Status, ch.Final.Reason, c.Realm, k.ua)
	}
	ev := []Evidence{
		requestEvidence(ch, "the request"),
		finalEvidence(ch, "challenge: "+challengeNote(c)),
	}
	switch n := x.next; {
	case n == nil:
		quiet := time.Duration(tr.Span.Last - x.at)
		msg += fmt.Sprintf("; it sent nothing more for this account in the %s the capture goes on", seconds(quiet))
		ev = append(ev, Evidence{At: decode.Ref{Input: ch.Final.At.Input, Time: tr.Span.Last},
			Note: fmt.Sprintf("end of capture, %s after the challenge: no request with credentials", seconds(quiet))})
	case n.CallID != x.ex.CallID:
		msg += fmt.Sprintf("; %s later it started over with a new %s on another Call-ID, again without credentials",
			seconds(since(ch.Final.At, n.Request)), n.Method)
		ev = append(ev, requestEvidence(n, "what the UA sent next: no credentials, new Call-ID"))
	default:
		msg += fmt.Sprintf("; its next %s (%s later) carries no credentials", n.Method, seconds(since(ch.Final.At, n.Request)))
		ev = append(ev, requestEvidence(n, "what the UA sent next: no credentials"))
	}
	if c.Algorithm != "" && !strings.EqualFold(c.Algorithm, "MD5") && !strings.EqualFold(c.Algorithm, "MD5-sess") {
		msg += fmt.Sprintf("; the challenge asks for algorithm %s, which older UAs do not support", c.Algorithm)
	}
	if s.count > 1 {
		ev = append(ev, finalEvidence(s.last.ex.Challenge, fmt.Sprintf("challenge %d, unanswered too: %s", s.count, challengeNote(s.last.ex.Challenge.Final.Challenge))))
	}
	p.Report(Finding{
		Subject: k.subject, At: ch.Final.At, Message: msg,
		Evidence: ev, CallIDs: s.calls.ids, Affected: s.count,
	})
}
