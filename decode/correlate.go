package decode

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"net/netip"
	"strings"
)

// Options tune the correlator. Zero values mean the defaults.
type Options struct {
	MaxProblems int // problems kept in Trace.Problems (default 1000; all are counted)
}

// Correlator builds transactions, dialogs, registrations and auth exchanges
// from a stream of messages. Its memory is bounded by what is open at one
// time (transactions within their timers, pending challenges, one record per
// registration and per confirmed dialog), never by the length of the input.
type Correlator struct {
	obs *Observers
	opt Options
	tr  Trace
	now int64 // latest capture time seen (Unix ns)

	txns      txnTable
	pending   pendingTable // unanswered challenges by Call-ID and client
	regs      map[string]*Registration
	regsIdle  regForgetting
	dialogs   dialogTable
	strs      interner
	aors      aorCache // raw From/To URI -> AOR
	peers     peers
	queue     deadlines // Timer B/F, linger and challenge deadlines: all now + 32 s
	queueC    deadlines // Timer C deadlines (now + 3 min), kept apart so that each queue stays in order
	key       []byte
	dkey      []byte // dialog keys of BYEs, built while key holds the BYE's transaction key
	lastSweep int64

	callSeed  maphash.Seed // of Transaction.CallIDHash
	waits     waitTable    // open transactions without any response, by CallIDHash
	reordered bool         // a message was timestamped earlier than one before it (see Transaction.CallQuiet)
}

// maxInterned caps each string cache (AORs, registrar names, contacts,
// reason phrases): a few thousand accounts fit many times over, and a
// scanner spraying random URIs cannot make the caches grow without bound;
// past the cap, strings are simply copied.
const maxInterned = 1 << 16

// NewCorrelator returns a correlator that reports to obs.
func NewCorrelator(obs *Observers, opt Options) *Correlator {
	if obs == nil {
		obs = &Observers{}
	}
	if opt.MaxProblems <= 0 {
		opt.MaxProblems = 1000
	}
	return &Correlator{
		obs:      obs,
		opt:      opt,
		txns:     newTxnTable(),
		pending:  newPendingTable(),
		regs:     make(map[string]*Registration),
		regsIdle: regForgetting{seed: maphash.MakeSeed()},
		dialogs:  newDialogTable(),
		strs:     newInterner(maxInterned),
		aors:     newAORCache(maxInterned),

		callSeed: maphash.MakeSeed(),
		waits:    newWaitTable(),
	}
}

// Problem records input that could not be read as SIP.
func (c *Correlator) Problem(at Ref, format string, args ...any) {
	c.problem(at, false, format, args...)
}

// unusable records a message that could not be used at all.
func (c *Correlator) unusable(at Ref, format string, args ...any) {
	c.tr.Unusable++
	c.problem(at, true, format, args...)
}

func (c *Correlator) problem(at Ref, unusable bool, format string, args ...any) {
	c.tr.ProblemCount++
	if len(c.tr.Problems) < c.opt.MaxProblems {
		c.tr.Problems = append(c.tr.Problems, Problem{At: at, Message: fmt.Sprintf(format, args...), Unusable: unusable})
	}
}

// advance moves the clock to t and fires every deadline that passed.
func (c *Correlator) advance(t int64) {
	if t == 0 {
		return
	}
	if c.tr.Span.First == 0 || t < c.tr.Span.First {
		c.tr.Span.First = t
	}
	if t > c.tr.Span.Last {
		c.tr.Span.Last = t
	}
	if t <= c.now {
		if t < c.now {
			c.reordered = true
		}
		return
	}
	c.now = t
	if c.queue.due(t) || c.queueC.due(t) {
		c.fireDeadlines(t)
	}
	// Dialogs without a captured BYE would pile up: forget those idle for
	// two hours (capture time), checked every ten minutes.
	if c.now-c.lastSweep > int64(10*60e9) {
		c.lastSweep = c.now
		c.dialogs.forgetIdle(c.now - int64(2*3600e9))
	}
}

// Add correlates one scanned message. m is only read during the call.
func (c *Correlator) Add(m *Message, meta Meta) { c.add(m, &meta) }

