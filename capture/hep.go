package capture

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"time"

	"github.com/sipdiag/sipdiag/internal/sipframe"
)

// isHEP recognises HEP v3 ("HEP3") and the binary HEP v1/v2 header
// (HOMER encapsulation protocol; capture agents send it to udp 9060 but
// any port is accepted, the content is checked).
func isHEP(p []byte) bool {
	if len(p) < 16 {
		return false
	}
	if p[0] == 'H' && p[1] == 'E' && p[2] == 'P' && p[3] == '3' {
		return true
	}
	return (p[0] == 1 || p[0] == 2) && (p[1] == 16 || p[1] == 40) && (p[2] == 2 || p[2] == 10)
}

// decodeHEP emits the SIP message a HEP packet carries, with the original
// addresses, protocol and (when present) timestamp from the HEP header. It
// returns false when p turns out not to be HEP carrying SIP.
func (in *input) decodeHEP(p []byte) bool {
	if p[0] == 'H' {
		return in.decodeHEP3(p)
	}
	return in.decodeHEP2(p)
}

// HEP3 chunk types (HEP3 specification, "HEP3 network protocol").
const (
	hepFamily   = 1
	hepProto    = 2
	hepSrc4     = 3
	hepDst4     = 4
	hepSrc6     = 5
	hepDst6     = 6
	hepSrcPort  = 7
	hepDstPort  = 8
	hepTimeSec  = 9
	hepTimeUsec = 10
	hepProtoTyp = 11 // 1 = SIP
	hepPayload  = 15
	hepGzipped  = 16
)

// decodeHEP3 walks the chunks of one HEP3 packet: "HEP3", total length,
// then chunks of vendor(2) type(2) length(2, header included) value.
func (in *input) decodeHEP3(p []byte) bool {
	if len(p) < 6 {
		return false
	}
	total := int(binary.BigEndian.Uint16(p[4:6]))
	if total >= 6 && total < len(p) {
		p = p[:total]
	}
	var (
		src, dst       netip.Addr
		sport, dport   uint16
		proto          uint8
		sec, usec      uint32
		haveTime       bool
		payload        []byte
		notSIP, zipped bool
	)
	for off := 6; off+6 <= len(p); {
		vendor := binary.BigEndian.Uint16(p[off:])
		typ := binary.BigEndian.Uint16(p[off+2:])
		l := int(binary.BigEndian.Uint16(p[off+4:]))
		if l < 6 || off+l > len(p) {
			break
		}
		v := p[off+6 : off+l]
		off += l
		if vendor != 0 {
			continue
		}
		switch {
		case typ == hepProto && len(v) == 1:
			proto = v[0]
		case typ == hepSrc4 && len(v) == 4:
			src = netip.AddrFrom4([4]byte(v))
		case typ == hepDst4 && len(v) == 4:
			dst = netip.AddrFrom4([4]byte(v))
		case typ == hepSrc6 && len(v) == 16:
			src = netip.AddrFrom16([16]byte(v))
		case typ == hepDst6 && len(v) == 16:
			dst = netip.AddrFrom16([16]byte(v))
		case typ == hepSrcPort && len(v) == 2:
			sport = binary.BigEndian.Uint16(v)
		case typ == hepDstPort && len(v) == 2:
			dport = binary.BigEndian.Uint16(v)
		case typ == hepTimeSec && len(v) == 4:
			sec, haveTime = binary.BigEndian.Uint32(v), true
		case typ == hepTimeUsec && len(v) == 4:
			usec = binary.BigEndian.Uint32(v)
		case typ == hepProtoTyp && len(v) == 1:
			notSIP = v[0] != 1
		case typ == hepPayload:
			payload = v
		case typ == hepGzipped:
			zipped = true
		}
	}
	if notSIP {
		return true // HEP carrying RTCP, logs...: not ours, and not SIP either
	}
	if payload == nil {
		if zipped {
			in.problem("HEP3 packet with a compressed payload skipped (not supported)")
			return true
		}
		return false
	}
	t := time.Time{}
	if haveTime {
		t = time.Unix(int64(sec), int64(usec)*1000)
	}
	in.hepDatagram(netip.AddrPortFrom(src, sport), netip.AddrPortFrom(dst, dport), proto, t, payload)
	return true
}

// decodeHEP2 reads the HEP v1/v2 header: version, header length (16 for
// IPv4, 40 for IPv6), family, protocol, ports (network order), addresses;
// v2 adds seconds, microseconds (host order, little-endian from x86
// agents) and a 16-bit capture id in a C struct padded to 12 bytes, as
// Kamailio's sipcapture reads it. 10 bytes is tried too, for a writer
// that packs the struct.
func (in *input) decodeHEP2(p []byte) bool {
	hl := int(p[1])
	if len(p) < hl {
		return false
	}
	proto := p[3]
	sport := binary.BigEndian.Uint16(p[4:6])
	dport := binary.BigEndian.Uint16(p[6:8])
	var src, dst netip.Addr
	if hl == 16 {
		src, dst = netip.AddrFrom4([4]byte(p[8:12])), netip.AddrFrom4([4]byte(p[12:16]))
	} else {
		src, dst = netip.AddrFrom16([16]byte(p[8:24])), netip.AddrFrom16([16]byte(p[24:40]))
	}
	rest := p[hl:]
	t := time.Time{}
	if p[0] == 2 {
		var found bool
		for _, th := range []int{12, 10} {
			if len(rest) > th && sipframe.IsStartLine(rest[th:]) {
				sec := binary.LittleEndian.Uint32(rest[0:4])
				usec := binary.LittleEndian.Uint32(rest[4:8])
				t = time.Unix(int64(sec), int64(usec)*1000)
				rest, found = rest[th:], true
				break
			}
		}
		if !found {
			return false
		}
	} else if !sipframe.IsStartLine(rest) {
		return false
	}
	in.hepDatagram(netip.AddrPortFrom(src, sport), netip.AddrPortFrom(dst, dport), proto, t, rest)
	return true
}

// hepDatagram emits a SIP message found in HEP; t is zero when HEP gave no
// time, and the capture time is used instead.
func (in *input) hepDatagram(src, dst netip.AddrPort, proto uint8, t time.Time, payload []byte) {
	start := findSIPStart(payload)
	if start < 0 {
		if len(bytes.TrimSpace(payload)) > 0 {
			in.problemf("HEP packet from %s carries a payload that is not SIP", src)
		}
		return
	}
	tr := UDP
	switch proto {
	case protoTCP:
		tr = TCP
	case protoSCTP:
		tr = SCTP
	case 22: // IPPROTO_IDP, which HEP agents use to say "TLS"
		tr = TLS
	}
	d := Datagram{Src: src, Dst: dst, Transport: tr, Kind: KindSIP, Payload: payload[start:]}
	if !t.IsZero() {
		d.Time = t
	}
	in.emit(d)
}
