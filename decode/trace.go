package decode

import (
	"net/netip"
	"time"
	"unsafe"

	"github.com/sipdiag/sipdiag/capture"
)

// Timers of RFC 3261 §17.1.1.1 and §17.1.2.2 that the correlator uses to tell
// "not yet" from "never". Durations are capture time, never wall time.
const (
	T1     = 500 * time.Millisecond
	TimerF = 64 * T1 // Timer B (INVITE) and Timer F (non-INVITE): 32 s
	// Linger is how long a completed transaction is kept to absorb
	// retransmissions of its request and final response (Timer D/J, 32 s).
	Linger = TimerF
)

// State is where a transaction ended up.
type State uint8

const (
	Open         State = iota // still waiting (only seen while streaming)
	Completed                 // a final response was seen
	TimedOut                  // no final response within Timer B/F while the capture went on
	CaptureEnded              // the capture ended before Timer B/F ran out
)

func (s State) String() string {
	return [...]string{"open", "completed", "timed-out", "capture-ended"}[s]
}

// AuthChallenge is a digest challenge (RFC 3261 §20.27/§20.44, RFC 7616 §3.3).
type AuthChallenge struct {
	Proxy     bool   // Proxy-Authenticate (407) rather than WWW-Authenticate (401)
	Header    string // the header as it appeared: `WWW-Authenticate: Digest realm="x", ...`
	Scheme    string
	Realm     string
	Nonce     string
	Algorithm string
	Qop       string
	Opaque    string
	Stale     bool
}

// AuthCredentials is a digest answer (RFC 3261 §22.4, RFC 7616 §3.4).
type AuthCredentials struct {
	Proxy     bool   // Proxy-Authorization rather than Authorization
	Header    string // the header as it appeared (renderers redact secrets)
	Scheme    string
	Username  string
	Realm     string
	Nonce     string
	URI       string
	Algorithm string
	Qop       string
}

// Response is the final response of a transaction, reduced to what rules read.
type Response struct {
	At          Ref
	Status      int
	Reason      string // reason phrase
	ToTag       string
	Challenge   *AuthChallenge // 401/407
	Granted     int            // REGISTER 2xx: expiry granted for the request's contact, -1 unknown
	MinExpires  int            // 423: Min-Expires, -1 absent
	RetryAfter  int            // Retry-After seconds, -1 absent
	Warning     string         // Warning header value
	ReasonHdr   string         // Reason header value (RFC 3326)
	Retransmits int            // copies of this final response seen after the first
}

