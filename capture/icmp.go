package capture

import (
	"encoding/binary"
	"net/netip"
)

// decodeICMPv4 keeps a destination-unreachable (RFC 792, type 3) whose
// quoted datagram (IP header + at least 8 bytes) was SIP: its quoted
// payload starts like SIP, or it went to or from a port that carried SIP
// in this input.
func (in *input) decodeICMPv4(from netip.Addr, b []byte) {
	if len(b) < 8+20 || b[0] != 3 {
		return
	}
	q := b[8:]
	if q[0]>>4 != 4 {
		return
	}
	ihl := int(q[0]&0x0f) * 4
	if ihl < 20 || len(q) < ihl+4 {
		return
	}
	src := netip.AddrFrom4([4]byte(q[12:16]))
	dst := netip.AddrFrom4([4]byte(q[16:20]))
	e := ICMPError{From: from, Type: b[0], Code: b[1], PortUnreachable: b[1] == 3}
	in.quotedTransport(e, q[9], src, dst, q[ihl:])
}

// decodeICMPv6 does the same for ICMPv6 destination unreachable (RFC 4443
// §3.1, type 1; code 4 is port unreachable).
func (in *input) decodeICMPv6(from netip.Addr, b []byte) {
	if len(b) < 8+40 || b[0] != 1 {
		return
	}
	q := b[8:]
	if q[0]>>4 != 6 {
		return
	}
	src := netip.AddrFrom16([16]byte(q[8:24]))
	dst := netip.AddrFrom16([16]byte(q[24:40]))
	next, p, ok := skipIPv6Extensions(q[6], q[40:])
	if !ok || next == 44 {
		return
	}
	e := ICMPError{From: from, V6: true, Type: b[0], Code: b[1], PortUnreachable: b[1] == 4}
	in.quotedTransport(e, next, src, dst, p)
}

// quotedTransport reads the UDP or TCP header of a quoted packet and emits
// the ICMP error if that packet was SIP.
func (in *input) quotedTransport(e ICMPError, proto uint8, src, dst netip.Addr, p []byte) {
	if len(p) < 4 {
		return
	}
	sp := binary.BigEndian.Uint16(p[0:2])
	dp := binary.BigEndian.Uint16(p[2:4])
	var payload []byte
	var t Transport
	switch proto {
	case protoUDP:
		t = UDP
		if len(p) > 8 {
			payload = p[8:]
		}
	case protoTCP:
		t = TCP
		if len(p) >= 20 {
			if off := int(p[12]>>4) * 4; off >= 20 && off <= len(p) {
				payload = p[off:]
			}
		}
	default:
		return
	}
	start := findSIPStart(payload)
	switch {
	case start >= 0:
		payload = payload[start:]
	case in.sipPorts.has(sp) || in.sipPorts.has(dp):
	default:
		return
	}
	in.emit(Datagram{Src: netip.AddrPortFrom(src, sp), Dst: netip.AddrPortFrom(dst, dp),
		Transport: t, Kind: KindICMPUnreachable, Payload: payload, ICMP: e})
}

// skipIPv6Extensions walks extension headers (RFC 8200 §4) up to the upper
// layer. It stops at a fragment header (next = 44, p at that header) unless
// the fragment is atomic (offset 0, no more fragments), and ok is false
// for a header cut short (next is then the header that was cut) or for
// "no next header" (next = 59: nothing follows, by design).
func skipIPv6Extensions(next uint8, p []byte) (uint8, []byte, bool) {
	for {
		switch next {
		case 0, 43, 60, 135, 139, 140: // hop-by-hop, routing, destination, mobility, HIP, shim6
			if len(p) < 8 || len(p) < (int(p[1])+1)*8 {
				return next, nil, false
			}
			next, p = p[0], p[(int(p[1])+1)*8:]
		case 51: // authentication header, RFC 4302 §2.2: length in 4-byte units minus 2
			if len(p) < 8 || len(p) < (int(p[1])+2)*4 {
				return next, nil, false
			}
			next, p = p[0], p[(int(p[1])+2)*4:]
		case 44:
			if len(p) < 8 {
				return next, nil, false
			}
			if binary.BigEndian.Uint16(p[2:4])&0xfff9 != 0 {
				return next, p, true
			}
			next, p = p[0], p[8:]
		case 59: // no next header
			return next, nil, false
		default:
			return next, p, true
		}
	}
}

// portSet remembers which ports carried SIP in an input, in 8 KiB.
type portSet [65536 / 64]uint64

func (s *portSet) add(p uint16)      { s[p>>6] |= 1 << (p & 63) }
func (s *portSet) has(p uint16) bool { return s[p>>6]&(1<<(p&63)) != 0 }
