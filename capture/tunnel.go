package capture

import "encoding/binary"

// Well-known UDP ports of tunnels whose payload is another packet.
const (
	portVXLAN = 4789 // RFC 7348 §5
	portGTPU  = 2152 // 3GPP TS 29.281
)

// decodeGRE reads a GRE header (RFC 2784, key and sequence from RFC 2890,
// the PPTP variant of RFC 2637 §4.1) and the packet it carries: IP, PPP,
// Ethernet, or ERSPAN-mirrored Ethernet.
func (in *input) decodeGRE(b []byte, depth int) {
	if len(b) < 4 {
		return
	}
	flags := binary.BigEndian.Uint16(b[0:2])
	proto := binary.BigEndian.Uint16(b[2:4])
	off := 4
	if flags&0x4000 != 0 { // source routing (RFC 1701) is obsolete; give up
		return
	}
	if flags&0x8000 != 0 { // checksum + reserved
		off += 4
	}
	if flags&0x2000 != 0 { // key (PPTP: payload length + call id)
		off += 4
	}
	hasSeq := flags&0x1000 != 0
	if hasSeq {
		off += 4
	}
	if flags&0x0007 == 1 && flags&0x0080 != 0 { // PPTP acknowledgment number
		off += 4
	}
	if len(b) < off {
		return
	}
	p := b[off:]
	switch proto {
	case etherPPPinGRE:
		in.decodePPP(p, depth)
	case etherERSPAN2:
		// ERSPAN type II has an 8-byte header and sets the GRE sequence
		// bit; type I has neither (draft-foschiano-erspan §4.1, §4.2).
		if hasSeq {
			if len(p) < 8 {
				return
			}
			p = p[8:]
		}
		in.decodeEthernet(p, depth)
	case etherERSPAN3:
		// type III: 12-byte header, then an 8-byte platform subheader
		// when the O bit (last bit of the header) is set; frame type 0
		// is Ethernet, 2 is an IP packet (draft-foschiano-erspan §4.3).
		if len(p) < 12 {
			return
		}
		ft := (p[10] >> 2) & 0x1f
		h := 12
		if p[11]&0x01 != 0 {
			h += 8
		}
		if len(p) < h {
			return
		}
		if ft == 0 {
			in.decodeEthernet(p[h:], depth)
		} else {
			in.decodeIPAny(p[h:], depth)
		}
	default:
		in.decodeEtherType(proto, p, depth)
	}
}

// decodeVXLAN reads the 8-byte VXLAN header (RFC 7348 §5); the I flag must
// be set for the VNI, and an Ethernet frame follows.
func (in *input) decodeVXLAN(p []byte, depth int) bool {
	if len(p) < 8+14 || p[0]&0x08 == 0 {
		return false
	}
	in.decodeEthernet(p[8:], depth)
	return true
}

// decodeGTPU reads a GTPv1-U G-PDU (3GPP TS 29.281 §5.1) and the IP packet
// it carries. It returns false when p is not a G-PDU.
func (in *input) decodeGTPU(p []byte, depth int) bool {
	if len(p) < 8 || p[0]>>5 != 1 || p[0]&0x10 == 0 || p[1] != 0xff {
		return false
	}
	end := 8 + int(binary.BigEndian.Uint16(p[2:4]))
	if end > len(p) {
		end = len(p)
	}
	off := 8
	if p[0]&0x07 != 0 {
		// sequence number, N-PDU number and next extension type
		off = 12
		if off > end {
			return false
		}
		next := p[11]
		for p[0]&0x04 != 0 && next != 0 {
			if off >= end {
				return false
			}
			l := int(p[off]) * 4 // extension length in 4-byte units
			if l == 0 || off+l > end {
				return false
			}
			next = p[off+l-1]
			off += l
		}
	}
	in.decodeIPAny(p[off:end], depth)
	return true
}
