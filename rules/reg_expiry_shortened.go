package rules

import (
	"fmt"
	"time"

	"github.com/sipdiag/sipdiag/decode"
)

// ExpiryShortened is REG002.
var ExpiryShortened = &Rule{
	ID: "REG002", Name: "expiry-shortened", Severity: Info,
	Title: "the registrar grants a shorter registration than the UA asks for",
	Doc: `A registrar may shorten the expiry a REGISTER asks for (RFC 3261 §10.3 step 7: it "MAY
decrease" it, often to a policy maximum), and says so in the 200 OK: the Contact's expires
parameter, else the Expires header (§10.2.4, §10.3 step 8). The UA must refresh before the
expiry it was granted, not the one it asked for (§10.2.4). A UA that follows the grant is fine:
this is information. A UA that keeps its own timer (asked 3600 s, granted 60 s, next REGISTER
after an hour) lets the binding lapse in between, so calls to it fail until it refreshes; then
REG001 (missing-refresh) shows the lapse and this finding is its cause, and the diagnosis is a
warning.`,
	Fix: `Configure the UA's registration expiry at or below what the registrar grants, so that the UA's
own refresh timer fires in time (Cisco CUBE: "registrar ... expires <seconds>" under sip-ua;
phones: registration period / expires). Or have the registrar grant what the UA asks (Kamailio
registrar max_expires, Asterisk maximum_expiration). A UA that ignores the granted expiry should
be upgraded.`,
	Refs: []string{"RFC 3261 §10.2.1.1", "RFC 3261 §10.2.4", "RFC 3261 §10.3"},
	// A binding that lapses (REG001) on an AOR whose grants were shortened
	// is read as the UA refreshing on the interval it asked for.
	Explains: []string{"REG001"},
	Thresholds: []Threshold{
		{Name: "min-cut-percent", Default: "10", Doc: "how much shorter than asked, in percent, a grant must be to count (10: asked 3600, granted below 3240); registrars that shave a few seconds are not worth a finding"},
		{Name: "grace", Default: "5s", Doc: "slack after the granted expiry before a refresh counts as late (as REG001: 5 s)"},
	},
	Run: runExpiryShortened,
}

type shortGrant struct {
	txn            *decode.Transaction
	asked, granted int
	deadline       int64
}

type shortState struct {
	first       shortGrant
	count       int
	minGranted  int
	maxAsked    int
	late        *decode.Transaction // the first refresh after a shortened grant's expiry
	lateGrant   shortGrant
	inTime      *decode.Transaction // the first refresh in time
	inTimeGrant shortGrant
	calls       callIDs
}

func runExpiryShortened(p *Pass) error {
	cut, err := p.Int("min-cut-percent")
	if err != nil {
		return err
	}
	grace, err := p.Duration("grace")
	if err != nil {
		return err
	}
	open := map[bindingKey]shortGrant{} // the last shortened grant per binding, until its next REGISTER
	states := map[*decode.Registration]*shortState{}
	var order []*decode.Registration

	p.OnRegistration(func(e *decode.RegistrationEvent) {
		t := e.Txn
		k := bindingKey{e.Reg, t.Contact}
		if g, ok := open[k]; ok && t.Request.Time > g.txn.Final.At.Time {
			// The UA's next REGISTER for this binding after a shortened
			// grant: did it come before the granted expiry?
			delete(open, k)
			s := states[e.Reg]
			if t.Request.Time > g.deadline+int64(grace) {
				if s.late == nil {
					s.late, s.lateGrant = t, g
				}
			} else if s.inTime == nil {
				s.inTime, s.inTimeGrant = t, g
			}
		}
		if e.Kind != decode.RegGranted && e.Kind != decode.RegRefreshed {
			return
		}
		asked, granted := t.Requested, t.Final.Granted
		if asked <= 0 || granted <= 0 || int64(granted)*100 >= int64(asked)*int64(100-cut) {
			return
		}
		g := shortGrant{txn: t, asked: asked, granted: granted, deadline: t.Final.At.Time + int64(granted)*1e9}
		open[k] = g
		s := states[e.Reg]
		if s == nil {
			s = &shortState{first: g, minGranted: granted}
			states[e.Reg] = s
			order = append(order, e.Reg)
		}
		s.count++
		s.minGranted = min(s.minGranted, granted)
		s.maxAsked = max(s.maxAsked, asked)
		s.calls.add(t.CallID)
	})

	p.AtEnd(func(tr *decode.Trace) {
		for _, reg := range order {
			s := states[reg]
			g := s.first
			msg := fmt.Sprintf("%s asked %s for %d s and was granted %d s", reg.AOR, reg.Registrar, g.asked, g.granted)
			if s.count > 1 {
				msg += fmt.Sprintf(" (%d shortened grants, down to %d s)", s.count, s.minGranted)
			}
			ev := []Evidence{
				requestEvidence(g.txn, fmt.Sprintf("asks for %d s (Contact %s)", g.asked, g.txn.Contact)),
				finalEvidence(g.txn, fmt.Sprintf("grants %d s: binding expires at %s", g.granted,
					decode.Ref{Time: g.deadline}.T().Format("15:04:05.000"))),
			}
			switch {
			case s.late != nil:
				lg := s.lateGrant
				msg += fmt.Sprintf("; the UA keeps its own timer: its next REGISTER came %s after a %d s grant, %s after the binding expired",
					seconds(since(lg.txn.Final.At, s.late.Request)), lg.granted,
					seconds(time.Duration(s.late.Request.Time-lg.deadline)))
				if lg.txn != g.txn {
					ev = append(ev, finalEvidence(lg.txn, fmt.Sprintf("grants %d s", lg.granted)))
				}
				ev = append(ev, requestEvidence(s.late, "the next REGISTER, after the granted expiry"))
			case s.inTime != nil:
				msg += fmt.Sprintf("; the UA follows the grant (next REGISTER %s after it)",
					seconds(since(s.inTimeGrant.txn.Final.At, s.inTime.Request)))
				ev = append(ev, requestEvidence(s.inTime, "the next REGISTER, before the granted expiry"))
			case tr.Span.Last == 0:
				msg += "; the input has no timestamps, so whether the UA refreshes in time cannot be told"
			case tr.Span.Last <= g.deadline+int64(grace):
				msg += "; the capture ends before the granted expiry, so whether the UA refreshes in time cannot be told"
			default:
				msg += "; no REGISTER followed before the granted expiry"
			}
			// With --config: the router's own `registrar ... expires` line
			// that asks for more than the registrar grants, and its edit.
			if cev := expiryConfigEvidence(p.Config(), g.txn, s.minGranted); len(cev) > 0 {
				msg += fmt.Sprintf("; the router's configuration asks for more (%s): change it to %q", cev[0].Summary, cev[len(cev)-1].Note)
				ev = append(ev, cev...)
			}
			p.Report(Finding{
				Subject: reg.AOR, At: g.txn.Final.At, Message: msg,
				Evidence: ev, CallIDs: s.calls.ids, Affected: s.count,
			})
		}
	})
	return nil
}
