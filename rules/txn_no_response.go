package rules

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sipdiag/sipdiag/capture"
	"github.com/sipdiag/sipdiag/decode"
)

// NoResponse is TXN001.
var NoResponse = &Rule{
	ID: "TXN001", Name: "no-response", Severity: Critical,
	Title: "requests were never answered",
	Doc: `A SIP client retransmits a request over UDP on a doubling schedule (RFC 3261 §17.1.1.2
Timer A for INVITE: 0.5, 1, 2, 4 s ...; §17.1.2.2 Timer E for other requests: doubling up to
T2 = 4 s) and gives up when Timer B/F runs out, 64·T1 = 32 s after the first copy. Here a request
got no final response within Timer B/F while the capture went on: nothing answered it. The
copies' times are shown against the RFC schedule. An ICMP destination/port unreachable quoting
the request means nothing listens at that address and port. When the capture holds nothing at
all coming back from the server, it cannot tell a silent server from a capture that misses that
direction (see CAP001), so confidence is lower. Requests still waiting when the capture ended
are not judged (the summary says so). Every unanswered request of one client to one server with
one method is one finding.`,
	Fix: `Check that the request reaches a SIP server that listens: the DNS SRV/A records of the
registrar or proxy, the port and transport (UDP vs TCP, TLS on 5061), firewalls and NAT on both
sides (an ICMP port unreachable means nothing listens on that port), and the server's flood
protection or blacklist (a source banned after failures gets silence). Capture on the server
side too: a request that arrives there but is not answered is a server problem.`,
	Refs: []string{"RFC 3261 §17.1.1.2", "RFC 3261 §17.1.2.2", "RFC 3261 §17.1.1.1 (T1, T2)", "RFC 1122 §3.2.2.1 (ICMP unreachable)", "RFC 3263"},
	Thresholds: []Threshold{
		{Name: "t1", Default: "500ms", Doc: "the RTT estimate the retransmission schedule doubles from (RFC 3261 §17.1.1.1 T1 = 500 ms)"},
		{Name: "t2", Default: "4s", Doc: "the cap on the retransmission interval of non-INVITE requests (RFC 3261 §17.1.2.2 T2 = 4 s)"},
	},
	Explains: []string{"REG001"},
	Run:      runNoResponse,
}

// txnGroupKey groups unanswered requests by the server host and method:
// one silent registrar is one finding however many UAs, accounts and
// source ports tried it. A source whose requests went unanswered by
// scanServers servers or more is sweeping (a scanner, a password guesser
// blacklisted by one target after another): its requests are one group on
// the source (server left zero), so that a sweep is one finding, not one
// per target.
type txnGroupKey struct {
	server netip.Addr
	method string
	source netip.Addr
}

type txnGroup struct {
	first, last *decode.Transaction
	longest     *decode.Transaction // the one with the most copies: its schedule is shown
	count       int
	provisional int // of count, non-INVITEs answered only with a provisional
	icmp        *decode.Transaction
	subjects    map[string]bool
	clients     map[netip.Addr]bool
	servers     map[netip.Addr]bool
	methods     map[string]int
	sweep       bool // grouped on the source (see txnGroupKey)
	callIDs     callIDs
}

// txnOrphanKey identifies a response by what its request would share with
// it whatever its Via says: Call-ID, CSeq number and method.
type txnOrphanKey struct {
	callID string
	cseq   uint32
	method string
}

// maxTxnCandidates bounds the unanswered requests held until the end (each
// pins its transaction, about 0.5 KB: 16 MB at most) and the orphan keys;
// past it a scanner's millionth unanswered probe is no longer examined,
// which the summary says.
const maxTxnCandidates = 1 << 15

