package capture

import (
	"bytes"
	"io"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// manyUDP is an Ethernet/IPv4/UDP pcap of n SIP messages of typical size.
func manyUDP(t testing.TB, n int) []byte {
	req := append(sipReq("REGISTER", 1), []byte("")...)
	var frames [][]byte
	a := withEth(udp4(t, addrA, addrB, 5060, 5060, req))
	b := withEth(udp4(t, addrB, addrA, 5060, 5060, sipResp(401, "REGISTER")))
	for i := 0; i < n; i++ {
		if i%2 == 0 {
			frames = append(frames, a)
		} else {
			frames = append(frames, b)
		}
	}
	return pcapBytes(t, layers.LinkTypeEthernet, recs(frames...))
}

// readToEnd opens data as the one input "-" and reads all of it; it
// returns the Reader, for its counts and problems, and how many
// Datagrams it gave.
func readToEnd(b *testing.B, data []byte) (*Reader, int) {
	r, err := Open([]string{"-"}, bytes.NewReader(data), Options{})
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for {
		if _, err := r.Next(); err == io.EOF {
			return r, n
		}
		n++
	}
}

func BenchmarkReaderUDP(b *testing.B) {
	const n = 20000
	data := manyUDP(b, n)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	msgs := 0
	for b.Loop() {
		_, got := readToEnd(b, data)
		msgs += got
	}
	b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(msgs), "ns/msg")
}

// TestReaderUDPSteadyStateDoesNotAllocate: once buffers have grown, each
// Next on plain Ethernet/IPv4/UDP SIP allocates nothing.
func TestReaderUDPSteadyStateDoesNotAllocate(t *testing.T) {
	data := manyUDP(t, 3000)
	r, err := Open([]string{"-"}, bytes.NewReader(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		r.Next()
	}
	allocs := testing.AllocsPerRun(2000, func() {
		if _, err := r.Next(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Next allocates %v times per message", allocs)
	}
}

// BenchmarkReaderTCP: one TCP stream cut into segments of one and a half
// messages, so half the messages span two segments.
func BenchmarkReaderTCP(b *testing.B) {
	m := sipReq("REGISTER", 1)
	const n = 10000
	var stream []byte
	for i := 0; i < n; i++ {
		stream = append(stream, m...)
	}
	var frames [][]byte
	chunk := len(m) * 3 / 2
	for off := 0; off < len(stream); off += chunk {
		end := min(off+chunk, len(stream))
		frames = append(frames, withEth(tcp4(b, addrA, addrB, 40000, 5060, uint32(1+off), false, false, stream[off:end])))
	}
	data := pcapBytes(b, layers.LinkTypeEthernet, recs(frames...))
	b.ReportAllocs()
	msgs := 0
	for b.Loop() {
		_, got := readToEnd(b, data)
		if got != n {
			b.Fatalf("%d messages, want %d", got, n)
		}
		msgs += got
	}
	b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(msgs), "ns/msg")
}