// add is Add with the Meta by pointer: Correlate fills one in place for
// every message instead of copying its 100 bytes into each call.
func (c *Correlator) add(m *Message, meta *Meta) {
	c.tr.Messages++
	c.advance(meta.Ref.Time)
	for _, d := range m.Defects {
		c.Problem(meta.Ref, "malformed SIP: %s", d)
	}
	if m.Request {
		c.tr.Requests++
	} else {
		c.tr.Responses++
	}
	callID := m.Get(HCallID)
	cseq, okCSeq := m.CSeq()
	if len(callID) == 0 || !okCSeq {
		// Without these no transaction can be formed (RFC 3261 §8.1.1
		// makes them mandatory); the message still counts.
		c.unusable(meta.Ref, "SIP message without %s: not correlated", missingWhat(len(callID) > 0, okCSeq))
		return
	}
	method, from := c.keyOf(m, cseq, callID)
	h := c.txns.hash(c.key)
	if m.Request {
		c.request(m, meta, h, method, callID, cseq.Seq, from)
	} else {
		c.response(m, meta, h, method, callID, cseq.Seq, from)
	}
}

// keyOf builds m's transaction key into c.key (RFC 3261 §17.1.3; the
// RFC 2543 fallback with From tag and sent-by for branches without the
// magic cookie) and returns the method it is keyed by (a response's is its
// CSeq method), and m's From when the key or the request needs it (nil
// otherwise).
func (c *Correlator) keyOf(m *Message, cseq CSeq, callID []byte) (method string, from *NameAddr) {
	branch := topBranch(m)
	if m.Request {
		method = upperMethod(m.Method)
	} else {
		method = upperMethod(cseq.Method)
	}
	// The From tag and Via sent-by only key RFC 2543 transactions; a
	// response with an RFC 3261 branch needs neither.
	cookie := hasCookie(branch)
	if m.Request || !cookie {
		from = fromOf(m)
	}
	if cookie {
		c.key = appendBranchKey(c.key[:0], branch, method)
	} else {
		c.key = appendTxnKey(c.key[:0], branch, method, callID, cseq.Seq, from.Tag, viaSentBy(m.Get(HVia)))
	}
	return method, from
}

func hasCookie(branch []byte) bool {
	return len(branch) > len(magicCookie) && string(branch[:len(magicCookie)]) == magicCookie
}

func missingWhat(callID, cseq bool) string {
	var miss []string
	if !callID {
		miss = append(miss, "a Call-ID")
	}
	if !cseq {
		miss = append(miss, "a valid CSeq")
	}
	return strings.Join(miss, " or ")
}

// viaBranch digs the branch parameter out of a Via value the Via parser
// refused, from the parameters of its first element.
func viaBranch(v []byte) []byte {
	if i := bytes.IndexByte(v, ','); i >= 0 {
		v = v[:i]
	}
	i := bytes.IndexByte(v, ';')
	if i < 0 {
		return nil
	}
	b, _ := Param(v[i:], "branch")
	return b
}

// viaSentBy returns the sent-by of the first Via element (host[:port]).
func viaSentBy(v []byte) []byte {
	// "SIP/2.0/UDP host:port;params" — sent-by is the token after the
	// protocol, up to ';' or ','.
	i := bytes.IndexAny(v, " \t")
	if i < 0 {
		return nil
	}
	s := bytes.TrimLeft(v[i:], " \t\r\n")
	if j := bytes.IndexAny(s, ";,"); j >= 0 {
		s = s[:j]
	}
	return bytes.TrimSpace(s)
}