func runNoResponse(p *Pass) error {
	t1, err := p.Duration("t1")
	if err != nil {
		return err
	}
	t2, err := p.Duration("t2")
	if err != nil {
		return err
	}
	var candidates []*decode.Transaction
	var dropped int
	seen := p.answeredUnseen()
	orphans := map[txnOrphanKey]bool{}

	p.OnTransaction(func(t *decode.Transaction) {
		if t.Orphan {
			// A response that matched no request may be the answer to one
			// of ours whose Via the correlator could not pair it with.
			if len(orphans) < maxTxnCandidates {
				orphans[txnOrphanKey{t.CallID, t.CSeq, t.Method}] = true
			}
			return
		}
		if t.Final != nil {
			return
		}
		if t.Method == "INVITE" && !t.FirstProvisional.IsZero() {
			return // a call that rang and was never answered: not a dead server
		}
		if len(candidates) < maxTxnCandidates {
			candidates = append(candidates, t)
		} else {
			dropped++
		}
	})

	p.AtEnd(func(tr *decode.Trace) {
		var cut int
		var firstCut *decode.Transaction
		var decided []*decode.Transaction
		for _, t := range candidates {
			switch {
			case t.Final != nil:
				// answered after Timer B/F ran out (the correlator reports
				// the transaction again then): the server did answer
			case orphans[txnOrphanKey{t.CallID, t.CSeq, t.Method}]:
				// answered, but the response's Via did not match (CAP001 reports such responses)
			case seen.wasAnswered(t):
				// the client moved on: answered out of the capture's sight (CAP001)
			case t.State != decode.TimedOut && t.ICMP == nil:
				// The capture ended before Timer B/F: cannot tell.
				cut++
				if firstCut == nil {
					firstCut = t
				}
			default:
				decided = append(decided, t)
			}
		}
		if cut > 0 {
			p.Undecided(fmt.Sprintf("%d request(s) were still unanswered when the capture ended, before Timer B/F (32 s) ran out (the first: %s from %s at %s): whether they would have been answered cannot be told",
				cut, requestSummary(firstCut), endpoint(firstCut.Client), firstCut.Request.T().Format("15:04:05")))
		}
		targets := map[netip.Addr]map[netip.Addr]bool{} // per source, the servers that left it unanswered
		for _, t := range decided {
			src := t.Client.Addr()
			if targets[src] == nil {
				targets[src] = map[netip.Addr]bool{}
			}
			if len(targets[src]) < scanServers {
				targets[src][t.Server.Addr()] = true
			}
		}
		groups := map[txnGroupKey]*txnGroup{}
		var order []txnGroupKey
		for _, t := range decided {
			k := txnGroupKey{server: t.Server.Addr(), method: t.Method}
			sweep := len(targets[t.Client.Addr()]) >= scanServers
			if sweep {
				k = txnGroupKey{source: t.Client.Addr()}
			}
			g := groups[k]
			if g == nil {
				g = &txnGroup{first: t, longest: t, subjects: map[string]bool{}, clients: map[netip.Addr]bool{},
					servers: map[netip.Addr]bool{}, methods: map[string]int{}, sweep: sweep}
				groups[k] = g
				order = append(order, k)
			}
			g.add(t)
		}
		for _, k := range order {
			reportNoResponse(p, tr, groups[k], t1, t2)
		}
		if dropped > 0 {
			p.Undecided(fmt.Sprintf("%d more unanswered requests were not examined (more than %d in one capture): the counts above are lower bounds", dropped, maxTxnCandidates))
		}
	})
	return nil
}

func (g *txnGroup) add(t *decode.Transaction) {
	g.last = t
	g.count++
	if t.Sends > g.longest.Sends {
		g.longest = t
	}
	if !t.FirstProvisional.IsZero() {
		g.provisional++
	}
	if t.ICMP != nil && g.icmp == nil {
		g.icmp = t
	}
	if len(g.subjects) < 100 {
		g.subjects[t.Subject()] = true
	}
	if len(g.clients) < 100 {
		g.clients[t.Client.Addr()] = true
	}
	if len(g.servers) < 1000 {
		g.servers[t.Server.Addr()] = true
	}
	g.methods[t.Method]++
	g.callIDs.add(t.CallID)
}

// sweepMethods lists a sweep's methods with their counts, most first.
func (g *txnGroup) sweepMethods() string {
	type mc struct {
		m string
		n int
	}
	var ms []mc
	for m, n := range g.methods {
		ms = append(ms, mc{m, n})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].n > ms[j].n || ms[i].n == ms[j].n && ms[i].m < ms[j].m })
	parts := make([]string, len(ms))
	for i, x := range ms {
		parts[i] = fmt.Sprintf("%d %s", x.n, x.m)
	}
	return strings.Join(parts, ", ")
}

