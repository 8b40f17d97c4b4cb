package rules

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/sipdiag/sipdiag/decode"
)

// CallRejected is INV001.
var CallRejected = &Rule{
	ID: "INV001", Name: "call-rejected", Severity: Warning,
	Title: "a call was rejected with a final failure response",
	Doc: `An INVITE ended in a final failure (4xx, 5xx, 6xx; RFC 3261 §21) that is not part of the
normal flow: digest challenges (401/407, the AUTH rules), the caller's own CANCEL (487) and
redirections (3xx) are left out, and so is a failure the caller recovered from on the same
Call-ID (a 422 answered with a longer Session-Expires, a 488 answered with another offer) when
a 2xx followed. The status code says which side refused and why; gateways add a Reason header
with the ITU-T Q.850 cause of the telephone network (RFC 3326), and a Warning header (RFC 3261
§20.43) often names the exact media or parameter the far end could not accept. A rejected
re-INVITE (in a call already answered, e.g. a switch to T.38 fax) does not end the call: it
is reported as such. Busy, decline and no-answer outcomes are the callee's choice and get low
confidence.`,
	Fix: `Per status code, see the explanation in the finding: 403 — the caller is not allowed this
destination (source-IP allow-list, class of restriction, caller ID not accepted); 404/484/604 —
the number or domain is unknown (dial plan, number format, Request-URI host); 480 — the callee
is not registered; 482/483 — a routing loop; 488/606 — no common codec or media (compare the
SDP offer with what the far end allows; Warning 305 names it); 5xx — the far server or its
trunk failed (see TXN002 for 503 overload). A Q.850 cause in a Reason header names the
telephone network's reason.`,
	Refs: []string{"RFC 3261 §21", "RFC 3261 §20.43", "RFC 3326", "ITU-T Q.850 Table 1", "RFC 4028 §6 (422)"},
	Run:  runCallRejected,
}

// inviteFailureHints explains each INVITE failure status in a sentence.
var inviteFailureHints = map[int]string{
	400: "the far end could not parse the INVITE (a malformed or duplicated header; the Warning often names it)",
	402: "the far end wants payment (prepaid account out of credit)",
	403: "the caller is not allowed this call: source-IP allow-list, class of restriction or toll barring, caller ID (From/P-Asserted-Identity) not accepted, or a trunk that requires registration first",
	404: "the called number or user is unknown at that domain: check the dial plan, the number format (E.164 +, prefixes) and the Request-URI host",
	405: "the far end does not accept INVITE at this address",
	408: "nothing answered in time further on: after a ringing 18x the callee did not answer; without one a downstream server or gateway did not respond",
	410: "the number is no longer in service",
	413: "the INVITE is too large for the far end (over UDP: fragmentation; use TCP)",
	414: "the Request-URI is too long",
	415: "the far end does not accept the body type (e.g. multipart or a non-SDP body)",
	416: "the far end does not accept the URI scheme (tel: vs sip:)",
	420: "the INVITE requires an extension the far end lacks (Require: 100rel, timer, ...)",
	421: "the far end requires an extension the caller did not offer (Supported: timer, 100rel)",
	422: "the session timer is too short for the far end (Session-Expires below its Min-SE; RFC 4028)",
	480: "the callee is temporarily unavailable: not registered, offline or do-not-disturb",
	481: "the far end has no such call or transaction (a re-INVITE after it dropped the call)",
	482: "a routing loop: the INVITE came back to a server it already passed (dial-peers or routes pointing at each other)",
	483: "the INVITE ran out of Max-Forwards: a routing loop or an overly long chain",
	484: "the number is incomplete (too few digits for the far end's dial plan)",
	485: "the number is ambiguous at the far end",
	486: "the callee is busy",
	488: "the far end accepts none of the offered media: no codec in common, ptime, SRTP/crypto or T.38 mismatch (Warning 305/304 names it)",
	491: "both sides sent a re-INVITE at once (glare); one retries after a random wait",
	493: "the far end could not decrypt the body",
	494: "the far end requires a security agreement (RFC 3329)",
	500: "the far server failed internally while handling the call",
	501: "the far end does not implement something the INVITE needs",
	502: "a gateway or proxy further on got an invalid response from the next hop",
	503: "the far server is overloaded, in maintenance, or has no usable route or trunk (a gateway's outbound dial-peer busied out); see TXN002",
	504: "a server further on timed out waiting for the next hop (DNS or a downstream gateway)",
	505: "the far end does not support SIP/2.0 as sent",
	513: "the INVITE is too large for the far end",
	580: "a precondition (QoS, RFC 3312) could not be met",
	600: "the callee is busy everywhere",
	603: "the callee declined the call",
	604: "the number does not exist anywhere",
	606: "the callee accepts none of the offered media",
}

