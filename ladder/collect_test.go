package ladder

import (
	"fmt"
	"io"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/sipdiag/sipdiag/capture"
)

// source replays datagrams.
type source struct {
	ds []capture.Datagram
	i  int
}

func (s *source) Next() (*capture.Datagram, error) {
	if s.i == len(s.ds) {
		return nil, io.EOF
	}
	s.i++
	return &s.ds[s.i-1], nil
}

var (
	uac = netip.MustParseAddrPort("10.0.0.5:5060")
	uas = netip.MustParseAddrPort("192.0.2.1:5060")
	t0  = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
)

func register(callID string, cseq int) string {
	return fmt.Sprintf("REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK%d\r\nFrom: <sip:a@example.com>;tag=1\r\n"+
		"To: <sip:a@example.com>\r\nCall-ID: %s\r\nCSeq: %d REGISTER\r\nContent-Length: 0\r\n\r\n", cseq, callID, cseq)
}

func unauthorized(callID string, cseq int) string {
	return fmt.Sprintf("SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK%d\r\nFrom: <sip:a@example.com>;tag=1\r\n"+
		"To: <sip:a@example.com>;tag=2\r\nCall-ID: %s\r\nCSeq: %d REGISTER\r\nContent-Length: 0\r\n\r\n", cseq, callID, cseq)
}

func trace() *source {
	s := &source{}
	add := func(src, dst netip.AddrPort, payload string) {
		n := int64(len(s.ds) + 1)
		s.ds = append(s.ds, capture.Datagram{Frame: n, Time: t0.Add(time.Duration(n) * time.Millisecond), Src: src, Dst: dst, Payload: []byte(payload)})
	}
	for i := 1; i <= 5; i++ {
		add(uac, uas, register("loop", i))
		add(uas, uac, unauthorized("loop", i))
		add(uac, uas, register(fmt.Sprintf("other-%d", i), 1))
	}
	add(uac, uas, "not SIP at all")
	// An ICMP port unreachable from the server quoting a REGISTER of "loop".
	s.ds = append(s.ds, capture.Datagram{Frame: 99, Time: t0.Add(time.Second), Src: uac, Dst: uas, Kind: capture.KindICMPUnreachable,
		ICMP: capture.ICMPError{From: uas.Addr(), PortUnreachable: true}, Payload: []byte(register("loop", 6))})
	return s
}

func TestCollectSelectedFlowWithCap(t *testing.T) {
	flows, err := Collect(trace(), Selection{CallIDs: []string{"loop"}}, Options{MaxMessages: 4, MaxText: 40})
	if err != nil || len(flows) != 1 {
		t.Fatalf("%v, %d flows", err, len(flows))
	}
	f := flows[0]
	if f.CallID != "loop" || f.Total != 11 || len(f.Messages) != 4 {
		t.Fatalf("flow %q total %d kept %d, want loop 11 4", f.CallID, f.Total, len(f.Messages))
	}
	m := f.Messages[1]
	if m.Label != "401 Unauthorized" || m.Src != uas || m.Dst != uac || m.At.Frame != 2 || m.CSeq != "1 REGISTER" {
		t.Errorf("second message %+v", m)
	}
	if !strings.HasPrefix(m.Text, "SIP/2.0 401 Unauthorized\r\n") || !strings.Contains(m.Text, "(cut at 40 bytes)") {
		t.Errorf("text not capped: %q", m.Text)
	}
}

func TestCollectAllIsCappedAndICMPGoesBack(t *testing.T) {
	flows, err := Collect(trace(), Selection{All: true}, Options{MaxFlows: 3})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range flows {
		ids = append(ids, f.CallID)
	}
	if strings.Join(ids, " ") != "loop other-1 other-2" {
		t.Errorf("flows %v, want the first three in order of appearance", ids)
	}
	last := flows[0].Messages[len(flows[0].Messages)-1]
	if last.Label != "ICMP port unreachable" || last.Src.Addr() != uas.Addr() || last.Dst != uac || last.Text != "" {
		t.Errorf("ICMP arrow %+v: want from the refusing host back to the sender, no text", last)
	}
	if none, _ := Collect(trace(), Selection{}, Options{}); len(none) != 0 {
		t.Errorf("an empty selection collected %d flows", len(none))
	}
}
