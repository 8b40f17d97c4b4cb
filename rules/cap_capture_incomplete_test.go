package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/decode"
)

func capOrphan(status int, s float64, frame int64) *decode.Transaction {
	t := &decode.Transaction{Method: "REGISTER", CallID: "o", Orphan: true, Client: txnUA, Server: txnSrv, Requested: -1}
	return txnAnswer(t, status, "OK", s, frame)
}

// Responses only, late in the capture, and nothing the other way: one
// direction only, high confidence.
func TestCaptureOneDirectionResponses(t *testing.T) {
	tr := &decode.Trace{Peers: txnPair(decode.Flow{}, decode.Flow{Responses: 3, Orphans: 3, First: txnAt(0, 1)})}
	fs, _ := runTxnRule(t, CaptureIncomplete, nil, []*decode.Transaction{capOrphan(200, 0, 1), capOrphan(200, 100, 2)}, tr)
	if len(fs) != 1 || fs[0].Confidence != High || !strings.Contains(fs[0].Message, "only responses from 10.0.0.1 to 10.0.0.5") {
		t.Fatalf("%+v", fs)
	}
}

// Transactions of address pairs past the correlator's bound were not
// counted per pair: CAP001 says the one-way checks did not cover them,
// and says nothing when every pair was counted.
func TestCapturePeersDropped(t *testing.T) {
	tr := &decode.Trace{Peers: txnPair(decode.Flow{Requests: 1}, decode.Flow{Responses: 1}), PeersDropped: 7}
	fs, us := runTxnRule(t, CaptureIncomplete, nil, nil, tr)
	if len(fs) != 0 || len(us) != 1 || !strings.Contains(us[0].Message, "7 transaction(s) between address pairs past the first 1 were not counted per pair") {
		t.Errorf("findings %+v, undecided %+v", fs, us)
	}
	tr.PeersDropped = 0
	if fs, us := runTxnRule(t, CaptureIncomplete, nil, nil, tr); len(fs) != 0 || len(us) != 0 {
		t.Errorf("every pair counted: findings %+v, undecided %+v", fs, us)
	}
}

// Near miss: one orphan at the capture's start (its request predates the
// capture) says nothing.
func TestCaptureOrphanAtStart(t *testing.T) {
	tr := &decode.Trace{Peers: txnPair(decode.Flow{}, decode.Flow{Responses: 1, Orphans: 1, First: txnAt(0, 1)})}
	fs, _ := runTxnRule(t, CaptureIncomplete, nil, []*decode.Transaction{capOrphan(100, 0, 1)}, tr)
	if len(fs) != 0 {
		t.Fatalf("%+v", fs)
	}
}

// Late orphans in a capture that sees both ways: lost packets.
func TestCaptureLostRequests(t *testing.T) {
	tr := &decode.Trace{Peers: txnPair(decode.Flow{Requests: 5}, decode.Flow{Responses: 5, Orphans: 1})}
	fs, _ := runTxnRule(t, CaptureIncomplete, nil, []*decode.Transaction{capOrphan(200, 100, 7)}, tr)
	if len(fs) != 1 || fs[0].Confidence != Medium || fs[0].At.Frame != 7 || !strings.Contains(fs[0].Message, "1 response(s) after the capture's first 32 s (3 min for INVITE) match no request") {
		t.Fatalf("%+v", fs)
	}
}

// Every message one way, and a request waited out Timer F: low confidence
// "one direction"; without the timed-out request, nothing.
func TestCaptureEveryPairOneWay(t *testing.T) {
	tr := &decode.Trace{Peers: txnPair(decode.Flow{Requests: 11, Silent: 1, First: txnAt(0, 1)}, decode.Flow{})}
	x := txnResend(txnRequest("REGISTER", "c1", 0, 1), timerE...)
	fs, _ := runTxnRule(t, CaptureIncomplete, nil, []*decode.Transaction{x}, tr)
	if len(fs) != 1 || fs[0].Confidence != Low || !strings.Contains(fs[0].Message, "every SIP message of the capture goes one way (10.0.0.5 to 10.0.0.1)") {
		t.Fatalf("%+v", fs)
	}
	one := txnRequest("REGISTER", "c2", 0, 1)
	one.State = decode.CaptureEnded
	fs, _ = runTxnRule(t, CaptureIncomplete, nil, []*decode.Transaction{one}, &decode.Trace{Peers: txnPair(decode.Flow{Requests: 1}, decode.Flow{})})
	if len(fs) != 0 {
		t.Fatalf("a single request cut by the capture end: %+v", fs)
	}
}