// calleeChoice are outcomes the callee chose: reported with low
// confidence, they are rarely what a ticket is about.
var calleeChoice = map[int]bool{486: true, 600: true, 603: true}

// calleeSide are failures about the called party (unknown, unregistered,
// busy): their subject is the callee's AOR, so that e.g. REG001's lapsed
// binding of that AOR and the 480 it causes meet. The rest are about the
// caller or the path: the caller's AOR.
var calleeSide = map[int]bool{404: true, 410: true, 480: true, 484: true, 486: true, 600: true, 603: true, 604: true}

func invSubject(t *decode.Transaction) string {
	if calleeSide[t.Final.Status] && t.ToAOR != "" {
		return t.ToAOR
	}
	if s := t.Subject(); s != "" {
		return s
	}
	// A From the decoder could not read (damaged input): the caller's
	// address still names who was refused.
	return "peer " + t.Client.Addr().String()
}

// maxWatchedCalls bounds the Call-IDs remembered to tell a re-INVITE from
// an initial INVITE and a recovered failure from a final one.
const maxWatchedCalls = 1 << 16

type invGroup struct {
	first, last *decode.Transaction
	count       int
	reinvite    bool // rejected re-INVITEs (invKey.reinv): a group holds either kind only
	orphan      int  // of count, responses whose INVITE was not captured
	subjects    map[string]bool
	callers     map[string]bool
	callees     map[string]bool
	servers     map[netip.Addr]bool
	callIDs     callIDs
}

// invKey groups rejections by the calling host and the status: a PBX
// whose calls all get 403 from the trunk is one finding, and so is a
// scanner's sweep answered 486 by a dozen servers.
type invKey struct {
	client netip.Addr
	status int
	reinv  bool
}

// recoveryWindow is how long (capture time) an initial INVITE failure
// waits for a 2xx on its Call-ID that would show the call recovered (a
// retry after 491, a new INVITE after a redirect) before it is counted.
// Counting as the capture goes keeps memory flat on a capture with
// millions of rejected calls (a toll-fraud sweep).
const recoveryWindow = 2 * int64(decode.TimerF)

func runCallRejected(p *Pass) error {
	answered := newHashSet(maxWatchedCalls)       // Call-IDs with a 2xx to INVITE (hashed: no strings kept alive)
	pending := map[string][]*decode.Transaction{} // initial INVITE failures that a 2xx may still recover
	var queue []*decode.Transaction               // pending, oldest first (some already recovered)
	groups := map[invKey]*invGroup{}
	var order []invKey

	add := func(t *decode.Transaction, reinvite bool) {
		k := invKey{t.Client.Addr(), t.Final.Status, reinvite}
		g := groups[k]
		if g == nil {
			g = &invGroup{first: t, reinvite: reinvite, subjects: map[string]bool{}, callers: map[string]bool{}, callees: map[string]bool{}, servers: map[netip.Addr]bool{}}
			groups[k] = g
			order = append(order, k)
		}
		if len(g.subjects) < 100 {
			g.subjects[invSubject(t)] = true
			g.callers[t.FromAOR] = true
			g.callees[t.ToAOR] = true
			g.servers[t.Server.Addr()] = true
		}
		g.last = t
		g.count++
		if t.Orphan {
			g.orphan++
		}
		g.callIDs.add(t.CallID)
	}
	// settle counts the pending failures older than the recovery window
	// (all of them at the end): no 2xx came for their Call-ID.
	settle := func(now int64, all bool) {
		n := 0
		for _, t := range queue {
			if !all && t.Final.At.Time > now-recoveryWindow {
				break
			}
			n++
			list := pending[t.CallID]
			i := slices.Index(list, t)
			if i < 0 {
				continue // recovered by a 2xx in the meantime
			}
			if len(list) == 1 {
				delete(pending, t.CallID)
			} else {
				pending[t.CallID] = slices.Delete(list, i, i+1)
			}
			add(t, false)
		}
		queue = queue[n:]
	}

	p.OnTransaction(func(t *decode.Transaction) {
		if t.Method != "INVITE" || t.Final == nil {
			return
		}
		if len(queue) > 0 {
			settle(t.Final.At.Time, false)
		}
		s := t.Final.Status
		if s >= 200 && s < 300 {
			delete(pending, t.CallID) // recovered: those failures are not counted
			answered.addCallID(t)
			return
		}
		if s < 400 || s == 401 || s == 407 || s == 487 {
			return // redirection, digest challenge, the caller's own CANCEL (§9.1)
		}
		if s == 403 && t.Credentials != nil {
			return // credentials refused: an authentication failure (AUTH003)
		}
		switch {
		case answered.hasCallID(t):
			add(t, true)
		case len(pending) < maxWatchedCalls || pending[t.CallID] != nil:
			pending[t.CallID] = append(pending[t.CallID], t)
			queue = append(queue, t)
		default:
			add(t, false) // too many calls watched to wait for a recovery
		}
	})

	p.AtEnd(func(tr *decode.Trace) {
		settle(0, true)
		for _, k := range order {
			reportRejected(p, groups[k])
		}
	})
	return nil
}

