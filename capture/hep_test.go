package capture

import (
	"encoding/binary"
	"net"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

func hepChunk(typ uint16, v []byte) []byte {
	c := binary.BigEndian.AppendUint16(nil, 0)
	c = binary.BigEndian.AppendUint16(c, typ)
	c = binary.BigEndian.AppendUint16(c, uint16(6+len(v)))
	return append(c, v...)
}

func hep3(src, dst string, sp, dp uint16, proto byte, ts time.Time, payload []byte) []byte {
	u16 := func(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
	u32 := func(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
	var body []byte
	body = append(body, hepChunk(hepFamily, []byte{2})...)
	body = append(body, hepChunk(hepProto, []byte{proto})...)
	body = append(body, hepChunk(hepSrc4, net.ParseIP(src).To4())...)
	body = append(body, hepChunk(hepDst4, net.ParseIP(dst).To4())...)
	body = append(body, hepChunk(hepSrcPort, u16(sp))...)
	body = append(body, hepChunk(hepDstPort, u16(dp))...)
	body = append(body, hepChunk(hepTimeSec, u32(uint32(ts.Unix())))...)
	body = append(body, hepChunk(hepTimeUsec, u32(uint32(ts.Nanosecond()/1000)))...)
	body = append(body, hepChunk(hepProtoTyp, []byte{1})...)
	body = append(body, hepChunk(12, u32(2001))...) // capture agent id
	body = append(body, hepChunk(hepPayload, payload)...)
	return append(append([]byte("HEP3"), u16(uint16(6+len(body)))...), body...)
}

func hep2(src, dst string, sp, dp uint16, ts time.Time, payload []byte) []byte {
	h := []byte{2, 16, 2, 17}
	h = binary.BigEndian.AppendUint16(h, sp)
	h = binary.BigEndian.AppendUint16(h, dp)
	h = append(h, net.ParseIP(src).To4()...)
	h = append(h, net.ParseIP(dst).To4()...)
	h = binary.LittleEndian.AppendUint32(h, uint32(ts.Unix()))
	h = binary.LittleEndian.AppendUint32(h, uint32(ts.Nanosecond()/1000))
	h = append(h, 0xd1, 0x07, 0, 0) // capture id, padding
	return append(h, payload...)
}

func TestHEP(t *testing.T) {
	orig := time.Date(2023, 1, 2, 3, 4, 5, 678000, time.UTC)
	m := sipReq("REGISTER", 3)
	v3 := hep3("10.1.1.1", "10.2.2.2", 5070, 5060, 6, orig, m)
	v2 := hep2("10.1.1.1", "10.2.2.2", 5070, 5060, orig, m)
	gs, _ := readAllFrom(t, pcapBytes(t, layers.LinkTypeEthernet, recs(
		withEth(udp4(t, addrA, addrB, 40000, 9060, v3)),
		withEth(udp4(t, addrA, addrB, 40000, 9063, v2)),
		withEth(tcp4(t, addrA, addrB, 40001, 9061, 1, false, false, append(append([]byte(nil), v3...), v3...))),
	)))
	if len(gs) != 4 {
		t.Fatalf("got %d messages, want 4: %+v", len(gs), gs)
	}
	for i, g := range gs {
		if g.Text != string(m) || g.Src.String() != "10.1.1.1:5070" || g.Dst.String() != "10.2.2.2:5060" || !g.Time.Equal(orig) {
			t.Errorf("message %d: %+v", i, g)
		}
	}
	if gs[0].Transport != TCP || gs[1].Transport != UDP {
		t.Errorf("transports %s %s, want TCP (from HEP) and UDP", gs[0].Transport, gs[1].Transport)
	}
}
