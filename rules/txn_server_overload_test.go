package rules

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"unsafe"

	"github.com/sipdiag/sipdiag/decode"
)

func ovlRefused(status int, retryAfter int, s float64, frame int64) *decode.Transaction {
	t := txnAnswer(txnRequest("REGISTER", fmt.Sprintf("r%d", frame), s, frame), status, "Service Unavailable", s+0.01, frame+1)
	t.Final.RetryAfter = retryAfter
	return t
}

// A client coming back 5 s after "Retry-After: 60" ignored it.
func TestServerOverloadRetryAfterIgnored(t *testing.T) {
	fs, _ := runTxnRule(t, ServerOverload, nil, []*decode.Transaction{
		ovlRefused(503, 60, 0, 1),
		ovlRefused(503, 60, 5, 3),
	}, nil)
	if len(fs) != 1 {
		t.Fatalf("%+v", fs)
	}
	f := fs[0]
	if !strings.Contains(f.Message, "answered 2×503 to REGISTER") || !strings.Contains(f.Message, "Retry-After was ignored once (asked 60 s, the client came back after 5.0 s)") || f.Confidence != High {
		t.Errorf("%q %v", f.Message, f.Confidence)
	}
	if ev := f.Evidence[2]; ev.At.Frame != 3 || !strings.Contains(ev.Note, "RFC 3261 §21.5.4") {
		t.Errorf("the early retry is evidence: %+v", f.Evidence)
	}
}

func TestServerOverloadRetryAfterHonoured(t *testing.T) {
	later := txnAnswer(txnRequest("REGISTER", "r9", 70, 9), 200, "OK", 70.1, 10)
	fs, _ := runTxnRule(t, ServerOverload, nil, []*decode.Transaction{ovlRefused(503, 60, 0, 1), later}, nil)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "the clients honoured Retry-After") {
		t.Fatalf("%+v", fs)
	}
}

// The first 503 after a run of successes marks the server's capacity.
func TestServerOverloadOnset(t *testing.T) {
	var txns []*decode.Transaction
	for i := 0; i < 12; i++ {
		txns = append(txns, txnAnswer(txnRequest("REGISTER", fmt.Sprintf("ok%d", i), float64(i), int64(2*i+1)), 200, "OK", float64(i)+0.1, int64(2*i+2)))
	}
	txns = append(txns, ovlRefused(503, -1, 12, 30), ovlRefused(503, -1, 13, 32))
	fs, _ := runTxnRule(t, ServerOverload, nil, txns, nil)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "it had answered 12 requests successfully over 11 s before the first refusal") {
		t.Fatalf("%+v", fs)
	}
	// Below the threshold, or a success after the refusals: no onset claimed.
	fs, _ = runTxnRule(t, ServerOverload, map[string]string{"onset-successes": "13"}, txns, nil)
	if len(fs) != 1 || strings.Contains(fs[0].Message, "capacity") {
		t.Fatalf("%+v", fs)
	}
	recovered := append(txns[:len(txns):len(txns)], txnAnswer(txnRequest("REGISTER", "ok-late", 20, 40), 200, "OK", 20.1, 41))
	fs, _ = runTxnRule(t, ServerOverload, nil, recovered, nil)
	if len(fs) != 1 || strings.Contains(fs[0].Message, "capacity") {
		t.Fatalf("%+v", fs)
	}
}

// Near misses: a 408 to an INVITE (nobody answered the call), a 408 to a
// CANCEL, a 500 without Retry-After, a 504.
func TestServerOverloadNearMisses(t *testing.T) {
	inv := txnAnswer(txnRequest("INVITE", "i1", 0, 1), 408, "Request Timeout", 30, 2)
	cancel := txnAnswer(txnRequest("CANCEL", "i1", 1, 3), 408, "Request Timeout", 30, 4)
	fiveHundred := ovlRefused(500, -1, 40, 5)
	gatewayTimeout := ovlRefused(504, -1, 41, 7)
	fs, _ := runTxnRule(t, ServerOverload, nil, []*decode.Transaction{inv, cancel, fiveHundred, gatewayTimeout}, nil)
	if len(fs) != 0 {
		t.Fatalf("%+v", fs)
	}
	// One 503 without Retry-After fires with medium confidence; a 500
	// with Retry-After counts (RFC 3261 §21.5.1).
	fs, _ = runTxnRule(t, ServerOverload, nil, []*decode.Transaction{ovlRefused(503, -1, 0, 1)}, nil)
	if len(fs) != 1 || fs[0].Confidence != Medium {
		t.Fatalf("%+v", fs)
	}
	fs, _ = runTxnRule(t, ServerOverload, nil, []*decode.Transaction{ovlRefused(500, 30, 0, 1)}, nil)
	if len(fs) != 1 {
		t.Fatalf("%+v", fs)
	}
}

