package rules

import (
	"fmt"
	"time"

	"github.com/sipdiag/sipdiag/decode"
)

// IntervalTooBrief is REG003.
var IntervalTooBrief = &Rule{
	ID: "REG003", Name: "interval-too-brief", Severity: Warning,
	Title: "the UA asks for a registration shorter than the registrar's minimum",
	Doc: `A registrar refuses a REGISTER whose expiry is below its minimum with 423 Interval Too Brief and
a Min-Expires header naming the minimum (RFC 3261 §10.3 step 7, §21.4.17, §20.23). The UA should
retry at once with an expiry of at least Min-Expires (§10.2.8). A UA that does (baresip, most
phones) costs one extra round trip and is not reported. Reported is a UA that retries with an
expiry still below Min-Expires (it ignores the header and keeps being refused) or that gives up
after the 423: it stays unregistered. A 423 without Min-Expires breaks §10.3 and leaves the UA
guessing.`,
	Fix: `Set the UA's registration expiry to at least the Min-Expires the registrar names (Cisco CUBE:
"registrar ... expires <seconds>" under sip-ua; phones: registration period / expires). If the
UA cannot honour Min-Expires, upgrade it, or have the registrar lower its minimum (Kamailio
registrar min_expires, Asterisk minimum_expiration).`,
	Refs: []string{"RFC 3261 §10.2.8", "RFC 3261 §10.3", "RFC 3261 §20.23", "RFC 3261 §21.4.17"},
	Thresholds: []Threshold{
		{Name: "retry-within", Default: "32s", Doc: "time the UA has to retry after a 423 before it counts as having given up: Timer F = 64·T1 = 32 s (RFC 3261 §17.1.2.2); §10.2.8 expects the retry at once"},
	},
	// A binding whose refresh is refused with 423 lapses.
	Explains: []string{"REG001"},
	Run:      runIntervalTooBrief,
}

// brief is one 423 waiting for the UA's next REGISTER.
type brief struct {
	txn *decode.Transaction // the refused REGISTER, Final the 423
	min int                 // Min-Expires, -1 absent
}

type briefState struct {
	refusals int // 423s in all
	bad      int // episodes: refused again, still below Min-Expires, or gave up
	first    *brief
	retry    *decode.Transaction // the first bad episode's retry (nil: gave up)
	pending  *brief              // the latest 423, until the UA's next REGISTER
	calls    callIDs
}

func runIntervalTooBrief(p *Pass) error {
	within, err := p.Duration("retry-within")
	if err != nil {
		return err
	}
	states := map[*decode.Registration]*briefState{}
	var order []*decode.Registration
	var cut []*decode.Registration

	bad := func(reg *decode.Registration, s *briefState, b *brief, retry *decode.Transaction) {
		s.bad++
		if s.first == nil {
			s.first, s.retry = b, retry
			order = append(order, reg)
		}
	}

	p.OnRegistration(func(e *decode.RegistrationEvent) {
		t := e.Txn
		s := states[e.Reg]
		// Events come in completion order, so a later event is a later
		// REGISTER even in a text log without timestamps.
		if s != nil && s.pending != nil && t != s.pending.txn && t.Request.Time >= s.pending.txn.Final.At.Time {
			// The UA's next REGISTER after a 423 (§10.2.8: retry with an
			// expiry of at least Min-Expires).
			b := s.pending
			s.pending = nil
			switch {
			case t.Request.Time-b.txn.Final.At.Time > int64(within):
				bad(e.Reg, s, b, nil) // gave up; tried again only much later
			case t.Final != nil && t.Final.Status == 423:
				bad(e.Reg, s, b, t) // refused again: still too brief
			case b.min >= 0 && t.Requested > 0 && t.Requested < b.min:
				bad(e.Reg, s, b, t) // still below Min-Expires (challenged first)
			}
		}
		if t.Final == nil || t.Final.Status != 423 {
			return
		}
		if s == nil {
			s = &briefState{}
			states[e.Reg] = s
		}
		s.refusals++
		s.calls.add(t.CallID)
		s.pending = &brief{txn: t, min: t.Final.MinExpires}
	})

	p.AtEnd(func(tr *decode.Trace) {
		for reg, s := range states {
			b := s.pending
			if b == nil {
				continue
			}
			if s.bad > 0 && tr.Span.Last-b.txn.Final.At.Time <= int64(within) {
				continue // already reported; the last 423's retry is cut by the end
			}
			if tr.Span.Last-b.txn.Final.At.Time <= int64(within) {
				cut = append(cut, reg)
				continue
			}
			bad(reg, s, b, nil)
		}
		if len(cut) > 0 {
			p.Undecided(fmt.Sprintf("%d registration(s) (the first, %s) got 423 Interval Too Brief less than %s before the capture ends: whether the UA retries with a longer expiry cannot be told",
				len(cut), cut[0].AOR, seconds(within)))
		}
		for _, reg := range order {
			reportTooBrief(p, reg, states[reg], within)
		}
	})
	return nil
}

func reportTooBrief(p *Pass, reg *decode.Registration, s *briefState, within time.Duration) {
	b := s.first
	asked := "no expiry"
	if b.txn.Requested >= 0 {
		asked = fmt.Sprintf("%d s", b.txn.Requested)
	}
	minNote := "without Min-Expires (the registrar breaks RFC 3261 §10.3: the UA cannot know the minimum)"
	if b.min >= 0 {
		minNote = fmt.Sprintf("Min-Expires: %d", b.min)
	}
	msg := fmt.Sprintf("%s asked %s for %s and was refused with 423 Interval Too Brief, %s", reg.AOR, reg.Registrar, asked, minNote)
	ev := []Evidence{
		requestEvidence(b.txn, fmt.Sprintf("asks for %s (Contact %s)", asked, b.txn.Contact)),
		finalEvidence(b.txn, statusSummary(b.txn.Final)+"; "+minNote),
	}
	conf := High
	switch {
	case s.retry != nil:
		retried := "no expiry"
		if s.retry.Requested >= 0 {
			retried = fmt.Sprintf("%d s", s.retry.Requested)
		}
		if b.min >= 0 {
			msg += fmt.Sprintf("; the UA retried with %s, still below the minimum", retried)
			ev = append(ev, requestEvidence(s.retry, fmt.Sprintf("retry asks for %s; Min-Expires is %d", retried, b.min)))
		} else {
			msg += fmt.Sprintf("; the UA retried with %s and was refused again", retried)
			ev = append(ev, requestEvidence(s.retry, "retry asks for "+retried))
			conf = Medium // the registrar gave the UA no minimum to follow
		}
		if s.retry.Final != nil && s.retry.Final.Status == 423 {
			ev = append(ev, finalEvidence(s.retry, "refused again: "+statusSummary(s.retry.Final)))
		}
	default:
		msg += fmt.Sprintf("; the UA did not retry within %s: it gave up and stays unregistered", seconds(within))
	}
	if s.refusals > 1 {
		msg += fmt.Sprintf(" (%d refusals with 423 in all)", s.refusals)
	}
	p.Report(Finding{
		Subject: reg.AOR, At: b.txn.Final.At, Message: msg,
		Evidence: ev, CallIDs: s.calls.ids, Affected: s.refusals, Confidence: conf,
	})
}
