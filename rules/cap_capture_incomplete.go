package rules

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/sipdiag/sipdiag/capture"
	"github.com/sipdiag/sipdiag/decode"
)

// CaptureIncomplete is CAP001.
var CaptureIncomplete = &Rule{
	ID: "CAP001", Name: "capture-incomplete", Severity: Info,
	Title: "the input limits what can be diagnosed",
	Doc: `Some findings need what the capture does not hold. Responses whose requests are missing
(beyond the first Timer F of the capture, where a request may simply predate it) mean the
capture lost one direction or packets: with nothing at all in the other direction it holds one
direction only (a mirror port copying one way, "tcpdump -Q in/out", a filter on the source
address). A capture in which every pair of addresses carried SIP one way only cannot tell a
silent server from a missing direction. Requests still unanswered when the capture stopped,
before Timer B/F (32 s), cannot be judged. Malformed or cut messages (snapshot length, a file
cut short, TCP gaps, text logs cut mid-message) are messages the rules could not read, and a
text log without timestamps leaves every deadline rule blind. Other rules lower their
confidence where these apply (TXN001 when nothing came back from the server).`,
	Fix: `Capture again so that the trace holds what the diagnosis needs: both directions (capture on
the host itself, or mirror both directions of the port), full packets ("tcpdump -s 0"), and for
longer than the problem takes: at least 32 s after the last request, and across a whole
registration period for refresh problems. On CUBE/IOS, "debug ccsip messages" with "service
timestamps debug datetime msec" so that each message has its time.`,
	Refs: []string{"RFC 3261 §17.1 (Timer B/F)", "tcpdump(8) -s, -Q", "Cisco CUBE debug ccsip messages"},
	Thresholds: []Threshold{
		{Name: "orphans", Default: "1", Doc: "responses without their request (after the capture's first 32 s, Timer F) before the capture is reported as missing them"},
		{Name: "problems", Default: "1", Doc: "malformed or unreadable input records before the capture is reported as damaged"},
	},
	Run: runCaptureIncomplete,
}

// maxCapExamples bounds the orphans and cut requests remembered as evidence.
const maxCapExamples = 64

