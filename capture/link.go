package capture

import "encoding/binary"

// Link-layer header types (https://www.tcpdump.org/linktypes.html).
const (
	linkNull      = 0 // BSD loopback: 4-byte address family, host byte order
	linkEthernet  = 1
	linkPPP       = 9
	linkRawBSD12  = 12 // DLT_RAW on some BSDs
	linkRawBSD14  = 14 // DLT_RAW on OpenBSD
	linkPPPHDLC   = 50
	linkRaw       = 101
	linkLoop      = 108 // OpenBSD loopback: address family in network order
	linkLinuxSLL  = 113
	linkIPv4      = 228
	linkIPv6      = 229
	linkLinuxSLL2 = 276
)

// EtherTypes walked through (IEEE 802 numbers registry).
const (
	etherIPv4     = 0x0800
	etherIPv6     = 0x86dd
	etherVLAN     = 0x8100
	etherQinQ     = 0x88a8
	etherQinQOld  = 0x9100
	etherMPLS     = 0x8847
	etherPPPoE    = 0x8864
	etherTEB      = 0x6558 // transparent Ethernet bridging, inside GRE
	etherERSPAN2  = 0x88be
	etherERSPAN3  = 0x22eb
	etherPPPinGRE = 0x880b
)

// maxDepth bounds tunnel nesting so a crafted packet cannot recurse
// without end.
const maxDepth = 8

// decodeLink strips the link-layer header named by link and hands the rest
// on. Link types we do not walk are skipped quietly: they cannot carry SIP
// that a SIP engineer expects us to see.
func (in *input) decodeLink(link uint32, b []byte) {
	if link == linkEthernet && in.ethIPv4UDPFast(b, in.frame, in.ts) {
		return
	}
	in.decodeLinkGeneral(link, b)
}

// decodeLinkGeneral is decodeLink without the fast path: every link type
// and every packet shape.
func (in *input) decodeLinkGeneral(link uint32, b []byte) {
	switch link {
	case linkEthernet:
		if len(b) >= 14 && b[12] == 0x08 && b[13] == 0x00 {
			in.decodeIPv4(b[14:], 0) // untagged IPv4, the usual frame
			return
		}
		in.decodeEthernet(b, 0)
	case linkRaw, linkRawBSD12, linkRawBSD14:
		in.decodeIPAny(b, 0)
	case linkIPv4:
		in.decodeIPv4(b, 0)
	case linkIPv6:
		in.decodeIPv6(b, 0)
	case linkNull, linkLoop:
		// the family word's byte order depends on the writer, and the
		// AF_INET6 value differs between BSDs; the IP version nibble
		// says the same thing reliably.
		if len(b) > 4 {
			in.decodeIPAny(b[4:], 0)
		}
	case linkLinuxSLL:
		// 16-byte cooked header, protocol in the last two bytes
		if len(b) >= 16 {
			in.decodeEtherType(binary.BigEndian.Uint16(b[14:16]), b[16:], 0)
		}
	case linkLinuxSLL2:
		// 20-byte cooked header v2, protocol in the first two bytes
		if len(b) >= 20 {
			in.decodeEtherType(binary.BigEndian.Uint16(b[0:2]), b[20:], 0)
		}
	case linkPPP, linkPPPHDLC:
		in.decodePPP(b, 0)
	}
}

// decodeEthernet reads an Ethernet II header and any 802.1Q / 802.1ad
// (QinQ) tags.
func (in *input) decodeEthernet(b []byte, depth int) {
	if len(b) < 14 {
		return
	}
	in.decodeEtherType(binary.BigEndian.Uint16(b[12:14]), b[14:], depth)
}

// decodeEtherType dispatches on an EtherType, peeling VLAN tags, MPLS
// labels and PPPoE on the way.
func (in *input) decodeEtherType(et uint16, b []byte, depth int) {
	for {
		switch et {
		case etherVLAN, etherQinQ, etherQinQOld:
			if len(b) < 4 {
				return
			}
			et = binary.BigEndian.Uint16(b[2:4])
			b = b[4:]
			continue
		case etherIPv4:
			in.decodeIPv4(b, depth)
		case etherIPv6:
			in.decodeIPv6(b, depth)
		case etherMPLS:
			// pop labels up to bottom-of-stack (RFC 3032 §2.1), then
			// guess IPv4/IPv6 from the version nibble
			for len(b) >= 4 {
				bos := b[2]&1 == 1
				b = b[4:]
				if bos {
					in.decodeIPAny(b, depth)
					return
				}
			}
		case etherPPPoE:
			// RFC 2516 §4: 6-byte PPPoE header, then the PPP protocol
			if len(b) >= 6 {
				in.decodePPPProto(b[6:], depth)
			}
		case etherTEB:
			if depth < maxDepth {
				in.decodeEthernet(b, depth+1)
			}
		}
		return
	}
}

// decodePPP reads a PPP frame that may start with the HDLC address and
// control bytes 0xff 0x03 (RFC 1662 §3.1).
func (in *input) decodePPP(b []byte, depth int) {
	if len(b) >= 2 && b[0] == 0xff && b[1] == 0x03 {
		b = b[2:]
	}
	in.decodePPPProto(b, depth)
}

// decodePPPProto reads the PPP protocol field, which may be compressed to
// one byte (RFC 1661 §6.5: an odd first byte is a one-byte protocol).
func (in *input) decodePPPProto(b []byte, depth int) {
	if len(b) < 1 {
		return
	}
	var proto uint16
	if b[0]&1 == 1 {
		proto, b = uint16(b[0]), b[1:]
	} else {
		if len(b) < 2 {
			return
		}
		proto, b = binary.BigEndian.Uint16(b[:2]), b[2:]
	}
	switch proto {
	case 0x0021:
		in.decodeIPv4(b, depth)
	case 0x0057:
		in.decodeIPv6(b, depth)
	}
}
