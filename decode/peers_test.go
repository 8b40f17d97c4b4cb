package decode

import (
	"io"
	"math"
	"net/netip"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/sipdiag/sipdiag/capture"
)

// The retransmission schedule is kept, bounded: a REGISTER sent on the
// Timer E schedule (0, 0.5, 1.5, 3.5, 7.5, then every 4 s) and never
// answered keeps the times of its first MaxResent+1 copies.
func TestResentSchedule(t *testing.T) {
	sched := []time.Duration{0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500, 35500}
	var steps []step
	for _, ms := range sched {
		steps = append(steps, step{ms * time.Millisecond, ua, reg, registerMsg(1, "z9hG4bK1", "")})
	}
	steps = append(steps, step{60 * time.Second, ua, reg, registerMsg(2, "z9hG4bK2", "")})
	tr, rec := correlate(t, steps)
	x := rec.txns[0]
	if x.Sends != len(sched) || len(x.Resent) != MaxResent || x.State != TimedOut {
		t.Fatalf("sends %d, resent %d, state %v", x.Sends, len(x.Resent), x.State)
	}
	for i, r := range x.Resent {
		if want := t0 + int64(sched[i+1]*time.Millisecond); r.Time != want || r.Frame != int64(i+2) {
			t.Errorf("copy %d at %d frame %d, want %d frame %d", i+2, r.Time, r.Frame, want, i+2)
		}
	}
	if rec.txns[1].Resent != nil {
		t.Errorf("a request sent once has no Resent: %v", rec.txns[1].Resent)
	}
	// Nothing came back: every request of the pair is silent.
	p := tr.Peer(reg.Addr(), ua.Addr())
	if p == nil || !p.OneWay() || !tr.NeverAnswered(ua, reg) || tr.NeverAnswered(reg, ua) {
		t.Fatalf("pair %+v", p)
	}
	sent, got := p.From(ua.Addr())
	if sent.Requests != 2 || sent.Silent != 2 || got.Messages() != 0 || sent.First.Frame != 1 {
		t.Errorf("sent %+v got %+v", sent, got)
	}
}

func TestPeersBothWaysAndOrphans(t *testing.T) {
	tr, _ := correlate(t, []step{
		{0, reg, ua, response("200 OK", "z9hG4bK0", 1, "")}, // its request predates the capture
		{time.Second, ua, reg, registerMsg(2, "z9hG4bK1", "")},
		{time.Second + time.Millisecond, reg, ua, response("200 OK", "z9hG4bK1", 2, "")},
	})
	if len(tr.Peers) != 1 {
		t.Fatalf("peers %+v", tr.Peers)
	}
	p := tr.Peers[0]
	sent, got := p.From(reg.Addr())
	if p.OneWay() || sent.Responses != 2 || sent.Orphans != 1 || got.Requests != 1 || got.Silent != 0 {
		t.Errorf("sent %+v got %+v", sent, got)
	}
	if tr.NeverAnswered(ua, reg) {
		t.Error("answered pair reported as never answered")
	}
	if tr.Peer(netip.MustParseAddr("192.0.2.1"), ua.Addr()) != nil {
		t.Error("a pair that never talked has no counts")
	}
}

// Pairs are found in either order among many.
func TestTracePeerLookup(t *testing.T) {
	var ps peers
	for i := 0; i < 50; i++ {
		a := netip.AddrFrom4([4]byte{10, 0, byte(i), 1})
		b := netip.AddrFrom4([4]byte{10, 0, byte(49 - i), 2})
		ps.note(&Transaction{Client: netip.AddrPortFrom(a, 5060), Server: netip.AddrPortFrom(b, 5060), Request: Ref{Frame: int64(i + 1)}})
	}
	// A text log that does not name the client: not counted.
	ps.note(&Transaction{Server: ua, Request: Ref{Frame: 99}})
	tr := &Trace{Peers: ps.list()}
	if len(tr.Peers) != 50 {
		t.Fatalf("%d pairs", len(tr.Peers))
	}
	for i := 0; i < 50; i++ {
		a := netip.AddrFrom4([4]byte{10, 0, byte(i), 1})
		b := netip.AddrFrom4([4]byte{10, 0, byte(49 - i), 2})
		p := tr.Peer(b, a)
		if p == nil {
			t.Fatalf("pair %d not found", i)
		}
		if sent, _ := p.From(a); sent.First.Frame != int64(i+1) || sent.Silent != 1 {
			t.Errorf("pair %d: %+v", i, p)
		}
	}
}

