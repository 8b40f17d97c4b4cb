package capture

import (
	"encoding/binary"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

func TestLinkTypes(t *testing.T) {
	msg := sipReq("REGISTER", 1)
	v4 := udp4(t, addrA, addrB, 5060, 5060, msg)
	v6 := udp6(t, addr6A, addr6B, 5060, 5062, msg)
	le := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
	be := func(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
	sll := func(proto uint16, p []byte) []byte {
		h := make([]byte, 16)
		binary.BigEndian.PutUint16(h[14:], proto)
		return append(h, p...)
	}
	sll2 := func(proto uint16, p []byte) []byte {
		h := make([]byte, 20)
		binary.BigEndian.PutUint16(h[0:], proto)
		return append(h, p...)
	}
	vlan := func(tags []uint16, inner uint16, p []byte) []byte {
		h := []byte{0, 1, 2, 3, 4, 6, 0, 1, 2, 3, 4, 5}
		for _, tpid := range tags {
			h = binary.BigEndian.AppendUint16(h, tpid)
			h = append(h, 0x00, 0x8e) // VLAN 142
		}
		return append(binary.BigEndian.AppendUint16(h, inner), p...)
	}
	cases := []struct {
		name  string
		link  layers.LinkType
		frame []byte
		v6    bool
	}{
		{"ethernet", layers.LinkTypeEthernet, withEth(v4), false},
		{"ethernet v6", layers.LinkTypeEthernet, withEth(v6), true},
		{"802.1Q", layers.LinkTypeEthernet, vlan([]uint16{0x8100}, 0x0800, v4), false},
		{"QinQ 88a8", layers.LinkTypeEthernet, vlan([]uint16{0x88a8, 0x8100}, 0x0800, v4), false},
		{"QinQ 9100", layers.LinkTypeEthernet, vlan([]uint16{0x9100, 0x8100}, 0x86dd, v6), true},
		{"linux SLL", layers.LinkTypeLinuxSLL, sll(0x0800, v4), false},
		{"linux SLL2", layers.LinkType(276), sll2(0x86dd, v6), true},
		{"raw 101", layers.LinkTypeRaw, v4, false},
		{"raw 101 v6", layers.LinkTypeRaw, v6, true},
		{"raw BSD 12", layers.LinkType(12), v4, false},
		{"raw BSD 14", layers.LinkType(14), v6, true},
		{"IPv4 228", layers.LinkType(228), v4, false},
		{"IPv6 229", layers.LinkType(229), v6, true},
		{"null little-endian", layers.LinkTypeNull, append(le(2), v4...), false},
		{"null big-endian v6", layers.LinkTypeNull, append(be(30), v6...), true},
		{"OpenBSD loop", layers.LinkTypeLoop, append(be(24), v6...), true},
		{"ethernet with trailer", layers.LinkTypeEthernet, append(withEth(v4), 0xde, 0xad, 0xbe, 0xef), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			gs, r := readAllFrom(t, pcapBytes(t, c.link, recs(c.frame)))
			if c.v6 {
				wantOne(t, gs, msg, "["+addr6A+"]:5060", "["+addr6B+"]:5062")
			} else {
				wantOne(t, gs, msg, addrA+":5060", addrB+":5060")
			}
			if gs[0].Frame != 1 || !gs[0].Time.Equal(t0) || gs[0].Transport != UDP || gs[0].Kind != KindSIP {
				t.Errorf("datagram %+v", gs[0])
			}
			if in := r.Inputs()[0]; in.Frames != 1 || in.Messages != 1 || in.Format != "pcap" {
				t.Errorf("input info %+v", in)
			}
		})
	}
}

func TestNonSIPIsSkipped(t *testing.T) {
	rtp := append([]byte{0x80, 0x00, 0, 1}, make([]byte, 160)...)
	data := pcapBytes(t, layers.LinkTypeEthernet, recs(
		withEth(udp4(t, addrA, addrB, 4000, 4002, rtp)),
		withEth(udp4(t, addrA, addrB, 5060, 5060, []byte("hello there"))),
		withEth(udp4(t, addrA, addrB, 5060, 5060, sipReq("OPTIONS", 2))),
		[]byte{1, 2, 3}, // a runt frame
	))
	gs, r := readAllFrom(t, data)
	if len(gs) != 1 || gs[0].Frame != 3 {
		t.Fatalf("got %+v, want only frame 3", gs)
	}
	if r.ProblemCount() != 0 {
		t.Errorf("problems %+v", r.Problems())
	}
	if r.Inputs()[0].Frames != 4 {
		t.Errorf("frames %d, want 4", r.Inputs()[0].Frames)
	}
}

func TestSIPOnAnyPortAndJunk(t *testing.T) {
	msg := sipReq("INVITE", 1)
	data := pcapBytes(t, layers.LinkTypeEthernet, recs(
		withEth(udp4(t, addrA, addrB, 40000, 40001, msg)),
		withEth(udp4(t, addrA, addrB, 5060, 5060, append([]byte("\x00\x01junk\r\n"), msg...))),
		withEth(udp4(t, addrA, addrB, 5060, 5060, append([]byte("xyz"), msg...))),
		withEth(udp4(t, addrA, addrB, 5060, 5060, []byte("%s\x00ISTER sip:a SIP/2.0\r\n\r\n"))),
	))
	gs, r := readAllFrom(t, data)
	if len(gs) != 3 {
		t.Fatalf("got %d datagrams, want 3", len(gs))
	}
	for i, g := range gs {
		if g.Text != string(msg) || g.Frame != int64(i+1) {
			t.Errorf("datagram %d: frame %d payload %q", i, g.Frame, g.Text)
		}
	}
	if r.ProblemCount() != 2 || r.Problems()[0].Frame != 2 || r.Problems()[1].Frame != 3 {
		t.Errorf("want junk problems for frames 2 and 3, got %+v", r.Problems())
	}
}