// Transaction is one client transaction (RFC 3261 §17.1) as seen on the wire:
// the request, its retransmissions and its responses.
type Transaction struct {
	// What a lookup and a response read first comes first: the key a
	// probe compares, the method, the state, the final response and the
	// credentials in the first 64 bytes (one cache line), then what an
	// interim response reads (FirstProvisional), then the addresses that
	// every completed transaction is counted by; a retransmission's
	// fields and the final response's storage come last. All fields are
	// word-aligned but the small ones, which sit together, so the struct
	// stays in the 512-byte allocation size class (its objects start on
	// a cache line).
	key       string // in the correlator's transaction table
	Method    string // upper-cased request method
	CSeq      uint32
	Transport capture.Transport
	State     State
	Orphan    bool  // a response whose request was not captured
	counted   uint8 // how peers counted it (see peers.note)
	Final     *Response
	timeout   uint64 // 1 + the sequence number of its Timer B/F deadline in the correlator's queue, or of its Timer C one in queueC (| timeoutC); 0 for none
	// Credentials of the request (Authorization or Proxy-Authorization).
	Credentials *AuthCredentials

	FirstProvisional Ref
	Request          Ref // first copy of the request
	CallID           string
	// CallIDHash is a 64-bit hash of CallID (hash/maphash, seeded once
	// per Correlator), computed when the transaction is created, for
	// tables keyed by Call-ID: equal Call-IDs of one run have equal
	// hashes, two different ones share a hash with probability 2⁻⁶⁴.
	CallIDHash uint64
	// CallQuiet is set each time the transaction is handed to the
	// Transaction observers: true when no other transaction with its
	// CallIDHash is then open without any response (provisional or final)
	// and no message of the capture so far was timestamped earlier than
	// one before it. Then, as long as the capture's timestamps keep going
	// forward, every transaction of this Call-ID handed over later without
	// any response has its request timestamped no earlier than this one's
	// (it is sent after the latest message seen so far), so that an
	// observer matching later requests to earlier ones on a Call-ID need
	// not keep this one. A clock that goes back later breaks that for the
	// transactions handed over before (from then on CallQuiet stays
	// false, and Reordered is set): an observer that let such ones go
	// must then find them again. False tells nothing.
	CallQuiet bool
	// Reordered is set, with CallQuiet, when some message of the capture
	// so far was timestamped earlier than one before it.
	Reordered bool
	waits     bool // counted in the correlator's waitTable (open, no response yet)
	// nonceAgrees and challenged: see AnsweredChallenge.
	nonceAgrees bool
	// textUsed is how many bytes of the text of its txnBox hold its
	// strings (newTransaction); 0 when it is not in one. A copy carries
	// it without the box, so keep also checks the address (inBox). It
	// fills a gap before the next pointer: the struct's size is unchanged.
	textUsed   uint8
	challenged *Transaction
	// answers is the exchange the request's credentials answer, until
	// the request completes (in the Transaction rather than in its
	// AuthCredentials, which completing it would otherwise read).
	answers *AuthExchange

	Client netip.AddrPort // who sent the request
	Server netip.AddrPort // where it went

	RequestURI string
	FromAOR    string // From address-of-record, canonical (AOR)
	ToAOR      string
	FromTag    string // INVITE only (dialogs)
	Contact    string // first Contact URI of the request
	Requested  int    // REGISTER: expiry asked for (Contact expires= or Expires), -1 unknown

	LastSend Ref // last copy (first when never retransmitted)
	Sends    int // copies of the request, the first included
	// Resent are the copies after the first, in capture order, up to
	// MaxResent (Sends counts them all): the retransmission schedule that
	// rules compare with RFC 3261 §17.1.1.2 (Timer A) and §17.1.2.2
	// (Timer E). Nil when the request was sent once.
	Resent []Ref
	ICMP   *ICMPError // an ICMP unreachable quoting this request

	final Response // storage for Final
}

// MaxResent bounds Transaction.Resent: with the first copy, 11 sends are
// the whole Timer E schedule of a non-INVITE request over UDP (0, 0.5,
// 1.5, 3.5, 7.5, then every T2 = 4 s until Timer F at 32 s; RFC 3261
// §17.1.2.2) and more than the 7 of an INVITE's Timer A (§17.1.1.2).
const MaxResent = 10

// Answered reports whether a final response was seen.
func (t *Transaction) Answered() bool { return t.Final != nil }

// Status is the final status code, 0 when unanswered.
func (t *Transaction) Status() int {
	if t.Final == nil {
		return 0
	}
	return t.Final.Status
}

// AnsweredChallenge returns the transaction whose 401/407 (in its Final)
// this request's credentials answer: the challenge pending for the
// request's Call-ID and client when the request was sent (RFC 3261 §22.2,
// §8.1.3.5), the AuthExchange whose Answer t is. nonceAgrees tells whether
// the credentials' nonce equals the challenge's, or either is empty. Valid
// while t is handed to the Transaction observers the first time; nil
// otherwise, and for a request without credentials or with credentials no
// captured challenge was pending for. Comparing the returned pointer saves
// an observer reading the challenge and the credentials, long out of the
// CPU caches when a call rang for seconds.
func (t *Transaction) AnsweredChallenge() (ch *Transaction, nonceAgrees bool) {
	return t.challenged, t.nonceAgrees
}