// request and response take the message's parts by pointer: a Meta, Via or
// NameAddr passed by value is copied on every message.
func (c *Correlator) request(m *Message, meta *Meta, h uint64, method string, callID []byte, seq uint32, from *NameAddr) {
	t := c.txns.get(h, c.key)
	if t != nil {
		if method == "ACK" {
			return // ACK to a non-2xx final: part of the INVITE transaction (§17.1.1.3)
		}
		t.Sends++
		t.LastSend = meta.Ref
		if len(t.Resent) < MaxResent {
			// Grown by append: most retransmitted requests are answered
			// after one or two copies.
			t.Resent = append(t.Resent, meta.Ref)
		}
		c.tr.Retransmits++
		return
	}
	if method == "ACK" {
		return // ACK to a 2xx is its own transaction with no response (§13.2.2.4)
	}
	if method == "BYE" {
		// The dialog is keyed by the tags of its INVITE (From, To): the
		// caller's BYE has them in that order, the callee's swapped. The
		// key goes to its own buffer: c.key still holds the BYE's
		// transaction key.
		to := toOf(m)
		c.dkey = appendDialogKey(c.dkey[:0], callID, from.Tag, to.Tag)
		dh := c.dialogs.hash(c.dkey)
		d := c.dialogs.get(dh, c.dkey)
		if d == nil {
			c.dkey = appendDialogKey(c.dkey[:0], callID, to.Tag, from.Tag)
			dh = c.dialogs.hash(c.dkey)
			d = c.dialogs.get(dh, c.dkey)
		}
		if d != nil {
			c.dialogs.remove(dh, d)
		}
	}
	var fromTag []byte
	if method == "INVITE" {
		fromTag = from.Tag // dialogs only (§12.1)
	}
	t = newTransaction(c.key, callID, m.RequestURI, fromTag)
	t.Method = method
	t.CSeq = seq
	t.Client = meta.Src
	t.Server = meta.Dst
	t.Transport = meta.Transport
	t.Request = meta.Ref
	t.LastSend = meta.Ref
	t.Sends = 1
	t.Requested = -1
	t.CallIDHash = maphash.String(c.callSeed, t.CallID)
	t.waits = true
	c.waits.add(t.CallIDHash)
	t.FromAOR = c.aors.get(from.URI)
	to := toOf(m)
	if bytes.Equal(to.URI, from.URI) {
		t.ToAOR = t.FromAOR // a REGISTER's From and To are usually one AOR
	} else {
		t.ToAOR = c.aors.get(to.URI)
	}
	if method == "REGISTER" {
		c.registerRequest(m, t)
	}
	if cred := m.Get(HAuthorization); cred != nil {
		t.Credentials = credentialsOf(cred, false)
	} else if cred := m.Get(HProxyAuthorization); cred != nil {
		t.Credentials = credentialsOf(cred, true)
	}
	c.txns.put(h, t)
	c.tr.Transactions++
	t.timeout = 1 + c.queue.push(meta.Ref.Time+int64(TimerF), h, t, dlTimeout)
	c.linkRequest(t)
}

// registerRequest notes the expiry a REGISTER asks for: the Contact's
// expires parameter beats the Expires header (RFC 3261 §10.2.1.1).
func (c *Correlator) registerRequest(m *Message, t *Transaction) {
	m.Contacts(func(ct Contact) bool {
		if ct.Star {
			t.Contact = "*"
			t.Requested = 0
			return false
		}
		t.Contact = c.strs.get(ct.URI)
		if ct.HasExpires {
			t.Requested = ct.Expires
		}
		return false
	})
	if t.Requested < 0 {
		if e, ok := ParseExpires(m.Get(HExpires)); ok {
			t.Requested = e
		}
	}
}

func (c *Correlator) response(m *Message, meta *Meta, h uint64, method string, callID []byte, seq uint32, from *NameAddr) {
	t := c.txns.get(h, c.key)
	if t == nil {
		// A response whose request was not captured: keep it as an orphan
		// transaction so its retransmissions are recognised and rules can
		// still see e.g. a 503 to a REGISTER.
		c.tr.Orphans++
		// Not in a txnBox: rules keep orphans' Call-IDs by the thousand
		// (as keys, without the transaction), which would keep the
		// whole box alive each.
		t = new(Transaction)
		t.setStrings(c.key, callID, nil, nil)
		t.Method, t.CSeq, t.Orphan = method, seq, true
		t.Client, t.Server, t.Transport, t.Requested = meta.Dst, meta.Src, meta.Transport, -1
		if from == nil {
			from = fromOf(m)
		}
		t.FromAOR = c.aors.get(from.URI)
		to := toOf(m)
		t.ToAOR = c.aors.get(to.URI)
		t.CallIDHash = maphash.String(c.callSeed, t.CallID)
		c.txns.put(h, t)
		c.queue.push(meta.Ref.Time+int64(Linger), h, t, dlEvict)
	}
	c.stopWaiting(t)
	if m.StatusCode < 200 {
		if t.FirstProvisional.IsZero() {
			t.FirstProvisional = meta.Ref
			if t.Method == "INVITE" && t.Final == nil {
				// A provisional moves an INVITE client transaction to
				// Proceeding, where Timer B no longer runs (§17.1.1.2); a
				// call may ring for minutes. Wait Timer C (3 min, §16.6).
				// Its deadline replaces Timer B's, which fireDeadlines
				// would skip for it (the same test), and is the one the
				// final response cancels: either would otherwise read the
				// transaction minutes later, long out of every cache.
				if t.timeout != 0 && !t.FirstProvisional.IsZero() && t.Request.Time+int64(TimerF) < t.FirstProvisional.Time+int64(timerC) {
					c.queue.cancel(t.timeout - 1)
				}
				t.timeout = timeoutC | (1 + c.queueC.push(meta.Ref.Time+int64(timerC), h, t, dlTimeout))
			}
		}
		return
	}
	if t.Final != nil {
		if t.Final.Status == m.StatusCode {
			t.Final.Retransmits++
		}
		return
	}
	c.finalResponse(m, meta, t)
	t.Final = &t.final
	if t.timeout&timeoutC != 0 {
		c.queueC.cancel((t.timeout &^ timeoutC) - 1)
	} else if t.timeout != 0 {
		c.queue.cancel(t.timeout - 1)
	}
	t.State = Completed
	c.queue.push(meta.Ref.Time+int64(Linger), h, t, dlEvict)
	c.complete(t)
}

