package capture

import (
	"bytes"
	"io"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Test captures are built here, packet by packet, with gopacket's layers.

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

const (
	addrA  = "192.0.2.1"
	addrB  = "198.51.100.2"
	addr6A = "2001:db8::1"
	addr6B = "2001:db8::2"
)

func sipReq(method string, cseq int) []byte {
	return []byte(method + " sip:bob@example.com SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK" + method + "\r\n" +
		"Call-ID: abc@192.0.2.1\r\nCSeq: " + itoa(cseq) + " " + method + "\r\n" +
		"Content-Length: 0\r\n\r\n")
}

func sipResp(code int, method string) []byte {
	return []byte("SIP/2.0 " + itoa(code) + " Whatever\r\nCall-ID: abc@192.0.2.1\r\nCSeq: 1 " + method + "\r\nContent-Length: 4\r\n\r\nbody")
}

func itoa(i int) string { return strconv.Itoa(i) }

func serialize(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

func ip4(src, dst string, proto layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: proto, SrcIP: net.ParseIP(src).To4(), DstIP: net.ParseIP(dst).To4()}
}

func ip6(src, dst string, next layers.IPProtocol) *layers.IPv6 {
	return &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: next, SrcIP: net.ParseIP(src), DstIP: net.ParseIP(dst)}
}

// udp4 is an IPv4/UDP packet (no link layer) carrying payload.
func udp4(t testing.TB, src, dst string, sp, dp uint16, payload []byte) []byte {
	ip := ip4(src, dst, layers.IPProtocolUDP)
	u := &layers.UDP{SrcPort: layers.UDPPort(sp), DstPort: layers.UDPPort(dp)}
	u.SetNetworkLayerForChecksum(ip)
	return serialize(t, ip, u, gopacket.Payload(payload))
}

func udp6(t testing.TB, src, dst string, sp, dp uint16, payload []byte) []byte {
	ip := ip6(src, dst, layers.IPProtocolUDP)
	u := &layers.UDP{SrcPort: layers.UDPPort(sp), DstPort: layers.UDPPort(dp)}
	u.SetNetworkLayerForChecksum(ip)
	return serialize(t, ip, u, gopacket.Payload(payload))
}

func tcp4(t testing.TB, src, dst string, sp, dp uint16, seq uint32, syn, fin bool, payload []byte) []byte {
	ip := ip4(src, dst, layers.IPProtocolTCP)
	tc := &layers.TCP{SrcPort: layers.TCPPort(sp), DstPort: layers.TCPPort(dp), Seq: seq, SYN: syn, FIN: fin, ACK: !syn, Window: 65535}
	tc.SetNetworkLayerForChecksum(ip)
	return serialize(t, ip, tc, gopacket.Payload(payload))
}

// withEth puts an Ethernet header in front of an IP packet.
func withEth(ipPacket []byte) []byte {
	et := []byte{0x08, 0x00}
	if ipPacket[0]>>4 == 6 {
		et = []byte{0x86, 0xdd}
	}
	h := []byte{0, 1, 2, 3, 4, 6, 0, 1, 2, 3, 4, 5}
	return append(append(h, et...), ipPacket...)
}

type rec struct {
	ts   time.Time
	data []byte
}

// recs gives frames one millisecond apart.
func recs(frames ...[]byte) []rec {
	out := make([]rec, len(frames))
	for i, f := range frames {
		out[i] = rec{t0.Add(time.Duration(i) * time.Millisecond), f}
	}
	return out
}

func pcapBytes(t testing.TB, link layers.LinkType, rs []rec) []byte {
	t.Helper()
	var b bytes.Buffer
	w := pcapgo.NewWriter(&b)
	if err := w.WriteFileHeader(65535, link); err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		ci := gopacket.CaptureInfo{Timestamp: r.ts, CaptureLength: len(r.data), Length: len(r.data)}
		if err := w.WritePacket(ci, r.data); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

// got is a Datagram with its payload copied out.
type got struct {
	Datagram
	Text string
}

// readAllFrom reads every Datagram of data (given as stdin).
func readAllFrom(t testing.TB, data []byte) ([]got, *Reader) {
	t.Helper()
	r, err := Open([]string{"-"}, bytes.NewReader(data), Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return drain(t, r), r
}

func drain(t testing.TB, r *Reader) []got {
	t.Helper()
	var out []got
	for {
		d, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		g := got{Datagram: *d, Text: string(d.Payload)}
		g.Payload = nil
		out = append(out, g)
	}
}

// wantOne checks that exactly one SIP datagram with payload want came out,
// from src to dst, and returns it.
func wantOne(t *testing.T, gs []got, want []byte, src, dst string) got {
	t.Helper()
	if len(gs) != 1 {
		t.Fatalf("got %d datagrams, want 1: %+v", len(gs), gs)
	}
	g := gs[0]
	if g.Text != string(want) {
		t.Errorf("payload = %q, want %q", g.Text, want)
	}
	if g.Src.String() != src || g.Dst.String() != dst {
		t.Errorf("addresses %s -> %s, want %s -> %s", g.Src, g.Dst, src, dst)
	}
	return g
}
