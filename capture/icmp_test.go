package capture

import (
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

func icmp4Unreachable(t *testing.T, from, to string, code uint8, quoted []byte) []byte {
	ic := &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(3, code)}
	return withEth(serialize(t, ip4(from, to, layers.IPProtocolICMPv4), ic, gopacket.Payload(quoted)))
}

func TestICMPUnreachable(t *testing.T) {
	msg := sipReq("INVITE", 1)
	sent := udp4(t, addrA, addrB, 5060, 5060, msg)
	// the router quotes the header and the first bytes of the INVITE
	quoted := sent[:20+8+40]
	// an ICMPv6 error quoting an IPv6 SIP datagram
	sent6 := udp6(t, addr6A, addr6B, 5062, 5060, msg)
	ic6 := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(1, 4)}
	ip6h := ip6(addr6B, addr6A, layers.IPProtocolICMPv6)
	ic6.SetNetworkLayerForChecksum(ip6h)
	icmp6 := withEth(serialize(t, ip6h, ic6, gopacket.Payload(append([]byte{0, 0, 0, 0}, sent6[:40+8+30]...))))
	// a quote of the headers only, to a port that carried SIP before
	headersOnly := icmp4Unreachable(t, addrB, addrA, 3, udp4(t, addrA, addrB, 5060, 5060, []byte("x"))[:28])
	// and one to a port that never carried SIP
	otherPort := icmp4Unreachable(t, addrB, addrA, 3, udp4(t, addrA, addrB, 7000, 7001, []byte("x"))[:28])

	gs, _ := readAllFrom(t, pcapBytes(t, layers.LinkTypeEthernet, recs(
		icmp4Unreachable(t, addrB, addrA, 3, quoted),
		withEth(sent),
		headersOnly,
		otherPort,
		icmp6,
	)))
	if len(gs) != 4 {
		t.Fatalf("got %d datagrams, want 4: %+v", len(gs), gs)
	}
	first := gs[0]
	if first.Kind != KindICMPUnreachable || first.Frame != 1 || first.Text != string(msg[:40]) ||
		first.Src.String() != addrA+":5060" || first.Dst.String() != addrB+":5060" ||
		first.ICMP.From.String() != addrB || !first.ICMP.PortUnreachable || first.ICMP.V6 || first.Transport != UDP {
		t.Errorf("ICMPv4 quoting SIP: %+v", first)
	}
	if gs[1].Kind != KindSIP || gs[1].Frame != 2 {
		t.Errorf("second: %+v", gs[1])
	}
	if g := gs[2]; g.Kind != KindICMPUnreachable || g.Frame != 3 || g.Text != "" {
		t.Errorf("headers-only quote to a SIP port: %+v", g)
	}
	if g := gs[3]; g.Kind != KindICMPUnreachable || g.Frame != 5 || !g.ICMP.V6 || !g.ICMP.PortUnreachable ||
		g.Src.String() != "["+addr6A+"]:5062" || g.Text != string(msg[:30]) {
		t.Errorf("ICMPv6: %+v", g)
	}
}