func runCaptureIncomplete(p *Pass) error {
	minOrphans, err := p.Int("orphans")
	if err != nil {
		return err
	}
	minProblems, err := p.Int("problems")
	if err != nil {
		return err
	}
	var orphans, cut, silent []*decode.Transaction
	var cutCount, timedOut, unanswered int
	seen := p.answeredUnseen()
	// Requests left without a final response, by what a response shares
	// with them whatever its Via: a late orphan may still be the answer to
	// one of them, captured out of order or after the correlator let the
	// request go (see orphanFates).
	requestsLeft := map[txnOrphanKey]decode.Ref{}
	p.OnTransaction(func(t *decode.Transaction) {
		if !t.Orphan && t.Final == nil && len(requestsLeft) < maxTxnCandidates {
			requestsLeft[txnOrphanKey{t.CallID, t.CSeq, t.Method}] = t.Request
		}
		if seen.candidate(t) && len(silent) < maxCapExamples*16 {
			silent = append(silent, t)
		}
		if !t.Orphan && t.Final == nil {
			unanswered++
		}
		switch {
		case t.Orphan:
			if len(orphans) < maxCapExamples*16 {
				orphans = append(orphans, t)
			}
		case t.Final != nil || !t.FirstProvisional.IsZero() || t.ICMP != nil:
		case t.State == decode.TimedOut:
			timedOut++
		case t.State == decode.CaptureEnded && t.Sends > 1:
			// Only a request the client was still retransmitting says
			// that an answer was awaited and had not come.
			cutCount++
			if len(cut) < maxCapExamples {
				cut = append(cut, t)
			}
		}
	})
	p.AtEnd(func(tr *decode.Trace) {
		var unseen []*decode.Transaction
		for _, t := range silent {
			if seen.wasAnswered(t) {
				unseen = append(unseen, t)
			}
		}
		reportOneWay(p, tr, orphans, unseen, minOrphans, timedOut, requestsLeft)
		if tr.PeersDropped > 0 {
			// The correlator counts a bounded number of address pairs
			// (a scan from a /16 must not grow it without end): the
			// pairs past it escaped the one-way checks above.
			p.Undecided(fmt.Sprintf("%d transaction(s) between address pairs past the first %d were not counted per pair: whether their traffic went both ways was not checked",
				tr.PeersDropped, len(tr.Peers)))
		}
		if cutCount > 0 {
			t := cut[0]
			p.Report(Finding{
				Subject: "capture", At: t.Request, Confidence: Medium, Affected: cutCount,
				Message: fmt.Sprintf("the capture ends %s after %s from %s, before Timer %s (32 s) could run out, with no response seen (%d request(s) cut this way): record longer",
					seconds(since(t.Request, decode.Ref{Time: tr.Span.Last})), requestSummary(t), endpoint(t.Client), timerLetter(t), cutCount),
				Evidence: []Evidence{requestEvidence(t, "no response before the capture ends")},
				CallIDs:  []string{t.CallID},
			})
		}
		reportProblems(p, tr, minProblems)
		if tr.Messages > 0 && tr.Span.First == 0 {
			// Only worth saying when a deadline mattered: a request
			// without a final response, or a binding whose refresh
			// REG001 would check.
			bound := 0
			for _, r := range tr.Registrations {
				if r.Bound {
					bound++
				}
			}
			if unanswered > 0 || bound > 0 {
				p.Report(Finding{
					Subject: "capture", Confidence: Medium,
					Message: fmt.Sprintf("the input has no timestamps: no rule can judge a deadline (%d request(s) without a final response, %d binding(s) whose refresh cannot be checked)", unanswered, bound),
				})
			}
		}
	})
	return nil
}

// orphanTime is when an orphan response was seen.
func orphanTime(t *decode.Transaction) decode.Ref {
	if t.Final != nil {
		return t.Final.At
	}
	return t.FirstProvisional
}

// inviteGrace is how long after the capture starts a response to an INVITE
// may still answer a request sent before it: once a provisional response
// has come, an INVITE transaction has no Timer B and a proxy waits Timer C,
// more than 3 minutes (RFC 3261 §16.6 step 11, §17.1.1.2); a call ringing
// when the capture started ends with its 487 or 200 that late.
const inviteGrace = 3 * time.Minute

func orphanGrace(t *decode.Transaction) int64 {
	if t.Method == "INVITE" {
		return int64(inviteGrace)
	}
	return int64(decode.TimerF)
}

