package main

import (
	"encoding/binary"
	"io"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// endpoint is one side of a UDP datagram.
type endpoint struct {
	ip   [4]byte
	port uint16
}

// mac derives a stable locally administered MAC address from the IPv4
// address, so every host keeps one link-layer address for the whole capture.
func (e endpoint) mac() [6]byte {
	return [6]byte{0x02, 0x00, e.ip[0], e.ip[1], e.ip[2], e.ip[3]}
}

// Header sizes of the hand-built frames: Ethernet II, IPv4 without options, UDP.
const (
	ethernetLen = 14
	ipv4Len     = 20
	udpLen      = 8
	headersLen  = ethernetLen + ipv4Len + udpLen
	// maxPayload keeps every message inside one 1500-byte Ethernet MTU, so no
	// IP fragmentation is needed (RFC 3261 §18.1.1 wants UDP messages under the MTU).
	maxPayload = 1500 - ipv4Len - udpLen
	snapLength = 65535
)

// frameWriter turns SIP payloads into Ethernet/IPv4/UDP frames in a classic
// pcap file with microsecond timestamps. Frames are built by hand into one
// reused buffer: building them through gopacket layers would allocate per
// packet and the generator has to write millions of them in seconds.
type frameWriter struct {
	pcap  *pcapgo.Writer
	start time.Time
	frame []byte
	ipID  uint16
	bytes int64 // bytes of frames written, without pcap record headers
}

func newFrameWriter(w io.Writer, start time.Time) (*frameWriter, error) {
	pw := pcapgo.NewWriter(w)
	if err := pw.WriteFileHeader(snapLength, layers.LinkTypeEthernet); err != nil {
		return nil, err
	}
	return &frameWriter{pcap: pw, start: start, frame: make([]byte, headersLen, 2048)}, nil
}

func (fw *frameWriter) written() int64 { return fw.bytes }

// payload returns an empty slice, positioned after the frame headers, for
// the caller to append the SIP message to; pass the result to write.
func (fw *frameWriter) payload() []byte {
	return fw.frame[headersLen:headersLen]
}

// write completes the headers in front of payload (which must come from
// payload()) and writes the frame stamped at microsecond offset at.
func (fw *frameWriter) write(payload []byte, at int64, src, dst endpoint) error {
	if cap(payload) > cap(fw.frame)-headersLen {
		// append grew the payload into a new array: copy it back behind the headers.
		fw.frame = append(fw.frame[:headersLen], payload...)
	} else {
		fw.frame = fw.frame[:headersLen+len(payload)]
	}
	f := fw.frame
	srcMAC, dstMAC := src.mac(), dst.mac()
	copy(f[0:6], dstMAC[:])
	copy(f[6:12], srcMAC[:])
	binary.BigEndian.PutUint16(f[12:14], uint16(layers.EthernetTypeIPv4))

	ip := f[ethernetLen : ethernetLen+ipv4Len]
	fw.ipID++
	ip[0] = 0x45 // version 4, header length 5 words
	ip[1] = 0
	binary.BigEndian.PutUint16(ip[2:4], uint16(ipv4Len+udpLen+len(payload)))
	binary.BigEndian.PutUint16(ip[4:6], fw.ipID)
	binary.BigEndian.PutUint16(ip[6:8], 0x4000) // don't fragment
	ip[8] = 64                                  // TTL
	ip[9] = uint8(layers.IPProtocolUDP)
	ip[10], ip[11] = 0, 0
	copy(ip[12:16], src.ip[:])
	copy(ip[16:20], dst.ip[:])
	binary.BigEndian.PutUint16(ip[10:12], ^fold(sum16(ip, 0)))

	udp := f[ethernetLen+ipv4Len : headersLen]
	binary.BigEndian.PutUint16(udp[0:2], src.port)
	binary.BigEndian.PutUint16(udp[2:4], dst.port)
	binary.BigEndian.PutUint16(udp[4:6], uint16(udpLen+len(payload)))
	udp[6], udp[7] = 0, 0
	binary.BigEndian.PutUint16(udp[6:8], udpChecksum(src, dst, f[ethernetLen+ipv4Len:]))

	ci := gopacket.CaptureInfo{
		Timestamp:     fw.start.Add(time.Duration(at) * time.Microsecond),
		CaptureLength: len(f),
		Length:        len(f),
	}
	fw.bytes += int64(len(f))
	return fw.pcap.WritePacket(ci, f)
}

// udpChecksum computes the UDP checksum over the IPv4 pseudo-header and the
// datagram (RFC 768); a computed zero is sent as all ones.
func udpChecksum(src, dst endpoint, datagram []byte) uint16 {
	var s uint32
	s = sum16(src.ip[:], s)
	s = sum16(dst.ip[:], s)
	s += uint32(layers.IPProtocolUDP) + uint32(len(datagram))
	s = sum16(datagram, s)
	c := ^fold(s)
	if c == 0 {
		c = 0xffff
	}
	return c
}

// sum16 adds b as big-endian 16-bit words to the running one's-complement sum s.
func sum16(b []byte, s uint32) uint32 {
	n := len(b) &^ 1
	for i := 0; i < n; i += 2 {
		s += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)&1 == 1 {
		s += uint32(b[len(b)-1]) << 8
	}
	return s
}

func fold(s uint32) uint16 {
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}