func reportNoResponse(p *Pass, tr *decode.Trace, g *txnGroup, t1, t2 time.Duration) {
	if g.sweep {
		reportSweep(p, g, t1, t2)
		return
	}
	t := g.first
	what := t.Method
	if g.count > 1 {
		what = fmt.Sprintf("%d %s requests", g.count, t.Method)
	}
	subject := "peer " + t.Server.String()
	if len(g.subjects) == 1 {
		subject = t.Subject()
	}
	from := endpoint(t.Client)
	if len(g.clients) > 1 {
		from = fmt.Sprintf("%d clients", len(g.clients))
	}
	if len(g.subjects) > 1 {
		what += fmt.Sprintf(" for %d accounts", len(g.subjects))
	}
	msg := fmt.Sprintf("%s from %s to %s got no response within Timer %s (32 s)", what, from, endpoint(t.Server), timerLetter(t))
	conf := High
	var ev []Evidence
	schedule := scheduleNote(g.longest, t1, t2)
	ev = append(ev, requestEvidence(g.longest, schedule))
	if n := len(g.longest.Resent); n > 0 {
		last := g.longest.Resent[n-1]
		ev = append(ev, Evidence{At: last, Src: t.Client, Dst: t.Server, Summary: requestSummary(g.longest),
			Note: fmt.Sprintf("copy %d, %s after the first; nothing came back", n+1, seconds(since(g.longest.Request, last)))})
	}
	switch {
	case g.icmp != nil:
		ic := g.icmp.ICMP
		kind := "destination unreachable"
		if ic.PortUnreachable {
			kind = "port unreachable"
		}
		msg = fmt.Sprintf("%s from %s to %s: ICMP %s from %s, nothing is listening at %s/%s", what, from, t.Server, kind, ic.From, g.icmp.Server, transportName(g.icmp.Transport))
		ev = append(ev, Evidence{At: ic.At, Src: netip.AddrPortFrom(ic.From, 0), Dst: g.icmp.Client, Summary: "ICMP " + kind,
			Note: fmt.Sprintf("quotes %s sent to %s", requestSummary(g.icmp), g.icmp.Server)})
	case tr.NeverAnswered(t.Client, t.Server):
		msg += fmt.Sprintf("; no SIP at all came back from %s in this capture: it is unreachable or silent, or the capture misses that direction (see CAP001)", t.Server.Addr())
		if conf > Low {
			conf-- // a missing reply is then as likely a missing direction of the capture as a silent server
		}
	case answeredOthers(tr, t.Client, t.Server):
		msg += fmt.Sprintf("; %s answered other requests in this capture, so the capture sees that direction", t.Server.Addr())
	}
	if g.provisional > 0 {
		msg += fmt.Sprintf(" (%d of them got only a provisional response)", g.provisional)
	}
	if tr.Unusable > 0 {
		// A message the decoder could not correlate (no Call-ID or CSeq
		// it could read: damaged, fuzzed) may be the missing answer.
		msg += fmt.Sprintf("; %d SIP message(s) of the capture could not be read well enough to pair (CAP001): the answer may be among them", tr.Unusable)
		if conf > Low {
			conf--
		}
	}
	if g.longest.Sends == 1 && t.Transport == capture.UDP && g.icmp == nil {
		// Over UDP the client should have retransmitted (§17.1.2.2):
		// either it does not, or the capture missed the copies.
		msg += "; sent only once over UDP, no retransmission"
		if conf == High {
			conf = Medium
		} else {
			conf = Low
		}
	}
	if g.count > 1 {
		ev = append(ev, requestEvidence(g.last, fmt.Sprintf("the last of %d unanswered %s requests", g.count, t.Method)))
	}
	p.Report(Finding{
		Subject: subject, At: t.Request, Message: msg, Evidence: ev,
		Confidence: conf, CallIDs: g.callIDs.ids, Affected: g.count,
	})
}

// reportSweep reports the unanswered requests of a source that many
// servers left unanswered as one finding: which servers kept silent is
// what the source's targets decided (or a ban), not a fault of one
// server, so the finding is the sweep itself, with low confidence as a
// diagnosis of the servers.
func reportSweep(p *Pass, g *txnGroup, t1, t2 time.Duration) {
	t := g.first
	src := t.Client.Addr()
	msg := fmt.Sprintf("%s requests (%s) from %s to %d servers got no response within Timer B/F (32 s), for %d accounts: one source left unanswered by this many servers is sweeping them (a scanner or password guesser that the targets ignore, filter or have banned), not a UA with one broken registrar",
		strconv.Itoa(g.count), g.sweepMethods(), src, len(g.servers), len(g.subjects))
	ev := []Evidence{requestEvidence(g.longest, scheduleNote(g.longest, t1, t2))}
	if g.icmp != nil {
		ic := g.icmp.ICMP
		msg += fmt.Sprintf("; an ICMP unreachable from %s says nothing listens at %s", ic.From, g.icmp.Server)
		ev = append(ev, Evidence{At: ic.At, Src: netip.AddrPortFrom(ic.From, 0), Dst: g.icmp.Client, Summary: "ICMP unreachable",
			Note: fmt.Sprintf("quotes %s sent to %s", requestSummary(g.icmp), g.icmp.Server)})
	}
	ev = append(ev, requestEvidence(g.last, fmt.Sprintf("the last of %d unanswered requests from %s", g.count, src)))
	p.Report(Finding{
		Subject: sourceSubject(src), At: t.Request, Message: msg, Evidence: ev,
		Confidence: Low, CallIDs: g.callIDs.ids, Affected: g.count,
	})
}