func reportOneWay(p *Pass, tr *decode.Trace, orphans, unseen []*decode.Transaction, minOrphans, timedOut int, unanswered map[txnOrphanKey]decode.Ref) {
	// Responses whose request may predate the capture do not count.
	var late []*decode.Transaction
	latePairs := map[*decode.PeerPair]bool{}
	for _, t := range orphans {
		// Without timestamps (a pasted excerpt) it cannot be told either.
		if at := orphanTime(t); at.Time != 0 && at.Time > tr.Span.First+orphanGrace(t) {
			late = append(late, t)
			if pp := tr.Peer(t.Client.Addr(), t.Server.Addr()); pp != nil {
				latePairs[pp] = true
			}
		}
	}
	var respOnly, reqOnly []*decode.PeerPair
	for _, pp := range tr.Peers {
		if !pp.OneWay() {
			continue
		}
		switch {
		case pp.AB.Requests+pp.BA.Requests == 0:
			if latePairs[pp] {
				respOnly = append(respOnly, pp)
			}
		default:
			reqOnly = append(reqOnly, pp)
		}
	}
	switch {
	case len(respOnly) > 0:
		from, to, sent := talker(respOnly[0])
		msg := fmt.Sprintf("the capture holds only responses from %s to %s, none of their requests: it sees one direction only", from, to)
		if len(respOnly) > 1 {
			msg += fmt.Sprintf(" (and %d more address pairs like it)", len(respOnly)-1)
		}
		p.Report(Finding{
			Subject: "capture", At: sent.First, Confidence: High, Affected: len(respOnly),
			Message:  msg,
			Evidence: []Evidence{{At: sent.First, Note: fmt.Sprintf("first of %d responses from %s with no request from %s", sent.Responses, from, to)}},
		})
	case len(unseen) > 0 && tr.NeverAnswered(unseen[0].Client, unseen[0].Server):
		// The client behaves as answered while nothing comes back.
		t := unseen[0]
		var next string
		msg := fmt.Sprintf("the capture holds nothing from %s to %s, yet the requests of %s were answered: it sent %s once over UDP and its next request on that Call-ID before Timer F, which a client does only after a response (RFC 3261 §17.1.2.2, §10.2); the capture sees one direction only",
			t.Server.Addr(), t.Client.Addr(), t.Client.Addr(), requestSummary(t))
		if len(unseen) > 1 {
			next = fmt.Sprintf(" (%d requests like it)", len(unseen))
		}
		p.Report(Finding{
			Subject: "capture", At: t.Request, Confidence: High, Affected: len(unseen),
			Message:  msg + next,
			Evidence: []Evidence{requestEvidence(t, "sent once, no response in the capture, followed by the next request on its Call-ID")},
			CallIDs:  []string{t.CallID},
		})
	case captureOneWay(tr) && len(reqOnly) > 0 && timedOut > 0:
		// Only once a request waited out Timer F unanswered does the
		// missing direction matter.
		from, to, sent := talker(reqOnly[0])
		msg := fmt.Sprintf("every SIP message of the capture goes one way (%s to %s%s): either nothing answered, or the capture misses the other direction", from, to, morePairs(len(reqOnly)))
		p.Report(Finding{
			Subject: "capture", At: sent.First, Confidence: Low, Affected: len(reqOnly),
			Message:  msg,
			Evidence: []Evidence{{At: sent.First, Note: fmt.Sprintf("first of %d messages from %s; none from %s", sent.Messages(), from, to)}},
		})
	}
	// Lost responses' requests inside a capture that sees both ways.
	var inner []*decode.Transaction
	for _, t := range late {
		if pp := tr.Peer(t.Client.Addr(), t.Server.Addr()); pp != nil && pp.OneWay() {
			continue // said above
		}
		inner = append(inner, t)
	}
	if len(inner) < minOrphans {
		return
	}
	missing, reordered, stale, viaMismatch := orphanFates(inner, unanswered)
	if len(viaMismatch) > 0 {
		t := viaMismatch[0].resp
		req := viaMismatch[0].req
		p.Report(Finding{
			Subject: "capture", At: orphanTime(t), Confidence: Medium, Affected: len(viaMismatch),
			Message: fmt.Sprintf("%d response(s) answer a request of the capture (same Call-ID, CSeq and method, %s earlier) under another Via branch, so they could not be paired with it (RFC 3261 §17.1.3): a proxy or ALG rewrote the Via, or the messages are damaged; those requests look unanswered to the rules",
				len(viaMismatch), seconds(since(req, orphanTime(t)))),
			Evidence: []Evidence{
				orphanRequestEvidence(t, req, "the request"),
				orphanEvidence(t, "its response, under another Via branch"),
			},
			CallIDs: []string{t.CallID},
		})
	}
	if len(missing) > 0 {
		t := missing[0]
		ev := []Evidence{orphanEvidence(t, "its request is not in the capture")}
		p.Report(Finding{
			Subject: "capture", At: orphanTime(t), Confidence: Medium, Affected: len(missing),
			Message: fmt.Sprintf("%d response(s) after the capture's first 32 s (3 min for INVITE) match no request in it: the requests were lost or took another path, or a proxy rewrote their Via branch (the first from %s to %s)",
				len(missing), endpoint(t.Server), endpoint(t.Client)),
			Evidence: ev, CallIDs: []string{t.CallID},
		})
	}
	if len(reordered) > 0 {
		t := reordered[0].resp
		req := reordered[0].req
		p.Report(Finding{
			Subject: "capture", At: orphanTime(t), Confidence: High, Affected: len(reordered),
			Message: fmt.Sprintf("%d response(s) were captured before their own request (the first, %s, %s ahead of it): the capture's order is not the order on the wire (several capture points or interfaces merged, or their clocks differ), so the rules cannot pair those requests with their responses",
				len(reordered), orphanSummary(t), seconds(since(orphanTime(t), req))),
			Evidence: []Evidence{
				orphanEvidence(t, "the response, captured first"),
				orphanRequestEvidence(t, req, "its request (same Call-ID, CSeq and method), captured after it"),
			},
			CallIDs: []string{t.CallID},
		})
	}
	if len(stale) > 0 {
		t := stale[0].resp
		req := stale[0].req
		p.Report(Finding{
			Subject: "capture", At: orphanTime(t), Confidence: Medium, Affected: len(stale),
			Message: fmt.Sprintf("%d response(s) came long after their request, when the transaction was long over (the first, %s, %s after it): the capture's timestamps jump, or the server answered after the client had given up; deadlines measured on this capture cannot be trusted",
				len(stale), orphanSummary(t), longSpan(since(req, orphanTime(t)))),
			Evidence: []Evidence{
				orphanRequestEvidence(t, req, "the request"),
				orphanEvidence(t, "its response, "+longSpan(since(req, orphanTime(t)))+" later"),
			},
			CallIDs: []string{t.CallID},
		})
	}
}

