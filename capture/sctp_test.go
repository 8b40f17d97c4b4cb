package capture

import (
	"encoding/binary"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// sctpPacket builds an SCTP packet (RFC 9260 §3) with the given chunks.
func sctpPacket(t *testing.T, chunks ...[]byte) []byte {
	p := make([]byte, 12)
	binary.BigEndian.PutUint16(p[0:], 5060)
	binary.BigEndian.PutUint16(p[2:], 5061)
	for _, c := range chunks {
		p = append(p, c...)
		for len(p)%4 != 0 {
			p = append(p, 0)
		}
	}
	return withEth(serialize(t, ip4(addrA, addrB, layers.IPProtocolSCTP), gopacket.Payload(p)))
}

func dataChunk(flags byte, tsn uint32, ssn uint16, data []byte) []byte {
	c := make([]byte, 16)
	c[0], c[1] = 0, flags
	binary.BigEndian.PutUint16(c[2:], uint16(16+len(data)))
	binary.BigEndian.PutUint32(c[4:], tsn)
	binary.BigEndian.PutUint16(c[8:], 0)
	binary.BigEndian.PutUint16(c[10:], ssn)
	return append(c, data...)
}

func TestSCTP(t *testing.T) {
	m1, m2, m3 := sipReq("INVITE", 1), sipResp(100, "INVITE"), sipResp(403, "INVITE")
	sack := []byte{3, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0}
	gs, r := readAllFrom(t, pcapBytes(t, layers.LinkTypeEthernet, recs(
		sctpPacket(t, dataChunk(3, 1, 1, m1)),
		sctpPacket(t, sack, dataChunk(3, 2, 2, m2), dataChunk(3, 3, 3, m3)),
		sctpPacket(t, dataChunk(2, 4, 4, m1[:30])),
		sctpPacket(t, dataChunk(0, 5, 4, m1[30:50])),
		sctpPacket(t, dataChunk(1, 6, 4, m1[50:])),
	)))
	want := []struct {
		frame int64
		text  []byte
	}{{1, m1}, {2, m2}, {2, m3}, {5, m1}}
	if len(gs) != len(want) {
		t.Fatalf("got %d messages, want %d", len(gs), len(want))
	}
	for i, w := range want {
		if gs[i].Frame != w.frame || gs[i].Text != string(w.text) || gs[i].Transport != SCTP ||
			gs[i].Src.String() != addrA+":5060" || gs[i].Dst.String() != addrB+":5061" {
			t.Errorf("message %d: %+v", i, gs[i])
		}
	}
	if r.ProblemCount() != 0 {
		t.Errorf("problems %+v", r.Problems())
	}
}
