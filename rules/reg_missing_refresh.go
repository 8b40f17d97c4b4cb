package rules

import (
	"fmt"
	"time"

	"github.com/sipdiag/sipdiag/decode"
)

// MissingRefresh is REG001.
var MissingRefresh = &Rule{
	ID: "REG001", Name: "missing-refresh", Severity: Warning,
	Title: "a registration expired because the UA did not refresh it in time",
	Doc: `A registrar keeps a binding for the expiry it granted in the 200 OK (the Contact's expires
parameter, else the Expires header; RFC 3261 §10.2.4, §10.3 step 8). The UA must send a new
REGISTER before then (§10.2.4: "refresh before it expires"). Here a binding was granted for E
seconds, the capture went on past that deadline, and no successful refresh came: the registrar
dropped the binding, so calls to that AOR fail (404/480) until the UA registers again. A late
refresh shows the same gap. Failed refresh attempts point at their own cause (auth rules).`,
	Fix: `The UA stopped re-registering or its refreshes did not arrive. Check its registration timer
(Cisco CUBE: "registrar ... expires" and "retry register"; phones: registration period), that it
refreshes before the granted expiry (the registrar may grant less than asked, see REG002), its
keepalives and the NAT/firewall pinholes between it and the registrar, and whether the device or
its SIP process restarted without unregistering.`,
	Refs: []string{"RFC 3261 §10.2.4", "RFC 3261 §10.3", "RFC 5626 §4.4"},
	Thresholds: []Threshold{
		{Name: "grace", Default: "5s", Doc: "slack after the granted expiry before a binding counts as lapsed (RULES.md: 5 s; absorbs clock jitter and one retransmission)"},
	},
	// A call to the AOR after its binding lapsed fails (404/480, RULES.md:
	// the corroboration): one diagnosis, not a second "call rejected".
	Explains: []string{"INV001"},
	Run:      runMissingRefresh,
}

type lapse struct {
	reg       *decode.Registration
	grant     *decode.Transaction
	granted   int
	deadline  int64
	refreshed *decode.Transaction // a late refresh, if one came
	attempts  int                 // REGISTERs for this AOR after the grant that did not succeed
	lastTry   *decode.Transaction
	invite    *decode.Transaction // a later INVITE to the AOR failing 404/480
	more      int                 // later lapses of the same registration
}

type regWatch struct {
	reg      *decode.Registration
	grant    *decode.Transaction
	granted  int
	deadline int64
	attempts int
	lastTry  *decode.Transaction
	// challenge is a refresh's 401/407 to a REGISTER without credentials,
	// until the UA's next REGISTER: the normal first step of a refresh
	// (RFC 3261 §22.2), a failed attempt only if nothing answers it.
	challenge *decode.Transaction
	lapsed    *lapse // set once the deadline passed, until reported
}

// settleChallenge decides the pending challenge: answered (the UA sent
// its credentials) it was a step, not a failure; left unanswered it is.
func (w *regWatch) settleChallenge(answered bool) {
	if w.challenge == nil {
		return
	}
	if !answered {
		w.attempts++
		w.lastTry = w.challenge
	}
	w.challenge = nil
}

// firstStep reports whether t's 401/407 challenged a REGISTER that had no
// credentials to reject (or only a stale nonce, RFC 7616 §3.3): the usual
// challenge a refresh answers, not a refusal.
func firstStep(t *decode.Transaction) bool {
	if t.Final == nil || t.Final.Challenge == nil {
		return false
	}
	return t.Credentials == nil || t.Final.Challenge.Stale
}

// bindingKey names one binding: bindings are per contact (RFC 3261 §10.3:
// an AOR may have several devices registered).
type bindingKey struct {
	reg     *decode.Registration
	contact string
}

