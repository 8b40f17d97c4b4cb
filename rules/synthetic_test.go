package rules

import (
	"hash/maphash"
	"net/netip"
	"testing"

	"github.com/sipdiag/sipdiag/decode"
)

// Synthetic decode values for the rule tests: transactions, registration
// events and auth exchanges built by hand and fed to a Runner in the order
// the correlator delivers them (decode.Observers: the transaction, then its
// registration event, then the auth exchange it settles).

var (
	synUA        = netip.MustParseAddrPort("10.0.0.5:5060")
	synRegistrar = netip.MustParseAddrPort("10.0.0.1:5060")
)

const synAOR = "sip:alice@pbx.example"

// synT0 is the capture's start (2026-01-02 10:00:00 UTC); times are seconds after it.
const synT0 = int64(1767348000) * 1e9

func synAt(frame int64, s float64) decode.Ref {
	return decode.Ref{Frame: frame, Time: synT0 + int64(s*1e9)}
}

// synReq is a request sent by ua at time s (seconds), frame f; unanswered
// until synAnswer is called.
func synReq(method, aor, callID string, ua netip.AddrPort, s float64, f int64) *decode.Transaction {
	return &decode.Transaction{
		Method: method, CallID: callID, CallIDHash: maphash.String(txnSeed, callID), Client: ua, Server: synRegistrar,
		RequestURI: "sip:pbx.example", FromAOR: aor, ToAOR: aor,
		Contact: "sip:u@" + ua.String(), Requested: -1,
		Request: synAt(f, s), LastSend: synAt(f, s), Sends: 1, State: decode.TimedOut,
	}
}

var synReasons = map[int]string{200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
	407: "Proxy Authentication Required", 408: "Request Timeout", 420: "Bad Extension", 423: "Interval Too Brief",
	480: "Temporarily Unavailable", 500: "Server Internal Error", 503: "Service Unavailable", 603: "Decline"}

// synAnswer gives t a final response `status` at time s, in the next frame.
func synAnswer(t *decode.Transaction, status int, s float64) *decode.Transaction {
	t.Final = &decode.Response{At: synAt(t.Request.Frame+1, s), Status: status, Reason: synReasons[status],
		Granted: -1, MinExpires: -1, RetryAfter: -1}
	t.State = decode.Completed
	return t
}

// synChallenged makes t's final response a digest challenge.
func synChallenged(t *decode.Transaction, status int, s float64, realm, nonce string) *decode.Transaction {
	synAnswer(t, status, s)
	t.Final.Challenge = &decode.AuthChallenge{Proxy: status == 407, Scheme: "Digest", Realm: realm, Nonce: nonce,
		Header: `WWW-Authenticate: Digest realm="` + realm + `", nonce="` + nonce + `"`}
	return t
}

// synCreds puts credentials on a request.
func synCreds(t *decode.Transaction, user, realm, nonce string) *decode.Transaction {
	t.Credentials = &decode.AuthCredentials{Scheme: "Digest", Username: user, Realm: realm, Nonce: nonce, URI: "sip:pbx.example"}
	return t
}

// synFeeder runs rules over hand-made events.
type synFeeder struct {
	t *testing.T
	r *Runner
}

func newSynFeeder(t *testing.T, rs []*Rule, overrides map[string]string) *synFeeder {
	t.Helper()
	r, err := NewRunner(rs, overrides)
	if err != nil {
		t.Fatal(err)
	}
	return &synFeeder{t: t, r: r}
}

func (f *synFeeder) txn(t *decode.Transaction) {
	for _, o := range f.r.Observers().Transaction {
		o(t)
	}
}

func (f *synFeeder) reg(kind decode.RegEvent, reg *decode.Registration, t *decode.Transaction) {
	f.txn(t)
	e := &decode.RegistrationEvent{Kind: kind, Reg: reg, Txn: t}
	for _, o := range f.r.Observers().Registration {
		o(e)
	}
}

func (f *synFeeder) auth(a *decode.AuthExchange) {
	for _, o := range f.r.Observers().Auth {
		o(a)
	}
}

// finish ends the capture at time end (seconds).
func (f *synFeeder) finish(end float64) []Finding {
	return f.r.Finish(&decode.Trace{Span: decode.Span{First: synT0, Last: synT0 + int64(end*1e9)}})
}

// synExchange is the auth exchange of challenge ch answered by ans (nil:
// unanswered) with the given outcome.
func synExchange(ch, ans *decode.Transaction, outcome decode.AuthOutcome) *decode.AuthExchange {
	base := ch
	if base == nil {
		base = ans
	}
	return &decode.AuthExchange{Subject: base.Subject(), Method: base.Method, CallID: base.CallID,
		Client: base.Client, Challenge: ch, Answer: ans, Outcome: outcome}
}
