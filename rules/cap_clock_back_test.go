package rules

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/sipdiag/sipdiag/capture"
	"github.com/sipdiag/sipdiag/decode"
)

// A capture whose clock goes back (files concatenated out of order,
// "tcpdump -i any"): the follow-up REGISTER (CSeq 2, t=10 s) completes
// before the first copy of the earlier one (CSeq 1, t=5 s, sent once, no
// response) appears. The follow-up was handed over CallQuiet, as the clock
// had not gone back yet; the earlier request must still be found answered
// out of the capture's sight, as it is when the capture is in time order.
func TestAnsweredUnseenClockGoesBack(t *testing.T) {
	const s = int64(1e9)
	t0 := int64(1_700_000_000) * s
	ua := netip.MustParseAddrPort("10.0.0.1:5060")
	srv := netip.MustParseAddrPort("10.0.0.2:5060")
	reg := func(cseq int) string {
		return fmt.Sprintf("REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-%d\r\n"+
			"From: <sip:alice@example.com>;tag=a\r\nTo: <sip:alice@example.com>\r\nCall-ID: clock-back\r\n"+
			"CSeq: %d REGISTER\r\nContact: <sip:alice@10.0.0.1>\r\nContent-Length: 0\r\n\r\n", cseq, cseq)
	}
	ok2 := "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-2\r\n" +
		"From: <sip:alice@example.com>;tag=a\r\nTo: <sip:alice@example.com>;tag=b\r\nCall-ID: clock-back\r\n" +
		"CSeq: 2 REGISTER\r\nContent-Length: 0\r\n\r\n"
	other := func(i int) string {
		return fmt.Sprintf("OPTIONS sip:x@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bK-o%d\r\n"+
			"From: <sip:x@example.com>;tag=x\r\nTo: <sip:x@example.com>\r\nCall-ID: other-%d\r\n"+
			"CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n", i, i)
	}
	type msg struct {
		text     string
		at       int64
		src, dst netip.AddrPort
	}
	o := netip.MustParseAddrPort("10.0.0.3:5060")
	for _, order := range []string{"in time order", "clock goes back"} {
		msgs := []msg{{reg(2), t0 + 10*s, ua, srv}, {ok2, t0 + 10*s + s/100, srv, ua}, {other(1), t0 + 11*s, o, srv}}
		first := msg{reg(1), t0 + 5*s, ua, srv}
		if order == "in time order" {
			msgs = append([]msg{first}, msgs...)
		} else {
			msgs = append(msgs, first)
		}
		msgs = append(msgs, msg{other(2), t0 + 60*s, o, srv})
		var seen answeredUnseen
		var cand *decode.Transaction
		obs := &decode.Observers{Transaction: []func(*decode.Transaction){func(tx *decode.Transaction) {
			seen.note(tx)
			if tx.CallID == "clock-back" && tx.CSeq == 1 {
				cand = tx
			}
		}}}
		c := decode.NewCorrelator(obs, decode.Options{})
		var m decode.Message
		for i, x := range msgs {
			if err := m.Scan([]byte(x.text)); err != nil {
				t.Fatal(err)
			}
			c.Add(&m, decode.Meta{Ref: decode.Ref{Time: x.at, Frame: int64(i + 1)}, Src: x.src, Dst: x.dst, Transport: capture.UDP})
		}
		c.Finish()
		if cand == nil {
			t.Fatalf("%s: the CSeq 1 REGISTER was not handed over", order)
		}
		if !seen.wasAnswered(cand) {
			t.Errorf("%s: the REGISTER followed by CSeq 2 after 5 s is not found answered out of sight", order)
		}
	}
}