// A request still being retransmitted when the capture stops: record longer.
func TestCaptureEndsInsideTimerF(t *testing.T) {
	x := txnResend(txnRequest("REGISTER", "c1", 0, 1), 0.5, 1.5)
	x.State = decode.CaptureEnded
	tr := &decode.Trace{Span: decode.Span{First: txnT0, Last: txnT0 + 2e9}, Peers: txnPair(decode.Flow{Requests: 3}, decode.Flow{Requests: 1, Responses: 1})}
	fs, _ := runTxnRule(t, CaptureIncomplete, nil, []*decode.Transaction{x}, tr)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "the capture ends 2.0 s after REGISTER sip:example.com (sent 3 times)") {
		t.Fatalf("%+v", fs)
	}
}

// Lost input counts; a defective header in a message that was still used
// does not.
func TestCaptureProblems(t *testing.T) {
	tr := &decode.Trace{
		Problems:     []decode.Problem{{At: txnAt(0, 3), Message: "malformed SIP: bad-from-to"}},
		ProblemCount: 1,
	}
	if fs, _ := runTxnRule(t, CaptureIncomplete, nil, nil, tr); len(fs) != 0 {
		t.Fatalf("a header defect: %+v", fs)
	}
	tr.InputProblems = []decode.Problem{{At: txnAt(1, 9), Message: "TCP gap of 120 bytes in SIP stream"}}
	tr.InputProblemCount = 1
	tr.Problems = append(tr.Problems, decode.Problem{At: txnAt(2, 12), Message: "not a SIP message: x", Unusable: true})
	tr.Unusable = 1
	fs, _ := runTxnRule(t, CaptureIncomplete, nil, nil, tr)
	if len(fs) != 1 || fs[0].Affected != 2 || len(fs[0].Evidence) != 2 || fs[0].At.Frame != 9 {
		t.Fatalf("%+v", fs)
	}
	if fs, _ := runTxnRule(t, CaptureIncomplete, map[string]string{"problems": "3"}, nil, tr); len(fs) != 0 {
		t.Fatalf("below the threshold: %+v", fs)
	}
}

// A UDP request sent once and followed on its Call-ID by the next one
// within Timer F was answered, whatever order the two complete in.
func TestAnsweredUnseen(t *testing.T) {
	for _, order := range []string{"first completes first", "second completes first"} {
		a := txnRequest("REGISTER", "c1", 0, 1)
		a.State = decode.TimedOut
		b := txnRequest("REGISTER", "c1", 0.01, 2)
		b.CSeq = 2
		txnAnswer(b, 200, "OK", 0.02, 3)
		var seen answeredUnseen
		if order == "first completes first" {
			seen.note(a)
			seen.note(b)
		} else {
			seen.note(b)
			seen.note(a)
		}
		if !seen.wasAnswered(a) || seen.wasAnswered(b) {
			t.Errorf("%s: a %v b %v", order, seen.wasAnswered(a), seen.wasAnswered(b))
		}
	}
	// Near misses: retransmitted (the client was waiting), another
	// Call-ID, or the next request after Timer F.
	re := txnResend(txnRequest("REGISTER", "c2", 0, 1), 0.5, 1.5)
	other := txnRequest("REGISTER", "c3", 0, 5)
	late := txnRequest("REGISTER", "c4", 0, 7)
	var seen answeredUnseen
	for _, x := range []*decode.Transaction{re, other, late} {
		x.State = decode.TimedOut
		seen.note(x)
	}
	for _, n := range []*decode.Transaction{txnRequest("REGISTER", "c2", 2, 9), txnRequest("REGISTER", "c5", 1, 10), txnRequest("REGISTER", "c4", 40, 11)} {
		n.CSeq = 2
		seen.note(n)
	}
	if seen.wasAnswered(re) || seen.wasAnswered(other) || seen.wasAnswered(late) {
		t.Error("no evidence of an answer")
	}
	// A request on another Call-ID that completed first is no answer
	// either (the recent requests are kept by CallIDHash).
	first := txnRequest("REGISTER", "c7", 0.01, 12)
	first.CSeq = 2
	txnAnswer(first, 200, "OK", 0.02, 13)
	lone := txnRequest("REGISTER", "c6", 0, 14)
	lone.State = decode.TimedOut
	seen.note(first)
	seen.note(lone)
	if seen.wasAnswered(lone) {
		t.Error("answered by a request on another Call-ID")
	}
}