// The table of pairs is bounded.
func TestPeersBounded(t *testing.T) {
	var ps peers
	for i := 0; i < maxPeers+10; i++ {
		ps.note(&Transaction{Client: ua, Server: netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), 5060)})
	}
	if ps.len() != maxPeers || ps.dropped != 10 {
		t.Errorf("%d pairs, %d dropped", ps.len(), ps.dropped)
	}
}

// A transaction that timed out and was answered later moves from silent
// to answered; counting it twice adds nothing.
func TestPeersLateAnswer(t *testing.T) {
	var ps peers
	x := &Transaction{Client: ua, Server: reg, Request: Ref{Frame: 1}}
	ps.note(x)
	x.Final = &Response{At: Ref{Frame: 9, Time: 40e9}, Status: 408}
	ps.note(x)
	ps.note(x)
	tr := &Trace{Peers: ps.list()}
	out, back := tr.Flows(ua, reg)
	if out.Requests != 1 || out.Silent != 0 || back.Responses != 1 || back.First.Frame != 9 {
		t.Errorf("out %+v back %+v", out, back)
	}
}

// sliceSource is a Source that also reports capture-level problems, as
// capture.Reader does.
type sliceSource struct {
	ds []*capture.Datagram
	ps []capture.Problem
}

func (s *sliceSource) Next() (*capture.Datagram, error) {
	if len(s.ds) == 0 {
		return nil, io.EOF
	}
	d := s.ds[0]
	s.ds = s.ds[1:]
	return d, nil
}
func (s *sliceSource) Problems() []capture.Problem { return s.ps }
func (s *sliceSource) ProblemCount() int64         { return int64(len(s.ps)) + 5 }