// Subject is the account a transaction acts for: the To AOR of a REGISTER
// (the binding being managed, RFC 3261 §10.2), the From AOR otherwise.
func (t *Transaction) Subject() string {
	if t.Method == "REGISTER" {
		return t.ToAOR
	}
	return t.FromAOR
}

// ICMPError is an ICMP destination/port unreachable that quoted a request.
type ICMPError struct {
	At              Ref
	From            netip.Addr
	PortUnreachable bool
}

// AuthOutcome says how a digest exchange ended.
type AuthOutcome uint8

const (
	AuthUnanswered AuthOutcome = iota // no credentials followed within Timer F
	AuthAccepted                      // credentials answered with 2xx
	AuthRejected                      // credentials answered with 401/407 (not stale) or 403
	AuthStale                         // re-challenged with stale=true (RFC 7616 §3.3): not a failure
	AuthOther                         // credentials passed, request failed for another reason (404, 488, ...)
	AuthNoResponse                    // credentials sent, no final response
)

func (o AuthOutcome) String() string {
	return [...]string{"unanswered", "accepted", "rejected", "stale", "other", "no-response"}[o]
}

// AuthExchange links a challenge to the request that answered it and to
// that request's outcome (RFC 3261 §22.2: the UA retries with credentials,
// same Call-ID, CSeq incremented).
type AuthExchange struct {
	Subject   string // account: To AOR for REGISTER, From AOR otherwise
	Method    string
	CallID    string
	Client    netip.AddrPort
	Challenge *Transaction // its Final carries the Challenge; nil for credentials sent without a challenge in the capture
	Answer    *Transaction // nil when unanswered
	Outcome   AuthOutcome
	realms    realmsCompared // see RealmsDiffer
	// Next is what the UA sent instead of credentials, when unanswered: a
	// new request of the same method for the same subject (nil if nothing).
	Next *Transaction
	// CaptureEnded is set for unanswered challenges whose Timer F window
	// was cut by the end of the capture: the capture cannot tell.
	CaptureEnded bool
}

// RealmsDiffer reports whether the challenge's realm and the realm of the
// answer's credentials are both given and differ: the UA answered for
// another realm than the one it was asked for (RFC 3261 §22.2, RFC 7616
// §3.4). The correlator compares them when it pairs the answer with its
// challenge, while both are in the CPU caches, so that observers need not
// read them; for an exchange built otherwise they are compared here.
func (a *AuthExchange) RealmsDiffer() bool {
	if a.realms != realmsUnknown {
		return a.realms == realmsDiffer
	}
	return a.compareRealms() == realmsDiffer
}

// realmsCompared is RealmsDiffer's answer, once known.
type realmsCompared uint8

const (
	realmsUnknown realmsCompared = iota
	realmsAgree                  // not both given, or equal
	realmsDiffer
)

func (a *AuthExchange) compareRealms() realmsCompared {
	if a.Challenge == nil || a.Challenge.Final == nil || a.Challenge.Final.Challenge == nil ||
		a.Answer == nil || a.Answer.Credentials == nil {
		return realmsAgree
	}
	ch, cr := a.Challenge.Final.Challenge.Realm, a.Answer.Credentials.Realm
	if ch != "" && cr != "" && ch != cr {
		return realmsDiffer
	}
	return realmsAgree
}

// RegEvent is what happened to a registration.
type RegEvent uint8

const (
	RegChallenged   RegEvent = iota // 401/407 to a REGISTER
	RegGranted                      // 2xx establishing a binding (none active before)
	RegRefreshed                    // 2xx while a binding was active
	RegDeregistered                 // 2xx to Expires: 0 (RFC 3261 §10.2.2)
	RegFailed                       // another final failure
	RegNoResponse                   // no final response
)

func (e RegEvent) String() string {
	return [...]string{"challenged", "granted", "refreshed", "deregistered", "failed", "no-response"}[e]
}