// A request noted while nothing else of its Call-ID waited for a response
// (CallQuiet) is not kept; one noted while another waited is, and answers
// it when it follows it.
func TestAnsweredUnseenKeepsOnlyWhatMayFollow(t *testing.T) {
	for _, quiet := range []bool{false, true} {
		a := txnRequest("REGISTER", "c1", 0, 1)
		a.State = decode.TimedOut
		b := txnRequest("REGISTER", "c1", 0.01, 2)
		b.CSeq = 2
		txnAnswer(b, 200, "OK", 0.02, 3)
		b.CallQuiet = quiet // a lie when true: a was waiting
		var seen answeredUnseen
		seen.note(b)
		if n := seen.recent.len(); n != map[bool]int{false: 1, true: 0}[quiet] {
			t.Errorf("CallQuiet %v: %d Call-IDs kept", quiet, n)
		}
		seen.note(a)
		if got := seen.wasAnswered(a); got == quiet {
			t.Errorf("follower noted with CallQuiet %v: answered %v", quiet, got)
		}
	}
}

// The one-direction sample's shape: REGISTERs sent once, each followed by
// the next on the Call-ID a millisecond later, nothing back. CAP001 says
// one direction with high confidence; TXN001 stays silent about them.
func TestOneDirectionClientMovedOn(t *testing.T) {
	var txns []*decode.Transaction
	for i := 0; i < 4; i++ {
		x := txnRequest("REGISTER", "c1", float64(i/2)*27+float64(i%2)*0.001, int64(i+1))
		x.CSeq = uint32(349 + i)
		x.State = decode.TimedOut
		txns = append(txns, x)
	}
	tr := &decode.Trace{Peers: txnPair(decode.Flow{Requests: 4, Silent: 4, First: txnAt(0, 1)}, decode.Flow{})}
	fs, _ := runTxnRule(t, CaptureIncomplete, nil, txns, tr)
	if len(fs) != 1 || fs[0].Confidence != High || !strings.Contains(fs[0].Message, "the capture sees one direction only (3 requests like it)") {
		t.Fatalf("%+v", fs)
	}
	fs, _ = runTxnRule(t, NoResponse, nil, txns, tr)
	if len(fs) != 1 || fs[0].Affected != 1 || fs[0].At.Frame != 4 {
		t.Fatalf("only the last request, which nothing followed, may be judged: %+v", fs)
	}
}

// No timestamps: said only when a deadline mattered.
func TestCaptureNoTimestamps(t *testing.T) {
	noTime := &decode.Trace{Messages: 4, Span: decode.Span{}}
	answered := txnAnswer(txnRequest("REGISTER", "c1", 0, 1), 403, "Forbidden", 0, 2)
	answered.Request.Time, answered.Final.At.Time = 0, 0
	// (runTxnRule would fill the empty span, so the runner is driven here.)
	r, err := NewRunner([]*Rule{CaptureIncomplete}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Observers().Transaction {
		f(answered)
	}
	if fs := r.Finish(noTime); len(fs) != 0 {
		t.Fatalf("every request answered, no binding: %+v", fs)
	}
	r, _ = NewRunner([]*Rule{CaptureIncomplete}, nil)
	cut := txnRequest("REGISTER", "c2", 0, 1)
	cut.Request.Time, cut.State = 0, decode.CaptureEnded
	for _, f := range r.Observers().Transaction {
		f(cut)
	}
	if fs := r.Finish(noTime); len(fs) != 1 || !strings.Contains(fs[0].Message, "no timestamps") {
		t.Fatalf("%+v", fs)
	}
}

// A response captured just before its own request (two capture points
// merged): the request is in the capture, so it is not reported lost but
// as the capture's order.
func TestCaptureResponseBeforeItsRequest(t *testing.T) {
	tr := &decode.Trace{Peers: txnPair(decode.Flow{Requests: 5}, decode.Flow{Responses: 5, Orphans: 1})}
	resp := capOrphan(401, 100, 7)
	resp.CallID, resp.CSeq = "c9", 3
	req := txnRequest("REGISTER", "c9", 100.0006, 8)
	req.CSeq = 3
	req.State = decode.TimedOut
	fs, _ := runTxnRule(t, CaptureIncomplete, nil, []*decode.Transaction{resp, req}, tr)
	if len(fs) != 1 || fs[0].Confidence != High || !strings.Contains(fs[0].Message, "captured before their own request") ||
		strings.Contains(fs[0].Message, "match no request") || len(fs[0].Evidence) != 2 || fs[0].Evidence[1].At.Frame != 8 {
		t.Fatalf("%+v", fs)
	}
}

// Responses years after their requests (timestamps that jump): the
// requests are in the capture; the finding is the clock, not lost packets.
func TestCaptureResponseYearsAfterItsRequest(t *testing.T) {
	tr := &decode.Trace{Peers: txnPair(decode.Flow{Requests: 2}, decode.Flow{Responses: 2, Orphans: 2})}
	req := txnRequest("INVITE", "c1", 0, 1)
	req.State = decode.TimedOut
	resp := &decode.Transaction{Method: "INVITE", CallID: "c1", CSeq: 1, Orphan: true, Client: txnUA, Server: txnSrv, Requested: -1}
	txnAnswer(resp, 200, "OK", 6*365*86400, 3)
	fs, _ := runTxnRule(t, CaptureIncomplete, nil, []*decode.Transaction{req, resp}, tr)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "came long after their request") || !strings.Contains(fs[0].Message, "timestamps jump") ||
		strings.Contains(fs[0].Message, "match no request") {
		t.Fatalf("%+v", fs)
	}
}