// longSpan prints a duration that may be a clock jump of years in days.
func longSpan(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%.0f days", d.Hours()/24)
	}
	return seconds(d)
}

// orphanFate is a late orphan response whose request the capture does hold.
type orphanFate struct {
	resp *decode.Transaction
	req  decode.Ref
}

// orphanFates splits late orphan responses: those whose request is not in
// the capture at all (lost), those captured just before their request (the
// capture's order is not the wire's: the request's transaction was opened
// after its response had gone by), and those that came after the
// correlator had let their request go (Timer B/F and the linger after
// it): a clock jump or an answer far too late; the rest answered a request
// of the capture in time but under another Via branch.
func orphanFates(late []*decode.Transaction, unanswered map[txnOrphanKey]decode.Ref) (missing []*decode.Transaction, reordered, stale, viaMismatch []orphanFate) {
	for _, t := range late {
		if t.Sends > 0 && len(t.Resent) > 0 {
			// The request came after its response: the correlator took
			// it for a copy of the orphan's request (same transaction
			// key) and counted it there, after handing the orphan over.
			reordered = append(reordered, orphanFate{t, t.Resent[0]})
			continue
		}
		req, ok := unanswered[txnOrphanKey{t.CallID, t.CSeq, t.Method}]
		switch {
		case !ok || req.Time == 0:
			missing = append(missing, t)
		case req.Time >= orphanTime(t).Time:
			reordered = append(reordered, orphanFate{t, req})
		case orphanTime(t).Time-req.Time > int64(decode.TimerF):
			stale = append(stale, orphanFate{t, req})
		default:
			// In time, yet not matched: its Via branch differs from
			// the request's (rewritten on the way, or damaged).
			viaMismatch = append(viaMismatch, orphanFate{t, req})
		}
	}
	return missing, reordered, stale, viaMismatch
}

func morePairs(n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(", and %d more address pairs", n-1)
}

// orphanEvidence points at orphan t's response.
func orphanEvidence(t *decode.Transaction, note string) Evidence {
	return Evidence{At: orphanTime(t), Src: t.Server, Dst: t.Client, Summary: orphanSummary(t), Note: note}
}

