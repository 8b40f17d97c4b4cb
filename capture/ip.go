package capture

import (
	"encoding/binary"
	"net/netip"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/ip4defrag"
	"github.com/gopacket/gopacket/ip6defrag"
	"github.com/gopacket/gopacket/layers"
)

// IP protocol numbers (IANA protocol-numbers registry).
const (
	protoICMP   = 1
	protoIPIP   = 4
	protoTCP    = 6
	protoUDP    = 17
	protoIPv6   = 41
	protoGRE    = 47
	protoICMPv6 = 58
	protoSCTP   = 132
)

// decodeIPAny picks IPv4 or IPv6 by the version nibble.
func (in *input) decodeIPAny(b []byte, depth int) {
	if len(b) == 0 {
		return
	}
	switch b[0] >> 4 {
	case 4:
		in.decodeIPv4(b, depth)
	case 6:
		in.decodeIPv6(b, depth)
	}
}

// decodeIPv4 reads an IPv4 header (RFC 791 §3.1), reassembles fragments and
// passes the payload on.
func (in *input) decodeIPv4(b []byte, depth int) {
	if len(b) < 20 || b[0]>>4 != 4 {
		return
	}
	ihl := int(b[0]&0x0f) * 4
	if ihl < 20 || len(b) < ihl {
		return
	}
	b = ipv4Trimmed(b, ihl)
	src := netip.AddrFrom4([4]byte(b[12:16]))
	dst := netip.AddrFrom4([4]byte(b[16:20]))
	proto := b[9]
	payload := b[ihl:]
	if ff := binary.BigEndian.Uint16(b[6:8]); ff&0x2000 != 0 || ff&0x1fff != 0 {
		var done bool
		if payload, done = in.defragIPv4(b); !done {
			return
		}
	}
	if proto == protoUDP {
		in.decodeUDP(src, dst, payload, depth) // the usual case, one call less
		return
	}
	in.decodeIPPayload(proto, src, dst, payload, depth)
}

// ipv4Trimmed cuts b, an IPv4 packet with a header of ihl bytes, to its
// Total Length (RFC 791 §3.1), which drops Ethernet padding and trailers.
// 0 (TCP segmentation offload on the capturing host) and lengths below the
// header or beyond b keep what was captured.
func ipv4Trimmed(b []byte, ihl int) []byte {
	if total := int(binary.BigEndian.Uint16(b[2:4])); total >= ihl && total < len(b) {
		return b[:total]
	}
	return b
}

// defragIPv4 feeds one fragment to the reassembler. done is true with the
// whole payload once the last missing fragment arrives.
func (in *input) defragIPv4(b []byte) (payload []byte, done bool) {
	if in.defrag4 == nil {
		in.defrag4 = ip4defrag.NewIPv4Defragmenter()
	}
	// the reassembler keeps the fragment, so it must own its bytes
	ip := new(layers.IPv4)
	if err := ip.DecodeFromBytes(append([]byte(nil), b...), gopacket.NilDecodeFeedback); err != nil {
		in.problem("IPv4 fragment unreadable: " + err.Error())
		return nil, false
	}
	out, err := in.defrag4.DefragIPv4WithTimestamp(ip, in.ts)
	if err != nil {
		in.problem("IPv4 fragments dropped: " + err.Error())
		return nil, false
	}
	if out == nil {
		in.fragsPending = true
		return nil, false
	}
	return out.Payload, true
}

// decodeIPv6 reads the fixed header and extension headers (RFC 8200 §4),
// reassembling fragments.
func (in *input) decodeIPv6(b []byte, depth int) {
	if len(b) < 40 || b[0]>>4 != 6 {
		return
	}
	if plen := int(binary.BigEndian.Uint16(b[4:6])); plen != 0 && 40+plen < len(b) {
		b = b[:40+plen]
	}
	src := netip.AddrFrom16([16]byte(b[8:24]))
	dst := netip.AddrFrom16([16]byte(b[24:40]))
	next, p := b[6], b[40:]
	for {
		var ok bool
		if next, p, ok = skipIPv6Extensions(next, p); !ok {
			if next != 59 { // 59: no next header, nothing to read
				in.problemf("IPv6 extension header %d cut short: packet dropped", next)
			}
			return
		}
		if next != 44 {
			break
		}
		if next, p, ok = in.defragIPv6(b[8:40], p); !ok {
			return
		}
	}
	in.decodeIPPayload(next, src, dst, p, depth)
}

// defragIPv6 feeds one fragment (fragment header onwards) to the
// reassembler and returns the protocol and payload once complete.
func (in *input) defragIPv6(addrs, frag []byte) (next uint8, payload []byte, done bool) {
	if in.defrag6 == nil {
		in.defrag6 = ip6defrag.NewIPv6Defragmenter()
	}
	own := append([]byte(nil), addrs...)
	ip := &layers.IPv6{Version: 6, SrcIP: own[:16], DstIP: own[16:32], NextHeader: layers.IPProtocolIPv6Fragment}
	fg := new(layers.IPv6Fragment)
	if err := fg.DecodeFromBytes(append([]byte(nil), frag...), gopacket.NilDecodeFeedback); err != nil {
		in.problem("IPv6 fragment unreadable: " + err.Error())
		return 0, nil, false
	}
	out := in.defrag6.DefragIPv6(ip, fg)
	if out == nil {
		in.fragsPending = true
		return 0, nil, false
	}
	return uint8(out.NextHeader), out.Payload, true
}

// decodeIPPayload dispatches on the IP protocol number.
func (in *input) decodeIPPayload(proto uint8, src, dst netip.Addr, p []byte, depth int) {
	switch proto {
	case protoUDP:
		in.decodeUDP(src, dst, p, depth)
	case protoTCP:
		in.decodeTCP(src, dst, p)
	case protoSCTP:
		in.decodeSCTP(src, dst, p)
	case protoICMP:
		in.decodeICMPv4(src, p)
	case protoICMPv6:
		in.decodeICMPv6(src, p)
	case protoIPIP:
		if depth < maxDepth {
			in.decodeIPv4(p, depth+1)
		}
	case protoIPv6:
		if depth < maxDepth {
			in.decodeIPv6(p, depth+1)
		}
	case protoGRE:
		if depth < maxDepth {
			in.decodeGRE(p, depth+1)
		}
	}
}