func TestInputProblemsReachTheTrace(t *testing.T) {
	src := &sliceSource{ps: []capture.Problem{{Frame: 7, Message: "frame truncated to 96 of 1200 bytes (snaplen)"}}}
	tr, err := Correlate(src, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tr.InputProblemCount != 6 || len(tr.InputProblems) != 1 || tr.InputProblems[0].At.Frame != 7 {
		t.Errorf("input problems %d %+v", tr.InputProblemCount, tr.InputProblems)
	}
	if tr.ProblemCount != 0 {
		t.Errorf("input problems must not be counted twice: %d", tr.ProblemCount)
	}
}

// A call that rings waits for Timer C (3 min); it must not hold back the
// Timer F of a REGISTER sent after it (RFC 3261 §17.1.2.2): that one times
// out 32 s after it was sent, while the capture goes on.
func TestTimerCDoesNotHoldBackTimerF(t *testing.T) {
	invite := strings.NewReplacer("REGISTER sip:", "INVITE sip:", "1 REGISTER", "1 INVITE", "reg-1@", "call-1@").Replace(registerMsg(1, "z9hG4bKinv", ""))
	trying := strings.NewReplacer("1 REGISTER", "1 INVITE", "reg-1@", "call-1@").Replace(response("100 Trying", "z9hG4bKinv", 1, ""))
	_, rec := correlate(t, []step{
		{0, ua, reg, invite},
		{10 * time.Millisecond, reg, ua, trying},
		{time.Second, ua, reg, registerMsg(2, "z9hG4bKreg", "")},
		{40 * time.Second, ua, reg, registerMsg(3, "z9hG4bKlast", "")},
	})
	var register *Transaction
	for _, x := range rec.txns {
		if x.CSeq == 2 {
			register = x
		}
	}
	if register == nil || register.State != TimedOut {
		t.Fatalf("the REGISTER must time out at 33 s, got %+v", register)
	}
}

// On one host the ports tell the directions apart (AB is from the lower
// port): a loopback registration is not "one way".
func TestPeersLoopback(t *testing.T) {
	uaLo, regLo := netip.MustParseAddrPort("127.0.0.1:5061"), netip.MustParseAddrPort("127.0.0.1:5060")
	tr, _ := correlate(t, []step{
		{0, uaLo, regLo, registerMsg(1, "z9hG4bK1", "")},
		{time.Millisecond, regLo, uaLo, response("200 OK", "z9hG4bK1", 1, "")},
	})
	if len(tr.Peers) != 1 || tr.Peers[0].OneWay() || tr.Peers[0].BA.Requests != 1 || tr.Peers[0].AB.Responses != 1 || tr.Peers[0].BA.Silent != 0 {
		t.Fatalf("peers %+v", tr.Peers[0])
	}
	if tr.NeverAnswered(uaLo, regLo) {
		t.Error("answered on one host, told apart by port")
	}
	if out, back := tr.Flows(uaLo, regLo); out.Requests != 1 || back.Responses != 1 {
		t.Errorf("flows %+v %+v", out, back)
	}
}

// A message without Call-ID is unusable, a defective header is not.
func TestUnusableProblems(t *testing.T) {
	tr, _ := correlate(t, []step{
		{0, ua, reg, strings.Replace(registerMsg(1, "z9hG4bK1", ""), "Call-ID: reg-1@10.0.0.5\n", "", 1)},
	})
	if n := len(tr.Problems); tr.Unusable != 1 || n != 2 || tr.Problems[0].Unusable || !tr.Problems[1].Unusable {
		t.Errorf("unusable %d problems %+v", tr.Unusable, tr.Problems)
	}
}

// A block of a text log that is not SIP is log text; a captured datagram
// that is not SIP is a lost message.
func TestNotSIPInTextIsNotUnusable(t *testing.T) {
	src := &sliceSource{ds: []*capture.Datagram{
		{Line: 3, Payload: []byte("Jan  1 10:00:00 host kernel: eth0 up\n")},
		{Frame: 4, Payload: []byte("\x00\x01 garbage")},
	}}
	tr, err := Correlate(src, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tr.ProblemCount != 2 || tr.Unusable != 1 || tr.Problems[0].Unusable || !tr.Problems[1].Unusable {
		t.Errorf("problems %+v unusable %d", tr.Problems, tr.Unusable)
	}
}

// IPv4 pairs and the others (IPv6, an IPv4-mapped IPv6 address, which is
// not the same address as its IPv4 form) are kept apart and listed together
// in address order.
func TestPeersMixedFamilies(t *testing.T) {
	var ps peers
	v4a, v4b := netip.MustParseAddrPort("192.0.2.1:5060"), netip.MustParseAddrPort("192.0.2.2:5060")
	v6a, v6b := netip.MustParseAddrPort("[2001:db8::1]:5060"), netip.MustParseAddrPort("[2001:db8::2]:5060")
	mapped := netip.MustParseAddrPort("[::ffff:192.0.2.2]:5060")
	for _, p := range [][2]netip.AddrPort{{v4b, v4a}, {v6a, v6b}, {v4a, mapped}, {v4a, v4b}, {v6b, v6a}} {
		ps.note(&Transaction{Client: p[0], Server: p[1]})
	}
	list := ps.list()
	if len(list) != 3 || ps.len() != 3 {
		t.Fatalf("%d pairs listed, %d counted", len(list), ps.len())
	}
	for i := 1; i < len(list); i++ {
		if !list[i-1].A.Less(list[i].A) && list[i-1].A != list[i].A {
			t.Errorf("not sorted: %v before %v", list[i-1].A, list[i].A)
		}
	}
	tr := &Trace{Peers: list}
	for _, c := range []struct {
		a, b     netip.AddrPort
		requests int64
	}{{v4a, v4b, 1}, {v4b, v4a, 1}, {v6a, v6b, 1}, {v6b, v6a, 1}, {v4a, mapped, 1}, {mapped, v4a, 0}} {
		out, _ := tr.Flows(c.a, c.b)
		if out == nil || out.Requests != c.requests || out.Silent != c.requests {
			t.Errorf("%v -> %v: %+v, want %d requests", c.a, c.b, out, c.requests)
		}
	}
}

// Thousands of IPv4 pairs, each direction counted on its own, are found
// again in either order (the table grows several times on the way).
func TestPeersManyV4Pairs(t *testing.T) {
	var ps peers
	const n = 5000
	addr := func(i int) netip.AddrPort {
		return netip.AddrPortFrom(netip.AddrFrom4([4]byte{172, 16 + byte(i>>16), byte(i >> 8), byte(i)}), 5060)
	}
	for round := 0; round < 2; round++ {
		for i := 0; i < n; i++ {
			ps.note(&Transaction{Client: addr(i), Server: reg})
			ps.note(&Transaction{Client: reg, Server: addr(i), FirstProvisional: Ref{Frame: 1}})
		}
	}
	if ps.len() != n {
		t.Fatalf("%d pairs, want %d", ps.len(), n)
	}
	tr := &Trace{Peers: ps.list()}
	for i := 0; i < n; i++ {
		out, back := tr.Flows(addr(i), reg)
		if out == nil || out.Requests != 2 || out.Silent != 2 || back.Requests != 2 || back.Silent != 0 || out.Responses != 2 {
			t.Fatalf("pair %d: out %+v back %+v", i, out, back)
		}
	}
}

// A pair's counts are kept in one cache line.
func TestPeerSlotIsOneLine(t *testing.T) {
	if n := unsafe.Sizeof(peerSlot{}); n != 64 {
		t.Errorf("peerSlot is %d bytes", n)
	}
}

// Counts near the range of the slot's int32s move to the PeerPair's int64s
// without losing any.
func TestPeersCountsSpill(t *testing.T) {
	var ps peers
	x := func() *Transaction { return &Transaction{Client: ua, Server: reg, Request: Ref{Frame: 1}} }
	ps.note(x())
	s, out := ps.slotOf(ua, reg)
	s.f[out].requests += math.MaxInt32 - 2
	s.f[out].silent -= 5 // as if spilled before and answered since
	for i := 0; i < 3; i++ {
		ps.note(x())
	}
	tr := &Trace{Peers: ps.list()}
	got, _ := tr.Flows(ua, reg)
	if want := int64(math.MaxInt32 + 2); got.Requests != want || got.Silent != 4-5 {
		t.Errorf("requests %d silent %d, want %d and -1", got.Requests, got.Silent, want)
	}
}

// slotOf's IPv4 shortcut (addresses ordered as 32-bit numbers) gives the
// slot of the pair and the direction that Less orders them by (the ports on
// one host), as the general path does when it creates the pair: every pair
// of these addresses, both ways and on one host, with and without the
// last-pair cache.
func TestPeersV4ShortcutMatchesGeneral(t *testing.T) {
	addrs := []netip.Addr{
		netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2"),
		netip.MustParseAddr("192.168.1.9"), netip.MustParseAddr("1.2.3.4"),
		netip.MustParseAddr("255.255.255.255"), netip.MustParseAddr("0.0.0.1"),
		netip.MustParseAddr("128.0.0.0"), netip.MustParseAddr("127.255.255.255"),
	}
	ports := []uint16{5060, 5061, 1}
	var ps peers
	for _, a := range addrs {
		for _, b := range addrs {
			for _, pa := range ports {
				for _, pb := range ports {
					c, s := netip.AddrPortFrom(a, pa), netip.AddrPortFrom(b, pb)
					want, wantOut := ps.slotOf(c, s) // creates the pair if new
					if want == nil {
						t.Fatalf("%v -> %v: no slot", c, s)
					}
					lo, hi := a, b
					if hi.Less(lo) {
						lo, hi = hi, lo
					}
					p := ps.pairs[want.pair-1]
					if p.A != lo || p.B != hi {
						t.Fatalf("%v -> %v: slot of pair %v %v", c, s, p.A, p.B)
					}
					general := 0
					if b.Less(a) || (a == b && pa > pb) {
						general = 1
					}
					if wantOut != general {
						t.Fatalf("%v -> %v: direction %d, want %d", c, s, wantOut, general)
					}
					ps.last = nil // no cache: the shortcut answers
					got, gotOut := ps.slotOf(c, s)
					if got != want || gotOut != wantOut {
						t.Fatalf("%v -> %v: shortcut gives slot %p dir %d, general %p dir %d", c, s, got, gotOut, want, wantOut)
					}
				}
			}
		}
	}
}

// TestNewPairBlocks: pairs carved from blocks are distinct and keep their
// addresses across more than one block.
func TestNewPairBlocks(t *testing.T) {
	var ps peers
	var got []*PeerPair
	for i := 0; i < 3*pairBlock+5; i++ {
		a := netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)})
		got = append(got, ps.newPair(a, netip.IPv6Loopback()))
	}
	seen := map[*PeerPair]bool{}
	for i, p := range got {
		if seen[p] {
			t.Fatalf("pair %d handed out twice", i)
		}
		seen[p] = true
		if want := netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}); p.A != want || p.B != netip.IPv6Loopback() || p.AB != (Flow{}) || p.BA != (Flow{}) {
			t.Fatalf("pair %d = %+v", i, p)
		}
	}
}