// orphanRequestEvidence points at the request, at req, that orphan t's
// response answers.
func orphanRequestEvidence(t *decode.Transaction, req decode.Ref, note string) Evidence {
	return Evidence{At: req, Src: t.Client, Dst: t.Server, Summary: t.Method, Note: note}
}

func orphanSummary(t *decode.Transaction) string {
	if t.Final != nil {
		return statusSummary(t.Final) + " (" + t.Method + ")"
	}
	return "provisional response (" + t.Method + ")"
}

// reportProblems reports input that was lost: what the capture layer could
// not read and messages the decoder could not use at all. A defect in one
// header of a message that was still correlated does not count.
func reportProblems(p *Pass, tr *decode.Trace, minProblems int) {
	total := tr.Unusable + tr.InputProblemCount
	if total == 0 || total < int64(minProblems) {
		return
	}
	var all []decode.Problem
	var fromText int64
	for _, pr := range tr.InputProblems {
		if pr.At.Line > 0 && !textLoss(pr.Message) {
			fromText++
			continue
		}
		all = append(all, pr)
	}
	total -= fromText
	for _, pr := range tr.Problems {
		if pr.Unusable {
			all = append(all, pr)
		}
	}
	if len(all) == 0 || total < int64(minProblems) {
		return
	}
	var ev []Evidence
	for i, pr := range all {
		if i == 3 {
			break
		}
		ev = append(ev, Evidence{At: pr.At, Note: pr.Message})
	}
	first := all[0]
	msg := fmt.Sprintf("%d input problem(s): data or messages that could not be read or used (the first: %s)", total, first.Message)
	p.Report(Finding{
		Subject: "capture", At: first.At, Confidence: High, Affected: int(total),
		Message: msg, Evidence: ev,
	})
}

// textLoss tells, among the problems a text ingester records, the ones
// that lost SIP (a message cut by the excerpt or the logger) from log lines
// that simply are not SIP. The ingesters say so in words only, so this
// reads them; lines a text ingester skips as not SIP do not count.
func textLoss(msg string) bool {
	for _, w := range []string{"cut", "truncat", "before the beginning", "missing", "lost"} {
		if strings.Contains(msg, w) {
			return true
		}
	}
	return false
}

// Hooks for other rules: what the capture cannot show about a client and
// its server.

// captureOneWay reports whether every address pair of the capture carried
// SIP in one direction only.
func captureOneWay(tr *decode.Trace) bool {
	if len(tr.Peers) == 0 {
		return false
	}
	for _, pp := range tr.Peers {
		if !pp.OneWay() {
			return false
		}
	}
	return true
}

// answeredUnseen tells requests that were answered although the capture
// holds no response: over UDP a client retransmits until it gets a
// response (RFC 3261 §17.1.1.2, §17.1.2.2), and a UA sends its next request
// on a Call-ID only once the previous one is answered or timed out (§10.2
// for REGISTER, §8.1.1.5 CSeq ordering). A request sent once and followed
// by the next one on its Call-ID before Timer F could run out was
// answered: the capture misses the way back.
//
// Feed it every transaction (note), in completion order; ask answered at
// the end. Memory is bounded and stays out of the garbage collector's way
// on long captures: the latest few requests per Call-ID are kept in
// pointer-free maps keyed by a hash of the Call-ID, in two generations of
// recentWindow of capture time (a follow-up older than Timer F can never
// match), plus the candidates themselves, for at most maxWatchedCalls
// Call-IDs at a time. A request noted while no other of its Call-ID awaits
// a response (Transaction.CallQuiet) is not kept: nothing noted later can
// be answered by it, unless the capture's clock goes back (see fallBack).
type answeredUnseen struct {
	recent, old hashTable[recentCall]            // this generation and the previous one
	started     bool                             // a transaction was noted
	genStart    int64                            // capture time the current generation began
	now         int64                            // latest request time noted
	waiting     map[string][]*decode.Transaction // unanswered, sent once over UDP
	answered    map[*decode.Transaction]bool
	// The requests let go as CallQuiet in this generation and the
	// previous one, logged in order (a sequential write, not a table's),
	// at most maxWatchedCalls a generation: once the capture's clock goes
	// back (Transaction.Reordered) a request timestamped before them may
	// still come, and they are put where they would have been kept
	// (fallBack).
	quiet, quietOld []quietRequest
	fellBack        bool
}

