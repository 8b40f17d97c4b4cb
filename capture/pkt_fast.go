package capture

import (
	"encoding/binary"
	"math/bits"
	"net/netip"
	"time"

	"github.com/sipdiag/sipdiag/internal/sipframe"
)

// The fast path below takes the frame nearly every SIP capture is made
// of — Ethernet, IPv4 without options or fragments, UDP off the tunnel
// ports, a payload that begins with a start line — from the link header
// to a queued Datagram in one function, with each header read once and
// the start line checked once. Anything else (VLAN tags, IPv6, options,
// fragments, tunnels, HEP, junk, an unknown or lower-case method, a
// malformed line) makes it return false without having changed anything,
// and the general decoders take the frame as before. It must queue
// exactly what decodeLink's general path queues for the frames it takes;
// TestFastPathMatchesGeneral and FuzzFastPathMatchesGeneral hold it to
// that.

// ethIPv4UDPFast handles an Ethernet frame b, the record numbered frame
// and captured at ts, when it is the common case described above, and
// reports whether it did. frame and ts are the record's, passed rather
// than read from the input so that readAhead can try a record before it
// takes it.
func (in *input) ethIPv4UDPFast(b []byte, frame int64, ts time.Time) bool {
	// Ethernet II with EtherType IPv4 and an IPv4 header of 20 bytes
	// (version 4, IHL 5: RFC 791 §3.1), so no options to skip.
	if len(b) < 14+20+8 || b[12] != 0x08 || b[13] != 0x00 || b[14] != 0x45 {
		return false
	}
	ip := ipv4Trimmed(b[14:], 20)
	// More Fragments or a fragment offset: the reassembler's business.
	if binary.BigEndian.Uint16(ip[6:8])&0x3fff != 0 || ip[9] != protoUDP || len(ip) < 20+8 {
		return false
	}
	u := ip[20:]
	sp := binary.BigEndian.Uint16(u[0:2])
	dp := binary.BigEndian.Uint16(u[2:4])
	// decodeUDP looks into VXLAN and GTP-U payloads first.
	if dp == portVXLAN || dp == portGTPU || sp == portGTPU {
		return false
	}
	p := udpTrimmed(u)[8:]
	// A payload accepted here begins with a letter that no HEP packet
	// begins with ('H', 1 or 2), so isHEP would be false.
	if !startsWithKnownStartLine(p) {
		return false
	}
	// emitSIP's work, done here with the record's frame and ts: a call
	// (emitSIP is not inlined) cost 4 M more instructions on
	// sip-100000.pcap. TestFastPathMatchesGeneral and
	// FuzzFastPathMatchesGeneral hold the Datagrams equal.
	in.sipPorts.add(sp)
	in.sipPorts.add(dp)
	in.info.Messages++
	in.queue = append(in.queue, Datagram{})
	d := &in.queue[len(in.queue)-1]
	d.Input, d.Frame, d.Time = in.idx, frame, ts
	d.Src = netip.AddrPortFrom(netip.AddrFrom4([4]byte(ip[12:16])), sp)
	d.Dst = netip.AddrPortFrom(netip.AddrFrom4([4]byte(ip[16:20])), dp)
	d.Transport, d.Kind, d.Payload = UDP, KindSIP, p
	return true
}

// Little-endian words of the starts accepted by startsWithKnownStartLine.
const (
	pktStatusWord = 0x20302e322f504953 // "SIP/2.0 "
	pktSpaces     = 0x2020202020202020
)

// startsWithKnownStartLine reports whether p begins with "SIP/2.0 " and
// the rest of a status line, or with one of knownMethods in upper case,
// SP and the rest of a request line. For such a p findSIPStart returns 0:
// sipframe.IsStartLine(p) holds (it checks exactly what is checked here,
// the method being a token) and trimMethodPrefix finds the version or a
// known method at 0. false says nothing: findSIPStart decides.
func startsWithKnownStartLine(p []byte) bool {
	if len(p) < 8 {
		return false
	}
	w := binary.LittleEndian.Uint64(p)
	if w == pktStatusWord {
		return sipframe.IsStatusRest(p[7:])
	}
	n := knownMethodLen(w, p)
	return n > 0 && sipframe.IsRequestRest(p[n+1:])
}

// knownMethodLen returns the length of the upper-case known method that p
// begins with, followed by SP, or 0; w is p's first eight bytes.
func knownMethodLen(w uint64, p []byte) int {
	// the first SP among the eight bytes, found as the lowest zero byte
	// of w^pktSpaces (exact for the lowest one: Bit Twiddling Hacks)
	x := w ^ pktSpaces
	z := (x - pktOnes) &^ x & pktHighs
	if z == 0 {
		// no SP in the first eight bytes: only REGISTER and SUBSCRIBE
		// are that long
		switch {
		case w == 0x5245545349474552 && len(p) > 8 && p[8] == ' ': // "REGISTER"
			return 8
		case w == 0x4249524353425553 && len(p) > 9 && p[8] == 'E' && p[9] == ' ': // "SUBSCRIB"
			return 9
		}
		return 0
	}
	n := trailingZeroBytes(z)
	m := w & (1<<(8*uint(n)) - 1) // the method's bytes
	switch n {
	case 3:
		if m == 0x4b4341 || m == 0x455942 { // ACK, BYE
			return 3
		}
	case 4:
		if m == 0x4f464e49 { // INFO
			return 4
		}
	case 5:
		if m == 0x4b43415250 || m == 0x5245464552 { // PRACK, REFER
			return 5
		}
	case 6:
		switch m {
		case 0x455449564e49, 0x4c45434e4143, 0x594649544f4e, 0x455441445055: // INVITE, CANCEL, NOTIFY, UPDATE
			return 6
		}
	case 7:
		switch m {
		case 0x534e4f4954504f, 0x4853494c425550, 0x4547415353454d: // OPTIONS, PUBLISH, MESSAGE
			return 7
		}
	}
	return 0
}

// SWAR constants: a one and a high bit in every byte of a word.
const (
	pktOnes  = 0x0101010101010101
	pktHighs = 0x8080808080808080
)

// trailingZeroBytes is the index of the lowest byte of z with a bit set.
func trailingZeroBytes(z uint64) int { return bits.TrailingZeros64(z) >> 3 }