func reportRejected(p *Pass, g *invGroup) {
	t := g.first
	status := t.Final.Status
	what := "call"
	if g.reinvite {
		what = "re-INVITE in an answered call"
	}
	msg := fmt.Sprintf("%s from %s to %s rejected with %s", what, t.FromAOR, t.ToAOR, statusSummary(t.Final))
	if g.count > 1 {
		plural := "calls"
		if g.reinvite {
			plural = "re-INVITEs in answered calls"
		}
		to := fmt.Sprintf("the first to %s", t.ToAOR)
		if len(g.callees) > 1 {
			to = fmt.Sprintf("to %d numbers, the first %s", len(g.callees), t.ToAOR)
		}
		if len(g.servers) > 1 {
			to += fmt.Sprintf(", by %d servers", len(g.servers))
		}
		from := t.FromAOR
		if len(g.callers) > 1 {
			from = fmt.Sprintf("%s (%d callers)", t.Client.Addr(), len(g.callers))
		}
		msg = fmt.Sprintf("%d %s from %s rejected with %s (%s)", g.count, plural, from, statusSummary(t.Final), to)
	}
	if hint, ok := inviteFailureHints[status]; ok {
		msg += ": " + hint
	}
	if w := reasonWords(t.Final.ReasonHdr); w != "" {
		msg += "; Reason " + w
	}
	if g.reinvite {
		msg += "; the call itself goes on"
	}
	subject := invSubject(t)
	if len(g.subjects) > 1 {
		subject = "peer " + t.Client.Addr().String()
	}
	conf := High
	switch {
	case calleeChoice[status]:
		conf = Low
	case g.orphan == g.count || g.reinvite:
		conf = Medium
	}
	var ev []Evidence
	if !t.Orphan {
		ev = append(ev, requestEvidence(t, "the INVITE"))
	}
	ev = append(ev, finalEvidence(t, invFailureNote(t.Final)))
	if g.count > 1 {
		ev = append(ev, finalEvidence(g.last, fmt.Sprintf("the last of %d such rejections", g.count)))
	}
	p.Report(Finding{
		Subject: subject, At: t.Final.At, Message: msg, Evidence: ev,
		Confidence: conf, CallIDs: g.callIDs.ids, Affected: g.count,
	})
}

// invFailureNote quotes the Reason and Warning headers of a failure with
// their meaning.
func invFailureNote(r *decode.Response) string {
	var parts []string
	if r.ReasonHdr != "" {
		s := "Reason: " + r.ReasonHdr
		if w := reasonWords(r.ReasonHdr); w != "" {
			s += " — " + w
		}
		parts = append(parts, s)
	}
	if r.Warning != "" {
		s := "Warning: " + r.Warning
		if w := warningWords(r.Warning); w != "" {
			s += " — " + w
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "final response (no Reason or Warning header)"
	}
	return strings.Join(parts, "; ")
}