func runMissingRefresh(p *Pass) error {
	grace, err := p.Duration("grace")
	if err != nil {
		return err
	}
	// Each contact of a registration is watched on its own (bindingKey): a
	// desk phone's long binding does not hide a softphone's lapse.
	watches := map[bindingKey]*regWatch{}
	byAOR := map[string][]*regWatch{} // for INVITE corroboration
	// One finding per registration however often it lapsed: the first
	// lapse is the evidence, the count says how often.
	lapses := map[*decode.Registration]*lapse{}
	var order []*decode.Registration
	record := func(l *lapse) {
		if prev := lapses[l.reg]; prev != nil {
			prev.more++
			return
		}
		lapses[l.reg] = l
		order = append(order, l.reg)
	}

	p.OnTransaction(func(t *decode.Transaction) {
		if t.Method != "INVITE" || t.Final == nil || (t.Final.Status != 404 && t.Final.Status != 480) {
			return
		}
		for _, w := range byAOR[t.ToAOR] {
			if w.grant == nil || t.Request.Time <= w.deadline+int64(grace) {
				continue
			}
			if w.lapsed == nil {
				w.lapsed = w.lapseRecord(w.reg)
			}
			if w.lapsed.invite == nil {
				w.lapsed.invite = t
			}
		}
	})

	p.OnRegistration(func(e *decode.RegistrationEvent) {
		key := bindingKey{e.Reg, e.Txn.Contact}
		w := watches[key]
		if w != nil {
			// The UA's next REGISTER answers the challenge when it carries
			// credentials; a fresh one without them leaves it unanswered.
			w.settleChallenge(e.Txn.Credentials != nil)
		}
		switch e.Kind {
		case decode.RegGranted, decode.RegRefreshed:
			at := e.Txn.Final.At.Time
			if w != nil && w.grant != nil && at > w.deadline+int64(grace) {
				l := w.lapsed
				if l == nil {
					l = w.lapseRecord(e.Reg)
				}
				l.refreshed = e.Txn
				record(l)
			}
			if w == nil {
				w = &regWatch{reg: e.Reg}
				watches[key] = w
				byAOR[e.Reg.AOR] = append(byAOR[e.Reg.AOR], w)
			}
			// The binding this 2xx grants: its own expiry from its own time
			// (the registration's fields describe the latest grant of any
			// contact).
			granted := e.Txn.Final.Granted
			if granted < 0 {
				granted = e.Reg.Granted
			}
			w.grant, w.granted, w.deadline = e.Txn, granted, e.Txn.Final.At.Time+int64(granted)*1e9
			w.attempts, w.lastTry, w.lapsed = 0, nil, nil
		case decode.RegDeregistered:
			if e.Txn.Contact == "*" { // every binding of the AOR (§10.2.2)
				for k, w := range watches {
					if k.reg == e.Reg {
						w.grant, w.lapsed = nil, nil
					}
				}
			} else if w != nil {
				w.grant, w.lapsed = nil, nil
			}
		case decode.RegChallenged:
			if w != nil && w.grant != nil {
				if firstStep(e.Txn) {
					w.challenge = e.Txn
				} else {
					w.attempts++ // credentials rejected (AUTH003)
					w.lastTry = e.Txn
				}
			}
		default:
			if w != nil && w.grant != nil {
				w.attempts++
				w.lastTry = e.Txn
			}
		}
		// A binding whose deadline passed is remembered now, so a later
		// failing INVITE can be attached to it.
		if w != nil && w.grant != nil && w.lapsed == nil && e.Txn.Request.Time > w.deadline+int64(grace) {
			w.lapsed = w.lapseRecord(e.Reg)
		}
	})

	p.AtEnd(func(tr *decode.Trace) {
		var open int
		var example *regWatch
		for k, w := range watches {
			reg := k.reg
			if w.grant == nil {
				continue // removed
			}
			w.settleChallenge(false) // never answered
			if tr.Span.Last <= w.deadline+int64(grace) {
				// The capture ended first: cannot tell.
				open++
				if example == nil || w.deadline < example.deadline {
					example = w
				}
				continue
			}
			l := w.lapsed
			if l == nil {
				l = w.lapseRecord(reg)
			}
			l.attempts, l.lastTry = w.attempts, w.lastTry
			record(l)
		}
		switch {
		case open > 0 && tr.Span.Last == 0:
			// A text log without timestamps: no deadline to compare with,
			// and no clock time worth printing.
			p.Undecided(fmt.Sprintf("%d binding(s) (the first, %s): the input has no timestamps, so whether they are refreshed in time cannot be told",
				open, example.reg.AOR))
		case open > 0:
			p.Undecided(fmt.Sprintf("%d binding(s) expire after the capture ends (the first, %s, at %s; the capture ends at %s): whether they are refreshed in time cannot be told",
				open, example.reg.AOR, decode.Ref{Time: example.deadline}.T().Format("15:04:05"), decode.Ref{Time: tr.Span.Last}.T().Format("15:04:05")))
		}
		for _, reg := range order {
			l := lapses[reg]
			reportLapse(p, l, tr)
		}
	})
	return nil
}

