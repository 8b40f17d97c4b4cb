package capture

import (
	"encoding/binary"
	"net/netip"
	"time"
)

// TCP header flags (RFC 9293 §3.1).
const (
	tcpFIN = 0x01
	tcpSYN = 0x02
	tcpRST = 0x04
)

// Limits on out-of-order data held while waiting for a missing segment;
// past them (or after gapWait of capture time) the gap is declared.
const (
	maxOOOSegments = 256
	gapWait        = 5 * time.Second
)

// flowKey names one direction of a TCP connection.
type flowKey struct{ src, dst netip.AddrPort }

// tcpStream is one direction of a connection: the bytes in order that have
// not been framed yet, and segments that arrived ahead of a hole.
//
// This is a small reassembler of our own rather than gopacket/reassembly:
// we need the frame at which each message completes, a Problem for every
// hole, retransmissions dropped silently, and no allocation per segment,
// and all of that is simpler to get from seq arithmetic on one buffer.
type tcpStream struct {
	next     uint32 // sequence number of the next in-order byte
	synced   bool
	buf      []byte // in-order bytes; buf[start:] not framed yet
	start    int
	ooo      []oooSegment // ahead of next, sorted by seq
	oooBytes int
	gapSince time.Time
	lastSeen time.Time
	content  streamContent
}

type oooSegment struct {
	seq  uint32
	data []byte
}

// decodeTCP reads a TCP header (RFC 9293 §3.1) and feeds the segment to
// its stream.
func (in *input) decodeTCP(srcIP, dstIP netip.Addr, b []byte) {
	if len(b) < 20 {
		return
	}
	off := int(b[12]>>4) * 4
	if off < 20 || off > len(b) {
		return
	}
	k := flowKey{
		src: netip.AddrPortFrom(srcIP, binary.BigEndian.Uint16(b[0:2])),
		dst: netip.AddrPortFrom(dstIP, binary.BigEndian.Uint16(b[2:4])),
	}
	in.tcpSegment(k, binary.BigEndian.Uint32(b[4:8]), b[13], b[off:])
}

func (in *input) tcpSegment(k flowKey, seq uint32, flags byte, payload []byte) {
	s := in.streams[k]
	if s == nil {
		if len(payload) == 0 && flags&tcpSYN == 0 {
			return
		}
		if in.streams == nil {
			in.streams = make(map[flowKey]*tcpStream)
		}
		s = &tcpStream{}
		in.streams[k] = s
	}
	s.lastSeen = in.ts
	if flags&tcpSYN != 0 {
		if s.synced && s.next == seq+1 {
			// a retransmitted SYN
		} else {
			*s = tcpStream{lastSeen: in.ts}
			s.next, s.synced = seq+1, true
		}
		seq++
	}
	if len(payload) > 0 && !s.content.ignored() {
		if !s.synced {
			// joined mid-connection: start where we are
			s.next, s.synced = seq, true
		}
		s.compact()
		s.add(in, k, seq, payload)
		in.streamData(k, s)
	}
	if flags&(tcpFIN|tcpRST) != 0 {
		in.closeStream(k, s)
	}
}

// closeStream frames what is left at FIN or RST. The stream stays known,
// with its content ignored, until it goes idle or a SYN reopens it, so
// that segments retransmitted after the FIN are not taken for a new
// stream.
func (in *input) closeStream(k flowKey, s *tcpStream) {
	if s.content.ignored() {
		return
	}
	in.checkLeftovers(k, s, "closed")
	s.buf, s.start, s.ooo, s.oooBytes = nil, 0, nil, 0
	s.content = streamContent{kind: contentIgnored}
}

// compact drops the framed bytes. It runs before new bytes are added,
// never after framing: the Datagrams just emitted point into buf.
func (s *tcpStream) compact() {
	if s.start == 0 {
		return
	}
	n := copy(s.buf, s.buf[s.start:])
	s.buf = s.buf[:n]
	s.start = 0
}