const timerC = 180e9

// timeoutC marks a Transaction.timeout that numbers a deadline of queueC
// (Timer C) rather than of queue (Timer B/F).
const timeoutC = 1 << 63

// finalResponse fills t.final (kept inside the transaction: one allocation
// per transaction, not two).
func (c *Correlator) finalResponse(m *Message, meta *Meta, t *Transaction) {
	r := &t.final
	*r = Response{
		At:         meta.Ref,
		Status:     m.StatusCode,
		Reason:     c.reason(m.ReasonPhrase),
		Granted:    -1,
		MinExpires: -1,
		RetryAfter: -1,
	}
	if t.Method == "INVITE" {
		r.ToTag = t.keep(toOf(m).Tag) // dialogs only (§12.1)
	}
	switch m.StatusCode {
	case 401:
		if h := m.Get(HWWWAuthenticate); h != nil {
			r.Challenge = challengeOf(h, false)
		}
	case 407:
		if h := m.Get(HProxyAuthenticate); h != nil {
			r.Challenge = challengeOf(h, true)
		}
	case 423:
		if e, ok := ParseExpires(m.Get(HMinExpires)); ok {
			r.MinExpires = e
		}
	}
	if h := m.Get(HRetryAfter); h != nil {
		if s, _, ok := ParseRetryAfter(h); ok {
			r.RetryAfter = s
		}
	}
	if h := m.Get(HWarning); h != nil {
		r.Warning = string(h)
	}
	if h := m.Get(HReason); h != nil {
		r.ReasonHdr = string(h)
	}
	if t.Method == "REGISTER" && m.StatusCode >= 200 && m.StatusCode < 300 {
		r.Granted = grantedExpiry(m, t)
	}
}

// grantedExpiry reads what a 2xx to REGISTER grants the request's contact:
// the registrar lists every current binding with its expires parameter
// (RFC 3261 §10.3 step 8), which the UA must use over the Expires header
// (§10.2.4). Without either, the requested value stands, and without that
// the registrar default of one hour (§10.2.1.1).
func grantedExpiry(m *Message, t *Transaction) int {
	granted, only, n := -1, -1, 0
	m.Contacts(func(ct Contact) bool {
		n++
		if ct.HasExpires {
			only = ct.Expires
			if t.Contact != "" && sameContact(ct.URI, t.Contact) {
				granted = ct.Expires
				return false
			}
		}
		return true
	})
	if granted < 0 && n == 1 {
		granted = only
	}
	if granted < 0 {
		if e, ok := ParseExpires(m.Get(HExpires)); ok {
			granted = e
		}
	}
	if granted < 0 {
		granted = t.Requested
	}
	if granted < 0 && n > 0 {
		granted = 3600
	}
	if t.Requested == 0 || t.Contact == "*" {
		granted = 0
	}
	return granted
}

// sameContact compares two contact URIs by user, host and port; registrars
// add or reorder parameters (e.g. ;received) when they echo a binding.
func sameContact(a []byte, b string) bool {
	if string(a) == b {
		// Equal bytes parse alike: equal parts, or both unparsable
		// and compared as bytes. A registrar usually echoes the URI.
		return true
	}
	ua, ok1 := ParseURI(a)
	ub, ok2 := ParseURI([]byte(b))
	if !ok1 || !ok2 {
		return string(a) == b
	}
	return bytes.Equal(ua.User, ub.User) && bytes.EqualFold(ua.Host, ub.Host) && ua.Port == ub.Port
}