// deadlineRef is a time-only reference to a binding's expiry.
func deadlineRef(l *lapse) decode.Ref {
	return decode.Ref{Input: l.grant.Final.At.Input, Time: l.deadline}
}

func (w *regWatch) lapseRecord(reg *decode.Registration) *lapse {
	return &lapse{reg: reg, grant: w.grant, granted: w.granted, deadline: w.deadline, attempts: w.attempts, lastTry: w.lastTry}
}

func reportLapse(p *Pass, l *lapse, tr *decode.Trace) {
	deadline := decode.Ref{Time: l.deadline}
	ev := []Evidence{
		finalEvidence(l.grant, fmt.Sprintf("binding granted for %d s (Contact %s); expires at %s",
			l.granted, l.grant.Contact, deadline.T().Format("15:04:05.000"))),
	}
	var msg string
	affected := 1
	switch {
	case l.refreshed != nil:
		gap := time.Duration(l.refreshed.Final.At.Time - l.deadline)
		msg = fmt.Sprintf("binding of %s at %s granted for %d s was refreshed only %s after it expired",
			l.reg.AOR, l.reg.Registrar, l.granted, seconds(gap))
		ev = append(ev, finalEvidence(l.refreshed, "late refresh"))
	default:
		after := time.Duration(tr.Span.Last - l.deadline)
		msg = fmt.Sprintf("binding of %s at %s granted for %d s was not refreshed; the capture goes on %s past its expiry",
			l.reg.AOR, l.reg.Registrar, l.granted, seconds(after))
	}
	if l.attempts > 0 && l.lastTry != nil {
		msg += fmt.Sprintf(" (%d refresh attempt(s) failed)", l.attempts)
		if l.lastTry.Final != nil {
			ev = append(ev, finalEvidence(l.lastTry, "last refresh attempt failed"))
		} else {
			ev = append(ev, requestEvidence(l.lastTry, "last refresh attempt: no response"))
		}
	} else if l.refreshed == nil {
		ev = append(ev, Evidence{At: deadlineRef(l), Note: fmt.Sprintf("expiry passes with no REGISTER from %s after the grant", endpoint(l.reg.Client))})
	}
	if l.invite != nil {
		ev = append(ev, finalEvidence(l.invite, "a call to this AOR fails after the binding lapsed"))
		affected++
	}
	if l.more > 0 {
		msg += fmt.Sprintf("; it lapsed %d more time(s) later in the capture", l.more)
		affected += l.more
	}
	var calls callIDs
	calls.add(l.grant.CallID)
	if l.invite != nil {
		calls.add(l.invite.CallID)
	}
	p.Report(Finding{
		Subject: l.reg.AOR, At: l.grant.Final.At, Message: msg, Evidence: ev,
		CallIDs: calls.ids, Affected: affected,
	})
}
