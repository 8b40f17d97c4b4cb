package capture

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// readOutcome is everything a Reader gives: the Datagrams (payloads
// copied), the Problems, the counts.
type readOutcome struct {
	Got      []got
	Problems []Problem
	Count    int64
	Infos    []InputInfo
}

// readWith opens the inputs (stdin is used for "-") and drains them with
// next, read-ahead on or off.
func readWith(t *testing.T, names []string, stdin io.Reader, readAhead bool) readOutcome {
	t.Helper()
	if !readAhead {
		defer func(n int) { pcapReadAhead = n }(pcapReadAhead)
		pcapReadAhead = 0
	}
	r, err := Open(names, stdin, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer r.Close()
	next := r.Next
	if !readAhead {
		// Next as it was before the read-ahead: no shortcut for a
		// queued Datagram, advance and the heap on every call
		next = r.nextByHeap
	}
	var out readOutcome
	for {
		d, err := next()
		if err == io.EOF {
			break
		}
		g := got{Datagram: *d, Text: string(d.Payload)}
		g.Payload = nil
		out.Got = append(out.Got, g)
	}
	out.Problems, out.Count, out.Infos = r.Problems(), r.ProblemCount(), r.Inputs()
	return out
}

// chunkReader hands out its bytes in reads of the given sizes, in turn,
// so that records straddle the pcap read window's edges.
type chunkReader struct {
	data  []byte
	sizes []int
	i     int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := c.sizes[c.i%len(c.sizes)]
	c.i++
	n = min(n, len(p), len(c.data))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

var (
	frameKindsOnce sync.Once
	frameKinds     [][][]byte // each kind is one record or a run of records
)

// readAheadFrameKinds are the records the read-ahead tests mix: frames the
// fast path takes and every kind it must stop at (VLAN, IPv6, TCP
// streams, fragments, junk with a Problem, non-SIP, a cut frame).
func readAheadFrameKinds(t *testing.T) [][][]byte {
	frameKindsOnce.Do(func() {
		one := func(f []byte) [][]byte { return [][]byte{f} }
		inv, resp := sipReq("INVITE", 1), sipResp(407, "INVITE")
		vlan := withEth(udp4(t, addrA, addrB, 5060, 5060, inv))
		vlan = append(append(append([]byte(nil), vlan[:12]...), 0x81, 0x00, 0, 7), vlan[12:]...)
		two := append(append([]byte(nil), sipReq("OPTIONS", 3)...), sipReq("OPTIONS", 4)...)
		frameKinds = [][][]byte{
			one(withEth(udp4(t, addrA, addrB, 5060, 5060, inv))),
			one(withEth(udp4(t, addrB, addrA, 5060, 5060, resp))),
			one(withEth(udp4(t, addrA, addrB, 5062, 5060, sipReq("REGISTER", 2)))),
			one(withEth(udp4(t, addrB, addrA, 5060, 5062, sipResp(200, "REGISTER")))),
			one(vlan),
			one(withEth(udp6(t, addr6A, addr6B, 5060, 5060, inv))),
			one(withEth(udp4(t, addrA, addrB, 5060, 5060, append([]byte("\r\n\r\njunk"), inv...)))),
			one(withEth(udp4(t, addrA, addrB, 53, 53, []byte("not SIP at all, a DNS answer perhaps")))),
			one(withEth(udp4(t, addrA, addrB, 5060, 5060, inv))[:30]),
			one(withEth(tcp4(t, addrA, addrB, 40000, 5060, 1000, false, false, two))),
			{withEth(tcp4(t, addrB, addrA, 5060, 40001, 5000, false, false, inv[:40])),
				withEth(tcp4(t, addrB, addrA, 5060, 40001, 5040, false, false, inv[40:]))},
			one(withEth(tcp4(t, addrA, addrB, 40002, 5060, 7000, false, false, inv[:25]))), // left open: swept idle
		}
		var frags [][]byte
		for _, f := range ipv4Fragments(t, layers.IPProtocolUDP, append(sipReq("INVITE", 9), bigSIP()...), 600) {
			frags = append(frags, withEth(f))
		}
		frameKinds = append(frameKinds, frags)
	})
	return frameKinds
}

// readAheadCapture builds a capture from choices: each byte picks a kind
// of record (low nibble) and the time step before it (high nibble: mostly
// a millisecond, sometimes past a sweep window, sometimes backwards).
func readAheadCapture(t *testing.T, choices []byte) []byte {
	kinds := readAheadFrameKinds(t)
	steps := []time.Duration{time.Millisecond, time.Millisecond, time.Millisecond, time.Millisecond, 0, time.Microsecond,
		time.Millisecond, time.Millisecond, time.Second, 29 * time.Second, 31 * time.Second, 200 * time.Second,
		-time.Millisecond, -time.Second, -40 * time.Second, time.Millisecond}
	var rs []rec
	ts := t0
	for _, c := range choices {
		for _, f := range kinds[int(c&15)%len(kinds)] {
			ts = ts.Add(steps[c>>4])
			rs = append(rs, rec{ts, f})
		}
	}
	return pcapBytes(t, layers.LinkTypeEthernet, rs)
}

// asLinuxSLL rewrites an Ethernet capture's frames with Linux cooked
// headers (the EtherType moves to bytes 14-15 of a 16-byte header): a link
// type the read-ahead must leave to readRecord.
func asLinuxSLL(t *testing.T, eth []byte) []byte {
	r, err := newPcapFile(bufio.NewReader(bytes.NewReader(eth)))
	if err != nil {
		t.Fatal(err)
	}
	var rs []rec
	for {
		data, ts, _, err := r.next()
		if err != nil {
			break
		}
		f := make([]byte, 16, 16+len(data))
		if len(data) >= 14 {
			copy(f[14:16], data[12:14])
			f = append(f, data[14:]...)
		}
		rs = append(rs, rec{ts, f})
	}
	return pcapBytes(t, layers.LinkTypeLinuxSLL, rs)
}

// sameReads fails unless reading with the read-ahead gives exactly what
// reading record by record gives.
func sameReads(t *testing.T, names []string, stdin func() io.Reader) {
	t.Helper()
	want := readWith(t, names, stdin(), false)
	gotRA := readWith(t, names, stdin(), true)
	if !reflect.DeepEqual(gotRA, want) {
		t.Fatalf("read-ahead differs from record by record:\nread-ahead %d datagrams, %d problems %+v\nrecord by record %d datagrams, %d problems %+v",
			len(gotRA.Got), len(gotRA.Problems), gotRA.Infos, len(want.Got), len(want.Problems), want.Infos)
	}
}

// pseudoRandomChoices are n choices for readAheadCapture, two in three of
// them a kind the fast path takes, as in real captures.
func pseudoRandomChoices(seed uint32, n int) []byte {
	out := make([]byte, n)
	for i := range out {
		seed = seed*1664525 + 1013904223
		c := byte(seed >> 24)
		if (seed>>8)%3 != 0 {
			c &^= 12 // kinds 0-3
		}
		out[i] = c
	}
	return out
}

// TestReadAheadMatchesRecordByRecord: pcaps mixing fast-path frames with
// every kind that stops the read-ahead, with sweeps and clock jumps, in
// every pcap flavour, read in odd chunks, cut short, and merged with a
// second input, give the same Datagrams, Problems and counts with and
// without the read-ahead.
func TestReadAheadMatchesRecordByRecord(t *testing.T) {
	for seed := uint32(1); seed <= 6; seed++ {
		le := readAheadCapture(t, pseudoRandomChoices(seed, 400))
		flavours := [][]byte{le, toBigEndian(t, le),
			rewritePcap(t, le, binary.LittleEndian, pcapMagicNano, 0),
			rewritePcap(t, le, binary.BigEndian, pcapMagicModified, 8), asLinuxSLL(t, le)}
		for _, data := range flavours {
			sameReads(t, []string{"-"}, func() io.Reader { return bytes.NewReader(data) })
			sameReads(t, []string{"-"}, func() io.Reader { return &chunkReader{data: data, sizes: []int{1, 7, 300, 4096, 65536, 13}} })
			for _, cut := range []int{len(data) - 1, len(data) - 100, len(data) / 2} {
				sameReads(t, []string{"-"}, func() io.Reader { return bytes.NewReader(data[:cut]) })
			}
		}
		other := readAheadCapture(t, pseudoRandomChoices(seed+100, 300))
		a, b := writeTemp(t, "a.pcap", le), writeTemp(t, "b.pcap", other)
		sameReads(t, []string{a, b}, func() io.Reader { return nil })
		sameReads(t, []string{b, "-", a}, func() io.Reader { return bytes.NewReader(le[:len(le)-50]) })
	}
	// and the read-ahead is used at all
	r, err := Open([]string{"-"}, bytes.NewReader(readAheadCapture(t, make([]byte, 100))), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Next(); len(r.inputs[0].queue) < 2 {
		t.Fatalf("queue of %d after the first record: no read-ahead", len(r.inputs[0].queue))
	}
}

// FuzzReadAheadMatchesRecordByRecord: for any mix of record kinds and
// time steps, read whole or in small chunks, the read-ahead changes
// nothing.
func FuzzReadAheadMatchesRecordByRecord(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 0, 1}, uint8(0))
	f.Add([]byte{0, 1, 4, 0x81, 5, 0xb0, 6, 0x97, 9, 10, 0xc1, 11, 12, 0xe0, 0}, uint8(3))
	f.Fuzz(func(t *testing.T, choices []byte, chunk uint8) {
		if len(choices) > 2000 {
			return
		}
		data := readAheadCapture(t, choices)
		sameReads(t, []string{"-"}, func() io.Reader {
			if chunk == 0 {
				return bytes.NewReader(data)
			}
			return &chunkReader{data: data, sizes: []int{int(chunk), 4096 + int(chunk)}}
		})
	})
}
