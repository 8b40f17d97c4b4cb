package rules

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/sipdiag/sipdiag/decode"
)

// ServerOverload is TXN002.
var ServerOverload = &Rule{
	ID: "TXN002", Name: "server-overload", Severity: Warning,
	Title: "the server answers that it is overloaded or cannot cope in time",
	Doc: `503 Service Unavailable means the server is temporarily overloaded or in maintenance (RFC 3261
§21.5.4); it may say for how long in Retry-After, and the client must not send it requests
before then (§21.5.4, RFC 3263 §4.3 on trying another server). 408 Request Timeout to a REGISTER
means the server could not get an answer in time, usually from its own
backend (database, HSS, an upstream proxy): an overloaded registrar or a slow proxy chain.
A 500 carrying Retry-After is the same signal (§21.5.1). The finding counts these answers per
server, says whether the clients honoured Retry-After (their next attempt came before it
elapsed or not), and when the refusals start after a run of successful requests it reports
that run as the server's capacity at the onset. A 408 to an INVITE is left to INV001 (it usually
means nobody answered the call).`,
	Fix: `Reduce the load on the server or add capacity: spread registrations over time (a longer
build-up after a restart, randomised refresh times), honour Retry-After in the clients (CUBE:
"retry register", phones: back-off settings) instead of retrying at once, and have the
provider look at the registrar's load and its backend (database, authentication server). When
a gateway answers 503 for calls, check that its outbound trunk or dial-peer is in service.`,
	Refs: []string{"RFC 3261 §21.5.4", "RFC 3261 §20.33", "RFC 3261 §21.4.9", "RFC 3263 §4.3", "RFC 7339 (overload control)"},
	Thresholds: []Threshold{
		{Name: "onset-successes", Default: "2", Doc: "successful requests to a server before its first refusal for the refusals to be reported as a capacity onset; the onset also needs the refusals to go on (two or more, and no success after the first): a registrar that refuses everyone past its N-th binding (Kamailio's usrloc/pike limits, SBC licence counts) shows exactly this"},
	},
	Explains: []string{"INV001", "REG004"},
	Run:      runServerOverload,
}

// retryWindow is the time a Retry-After asked a client to keep away.
type retryWindow struct {
	resp      *decode.Transaction
	until     int64
	early     *decode.Transaction // the first request inside the window
	honoured  bool                // a request came after the window and none inside
	settledAt int64               // when every request sent inside the window has completed
}

// overloadGroup is one server. Every server that ever answers 2xx has one
// and most never refuse anything: what a 2xx before the first refusal
// reads and writes (the counts and the last 2xx) is in the first cache
// line, and the struct is padded to 384 bytes, a size class whose objects
// start on a cache line.
type overloadGroup struct {
	count     int32 // refusals
	successes int32 // 2xx before the first refusal
	okAfter   int32 // 2xx after the first refusal
	okStatus  int32 // lastOK's status
	lastOK    okAnswer
	// the rest is read at the first refusal, by a transaction of a server
	// that gave Retry-After, and at the end
	server      netip.AddrPort
	first, last *decode.Transaction
	// earliest and latest refusal times: refusals arrive in the order
	// their transactions complete, which a capture whose clock goes back
	// (files merged out of order) does not keep in time order.
	earliest, latest int64
	byStatus         map[int]int
	firstOK          decode.Ref // request of the first 2xx (when successes > 0)
	accounts         map[string]bool
	callIDs          callIDs
	withRetry        int
	ignored          []*retryWindow
	honoured         int
	unjudged         int
	windows          map[netip.AddrPort][]*retryWindow // open windows per client
	okOther          okAddrs                           // lastOK's addresses when they cannot be packed
	_                [384 - 320]byte
}

// okAnswer is what the report cites of a 2xx: kept by value rather than
// the transaction, since every server that ever answers 2xx has a group
// and most never refuse anything. 48 bytes, its status in the group's
// okStatus: the server is the group's and an IPv4 client is packed in
// client, or both are in the group's okOther.
type okAnswer struct {
	at     decode.Ref
	client uint64 // addrPortKey of an IPv4 client; 1<<63: in okOther
	reason string
}

// okAddrs are the addresses of the last 2xx when okAnswer cannot say them.
type okAddrs struct {
	server, client netip.AddrPort
}

// okPacked in okAnswer.client says that the addresses are in okOther.
const okPacked = 1 << 63

// noteOK records t, a 2xx, as g's last before the first refusal.
func (g *overloadGroup) noteOK(t *decode.Transaction) {
	g.okStatus = int32(t.Final.Status)
	g.lastOK.at, g.lastOK.reason = t.Final.At, t.Final.Reason
	if c := t.Client.Addr(); c.Is4() && t.Server.Addr().Is4() {
		// IPv4 keys are exact: the group found by t.Server's key is its.
		g.lastOK.client = v4PortKey(c.As4(), t.Client.Port())
		return
	}
	g.lastOK.client = okPacked
	g.okOther = okAddrs{server: t.Server, client: t.Client} // another cache line
}

