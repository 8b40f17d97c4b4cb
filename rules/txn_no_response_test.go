package rules

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/sipdiag/sipdiag/decode"
)

// The Timer E schedule of a non-INVITE over UDP (RFC 3261 §17.1.2.2):
// offsets of the copies after the first.
var timerE = []float64{0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5}

func TestNoResponseFiresWithSchedule(t *testing.T) {
	x := txnResend(txnRequest("REGISTER", "c1", 0, 1), timerE...)
	tr := &decode.Trace{Peers: txnPair(decode.Flow{Requests: 11, Silent: 1}, decode.Flow{})}
	fs, _ := runTxnRule(t, NoResponse, nil, []*decode.Transaction{x}, tr)
	if len(fs) != 1 {
		t.Fatalf("want one finding, got %+v", fs)
	}
	f := fs[0]
	if !strings.Contains(f.Message, "got no response within Timer F") || f.Subject != "sip:alice@example.com" {
		t.Errorf("message %q subject %q", f.Message, f.Subject)
	}
	if !strings.Contains(f.Evidence[0].Note, "sent 11 times, at +0, +500 ms, +1.5 s, +3.5 s, +7.5 s, +12 s") ||
		!strings.Contains(f.Evidence[0].Note, "follows RFC 3261 Timer E") {
		t.Errorf("schedule note %q", f.Evidence[0].Note)
	}
	if f.Evidence[1].At.Frame != 11 || !strings.Contains(f.Evidence[1].Note, "copy 11, 32 s after the first") {
		t.Errorf("last copy evidence %+v", f.Evidence[1])
	}
	// Nothing at all came back from the server: the capture may miss that
	// direction, so the confidence is lowered.
	if f.Confidence != Medium || !strings.Contains(f.Message, "no SIP at all came back") {
		t.Errorf("confidence %v, message %q", f.Confidence, f.Message)
	}
}

func TestNoResponseServerAnsweredOthers(t *testing.T) {
	x := txnResend(txnRequest("OPTIONS", "c1", 0, 1), timerE...)
	tr := &decode.Trace{Peers: txnPair(decode.Flow{Requests: 12, Silent: 1}, decode.Flow{Responses: 1})}
	fs, _ := runTxnRule(t, NoResponse, nil, []*decode.Transaction{x}, tr)
	if len(fs) != 1 || fs[0].Confidence != High || !strings.Contains(fs[0].Message, "answered other requests") {
		t.Fatalf("%+v", fs)
	}
}

// Fifty unanswered REGISTERs of one UA to one server are one finding.
func TestNoResponseGroupsOneUAOneServer(t *testing.T) {
	var txns []*decode.Transaction
	for i := 0; i < 50; i++ {
		txns = append(txns, txnResend(txnRequest("REGISTER", fmt.Sprintf("c%d", i), float64(i*40), int64(i*20+1)), timerE...))
	}
	fs, _ := runTxnRule(t, NoResponse, nil, txns, nil)
	if len(fs) != 1 || fs[0].Affected != 50 || !strings.Contains(fs[0].Message, "50 REGISTER requests") {
		t.Fatalf("%+v", fs)
	}
	if last := fs[0].Evidence[len(fs[0].Evidence)-1]; last.At.Frame != 49*20+1 {
		t.Errorf("the last unanswered request is evidence: %+v", last)
	}
}

// The capture ending before Timer F is not a finding but an undecided note.
func TestNoResponseCaptureEnded(t *testing.T) {
	x := txnResend(txnRequest("REGISTER", "c1", 0, 1), 0.5, 1.5, 3.5)
	x.State = decode.CaptureEnded
	fs, un := runTxnRule(t, NoResponse, nil, []*decode.Transaction{x}, nil)
	if len(fs) != 0 || len(un) != 1 || !strings.Contains(un[0].Message, "before Timer B/F (32 s) ran out") {
		t.Fatalf("findings %+v undecided %+v", fs, un)
	}
}

// An ICMP port unreachable decides even when the capture ended early.
func TestNoResponseICMP(t *testing.T) {
	x := txnResend(txnRequest("REGISTER", "c1", 0, 1), 0.5)
	x.State = decode.CaptureEnded
	x.ICMP = &decode.ICMPError{At: txnAt(0.001, 2), From: txnSrv.Addr(), PortUnreachable: true}
	fs, un := runTxnRule(t, NoResponse, nil, []*decode.Transaction{x}, nil)
	if len(fs) != 1 || len(un) != 0 || fs[0].Confidence != High ||
		!strings.Contains(fs[0].Message, "ICMP port unreachable from 10.0.0.1, nothing is listening at 10.0.0.1:5060/UDP") {
		t.Fatalf("findings %+v undecided %+v", fs, un)
	}
}