// Registration is the state of one address-of-record at one registrar
// (RFC 3261 §10): every attempt, challenge, grant, refresh and failure is
// counted; the latest grant is kept with its deadline.
type Registration struct {
	AOR       string
	Registrar string // Request-URI host[:port] of the REGISTER
	Client    netip.AddrPort
	Server    netip.AddrPort
	Contact   string

	Attempts, Challenges, Grants, Failures, Unanswered int
	First, Last                                        Ref

	Bound    bool  // a binding is believed active
	Granted  int   // seconds granted by the latest grant
	Deadline int64 // Unix ns when the latest binding expires (0 when none)
}

// RegistrationEvent is delivered for every completed REGISTER transaction.
type RegistrationEvent struct {
	Kind RegEvent
	Reg  *Registration
	Txn  *Transaction
}

// Dialog is an INVITE dialog (RFC 3261 §12) confirmed by a 2xx.
type Dialog struct {
	// key is the dialog's key in the correlator's dialog table
	// (appendDialogKey), held in keyBuf when it fits (setKey): a lookup
	// compares it right after reading its header, in the same cache line
	// or the next, instead of in a string allocated apart.
	key                    string
	keyBuf                 [dialogKeyInline]byte
	CallID, FromTag, ToTag string
	Start, End             Ref
}

// dialogKeyInline is how long a dialog key may be to be held in its
// Dialog: a Call-ID of up to about 60 bytes and two 8-byte tags. It makes a
// Dialog 192 bytes, an allocation size class whose objects start on a cache
// line: a key of up to 48 bytes is then in the line of its header.
const dialogKeyInline = 80

// setKey sets d's key to a copy of key, in d itself when it fits.
func (d *Dialog) setKey(key []byte) {
	if len(key) > 0 && len(key) <= len(d.keyBuf) {
		n := copy(d.keyBuf[:], key)
		d.key = unsafe.String(&d.keyBuf[0], n)
		return
	}
	d.key = string(key)
}

// Span is the time covered by the messages of the capture.
type Span struct {
	First, Last int64 // Unix ns; 0 when no message had a timestamp
}

// Duration is Last - First.
func (s Span) Duration() time.Duration { return time.Duration(s.Last - s.First) }

// Problem is input that could not be read as SIP, with where it was found.
type Problem struct {
	At      Ref
	Message string
	// Unusable says the message could not be used at all (not SIP, or
	// without the Call-ID/CSeq that correlation needs), as opposed to a
	// defect in one header of a message that was still correlated.
	Unusable bool
}

// Trace is the summary the correlator leaves once every message has been
// seen and every open piece flushed to the observers. It is small: the
// per-message detail went to the observers as it completed.
type Trace struct {
	Messages      int64
	Requests      int64
	Responses     int64
	Transactions  int64
	Orphans       int64 // responses without a captured request
	Retransmits   int64 // request copies after the first
	Dialogs       int64
	Registrations []*Registration // final state of each AOR+registrar
	// RegistrationsForgotten counts the AOR+registrar pairs that are not
	// in Registrations because they were forgotten: never granted nor
	// refused, and quiet for regIdle (a scanner probing accounts).
	RegistrationsForgotten int64
	AuthExchanges          int64
	ICMPErrors             int64
	Span                   Span
	Problems               []Problem // the first MaxProblems
	ProblemCount           int64
	Unusable               int64 // messages that could not be used at all (see Problem.Unusable)
	// Peers counts the transactions between each pair of addresses, per
	// direction, sorted by address (see PeerPair); PeersDropped counts the
	// transactions of pairs past the table's bound.
	Peers        []*PeerPair
	PeersDropped int64
	// InputProblems are what the capture layer recorded before decoding
	// (a file cut short, frames truncated by the snapshot length, TCP
	// gaps), when the Source reports them (capture.Reader does): rules
	// read them here, and the report lists them from here too.
	InputProblems     []Problem
	InputProblemCount int64
}
