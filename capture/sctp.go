package capture

import (
	"encoding/binary"
	"net/netip"
	"time"
)

// SCTP DATA chunk flags (RFC 9260 §3.3.1).
const (
	sctpEnd       = 0x01
	sctpBeginning = 0x02
)

// maxSCTPMessage bounds one reassembled SCTP user message.
const maxSCTPMessage = 1 << 20

// sctpKey names one stream of one association direction; fragments of a
// user message share the stream sequence number (RFC 9260 §6.9).
type sctpKey struct {
	src, dst netip.AddrPort
	stream   uint16
	ssn      uint16
}

type sctpPartial struct {
	data     []byte
	lastSeen time.Time
}

// decodeSCTP reads the common header and every DATA chunk (RFC 9260 §3);
// each complete user message that is SIP becomes a Datagram.
func (in *input) decodeSCTP(srcIP, dstIP netip.Addr, b []byte) {
	if len(b) < 12 {
		return
	}
	src := netip.AddrPortFrom(srcIP, binary.BigEndian.Uint16(b[0:2]))
	dst := netip.AddrPortFrom(dstIP, binary.BigEndian.Uint16(b[2:4]))
	for off := 12; off+4 <= len(b); {
		typ, flags := b[off], b[off+1]
		l := int(binary.BigEndian.Uint16(b[off+2 : off+4]))
		if l < 4 {
			return
		}
		end := min(off+l, len(b))
		if typ == 0 && end-off >= 16 {
			in.sctpData(src, dst, flags, b[off+8:off+12], b[off+16:end])
		}
		off += (l + 3) &^ 3
	}
}

// sctpData handles one DATA chunk's user data; sidSSN holds the stream
// identifier and stream sequence number.
func (in *input) sctpData(src, dst netip.AddrPort, flags byte, sidSSN, data []byte) {
	if flags&(sctpBeginning|sctpEnd) == sctpBeginning|sctpEnd {
		in.sipDatagram(src, dst, SCTP, data)
		return
	}
	k := sctpKey{src: src, dst: dst, stream: binary.BigEndian.Uint16(sidSSN[0:2]), ssn: binary.BigEndian.Uint16(sidSSN[2:4])}
	if in.sctp == nil {
		in.sctp = make(map[sctpKey]*sctpPartial)
	}
	part := in.sctp[k]
	if flags&sctpBeginning != 0 {
		part = &sctpPartial{}
		in.sctp[k] = part
	}
	if part == nil {
		return // a middle or last piece whose beginning was not captured
	}
	part.lastSeen = in.ts
	part.data = append(part.data, data...)
	if len(part.data) > maxSCTPMessage {
		in.problemf("SCTP message %s -> %s larger than %d bytes dropped", src, dst, maxSCTPMessage)
		delete(in.sctp, k)
		return
	}
	if flags&sctpEnd != 0 {
		delete(in.sctp, k)
		in.sipDatagram(src, dst, SCTP, part.data)
	}
}