// add places a segment: in order it is appended (with any held segments
// it unblocks), behind next it is a retransmission (trimmed or dropped),
// ahead of next it is held until the hole fills.
func (s *tcpStream) add(in *input, k flowKey, seq uint32, p []byte) {
	d := int32(seq - s.next)
	if d < 0 {
		if int(-d) >= len(p) {
			return // retransmission of bytes we have
		}
		p, d = p[-d:], 0
	}
	if d > 0 {
		s.hold(in, k, seq, p)
		return
	}
	s.buf = append(s.buf, p...)
	s.next += uint32(len(p))
	s.pullHeld()
}

// hold keeps a copy of an early segment, sorted by sequence number.
func (s *tcpStream) hold(in *input, k flowKey, seq uint32, p []byte) {
	if len(s.ooo) == 0 {
		s.gapSince = in.ts
	}
	i := len(s.ooo)
	for i > 0 && int32(s.ooo[i-1].seq-seq) > 0 {
		i--
	}
	if i > 0 && s.ooo[i-1].seq == seq && len(s.ooo[i-1].data) >= len(p) {
		return // a retransmission of a held segment
	}
	s.ooo = append(s.ooo, oooSegment{})
	copy(s.ooo[i+1:], s.ooo[i:])
	s.ooo[i] = oooSegment{seq: seq, data: append([]byte(nil), p...)}
	s.oooBytes += len(p)
	if len(s.ooo) > maxOOOSegments || s.oooBytes > in.opt.MaxStreamBuffer {
		in.skipGap(k, s)
	}
}

// pullHeld appends held segments that now continue the in-order data.
func (s *tcpStream) pullHeld() {
	n := 0
	for n < len(s.ooo) {
		o := s.ooo[n]
		d := int32(o.seq - s.next)
		if d > 0 {
			break
		}
		if int(-d) < len(o.data) {
			s.buf = append(s.buf, o.data[-d:]...)
			s.next = o.seq + uint32(len(o.data))
		}
		s.oooBytes -= len(o.data)
		n++
	}
	if n > 0 {
		s.ooo = append(s.ooo[:0], s.ooo[n:]...)
	}
}

// skipGap gives up on the missing bytes before the first held segment:
// the message that spanned the hole is lost, and framing resumes at the
// next start line.
func (in *input) skipGap(k flowKey, s *tcpStream) {
	if len(s.ooo) == 0 {
		return
	}
	missing := s.ooo[0].seq - s.next
	if s.content.isSIP() {
		in.problemf("TCP gap of %d bytes in SIP stream %s -> %s; the message spanning it is lost", missing, k.src, k.dst)
	}
	// a fresh buffer: Datagrams emitted from this packet may point into
	// the old one
	s.buf, s.start = nil, 0
	s.next = s.ooo[0].seq
	s.pullHeld()
	s.content.lostSync()
	in.streamData(k, s)
}

// endStream frames what is left and forgets the stream.
func (in *input) endStream(k flowKey, s *tcpStream, why string) {
	in.checkLeftovers(k, s, why)
	delete(in.streams, k)
}

// checkLeftovers declares a pending hole and reports a message cut short.
func (in *input) checkLeftovers(k flowKey, s *tcpStream, why string) {
	if len(s.ooo) > 0 {
		in.skipGap(k, s)
	}
	if rest := s.buf[s.start:]; s.content.isSIP() && len(trimKeepalive(rest)) > 0 {
		in.problemf("TCP stream %s -> %s %s inside a SIP message (%d bytes unframed)", k.src, k.dst, why, len(rest))
	}
}

// sweepStreams forgets streams idle for longer than StreamIdle and
// declares holes that stayed open longer than gapWait.
func (in *input) sweepStreams(now time.Time) {
	idle := now.Add(-in.opt.StreamIdle)
	gap := now.Add(-gapWait)
	for k, s := range in.streams {
		switch {
		case s.lastSeen.Before(idle):
			in.endStream(k, s, "went idle")
		case len(s.ooo) > 0 && s.gapSince.Before(gap):
			in.skipGap(k, s)
		}
	}
}