// A 503 whose Warning names its reason is explained by it, not by load
// (lbnl SIP-212: "Registrar is not enabled", Cisco CUCM "Unable to find a
// device handler").
func TestServerOverloadQuotesTheWarning(t *testing.T) {
	x := ovlRefused(503, -1, 0, 1)
	x.Final.Warning = `399 198.51.100.7 "Registrar is not enabled"`
	fs, _ := runTxnRule(t, ServerOverload, nil, []*decode.Transaction{x}, nil)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, `gives its reason in a Warning (399 198.51.100.7 "Registrar is not enabled")`) ||
		strings.Contains(fs[0].Message, "overloaded or in maintenance") {
		t.Fatalf("%+v", fs)
	}
}

// Refusals handed over out of time order (a capture whose clock goes back)
// still span the time between the earliest and the latest one.
func TestServerOverloadClockGoesBack(t *testing.T) {
	fs, _ := runTxnRule(t, ServerOverload, nil, []*decode.Transaction{
		ovlRefused(503, -1, 20, 1),
		ovlRefused(503, -1, 5, 3),
		ovlRefused(503, -1, 12, 5),
	}, nil)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "answered 3×503 to REGISTER over 15 s") {
		t.Fatalf("%+v", fs)
	}
}

// TestOverloadGroupLayout holds TXN002's per-server record to the layout
// its comment promises: what a 2xx reads and writes in the first cache
// line, and the record allocated on a cache line.
func TestOverloadGroupLayout(t *testing.T) {
	var g overloadGroup
	if end := unsafe.Offsetof(g.lastOK) + unsafe.Sizeof(g.lastOK); end > 64 {
		t.Errorf("overloadGroup.lastOK ends at byte %d, past the first cache line", end)
	}
	if n := unsafe.Sizeof(g); n != 384 {
		t.Errorf("overloadGroup is %d bytes, want 384 (6 cache lines, a size class whose objects start on one)", n)
	}
	for range 4 {
		overloadSink = &overloadGroup{}
		if at := uintptr(unsafe.Pointer(overloadSink)) % 64; at != 0 {
			t.Errorf("an overloadGroup starts %d bytes into a cache line", at)
		}
	}
}

var overloadSink *overloadGroup

// TestOverloadOKAddressesRoundTrip checks that the last 2xx's addresses
// come back as they were, packed (IPv4) or not (IPv6, IPv4-mapped, zones).
func TestOverloadOKAddressesRoundTrip(t *testing.T) {
	for _, c := range []struct{ server, client string }{
		{"10.0.0.1:5060", "10.20.0.7:5062"}, {"0.0.0.0:0", "255.255.255.255:65535"},
		{"[2001:db8::1]:5060", "10.0.0.9:5060"}, {"10.0.0.1:5060", "[::ffff:10.0.0.9]:5060"},
		{"[fe80::1%eth0]:5060", "[fe80::2%eth0]:5061"},
	} {
		server, client := netip.MustParseAddrPort(c.server), netip.MustParseAddrPort(c.client)
		g := &overloadGroup{server: server}
		tx := txnAnswer(txnRequest("REGISTER", "c1", 0, 1), 200, "OK", 0.1, 2)
		tx.Server, tx.Client = server, client
		g.noteOK(tx)
		ev := g.okEvidence("n")
		if ev.Src != server || ev.Dst != client || ev.Summary != "200 OK" || ev.At != tx.Final.At {
			t.Errorf("%s -> %s: evidence %+v", c.server, c.client, ev)
		}
	}
}
