package decode

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/sipdiag/sipdiag/capture"
)

// benchFlow is one pre-rendered message of the correlator benchmark.
type benchFlow struct {
	raw      []byte
	src, dst netip.AddrPort
	at       time.Duration
}

// benchFlows renders n registrations with a digest challenge (REGISTER,
// 401, REGISTER with credentials, 200), one per second, over 100 accounts:
// the traffic every registration trace is made of. Every fifth flow's first
// REGISTER is retransmitted once (Timer E).
func benchFlows(n int) []benchFlow {
	var out []benchFlow
	crlf := func(s string) []byte { return []byte(strings.ReplaceAll(strings.TrimLeft(s, "\n"), "\n", "\r\n")) }
	for i := 0; i < n; i++ {
		user := fmt.Sprintf("u%d", i%100)
		b1, b2 := fmt.Sprintf("z9hG4bK%da", i), fmt.Sprintf("z9hG4bK%db", i)
		fix := func(s string) []byte {
			s = strings.ReplaceAll(s, "alice", user)
			s = strings.ReplaceAll(s, "reg-1@", fmt.Sprintf("reg-%d@", i))
			return crlf(s)
		}
		at := time.Duration(i) * time.Second
		out = append(out, benchFlow{fix(registerMsg(1, b1, "")), ua, reg, at})
		if i%5 == 0 {
			out = append(out, benchFlow{fix(registerMsg(1, b1, "")), ua, reg, at + 500*time.Millisecond})
		}
		out = append(out,
			benchFlow{fix(response("401 Unauthorized", b1, 1, challenge)), reg, ua, at + 600*time.Millisecond},
			benchFlow{fix(registerMsg(2, b2, creds)), ua, reg, at + 700*time.Millisecond},
			benchFlow{fix(response("200 OK", b2, 2, "Contact: <sip:alice@10.0.0.5:5060>;expires=600\n")), reg, ua, at + 800*time.Millisecond},
		)
	}
	return out
}

// BenchmarkCorrelate is the per-message hot path after capture: scan,
// validate and correlate (ns/op is per message).
func BenchmarkCorrelate(b *testing.B) {
	flows := benchFlows(1000)
	c := NewCorrelator(nil, Options{})
	var m Message
	var round time.Duration
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		f := &flows[i]
		if err := m.Scan(f.raw); err != nil {
			b.Fatal(err)
		}
		m.Validate()
		c.Add(&m, Meta{Ref: Ref{Frame: int64(i + 1), Time: t0 + int64(round+f.at)}, Src: f.src, Dst: f.dst})
		i++
		if i == len(flows) {
			i = 0
			round += 2000 * time.Second // past every timer: the same keys start afresh
		}
	}
}

// BenchmarkCorrelateCapture runs what Correlate does per message (scan,
// validate, correlate) over the first messages of the generated benchmark
// capture (bench/README.md; skipped when it is not there), replayed with the
// clock moved past every timer between rounds. Its thousands of accounts
// and address pairs make the correlator's maps miss the CPU caches the way
// a large capture does, which the 100 accounts of BenchmarkCorrelate do not.
func BenchmarkCorrelateCapture(b *testing.B) {
	const n = 50000
	src, err := capture.Open([]string{"../bench/out/sip-1000000.pcap"}, nil, capture.Options{})
	if err != nil {
		b.Skip(err)
	}
	var raws [][]byte
	var metas []Meta
	for len(raws) < n {
		d, err := src.Next()
		if err != nil {
			break
		}
		raws = append(raws, bytes.Clone(d.Payload))
		metas = append(metas, Meta{Ref: RefOf(d), Src: d.Src, Dst: d.Dst, Transport: d.Transport})
	}
	if len(raws) == 0 {
		b.Skip("no messages")
	}
	span := metas[len(metas)-1].Ref.Time - metas[0].Ref.Time + int64(2000*time.Second)
	c := NewCorrelator(nil, Options{})
	var m Message
	var shift int64
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if m.Scan(raws[i]) == nil {
			m.Validate()
			meta := metas[i]
			meta.Ref.Time += shift
			c.Add(&m, meta)
		}
		i++
		if i == len(raws) {
			i = 0
			shift += span
		}
	}
}