// stopWaiting takes t out of the transactions waiting for a first
// response: it got one, or leaves Open without one.
func (c *Correlator) stopWaiting(t *Transaction) {
	if t.waits {
		t.waits = false
		c.waits.done(t.CallIDHash)
	}
}

// complete hands a finished (answered, timed out or cut by the capture end)
// transaction to the observers and to the registration, dialog and auth
// bookkeeping, in the order Observers documents.
func (c *Correlator) complete(t *Transaction) {
	c.peers.note(t)
	t.Reordered = c.reordered
	t.CallQuiet = !c.reordered && !c.waits.has(t.CallIDHash)
	c.obs.transaction(t)
	if t.Method == "REGISTER" && !t.Orphan {
		c.registration(t)
	}
	if t.Method == "INVITE" && t.Final != nil && t.Final.Status/100 == 2 && t.Final.ToTag != "" {
		c.key = appendDialogKey(c.key[:0], []byte(t.CallID), []byte(t.FromTag), []byte(t.Final.ToTag))
		if h := c.dialogs.hash(c.key); c.dialogs.get(h, c.key) == nil {
			// The dialog's strings are cut from its own copy of the key
			// (appendDialogKey: Call-ID, 0, From tag, 0, To tag), not
			// taken from the transaction: a dialog may outlive it by
			// hours, and they would keep its txnBox alive.
			d := &Dialog{Start: t.Final.At}
			d.setKey(c.key)
			n, f := len(t.CallID), len(t.FromTag)
			d.CallID, d.FromTag, d.ToTag = d.key[:n], d.key[n+1:n+1+f], d.key[n+2+f:]
			c.dialogs.put(h, d)
			c.tr.Dialogs++
			c.obs.dialog(d)
		}
	}
	c.resolveAuth(t)
}

// AddICMP attaches an ICMP destination-unreachable to the request it quotes.
// quoted is the scanned quoted message (nil when too little was quoted to
// scan); src/dst are the quoted packet's addresses.
func (c *Correlator) AddICMP(quoted *Message, src, dst netip.AddrPort, e ICMPError) {
	c.tr.ICMPErrors++
	c.advance(e.At.Time)
	if quoted != nil && quoted.Request {
		// The quoted request is keyed as Add keys it.
		callID := quoted.Get(HCallID)
		if cseq, ok := quoted.CSeq(); ok && len(callID) > 0 {
			c.keyOf(quoted, cseq, callID)
			if t := c.txns.get(c.txns.hash(c.key), c.key); t != nil {
				if t.ICMP == nil {
					t.ICMP = &e
				}
				return
			}
		}
	}
	// Too little quoted: blame the latest open request between the two.
	var best *Transaction
	c.txns.each(func(t *Transaction) {
		if t.Final == nil && t.Client == src && t.Server == dst && (best == nil || t.LastSend.Time > best.LastSend.Time) {
			best = t
		}
	})
	if best != nil && best.ICMP == nil {
		best.ICMP = &e
	}
}

// Finish flushes everything still open (the capture ended) to the
// observers and returns the summary.
func (c *Correlator) Finish() *Trace {
	c.fireDeadlines(c.now)
	// What is left open was cut by the end of the capture.
	var open []*Transaction
	c.txns.each(func(t *Transaction) {
		if t.Final == nil && t.State == Open {
			open = append(open, t)
		}
	})
	sortTxns(open)
	for _, t := range open {
		c.stopWaiting(t)
		t.State = CaptureEnded
		c.complete(t)
	}
	var pend []*AuthExchange
	c.pending.each(func(a *AuthExchange) { pend = append(pend, a) })
	sortExchanges(pend)
	for _, a := range pend {
		a.CaptureEnded = true
		c.emitAuth(a)
	}
	c.pending = newPendingTable()
	c.tr.RegistrationsForgotten = c.regsIdle.distinct(c.regs, c.key)
	for _, r := range c.regs {
		c.tr.Registrations = append(c.tr.Registrations, r)
	}
	sortRegs(c.tr.Registrations)
	c.tr.Peers = c.peers.list()
	c.tr.PeersDropped = c.peers.dropped
	tr := c.tr
	return &tr
}
