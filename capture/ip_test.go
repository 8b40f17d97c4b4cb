package capture

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// bigSIP is a SIP message too large for one 1500-byte packet.
func bigSIP() []byte {
	body := strings.Repeat("a=x-filler:0123456789abcdef\r\n", 100)
	return []byte("INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: frag@a\r\nCSeq: 1 INVITE\r\n" +
		"Content-Type: application/sdp\r\nContent-Length: " + itoa(len(body)) + "\r\n\r\n" + body)
}

// udpSegment is a UDP header plus payload with a zero checksum.
func udpSegment(sp, dp uint16, payload []byte) []byte {
	h := make([]byte, 8)
	binary.BigEndian.PutUint16(h[0:], sp)
	binary.BigEndian.PutUint16(h[2:], dp)
	binary.BigEndian.PutUint16(h[4:], uint16(8+len(payload)))
	return append(h, payload...)
}

// ipv4Fragments cuts an IPv4 payload into fragments of at most size bytes
// (a multiple of 8).
func ipv4Fragments(t *testing.T, proto layers.IPProtocol, payload []byte, size int) [][]byte {
	var out [][]byte
	for off := 0; off < len(payload); off += size {
		end := min(off+size, len(payload))
		ip := ip4(addrA, addrB, proto)
		ip.Id = 0x1234
		ip.FragOffset = uint16(off / 8)
		if end < len(payload) {
			ip.Flags = layers.IPv4MoreFragments
		}
		out = append(out, withEth(serialize(t, ip, gopacket.Payload(payload[off:end]))))
	}
	return out
}

func TestIPv4Fragments(t *testing.T) {
	msg := bigSIP()
	frags := ipv4Fragments(t, layers.IPProtocolUDP, udpSegment(5060, 5060, msg), 1480)
	if len(frags) != 3 {
		t.Fatalf("%d fragments", len(frags))
	}
	// out of order, with an unrelated packet between
	frames := [][]byte{frags[2], frags[0], withEth(udp4(t, addrA, addrB, 9, 9, []byte("x"))), frags[1]}
	gs, r := readAllFrom(t, pcapBytes(t, layers.LinkTypeEthernet, recs(frames...)))
	g := wantOne(t, gs, msg, addrA+":5060", addrB+":5060")
	if g.Frame != 4 {
		t.Errorf("reassembled in frame %d, want 4", g.Frame)
	}
	if r.ProblemCount() != 0 {
		t.Errorf("problems: %+v", r.Problems())
	}
}

func TestIPv6FragmentsAndExtensionHeaders(t *testing.T) {
	msg := bigSIP()
	seg := udpSegment(5060, 5060, msg)
	// hop-by-hop options header (8 bytes, PadN) before the fragment header
	hop := []byte{44, 0, 1, 4, 0, 0, 0, 0}
	var frames [][]byte
	const size = 1232
	for off := 0; off < len(seg); off += size {
		end := min(off+size, len(seg))
		fh := make([]byte, 8)
		fh[0] = 17
		fo := uint16(off/8) << 3
		if end < len(seg) {
			fo |= 1
		}
		binary.BigEndian.PutUint16(fh[2:], fo)
		binary.BigEndian.PutUint32(fh[4:], 77)
		p := append(append(append([]byte(nil), hop...), fh...), seg[off:end]...)
		frames = append(frames, withEth(serialize(t, ip6(addr6A, addr6B, layers.IPProtocolIPv6HopByHop), gopacket.Payload(p))))
	}
	gs, _ := readAllFrom(t, pcapBytes(t, layers.LinkTypeEthernet, recs(frames...)))
	g := wantOne(t, gs, msg, "["+addr6A+"]:5060", "["+addr6B+"]:5060")
	if g.Frame != int64(len(frames)) {
		t.Errorf("reassembled in frame %d, want %d", g.Frame, len(frames))
	}
}

func TestIPv4FragmentMissing(t *testing.T) {
	frags := ipv4Fragments(t, layers.IPProtocolUDP, udpSegment(5060, 5060, bigSIP()), 1480)
	gs, _ := readAllFrom(t, pcapBytes(t, layers.LinkTypeEthernet, recs(frags[1])))
	if len(gs) != 0 {
		t.Fatalf("a lone fragment gave %d datagrams", len(gs))
	}
}

// TestIPv6ExtensionHeaderCutShort: a packet whose extension headers end
// inside a header is a problem record with its frame, not a silent drop;
// "no next header" (59) is no problem.
func TestIPv6ExtensionHeaderCutShort(t *testing.T) {
	cut := []byte{17, 1, 0, 0} // hop-by-hop header saying 16 bytes, 4 there
	none := []byte{59, 0, 1, 4, 0, 0, 0, 0}
	frames := recs(
		withEth(serialize(t, ip6(addr6A, addr6B, layers.IPProtocolIPv6HopByHop), gopacket.Payload(cut))),
		withEth(serialize(t, ip6(addr6A, addr6B, layers.IPProtocolIPv6HopByHop), gopacket.Payload(none))),
	)
	gs, r := readAllFrom(t, pcapBytes(t, layers.LinkTypeEthernet, frames))
	if len(gs) != 0 {
		t.Fatalf("got %d datagrams, want none", len(gs))
	}
	ps := r.Problems()
	if len(ps) != 1 || ps[0].Frame != 1 || !strings.Contains(ps[0].Message, "IPv6 extension header 0 cut short") {
		t.Fatalf("problems %+v, want one for frame 1's cut hop-by-hop header", ps)
	}
}
