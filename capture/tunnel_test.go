package capture

import (
	"encoding/binary"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// outer wraps inner in an outer IPv4 header with protocol proto.
func outer(t *testing.T, proto layers.IPProtocol, inner []byte) []byte {
	return serialize(t, ip4("10.0.0.1", "10.0.0.2", proto), gopacket.Payload(inner))
}

func greHeader(flags, proto uint16, extra ...byte) []byte {
	h := binary.BigEndian.AppendUint16(nil, flags)
	h = binary.BigEndian.AppendUint16(h, proto)
	return append(h, extra...)
}

func TestTunnels(t *testing.T) {
	msg := sipReq("REGISTER", 7)
	inner4 := udp4(t, addrA, addrB, 5060, 5060, msg)
	inner6 := udp6(t, addr6A, addr6B, 5060, 5060, msg)
	innerEth := withEth(inner4)
	seqBit := uint16(0x1000)
	erspan3 := make([]byte, 12) // frame type 0 (Ethernet), no platform subheader
	erspan3o := make([]byte, 20)
	erspan3o[11] = 0x01 // O bit: 8-byte platform subheader follows
	vxlan := append([]byte{0x08, 0, 0, 0, 0, 0, 0x2a, 0}, innerEth...)
	gtp := func(ext bool, ip []byte) []byte {
		h := []byte{0x30, 0xff, 0, 0, 0, 0, 0, 1}
		if ext {
			h[0] |= 0x04 // E flag: seq, N-PDU, next-ext type, then one PDU session container
			h = append(h, 0, 0, 0, 0x85, 1, 0x10, 0x01, 0x00)
		}
		binary.BigEndian.PutUint16(h[2:], uint16(len(h)-8+len(ip)))
		return append(h, ip...)
	}
	cases := []struct {
		name  string
		frame []byte
		src   string
		dst   string
	}{
		{"IPv4 in IPv4", withEth(outer(t, layers.IPProtocolIPv4, inner4)), addrA + ":5060", addrB + ":5060"},
		{"IPv6 in IPv4", withEth(outer(t, layers.IPProtocolIPv6, inner6)), "[" + addr6A + "]:5060", "[" + addr6B + "]:5060"},
		{"GRE IPv4", withEth(outer(t, layers.IPProtocolGRE, append(greHeader(0, 0x0800), inner4...))), addrA + ":5060", addrB + ":5060"},
		{"GRE key+seq+checksum", withEth(outer(t, layers.IPProtocolGRE, append(greHeader(0xb000, 0x0800, make([]byte, 12)...), inner4...))), addrA + ":5060", addrB + ":5060"},
		{"GRE PPP", withEth(outer(t, layers.IPProtocolGRE, append(greHeader(0x3001, 0x880b, make([]byte, 8)...), append([]byte{0xff, 0x03, 0x00, 0x21}, inner4...)...))), addrA + ":5060", addrB + ":5060"},
		{"GRE Ethernet", withEth(outer(t, layers.IPProtocolGRE, append(greHeader(0, 0x6558), innerEth...))), addrA + ":5060", addrB + ":5060"},
		{"ERSPAN II", withEth(outer(t, layers.IPProtocolGRE, append(greHeader(seqBit, 0x88be, 0, 0, 0, 1), append([]byte{0x10, 0, 0, 1, 0, 0, 0, 0}, innerEth...)...))), addrA + ":5060", addrB + ":5060"},
		{"ERSPAN I", withEth(outer(t, layers.IPProtocolGRE, append(greHeader(0, 0x88be), innerEth...))), addrA + ":5060", addrB + ":5060"},
		{"ERSPAN III", withEth(outer(t, layers.IPProtocolGRE, append(greHeader(seqBit, 0x22eb, 0, 0, 0, 1), append(erspan3, innerEth...)...))), addrA + ":5060", addrB + ":5060"},
		{"ERSPAN III platform", withEth(outer(t, layers.IPProtocolGRE, append(greHeader(seqBit, 0x22eb, 0, 0, 0, 1), append(erspan3o, innerEth...)...))), addrA + ":5060", addrB + ":5060"},
		{"VXLAN", withEth(udp4(t, "10.0.0.1", "10.0.0.2", 55555, 4789, vxlan)), addrA + ":5060", addrB + ":5060"},
		{"GTP-U", withEth(udp4(t, "10.0.0.1", "10.0.0.2", 2152, 2152, gtp(false, inner6))), "[" + addr6A + "]:5060", "[" + addr6B + "]:5060"},
		{"GTP-U extension header", withEth(udp4(t, "10.0.0.1", "10.0.0.2", 2152, 2152, gtp(true, inner4))), addrA + ":5060", addrB + ":5060"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			gs, r := readAllFrom(t, pcapBytes(t, layers.LinkTypeEthernet, recs(c.frame)))
			wantOne(t, gs, msg, c.src, c.dst)
			if r.ProblemCount() != 0 {
				t.Errorf("problems %+v", r.Problems())
			}
		})
	}
}

func TestTunnelNestingIsBounded(t *testing.T) {
	p := udp4(t, addrA, addrB, 5060, 5060, sipReq("OPTIONS", 1))
	for i := 0; i < 20; i++ {
		p = outer(t, layers.IPProtocolIPv4, p)
	}
	gs, _ := readAllFrom(t, pcapBytes(t, layers.LinkTypeRaw, recs(p)))
	if len(gs) != 0 {
		t.Fatalf("20 nested tunnels decoded; the depth limit should stop at %d", maxDepth)
	}
}