func timerLetter(t *decode.Transaction) string {
	if t.Method == "INVITE" {
		return "B"
	}
	return "F"
}

func transportName(tp capture.Transport) string {
	if tp == capture.TransportUnknown {
		return "UDP"
	}
	return tp.String()
}

// scheduleNote lists when each copy of a request was sent, relative to the
// first, and compares the intervals with RFC 3261's: over UDP the interval
// starts at T1 and doubles (INVITE, Timer A, §17.1.1.2) or doubles up to T2
// (other requests, Timer E, §17.1.2.2); over a reliable transport the
// request is sent once.
func scheduleNote(t *decode.Transaction, t1, t2 time.Duration) string {
	if len(t.Resent) == 0 {
		if t.Transport != capture.UDP && t.Transport != capture.TransportUnknown {
			return fmt.Sprintf("sent once over %s (a reliable transport is not retransmitted, RFC 3261 §17.1.1.2)", t.Transport)
		}
		return "sent once"
	}
	offs := []string{"+0"}
	var intervals []time.Duration
	prev := t.Request.Time
	for _, r := range t.Resent {
		offs = append(offs, "+"+seconds(since(t.Request, r)))
		intervals = append(intervals, time.Duration(r.Time-prev))
		prev = r.Time
	}
	more := ""
	if t.Sends > len(t.Resent)+1 {
		more = fmt.Sprintf(" … (%d copies in all)", t.Sends)
	}
	note := fmt.Sprintf("sent %d times, at %s%s", t.Sends, strings.Join(offs, ", "), more)
	if t.Transport != capture.UDP && t.Transport != capture.TransportUnknown {
		return note + fmt.Sprintf("; retransmitted over %s, which RFC 3261 does not do (§17.1.1.2): the application resent it", t.Transport)
	}
	ceiling := t2
	timer := "Timer E, doubling from T1 = " + seconds(t1) + " up to T2 = " + seconds(t2)
	if t.Method == "INVITE" {
		ceiling = 0
		timer = "Timer A, doubling from T1 = " + seconds(t1)
	}
	if followsSchedule(intervals, t1, ceiling) {
		return note + "; follows RFC 3261 " + timer
	}
	// The same doubling from another base: T1 configured differently, with
	// T2 left at its value or scaled along.
	base := intervals[0]
	scaled := ceiling
	if ceiling > 0 {
		scaled = time.Duration(float64(base) * float64(t2) / float64(t1))
	}
	if base > 0 && len(intervals) >= 2 && ((ceiling == 0 || ceiling > base) && followsSchedule(intervals, base, ceiling) || followsSchedule(intervals, base, scaled)) {
		return note + fmt.Sprintf("; doubles from %s instead of T1 = %s: the client's T1 is configured to %s", seconds(base), seconds(t1), seconds(base))
	}
	ds := make([]string, len(intervals))
	for i, d := range intervals {
		ds[i] = seconds(d)
	}
	return note + fmt.Sprintf("; intervals %s do not follow RFC 3261 %s", strings.Join(ds, ", "), timer)
}

// followsSchedule reports whether each interval is the expected one within
// a quarter (timers are coarse on busy hosts) or 100 ms.
func followsSchedule(intervals []time.Duration, base, ceiling time.Duration) bool {
	want := base
	for _, d := range intervals {
		tol := want / 4
		if tol < 100*time.Millisecond {
			tol = 100 * time.Millisecond
		}
		if d < want-tol || d > want+tol {
			return false
		}
		want *= 2
		if ceiling > 0 && want > ceiling {
			want = ceiling
		}
	}
	return true
}

// answeredOthers reports whether the capture holds responses from server to
// client (false when the input does not name the addresses).
func answeredOthers(tr *decode.Trace, client, server netip.AddrPort) bool {
	_, back := tr.Flows(client, server)
	return back != nil && back.Responses > 0
}

// endpoint prints an address, or says that the input does not name it
// (text logs often give only one side).
func endpoint(ap netip.AddrPort) string {
	if !ap.IsValid() {
		return "(an address the log does not give)"
	}
	return ap.String()
}