// okEvidence cites g's last 2xx before the first refusal.
func (g *overloadGroup) okEvidence(note string) Evidence {
	o := &g.lastOK
	server, client := g.server, unpackAddrPort(o.client)
	if o.client == okPacked {
		server, client = g.okOther.server, g.okOther.client
	}
	return Evidence{At: o.at, Src: server, Dst: client, Summary: statusSummary(&decode.Response{Status: int(g.okStatus), Reason: o.reason}), Note: note}
}

// unpackAddrPort is the IPv4 address and port v4PortKey packed in k.
func unpackAddrPort(k uint64) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{byte(k >> 40), byte(k >> 32), byte(k >> 24), byte(k >> 16)}), uint16(k))
}

func runServerOverload(p *Pass) error {
	onset, err := p.Int("onset-successes")
	if err != nil {
		return err
	}
	// Every transaction looks its server up: by a 64-bit key in a
	// ptrTable, cheaper than a map keyed by netip.AddrPort.
	var groups ptrTable[overloadGroup] // in first-seen order

	// Whether any server gave a Retry-After: until one does, a
	// transaction other than a 2xx or a refusal needs no lookup.
	var anyWindows bool
	p.OnTransaction(func(t *decode.Transaction) {
		var g *overloadGroup
		var key uint64
		if anyWindows {
			key = addrPortKey(t.Server)
			g = groups.get(key)
			if g != nil && len(g.windows) > 0 && !t.Orphan {
				g.judgeRetry(t)
			}
		}
		if t.Final == nil {
			return
		}
		s := t.Final.Status
		success := s >= 200 && s < 300
		if !success && !isOverload(t) {
			return
		}
		if g == nil {
			if !anyWindows {
				key = addrPortKey(t.Server)
				g = groups.get(key)
			}
			if g == nil {
				g = &overloadGroup{server: t.Server} // maps made at its first refusal
				groups.add(key, g)
			}
		}
		if success {
			if g.count == 0 {
				g.successes++
				if g.successes == 1 {
					g.firstOK = t.Request
				}
				g.noteOK(t)
			} else {
				g.okAfter++
			}
			return
		}
		if g.first == nil {
			g.first = t
			g.byStatus, g.accounts, g.windows = map[int]int{}, map[string]bool{}, map[netip.AddrPort][]*retryWindow{}
		}
		g.last = t
		if at := t.Final.At.Time; g.count == 0 || at < g.earliest {
			g.earliest = at
		}
		g.latest = max(g.latest, t.Final.At.Time)
		g.count++
		g.byStatus[s]++
		if len(g.accounts) < 1000 {
			g.accounts[t.Subject()] = true
		}
		g.callIDs.add(t.CallID)
		if ra := t.Final.RetryAfter; ra > 0 {
			g.withRetry++
			at := t.Final.At.Time
			w := &retryWindow{resp: t, until: at + int64(ra)*1e9}
			w.settledAt = w.until + int64(2*decode.TimerF)
			g.windows[t.Client] = append(g.windows[t.Client], w)
			anyWindows = true
		}
	})

	p.AtEnd(func(tr *decode.Trace) {
		var oneWay int
		for _, g := range groups.list {
			if g.count == 0 {
				continue
			}
			for _, ws := range g.windows {
				for _, w := range ws {
					g.settle(w)
				}
			}
			if g.unjudged > 0 && g.first.Orphan {
				oneWay++
			}
			reportOverload(p, g, onset)
		}
		if oneWay > 0 {
			p.Undecided(fmt.Sprintf("%d server(s) answered with Retry-After to requests the capture does not hold: whether the clients honoured it cannot be told", oneWay))
		}
	})
	return nil
}

// isOverload says whether a final response signals overload: 503, 408 to
// a REGISTER (a registrar waiting on its backend; a 408 to an INVITE is
// usually an unanswered call, to a CANCEL or BYE a transaction that was
// already gone), 500 with Retry-After (RFC 3261 §21.5.1).
func isOverload(t *decode.Transaction) bool {
	switch t.Final.Status {
	case 503:
		return true
	case 408:
		return t.Method == "REGISTER"
	case 500:
		return t.Final.RetryAfter > 0
	}
	return false
}

// judgeRetry compares a client's new request with the Retry-After windows
// it was given by this server.
func (g *overloadGroup) judgeRetry(t *decode.Transaction) {
	ws := g.windows[t.Client]
	if len(ws) == 0 {
		return
	}
	sent := t.Request.Time
	done := sent
	if t.Final != nil {
		done = t.Final.At.Time
	}
	kept := ws[:0]
	for _, w := range ws {
		at := w.resp.Final.At.Time
		switch {
		case sent <= at:
			// sent before the refusal: not a reaction to it
		case sent < w.until:
			if w.early == nil || sent < w.early.Request.Time {
				w.early = t
			}
		default:
			w.honoured = true
		}
		// Requests complete within Timer F of being sent, so once
		// completions pass the window's end by that much it is settled.
		if done > w.settledAt {
			g.settle(w)
			continue
		}
		kept = append(kept, w)
	}
	g.windows[t.Client] = kept
}

