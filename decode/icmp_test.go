package decode

import (
	"strings"
	"testing"
)

// TestICMPFindsItsTransaction: an ICMP error quoting a request goes to
// that request's transaction, keyed as Add keys it — also when the quoted
// Via has an unbracketed IPv6 sent-by the Via parser refuses (Add then
// keys by the branch alone), where a second open request between the same
// addresses must not take the blame.
func TestICMPFindsItsTransaction(t *testing.T) {
	req := func(branch string) string {
		return strings.ReplaceAll(strings.TrimLeft(`
REGISTER sip:example.com SIP/2.0
Via: SIP/2.0/UDP 2001:db8::5:5060;branch=`+branch+`
From: <sip:alice@example.com>;tag=a1
To: <sip:alice@example.com>
Call-ID: icmp-1@host
CSeq: 1 REGISTER
Content-Length: 0

`, "\n"), "\n", "\r\n")
	}
	var got []*Transaction
	c := NewCorrelator(&Observers{Transaction: []func(*Transaction){func(x *Transaction) { got = append(got, x) }}}, Options{})
	var m Message
	for i, b := range []string{"z9hG4bK-first", "z9hG4bK-second"} {
		if err := m.Scan([]byte(req(b))); err != nil {
			t.Fatal(err)
		}
		if _, ok := m.TopVia(); ok {
			t.Fatal("the Via parser now reads an unbracketed IPv6 sent-by: this test no longer covers the fallback")
		}
		c.Add(&m, Meta{Ref: Ref{Frame: int64(i + 1), Time: t0 + int64(i)*1e6}, Src: ua, Dst: reg})
	}
	var quoted Message
	if err := quoted.Scan([]byte(req("z9hG4bK-first"))); err != nil {
		t.Fatal(err)
	}
	c.AddICMP(&quoted, ua, reg, ICMPError{At: Ref{Frame: 3, Time: t0 + 2e6}, PortUnreachable: true})
	c.Finish()
	for _, x := range got {
		first := x.Request.Frame == 1
		if (x.ICMP != nil) != first {
			t.Errorf("transaction of frame %d: ICMP %v, want it only on frame 1's", x.Request.Frame, x.ICMP)
		}
	}
	if len(got) != 2 {
		t.Fatalf("%d transactions, want 2", len(got))
	}
}
