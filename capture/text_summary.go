package capture

import (
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// summaryBuilder turns one-line packet summaries (TextMessage.Summary)
// into minimal SIP messages so that transaction-level rules can run on
// them. It keeps state across lines: requests and responses are matched
// by order and addresses, since the summary carries no Via, Call-ID or
// CSeq.
//
// What a summary says is kept as it is (method, Request-URI, status,
// reason, addresses, time). What it does not say is made up so that the
// correlator (decode/correlate.go, decode/auth.go) pairs the messages the
// way the packets were paired on the wire, and every made-up value is an
// obvious placeholder so that no rule can quote it as a fact:
//
//   - transactions (RFC 3261 §17): a response answers the oldest
//     request still open in the other direction between the same two
//     addresses (for the method in brackets when tshark prints it); a
//     request repeated while its first copy is open and younger than
//     Timer F is a retransmission (same branch);
//   - digest retries (RFC 3261 §22.2, §8.1.3.5): a request from the UA
//     that got a 401/407, to the same server, for the same method and
//     Request-URI, within Timer F of the challenge, is the answer to it:
//     same Call-ID, CSeq + 1, and an Authorization (Proxy-Authorization
//     after a 407) whose username, realm and response read "(not in
//     summary)", with no nonce (whether it was the challenge's is not
//     known either); the
//     challenge's WWW-/Proxy-Authenticate has the same placeholder realm,
//     so AUTH001 never sees two different realms;
//   - accounts: the summary names none, so the From (and for REGISTER the
//     To) is "sip:ua-<client address>@not-in-summary.invalid" (RFC 2606
//     .invalid): one account per UA address, the only grouping a packet
//     list supports; an INVITE's To is its Request-URI;
//   - REGISTER refreshes from one UA to one registrar keep one Call-ID
//     (RFC 3261 §10.2.4); other new requests get a new Call-ID;
//   - CANCEL and an ACK to a non-2xx final response share the INVITE's
//     branch, Call-ID and CSeq number (§9.1, §17.1.1.3).
//
// Header-level facts (realm, username, expiry, Contact, SDP) are absent:
// the rules that need them cannot run, and the framework says so.
type summaryBuilder struct {
	seq   int           // numbers the synthetic identifiers
	open  []*summaryTxn // requests without a final response, oldest first
	done  []*summaryTxn // recently answered, newest last (ACK, CANCEL, retransmitted finals)
	flows map[summaryFlowKey]*summaryFlow
	now   time.Time
}

// summaryTxn is one request the builder made up identifiers for.
type summaryTxn struct {
	src, dst      netip.AddrPort
	method, ruri  string
	callID        string
	cseq          uint32
	branch        string
	fromTag       string
	toTag         string
	from, to      string // name-addrs
	credentials   string // the Authorization line it carries, "" when none
	sent          time.Time
	final         int // final status, 0 while open
	finalReason   string
	challengeLine string // for a 401/407 final
}

type summaryFlowKey struct {
	client, server netip.AddrPort
	method, ruri   string
}

// summaryFlow is what a UA did last towards one server for one method and
// Request-URI.
type summaryFlow struct {
	callID      string
	cseq        uint32
	challenge   int       // 401 or 407 when the last final was one, else 0
	challengeAt time.Time // when it came
}

// Limits that keep the builder's memory bounded on a long list: a request
// open longer than Timer F (32 s) is not answered any more (RFC 3261
// §17.1.2.2), and the few last answered ones are enough for ACK, CANCEL
// and retransmitted finals.
const (
	summaryTimerF   = 32 * time.Second
	summaryMaxOpen  = 1024
	summaryMaxDone  = 256
	summaryMaxFlows = 1 << 16
)

// Placeholders for what a summary does not say.
const (
	summaryUnknown     = "(not in summary)"
	summaryAccountHost = "not-in-summary.invalid"
)

func newSummaryBuilder() *summaryBuilder {
	return &summaryBuilder{flows: make(map[summaryFlowKey]*summaryFlow)}
}

// build returns the SIP message standing for m (m.Summary != nil), with
// CRLF line ends, or nil when the summary is not enough to build one.
func (b *summaryBuilder) build(m *TextMessage) []byte {
	s := m.Summary
	if s == nil {
		return nil
	}
	if !m.Stamp.Time.IsZero() {
		b.now = m.Stamp.Time
	}
	b.expire()
	if s.Method != "" {
		return b.request(s)
	}
	return b.response(s)
}

// expire forgets open requests older than Timer F: a response after that
// belongs to nothing we can pair by order.
func (b *summaryBuilder) expire() {
	if b.now.IsZero() {
		return
	}
	k := 0
	for _, t := range b.open {
		if !t.sent.IsZero() && b.now.Sub(t.sent) > 2*summaryTimerF {
			continue
		}
		b.open[k] = t
		k++
	}
	clear(b.open[k:])
	b.open = b.open[:k]
}

// within reports whether at most d passed since t (true when either time
// is unknown: a list without times is matched by order alone).
func (b *summaryBuilder) within(t time.Time, d time.Duration) bool {
	return t.IsZero() || b.now.IsZero() || b.now.Sub(t) <= d
}

func (b *summaryBuilder) next() string {
	b.seq++
	return strconv.Itoa(b.seq)
}

func (b *summaryBuilder) request(s *TextSummary) []byte {
	method := strings.ToUpper(s.Method)
	// A copy of a request still open: a retransmission (§17.1.1.2).
	for _, t := range b.open {
		if t.method == method && t.ruri == s.RequestURI && t.src == s.Src && t.dst == s.Dst && b.within(t.sent, summaryTimerF) {
			return t.requestText()
		}
	}
	switch method {
	case "ACK":
		return b.ack(s)
	case "CANCEL":
		if inv := b.lastInvite(s, true); inv != nil {
			t := b.newTxn(s, method, inv.callID, inv.cseq, inv.from, inv.to)
			t.branch, t.fromTag = inv.branch, inv.fromTag
			b.track(t)
			return t.requestText()
		}
	}
	key := summaryFlowKey{client: s.Src, server: s.Dst, method: method, ruri: s.RequestURI}
	f := b.flows[key]
	from := "<sip:" + summaryAccount(s.Src) + "@" + summaryAccountHost + ">"
	to := from
	if method != "REGISTER" {
		to = "<" + s.RequestURI + ">"
	}
	var t *summaryTxn
	switch {
	case f != nil && f.challenge != 0 && b.within(f.challengeAt, summaryTimerF):
		// The answer to the challenge (§22.2): same Call-ID, next CSeq.
		f.cseq++
		t = b.newTxn(s, method, f.callID, f.cseq, from, to)
		name := "Authorization"
		if f.challenge == 407 {
			name = "Proxy-Authorization"
		}
		// No nonce: whether the answer used the challenge's own nonce is
		// not in the summary either, and an equal placeholder would say so.
		t.credentials = name + ": Digest username=\"" + summaryUnknown + "\", realm=\"" + summaryUnknown +
			"\", uri=\"" + s.RequestURI + "\", response=\"" + summaryUnknown + "\""
		f.challenge = 0
	case f != nil && method == "REGISTER":
		f.cseq++
		t = b.newTxn(s, method, f.callID, f.cseq, from, to)
	default:
		if len(b.flows) >= summaryMaxFlows {
			clear(b.flows)
		}
		f = &summaryFlow{callID: "summary-" + b.next() + "@" + summaryAccountHost, cseq: 1}
		b.flows[key] = f
		t = b.newTxn(s, method, f.callID, f.cseq, from, to)
	}
	b.track(t)
	return t.requestText()
}

// ack builds an ACK: for a non-2xx final it belongs to the INVITE's
// transaction (same branch, §17.1.1.3); after a 2xx it is a new
// transaction of the same dialog (§13.2.2.4).
func (b *summaryBuilder) ack(s *TextSummary) []byte {
	inv := b.lastInvite(s, false)
	if inv == nil {
		t := b.newTxn(s, "ACK", "summary-"+b.next()+"@"+summaryAccountHost, 1,
			"<sip:"+summaryAccount(s.Src)+"@"+summaryAccountHost+">", "<"+s.RequestURI+">")
		return t.requestText()
	}
	t := b.newTxn(s, "ACK", inv.callID, inv.cseq, inv.from, inv.to)
	t.fromTag, t.toTag = inv.fromTag, inv.toTag
	if inv.final >= 300 && inv.ruri == s.RequestURI {
		t.branch = inv.branch
	}
	return t.requestText()
}

// lastInvite finds the latest INVITE from the same client to the same
// server (open ones only for a CANCEL, with the same Request-URI).
func (b *summaryBuilder) lastInvite(s *TextSummary, forCancel bool) *summaryTxn {
	match := func(t *summaryTxn) bool {
		return t.method == "INVITE" && t.src == s.Src && t.dst == s.Dst && (!forCancel || t.ruri == s.RequestURI)
	}
	for i := len(b.open) - 1; i >= 0; i-- {
		if match(b.open[i]) {
			return b.open[i]
		}
	}
	if forCancel {
		return nil
	}
	for i := len(b.done) - 1; i >= 0; i-- {
		if match(b.done[i]) {
			return b.done[i]
		}
	}
	return nil
}

func (b *summaryBuilder) newTxn(s *TextSummary, method, callID string, cseq uint32, from, to string) *summaryTxn {
	n := b.next()
	return &summaryTxn{
		src: s.Src, dst: s.Dst, method: method, ruri: s.RequestURI,
		callID: callID, cseq: cseq,
		branch:  "z9hG4bK-summary-" + n,
		fromTag: "summary-" + n,
		from:    from, to: to,
		sent: b.now,
	}
}

func (b *summaryBuilder) track(t *summaryTxn) {
	if len(b.open) >= summaryMaxOpen {
		copy(b.open, b.open[1:])
		b.open = b.open[:len(b.open)-1]
	}
	b.open = append(b.open, t)
}

func (b *summaryBuilder) response(s *TextSummary) []byte {
	method := strings.ToUpper(s.CSeqMethod)
	fits := func(t *summaryTxn) bool {
		return t.src == s.Dst && t.dst == s.Src && (method == "" || t.method == method)
	}
	if i := b.pick(s, fits); i >= 0 {
		t := b.open[i]
		if t.toTag == "" {
			t.toTag = "summary-" + b.next()
		}
		if s.Status >= 200 {
			b.open = append(b.open[:i], b.open[i+1:]...)
			b.answer(t, s)
		}
		return t.responseText(s.Status, s.Reason, t.challengeFor(s.Status))
	}
	// No open request: a retransmitted final response (§17.2.1).
	for i := len(b.done) - 1; i >= 0; i-- {
		if t := b.done[i]; fits(t) && t.final == s.Status {
			return t.responseText(s.Status, s.Reason, t.challengeLine)
		}
	}
	if method == "" {
		return nil // a response to a request the list does not show, for an unknown method
	}
	// An orphan response (its request was not captured): keep it, with
	// what the line says.
	n := b.next()
	t := &summaryTxn{
		src: s.Dst, dst: s.Src, method: method,
		callID: "summary-" + n + "@" + summaryAccountHost, cseq: 1,
		branch: "z9hG4bK-summary-" + n, fromTag: "summary-" + n, toTag: "summary-" + n,
		from: "<sip:" + summaryAccount(s.Dst) + "@" + summaryAccountHost + ">",
	}
	t.to = t.from
	return t.responseText(s.Status, s.Reason, t.challengeFor(s.Status))
}

// pick chooses the open request a response answers: the oldest one that
// fits, except that without a method in brackets a 2xx goes to an open
// CANCEL before its INVITE (the INVITE's own final, 487, comes after,
// RFC 3261 §9.2). It returns -1 when none fits.
func (b *summaryBuilder) pick(s *TextSummary, fits func(*summaryTxn) bool) int {
	first := -1
	for i, t := range b.open {
		if !fits(t) {
			continue
		}
		if first < 0 {
			first = i
			if s.CSeqMethod != "" || s.Status/100 != 2 || t.method != "INVITE" {
				return i
			}
		}
		if t.method == "CANCEL" {
			return i
		}
	}
	return first
}

// answer records the final response of t and what it means for the flow.
func (b *summaryBuilder) answer(t *summaryTxn, s *TextSummary) {
	t.final, t.finalReason = s.Status, s.Reason
	t.challengeLine = t.challengeFor(s.Status)
	if len(b.done) >= summaryMaxDone {
		copy(b.done, b.done[1:])
		b.done = b.done[:len(b.done)-1]
	}
	b.done = append(b.done, t)
	if f := b.flows[summaryFlowKey{client: t.src, server: t.dst, method: t.method, ruri: t.ruri}]; f != nil && f.callID == t.callID {
		f.challenge = 0
		if s.Status == 401 || s.Status == 407 {
			f.challenge, f.challengeAt = s.Status, b.now
		}
	}
}

// challengeFor is the challenge header a 401/407 must carry for the
// correlator to see a challenge (RFC 3261 §20.44, §20.27): the realm and
// nonce are not in the summary.
func (t *summaryTxn) challengeFor(status int) string {
	switch status {
	case 401:
		return "WWW-Authenticate: Digest realm=\"" + summaryUnknown + "\", nonce=\"" + summaryUnknown + "\""
	case 407:
		return "Proxy-Authenticate: Digest realm=\"" + summaryUnknown + "\", nonce=\"" + summaryUnknown + "\""
	}
	return ""
}

// summaryAccount names the unknown account of a UA by its address.
func summaryAccount(a netip.AddrPort) string {
	if !a.IsValid() {
		return "ua-unknown"
	}
	return "ua-" + strings.ReplaceAll(a.Addr().String(), ":", "-")
}

// summarySentBy prints a Via sent-by (RFC 3261 §20.42) for an address.
func summarySentBy(a netip.AddrPort) string {
	if !a.IsValid() {
		return summaryAccountHost
	}
	host := a.Addr().String()
	if a.Addr().Is6() && !a.Addr().Is4In6() {
		host = "[" + host + "]"
	}
	if a.Port() != 0 {
		host += ":" + strconv.Itoa(int(a.Port()))
	}
	return host
}

func (t *summaryTxn) requestText() []byte {
	var w strings.Builder
	w.WriteString(t.method + " " + t.ruri + " SIP/2.0\r\n")
	t.commonHeaders(&w, t.method, false)
	if t.credentials != "" {
		w.WriteString(t.credentials + "\r\n")
	}
	w.WriteString("Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
	return []byte(w.String())
}

func (t *summaryTxn) responseText(status int, reason, challenge string) []byte {
	var w strings.Builder
	w.WriteString("SIP/2.0 " + strconv.Itoa(status) + " " + reason + "\r\n")
	t.commonHeaders(&w, t.method, true)
	if challenge != "" {
		w.WriteString(challenge + "\r\n")
	}
	w.WriteString("Content-Length: 0\r\n\r\n")
	return []byte(w.String())
}

func (t *summaryTxn) commonHeaders(w *strings.Builder, method string, response bool) {
	w.WriteString("Via: SIP/2.0/UDP " + summarySentBy(t.src) + ";branch=" + t.branch + "\r\n")
	w.WriteString("From: " + t.from + ";tag=" + t.fromTag + "\r\n")
	w.WriteString("To: " + t.to)
	if t.toTag != "" && (response || method == "ACK") {
		w.WriteString(";tag=" + t.toTag)
	}
	w.WriteString("\r\nCall-ID: " + t.callID + "\r\n")
	w.WriteString("CSeq: " + strconv.FormatUint(uint64(t.cseq), 10) + " " + method + "\r\n")
}