func (g *overloadGroup) settle(w *retryWindow) {
	switch {
	case w.early != nil:
		if len(g.ignored) < 1000 {
			g.ignored = append(g.ignored, w)
		}
	case w.honoured:
		g.honoured++
	default:
		g.unjudged++
	}
}

func reportOverload(p *Pass, g *overloadGroup, onset int) {
	t := g.first
	var codes []string
	var statuses []int
	for s := range g.byStatus {
		statuses = append(statuses, s)
	}
	sort.Ints(statuses)
	for _, s := range statuses {
		codes = append(codes, fmt.Sprintf("%d×%d", g.byStatus[s], s))
	}
	subject := "peer " + g.server.String()
	if len(g.accounts) == 1 {
		subject = t.Subject()
	}
	msg := fmt.Sprintf("%s answered %s to %s", g.server, strings.Join(codes, ", "), t.Method)
	if g.count > 1 {
		msg += fmt.Sprintf(" over %s", seconds(time.Duration(g.latest-g.earliest)))
	}
	if len(g.accounts) > 1 {
		msg += fmt.Sprintf(" for %d accounts", len(g.accounts))
	}
	msg += ": " + overloadMeaning(g)
	ev := []Evidence{finalEvidence(t, overloadNote(t.Final))}
	if !t.Orphan {
		ev = append([]Evidence{requestEvidence(t, "refused request")}, ev...)
	}
	conf := Medium
	if g.count > 1 || g.withRetry > 0 {
		conf = High
	}
	if int(g.successes) >= onset && g.successes > 0 && g.count >= 2 && g.okAfter == 0 {
		span := since(g.firstOK, g.lastOK.at)
		span = max(span, -span) // the clock may have gone back between them
		msg += fmt.Sprintf("; it had answered %d requests successfully over %s before the first refusal: its capacity is reached there", g.successes, seconds(span))
		if span > time.Second {
			msg += fmt.Sprintf(" (about %.1f requests/s)", float64(g.successes)/span.Seconds())
		}
		ev = append(ev, g.okEvidence(fmt.Sprintf("the last of %d successful answers before the refusals start", g.successes)))
	}
	switch {
	case len(g.ignored) > 0:
		w := g.ignored[0]
		wait := since(w.resp.Final.At, w.early.Request)
		msg += fmt.Sprintf("; Retry-After was ignored %s (asked %d s, the client came back after %s)", times(len(g.ignored)), w.resp.Final.RetryAfter, seconds(wait))
		ev = append(ev, requestEvidence(w.early, fmt.Sprintf("sent %s after a Retry-After: %d (RFC 3261 §21.5.4: not before it elapses)", seconds(wait), w.resp.Final.RetryAfter)))
	case g.honoured > 0:
		msg += "; the clients honoured Retry-After"
	}
	if g.count > 1 {
		ev = append(ev, finalEvidence(g.last, fmt.Sprintf("the last of %d refusals", g.count)))
	}
	p.Report(Finding{
		Subject: subject, At: t.Final.At, Message: msg, Evidence: ev,
		Confidence: conf, CallIDs: g.callIDs.ids, Affected: int(g.count),
	})
}

func overloadMeaning(g *overloadGroup) string {
	if w := g.first.Final.Warning; w != "" {
		// `503 ... Warning: 399 host "Registrar is not enabled"`: the
		// server says why, and that is rarely load.
		return fmt.Sprintf("the server gives its reason in a Warning (%s): a 503 explained so is that refusal (a service not enabled, a source it does not serve), not necessarily load", w)
	}
	switch {
	case g.byStatus[503] > 0 && g.first.Method == "INVITE":
		return "the server is overloaded or has no usable route or trunk for the call"
	case g.byStatus[503] > 0 || g.byStatus[500] > 0:
		return "the server is overloaded or in maintenance"
	default:
		return "the server could not get an answer in time (overloaded registrar or a slow backend/proxy chain)"
	}
}

// overloadNote quotes what a refusal says about how long to wait.
func overloadNote(r *decode.Response) string {
	var parts []string
	if r.RetryAfter >= 0 {
		parts = append(parts, fmt.Sprintf("Retry-After: %d", r.RetryAfter))
	} else {
		parts = append(parts, "no Retry-After")
	}
	if r.Warning != "" {
		parts = append(parts, "Warning: "+r.Warning)
	}
	if r.ReasonHdr != "" {
		parts = append(parts, "Reason: "+r.ReasonHdr)
	}
	return strings.Join(parts, "; ")
}