type quietRequest struct {
	h uint64 // CallIDHash
	r seenRequest
}

// answeredUnseen returns the run's answeredUnseen, noted every
// transaction by one observer registered ahead of the rules that ask it
// (CAP001, TXN001): each would otherwise keep the same maps, and hash and
// store every request twice.
func (p *Pass) answeredUnseen() *answeredUnseen {
	r := p.runner
	if r.unseen == nil {
		r.unseen = &answeredUnseen{}
		r.obs.Transaction = append(r.obs.Transaction, r.unseen.note)
	}
	return r.unseen
}

// recentWindow is how long a generation of recent requests lasts: two of
// them always cover the Timer F (32 s) a follow-up must come within.
const recentWindow = 2 * int64(decode.TimerF)

// seenRequest is one request, without pointers (netip.AddrPort has one),
// small enough that four of them sit in the map's slot (Go stores values
// over 128 bytes apart, one allocation per new Call-ID).
type seenRequest struct {
	client uint64 // sourceOf the client
	cseq   uint32
	at     int64
}

type recentCall struct {
	n int
	r [recentPerCall]seenRequest
}

const recentPerCall = 4

func seenOf(t *decode.Transaction) seenRequest {
	return seenRequest{client: sourceOf(t.Client), cseq: t.CSeq, at: t.Request.Time}
}

// talker is the end of one-way pair pp that sent its messages, the other
// end, and what it sent.
func talker(pp *decode.PeerPair) (from, to netip.Addr, sent *decode.Flow) {
	from, to = pp.A, pp.B
	sent, _ = pp.From(from)
	if sent.Messages() == 0 {
		from, to = to, from
		sent, _ = pp.From(from)
	}
	return from, to, sent
}

func (a *answeredUnseen) candidate(t *decode.Transaction) bool {
	return !t.Orphan && t.Final == nil && t.FirstProvisional.IsZero() && t.Sends == 1 &&
		t.ICMP == nil && (t.Transport == capture.UDP || t.Transport == capture.TransportUnknown)
}

func (a *answeredUnseen) follows(next seenRequest, t *decode.Transaction) bool {
	me := seenOf(t)
	return next.client == me.client && next.cseq > t.CSeq &&
		next.at > t.Request.Time && next.at < t.Request.Time+int64(decode.TimerF)
}