// A 487 to an INVITE sent before the capture began, 40 s in: a ringing
// INVITE has no Timer B (RFC 3261 §17.1.1.2), so its final response may
// come minutes later; nothing is lost. The same at 5 minutes is reported.
func TestCaptureInviteOrphanWithinTimerC(t *testing.T) {
	orphan := func(s float64) []Finding {
		tr := &decode.Trace{Peers: txnPair(decode.Flow{Requests: 5}, decode.Flow{Responses: 5, Orphans: 1})}
		resp := &decode.Transaction{Method: "INVITE", CallID: "ring", CSeq: 1, Orphan: true, Client: txnUA, Server: txnSrv, Requested: -1}
		txnAnswer(resp, 487, "Request Terminated", s, 9)
		fs, _ := runTxnRule(t, CaptureIncomplete, nil, []*decode.Transaction{resp}, tr)
		return fs
	}
	if fs := orphan(40); len(fs) != 0 {
		t.Errorf("487 40 s in: want nothing, got %+v", fs)
	}
	if fs := orphan(300); len(fs) != 1 || !strings.Contains(fs[0].Message, "match no request") {
		t.Errorf("487 5 min in: %+v", fs)
	}
}

// The correlator counts a request that arrives after its (orphan) response
// onto the orphan's transaction, as a copy of its request: that too is a
// response captured before its request.
func TestCaptureRequestCountedOntoItsOrphan(t *testing.T) {
	tr := &decode.Trace{Peers: txnPair(decode.Flow{Requests: 5}, decode.Flow{Responses: 5, Orphans: 1})}
	resp := capOrphan(401, 100, 7)
	resp.Sends, resp.Resent = 1, []decode.Ref{txnAt(100.0006, 8)}
	resp.LastSend = resp.Resent[0]
	fs, _ := runTxnRule(t, CaptureIncomplete, nil, []*decode.Transaction{resp}, tr)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "captured before their own request") || fs[0].Evidence[1].At.Frame != 8 {
		t.Fatalf("%+v", fs)
	}
}

// The recent requests CAP001 remembers per Call-ID age out with capture
// time (two generations of 64 s): a long capture of distinct Call-IDs does
// not keep them all, and a follow-up within Timer F is still recognised
// across a generation change.
func TestAnsweredUnseenForgetsOldCalls(t *testing.T) {
	var a answeredUnseen
	for i := range 1000 {
		r := synReq("REGISTER", synAOR, fmt.Sprintf("call-%d", i), synUA, float64(i), int64(i+1))
		synAnswer(r, 200, float64(i)+0.01)
		a.note(r)
	}
	if kept := a.recent.len() + a.old.len(); kept > 200 {
		t.Errorf("%d Call-IDs kept after 1000 s of distinct calls; want only the last two 64 s generations", kept)
	}
	// A request sent once and never answered at 2000 s, followed on its
	// Call-ID at 2010 s (noted first: it completed first), across a
	// generation change in between.
	next := synReq("REGISTER", synAOR, "late", synUA, 2010, 3000)
	next.CSeq = 2
	synAnswer(next, 200, 2010.01)
	first := synReq("REGISTER", synAOR, "late", synUA, 2000, 2999)
	first.CSeq = 1
	a.note(next)
	a.note(synReq("OPTIONS", synAOR, "other", synUA, 2150, 3001)) // moves the generations on
	a.note(first)
	if !a.wasAnswered(first) {
		t.Error("a request followed on its Call-ID within Timer F was not recognised as answered")
	}
}
