package rules

import (
	"hash/maphash"
	"net/netip"
	"testing"
	"time"

	"github.com/sipdiag/sipdiag/capture"
	"github.com/sipdiag/sipdiag/decode"
)

// Synthetic transactions for the TXN, INV and CAP rule tests: a UA at
// txnUA talking to a server at txnSrv, times in seconds from txnT0.
var (
	txnUA  = netip.MustParseAddrPort("10.0.0.5:5060")
	txnSrv = netip.MustParseAddrPort("10.0.0.1:5060")
	txnT0  = time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC).UnixNano()
)

// txnSeed hashes Call-IDs as the correlator does (Transaction.CallIDHash).
var txnSeed = maphash.MakeSeed()

func txnAt(s float64, frame int64) decode.Ref {
	return decode.Ref{Frame: frame, Time: txnT0 + int64(s*1e9)}
}

// txnRequest builds a transaction sent at s seconds (frame), not yet answered.
func txnRequest(method, callID string, s float64, frame int64) *decode.Transaction {
	return &decode.Transaction{
		Method: method, CallID: callID, CallIDHash: maphash.String(txnSeed, callID), CSeq: 1, Transport: capture.UDP,
		Client: txnUA, Server: txnSrv, RequestURI: "sip:example.com",
		FromAOR: "sip:alice@example.com", ToAOR: "sip:alice@example.com",
		Request: txnAt(s, frame), LastSend: txnAt(s, frame), Sends: 1, Requested: -1,
		State: decode.Open,
	}
}

// txnAnswer completes t with status at s seconds (frame).
func txnAnswer(t *decode.Transaction, status int, reason string, s float64, frame int64) *decode.Transaction {
	t.Final = &decode.Response{At: txnAt(s, frame), Status: status, Reason: reason, Granted: -1, MinExpires: -1, RetryAfter: -1}
	t.State = decode.Completed
	return t
}

// txnResend adds copies of t's request at the given offsets (seconds after
// its first copy) and marks it timed out.
func txnResend(t *decode.Transaction, offsets ...float64) *decode.Transaction {
	for i, o := range offsets {
		r := txnAt(float64(t.Request.Time-txnT0)/1e9+o, t.Request.Frame+int64(i)+1)
		t.Resent = append(t.Resent, r)
		t.LastSend = r
		t.Sends++
	}
	t.State = decode.TimedOut
	return t
}

// txnPair builds the per-direction counts between the UA and the server.
func txnPair(fromUA, fromSrv decode.Flow) []*decode.PeerPair {
	// 10.0.0.1 (server) sorts before 10.0.0.5 (UA).
	return []*decode.PeerPair{{A: txnSrv.Addr(), B: txnUA.Addr(), AB: fromSrv, BA: fromUA}}
}

// runTxnRule feeds transactions to one rule and finishes with tr.
func runTxnRule(t *testing.T, rule *Rule, overrides map[string]string, txns []*decode.Transaction, tr *decode.Trace) ([]Finding, []Undecided) {
	t.Helper()
	ov := map[string]string{}
	for k, v := range overrides {
		ov[rule.ID+"."+k] = v
	}
	r, err := NewRunner([]*Rule{rule}, ov)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range txns {
		for _, f := range r.Observers().Transaction {
			f(x)
		}
	}
	if tr == nil {
		tr = &decode.Trace{}
	}
	if tr.Span.First == 0 {
		tr.Span = decode.Span{First: txnT0, Last: txnT0 + 600e9}
	}
	fs := r.Finish(tr)
	return fs, r.Undecided()
}