func (a *answeredUnseen) note(t *decode.Transaction) {
	if t.Orphan || t.Method == "ACK" || t.Method == "CANCEL" {
		return // CANCEL shares its INVITE's CSeq (§9.1)
	}
	if !a.started {
		a.started = true
		a.waiting = map[string][]*decode.Transaction{}
		a.answered = map[*decode.Transaction]bool{}
		a.genStart = t.Request.Time
	}
	if t.Request.Time > a.now {
		a.now = t.Request.Time
	}
	if a.now-a.genStart > recentWindow {
		// The previous generation is dropped; its storage becomes the new one.
		a.old, a.recent = a.recent, a.old
		a.recent.clear()
		a.quietOld, a.quiet = a.quiet, a.quietOld[:0]
		a.genStart = a.now
	}
	if t.Reordered && !a.fellBack {
		a.fallBack()
	}
	me := seenOf(t)
	cand := a.candidate(t)
	// Earlier candidates of this Call-ID that this request follows.
	if len(a.waiting) > 0 {
		if ws := a.waiting[t.CallID]; len(ws) > 0 {
			kept := ws[:0]
			for _, w := range ws {
				if a.follows(me, w) {
					a.answered[w] = true
					continue
				}
				if t.Request.Time < w.Request.Time+int64(decode.TimerF) {
					kept = append(kept, w) // a later request may still follow it
				}
			}
			if len(kept) == 0 {
				delete(a.waiting, t.CallID)
			} else {
				a.waiting[t.CallID] = kept
			}
		}
	}
	if t.CallQuiet && !cand && !a.fellBack {
		// No request of this Call-ID waits for a response, and any that
		// comes without one later is sent after this one: t can follow
		// no candidate still to come, so it need not be kept. Keeping it
		// or not changes no answer: a candidate is looked up only against
		// requests completed while it was open, which are all kept (so are
		// the last recentPerCall of them). Only a generation reaching
		// maxWatchedCalls Call-IDs fills later than it did. A request
		// timestamped before one of its Call-ID already noted quiet (a
		// capture whose clock goes back) finds it through the log, put
		// into the tables once the clock went back (fallBack).
		if len(a.quiet) < maxWatchedCalls && me.at != 0 { // no request follows an untimed one
			a.quiet = append(a.quiet, quietRequest{h: t.CallIDHash, r: me})
		}
		return
	}
	// The recent requests of this Call-ID, in either generation: updated
	// in place when in this one, copied into it from the previous one.
	h := t.CallIDHash
	rc := a.recent.get(h)
	var fromOld recentCall
	ok := rc != nil
	if !ok {
		if p := a.old.get(h); p != nil {
			fromOld, ok = *p, true
		}
		rc = &fromOld
	}
	if cand {
		// Later requests that completed first (answered quickly).
		for _, r := range rc.r[:rc.n] {
			if a.follows(r, t) {
				a.answered[t] = true
				break
			}
		}
		if !a.answered[t] && (len(a.waiting) < maxWatchedCalls || a.waiting[t.CallID] != nil) {
			a.waiting[t.CallID] = append(a.waiting[t.CallID], t)
		}
	}
	if rc == &fromOld {
		if !ok && a.recent.len() >= maxWatchedCalls {
			return
		}
		rc = a.recent.put(h)
		*rc = fromOld
	}
	if rc.n == recentPerCall {
		copy(rc.r[:], rc.r[1:])
		rc.n--
	}
	rc.r[rc.n] = me
	rc.n++
}

// fallBack puts the requests let go as CallQuiet into the generation they
// were noted in, once the capture's clock went back: a request sent before
// one of them may now be noted after it, and must find it. From then on
// CallQuiet is never set, so every request is kept as before. A Call-ID's
// latest recentPerCall requests (by time) are kept.
func (a *answeredUnseen) fallBack() {
	a.fellBack = true
	for _, g := range []struct {
		log []quietRequest
		t   *hashTable[recentCall]
	}{{a.quietOld, &a.old}, {a.quiet, &a.recent}} {
		for _, q := range g.log {
			rc := g.t.get(q.h)
			if rc == nil {
				// As note does: a Call-ID of the previous generation
				// comes into this one with its requests.
				var from *recentCall
				if g.t == &a.recent {
					from = a.old.get(q.h)
				}
				if from == nil && g.t.len() >= maxWatchedCalls {
					continue
				}
				rc = g.t.put(q.h)
				if *rc = (recentCall{}); from != nil {
					*rc = *from
				}
			}
			if rc.n < recentPerCall {
				rc.r[rc.n] = q.r
				rc.n++
				continue
			}
			oldest := 0
			for i := range rc.r {
				if rc.r[i].at < rc.r[oldest].at {
					oldest = i
				}
			}
			if q.r.at > rc.r[oldest].at {
				rc.r[oldest] = q.r
			}
		}
	}
	a.quiet, a.quietOld = nil, nil
}

// answered reports whether t was evidently answered out of the capture's sight.
func (a *answeredUnseen) wasAnswered(t *decode.Transaction) bool { return a.answered[t] }
