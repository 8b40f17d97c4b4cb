package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/decode"
)

func invInvite(callID string, s float64, frame int64) *decode.Transaction {
	t := txnRequest("INVITE", callID, s, frame)
	t.ToAOR = "sip:bob@example.com"
	return t
}

func TestCallRejectedExplainsReasonAndWarning(t *testing.T) {
	x := txnAnswer(invInvite("c1", 0, 1), 488, "Not Acceptable Here", 0.2, 3)
	x.Final.Warning = `305 sbc.example.net "Incompatible media format"`
	y := txnAnswer(invInvite("c2", 10, 5), 486, "Busy Here", 12, 7)
	y.Final.ReasonHdr = `Q.850;cause=17;text="User busy, try later"`
	fs, _ := runTxnRule(t, CallRejected, nil, []*decode.Transaction{x, y}, nil)
	if len(fs) != 2 {
		t.Fatalf("%+v", fs)
	}
	codec, busy := fs[0], fs[1]
	if !strings.Contains(codec.Message, "rejected with 488 Not Acceptable Here: the far end accepts none of the offered media") || codec.Confidence != High {
		t.Errorf("488: %q %v", codec.Message, codec.Confidence)
	}
	if note := codec.Evidence[1].Note; !strings.Contains(note, `305 (incompatible media format (no codec in common)) from sbc.example.net: "Incompatible media format"`) {
		t.Errorf("warning note %q", note)
	}
	// Busy is the callee's choice: low confidence; its subject is the callee.
	if !strings.Contains(busy.Message, "Reason Q.850 cause 17 (user busy)") || busy.Confidence != Low || busy.Subject != "sip:bob@example.com" {
		t.Errorf("486: %q %v %q", busy.Message, busy.Confidence, busy.Subject)
	}
}

// Near misses: a challenge, the caller's CANCEL, a redirect, credentials
// refused (AUTH003's), and a 422 the caller recovered from on the same
// Call-ID.
func TestCallRejectedNearMisses(t *testing.T) {
	challenged := txnAnswer(invInvite("c1", 0, 1), 407, "Proxy Authentication Required", 0.1, 2)
	cancelled := txnAnswer(invInvite("c2", 1, 3), 487, "Request Terminated", 5, 4)
	moved := txnAnswer(invInvite("c3", 6, 5), 302, "Moved Temporarily", 6.1, 6)
	refused := invInvite("c4", 7, 7)
	refused.Credentials = &decode.AuthCredentials{Username: "alice", Realm: "example.com"}
	txnAnswer(refused, 403, "Forbidden", 7.1, 8)
	tooSmall := txnAnswer(invInvite("c5", 8, 9), 422, "Session Interval Too Small", 8.1, 10)
	retried := txnAnswer(invInvite("c5", 8.2, 11), 200, "OK", 8.5, 12)
	fs, _ := runTxnRule(t, CallRejected, nil, []*decode.Transaction{challenged, cancelled, moved, refused, tooSmall, retried}, nil)
	if len(fs) != 0 {
		t.Fatalf("%+v", fs)
	}
}

// A re-INVITE refused in an answered call (a T.38 switch) is reported as
// such; the call itself goes on.
func TestCallRejectedReInvite(t *testing.T) {
	ok := txnAnswer(invInvite("c1", 0, 1), 200, "OK", 1, 2)
	fax := txnAnswer(invInvite("c1", 20, 5), 488, "Not Acceptable Here", 20.1, 6)
	fs, _ := runTxnRule(t, CallRejected, nil, []*decode.Transaction{ok, fax}, nil)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "re-INVITE in an answered call") || !strings.Contains(fs[0].Message, "the call itself goes on") || fs[0].Confidence != Medium {
		t.Fatalf("%+v", fs)
	}
}

// Many calls from one host refused with one status are one finding.
func TestCallRejectedGroups(t *testing.T) {
	var txns []*decode.Transaction
	for i := 0; i < 30; i++ {
		x := invInvite(fmt.Sprintf("c%d", i), float64(i), int64(2*i+1))
		x.ToAOR = fmt.Sprintf("sip:%d@example.com", 100+i%3)
		txns = append(txns, txnAnswer(x, 403, "Forbidden", float64(i)+0.1, int64(2*i+2)))
	}
	fs, _ := runTxnRule(t, CallRejected, nil, txns, nil)
	if len(fs) != 1 || fs[0].Affected != 30 || !strings.Contains(fs[0].Message, "30 calls from sip:alice@example.com rejected with 403 Forbidden (to 3 numbers") {
		t.Fatalf("%+v", fs)
	}
}

func TestReasonAndWarningParsing(t *testing.T) {
	for h, want := range map[string]string{
		`Q.850;cause=16;text="Normal call clearing"`:            "Q.850 cause 16 (normal call clearing)",
		`SIP;cause=600;text="Busy, everywhere", Q.850;cause=17`: "SIP cause 600; Q.850 cause 17 (user busy): the called party is busy",
		`Q.850 ; cause = 102`:                                   "Q.850 cause 102 (recovery on timer expiry): a timer expired",
		`Q.850;cause=200`:                                       "Q.850 cause 200",
		`garbage`:                                               "",
	} {
		if got := reasonWords(h); !strings.HasPrefix(got, want) {
			t.Errorf("reasonWords(%q) = %q, want prefix %q", h, got, want)
		}
	}
	ws := parseWarning(`399 gw1 "Call, rejected; by policy", 370 gw2 "x"`)
	if len(ws) != 2 || ws[0].Code != 399 || ws[0].Text != "Call, rejected; by policy" || ws[1].Agent != "gw2" {
		t.Errorf("%+v", ws)
	}
}

// A rejection whose From could not be read (damaged input) is still about
// someone: the caller's address.
func TestCallRejectedSubjectWithoutFrom(t *testing.T) {
	x := txnAnswer(txnRequest("INVITE", "c1", 0, 1), 403, "Forbidden", 0.1, 2)
	x.FromAOR, x.ToAOR = "", ""
	fs, _ := runTxnRule(t, CallRejected, nil, []*decode.Transaction{x}, nil)
	if len(fs) != 1 || fs[0].Subject != "peer 10.0.0.5" {
		t.Fatalf("%+v", fs)
	}
}

// Failures are counted as the capture goes: one still unrecovered after
// the recovery window stays counted even if its Call-ID is answered much
// later, and one recovered within the window is not counted at all.
func TestCallRejectedRecoveryWindow(t *testing.T) {
	early := txnAnswer(invInvite("a", 0, 1), 491, "Request Pending", 0.1, 2)
	earlyOK := txnAnswer(invInvite("a", 5, 3), 200, "OK", 5.1, 4)
	late := txnAnswer(invInvite("b", 0, 5), 404, "Not Found", 0.1, 6)
	lateOK := txnAnswer(invInvite("b", 200, 7), 200, "OK", 200.1, 8)
	fs, _ := runTxnRule(t, CallRejected, nil, []*decode.Transaction{early, late, earlyOK, lateOK}, nil)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "404 Not Found") || fs[0].Affected != 1 {
		t.Fatalf("want only the 404 (its 2xx came 200 s later), got %+v", fs)
	}
}
