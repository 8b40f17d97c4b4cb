package capture

import (
	"encoding/binary"
	"net/netip"
)

// decodeUDP reads a UDP header (RFC 768) and looks at the payload: a tunnel
// on its well-known port, HEP, or SIP on any port.
func (in *input) decodeUDP(src, dst netip.Addr, b []byte, depth int) {
	if len(b) < 8 {
		return
	}
	sp := binary.BigEndian.Uint16(b[0:2])
	dp := binary.BigEndian.Uint16(b[2:4])
	p := udpTrimmed(b)[8:]
	if depth < maxDepth {
		switch {
		case dp == portVXLAN:
			if in.decodeVXLAN(p, depth+1) {
				return
			}
		case dp == portGTPU || sp == portGTPU:
			if in.decodeGTPU(p, depth+1) {
				return
			}
		}
	}
	if isHEP(p) && in.decodeHEP(p) {
		return
	}
	in.sipDatagram(netip.AddrPortFrom(src, sp), netip.AddrPortFrom(dst, dp), UDP, p)
}

// udpTrimmed cuts b, a UDP datagram, to its Length field (RFC 768), which
// drops what follows it; lengths below the header or beyond b keep what
// was captured.
func udpTrimmed(b []byte) []byte {
	if l := int(binary.BigEndian.Uint16(b[4:6])); l >= 8 && l < len(b) {
		return b[:l]
	}
	return b
}

// sipDatagram emits p as one SIP message when it is one, skipping junk
// before the start line (with a Problem).
func (in *input) sipDatagram(src, dst netip.AddrPort, t Transport, p []byte) {
	if startsWithKnownStartLine(p) {
		// the usual datagram, checked once: findSIPStart would say 0
		in.emitSIP(src, dst, t, p)
		return
	}
	start := findSIPStart(p)
	if start < 0 {
		return
	}
	if start > 0 {
		in.problemf("%d junk bytes before the SIP start line skipped (%s %s -> %s)", start, t, src, dst)
	}
	in.emitSIP(src, dst, t, p[start:])
}