// Near misses: an answered request, a call that rang (Timer C, not B),
// an orphan response.
func TestNoResponseNearMisses(t *testing.T) {
	answered := txnAnswer(txnResend(txnRequest("REGISTER", "c1", 0, 1), 0.5), 200, "OK", 0.7, 3)
	rang := txnResend(txnRequest("INVITE", "c2", 0, 10), 0.5)
	rang.FirstProvisional = txnAt(0.6, 12)
	orphan := txnAnswer(&decode.Transaction{Method: "REGISTER", Orphan: true, Client: txnUA, Server: txnSrv}, 503, "Service Unavailable", 1, 20)
	fs, un := runTxnRule(t, NoResponse, nil, []*decode.Transaction{answered, rang, orphan}, nil)
	if len(fs) != 0 || len(un) != 0 {
		t.Fatalf("findings %+v undecided %+v", fs, un)
	}
}

// Timed out, then answered after Timer F: the correlator reports the
// transaction a second time, with its final response; the server did
// answer, so no finding.
func TestNoResponseAnsweredLate(t *testing.T) {
	r, err := NewRunner([]*Rule{NoResponse}, nil)
	if err != nil {
		t.Fatal(err)
	}
	late := txnResend(txnRequest("CANCEL", "c3", 30, 30), timerE...)
	for _, f := range r.Observers().Transaction {
		f(late)
	}
	txnAnswer(late, 408, "Request Timeout", 62.5, 45)
	for _, f := range r.Observers().Transaction {
		f(late)
	}
	if fs := r.Finish(&decode.Trace{Span: decode.Span{First: txnT0, Last: txnT0 + 100e9}}); len(fs) != 0 {
		t.Fatalf("%+v", fs)
	}
}

func TestScheduleNote(t *testing.T) {
	for _, tc := range []struct {
		name    string
		method  string
		offsets []float64
		want    string
	}{
		{"INVITE Timer A", "INVITE", []float64{0.5, 1.5, 3.5, 7.5, 15.5, 31.5}, "follows RFC 3261 Timer A, doubling from T1 = 500 ms"},
		{"Timer E capped at T2", "REGISTER", []float64{0.5, 1.5, 3.5, 7.5, 11.5}, "follows RFC 3261 Timer E"},
		{"T1 configured to 1 s", "REGISTER", []float64{1, 3, 7, 11, 15}, "doubles from 1.0 s instead of T1 = 500 ms"},
		{"INVITE not capped at T2", "INVITE", []float64{0.5, 1.5, 3.5, 7.5, 11.5}, "do not follow RFC 3261 Timer A"},
		{"application resends", "REGISTER", []float64{5, 10, 15}, "intervals 5.0 s, 5.0 s, 5.0 s do not follow"},
	} {
		x := txnResend(txnRequest(tc.method, "c", 0, 1), tc.offsets...)
		if got := scheduleNote(x, decode.T1, 4*time.Second); !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// A source sweeping servers (a scanner: one host and port after another)
// and left unanswered by each is one finding on the source, not one per
// target; a UA left unanswered by two servers (a primary and a backup
// registrar) still gets one finding per server.
func TestNoResponseFoldsASweepOnTheSource(t *testing.T) {
	sweep := func(servers int) []Finding {
		var txns []*decode.Transaction
		for i := 0; i < servers; i++ {
			for j, m := range []string{"REGISTER", "INVITE"} {
				x := txnResend(txnRequest(m, fmt.Sprintf("c%d-%d", i, j), float64(i*40+j), int64(i*20+j*10+1)), timerE[:4]...)
				x.Server = netip.AddrPortFrom(netip.AddrFrom4([4]byte{192, 0, 2, byte(10 + i)}), 5060)
				x.FromAOR = fmt.Sprintf("sip:%d@example.com", 100+i)
				x.ToAOR = x.FromAOR
				txns = append(txns, x)
			}
		}
		fs, _ := runTxnRule(t, NoResponse, nil, txns, nil)
		return fs
	}
	fs := sweep(6)
	if len(fs) != 1 || fs[0].Subject != "source 10.0.0.5" || fs[0].Affected != 12 || fs[0].Confidence != Low ||
		!strings.Contains(fs[0].Message, "12 requests (6 INVITE, 6 REGISTER) from 10.0.0.5 to 6 servers") ||
		!strings.Contains(fs[0].Message, "sweeping") {
		t.Fatalf("sweep: %+v", fs)
	}
	if fs := sweep(2); len(fs) != 4 {
		t.Errorf("two servers, two methods: want 4 findings (per server and method), got %d: %+v", len(fs), fs)
	}
}

// In a capture with messages too damaged to pair, the answer may be one of
// them: the finding says so and its confidence drops a step.
func TestNoResponseDamagedCapture(t *testing.T) {
	x := txnResend(txnRequest("OPTIONS", "c1", 0, 1), timerE...)
	tr := &decode.Trace{Unusable: 3, Peers: txnPair(decode.Flow{Requests: 12, Silent: 1}, decode.Flow{Responses: 1})}
	fs, _ := runTxnRule(t, NoResponse, nil, []*decode.Transaction{x}, tr)
	if len(fs) != 1 || fs[0].Confidence != Medium || !strings.Contains(fs[0].Message, "3 SIP message(s) of the capture could not be read") {
		t.Fatalf("%+v", fs)
	}
}
