package capture

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket/ip4defrag"
	"github.com/gopacket/gopacket/ip6defrag"
)

// input is one capture file being read: its records, the Datagrams found
// in the current record, and the state that spans records (TCP streams,
// IP fragments, SCTP messages), all evicted by capture time.
type input struct {
	r       *Reader
	idx     int
	info    *InputInfo
	opt     Options
	src     source
	closers []io.Closer
	done    bool

	// Datagrams of the current record; queue[pos] is the next one out.
	queue []Datagram
	pos   int

	// the record being decoded
	frame int64
	ts    time.Time

	sipPorts     portSet
	streams      map[flowKey]*tcpStream
	sctp         map[sctpKey]*sctpPartial
	defrag4      *ip4defrag.IPv4Defragmenter
	defrag6      *ip6defrag.IPv6Defragmenter
	fragsPending bool // fragments may be held by a defragmenter
	// state is swept when the capture time leaves [lastSweep, nextSweep),
	// nextSweep = lastSweep + StreamIdle/4; the zero window is empty
	lastSweep, nextSweep instant
}

// head returns the next Datagram, or nil when the input is exhausted.
func (in *input) head() *Datagram {
	if in.pos < len(in.queue) {
		return &in.queue[in.pos]
	}
	return nil
}

// advance drops the current Datagram and reads records until there is
// another one or the input ends.
func (in *input) advance() {
	in.pos++
	for in.pos >= len(in.queue) && !in.done {
		in.queue, in.pos = in.queue[:0], 0
		in.readRecord()
	}
}

// readRecord reads and decodes one record. A read error ends the input
// with a Problem; it is never returned to the caller.
func (in *input) readRecord() {
	var data []byte
	var ts time.Time
	var link uint32
	var err error
	pf, isPcap := in.src.(*pcapFile)
	if isPcap {
		data, ts, link, err = pf.next() // the usual input, called directly
	} else if src, ok := in.src.(*textSource); ok {
		in.readText(src)
		return
	} else {
		data, ts, link, err = in.src.next()
	}
	if err != nil {
		if !errors.Is(err, io.EOF) {
			// the Problem names the record that could not be read
			in.problemAt(in.frame+1, in.src.offset(), fmt.Sprintf("input ends early: %v", err))
		}
		in.finish()
		return
	}
	in.frame++
	in.info.Frames++
	in.ts = ts
	in.maybeSweep()
	in.decodeLink(link, data)
	if isPcap {
		in.readAhead(pf)
	}
}

// finish ends the input: streams still holding part of a message get a
// Problem.
func (in *input) finish() {
	in.done = true
	for k, s := range in.streams {
		in.endStream(k, s, "ended with the capture")
	}
}

// maybeSweep drops state idle for longer than StreamIdle (capture time),
// checking a few times per idle period so memory stays bounded.
func (in *input) maybeSweep() {
	// Two comparisons of integers, not a Sub nor two Before calls: this
	// runs for every packet, and Sub's overflow handling costs more than
	// the rest of the link-to-UDP path.
	if !in.sweepDue(instantOf(in.ts)) {
		return
	}
	in.sweep()
}

// sweepDue says whether a packet at t must sweep first: t is outside
// the window [lastSweep, nextSweep).
func (in *input) sweepDue(t instant) bool {
	return !t.before(in.nextSweep) || t.before(in.lastSweep)
}

// sweep drops what is idle at in.ts and starts the next sweep window.
func (in *input) sweep() {
	in.lastSweep = instantOf(in.ts)
	in.nextSweep = instantOf(in.ts.Add(in.opt.StreamIdle / 4))
	in.sweepStreams(in.ts)
	old := in.ts.Add(-in.opt.StreamIdle)
	for k, p := range in.sctp {
		if p.lastSeen.Before(old) {
			delete(in.sctp, k)
		}
	}
	if in.fragsPending {
		if in.defrag4 != nil {
			in.defrag4.DiscardOlderThan(old)
		}
		if in.defrag6 != nil {
			// ip6defrag stamps fragments with the wall clock, not
			// capture time, so expire its state by the wall clock
			in.defrag6.DiscardOlderThan(time.Now().Add(-in.opt.StreamIdle))
		}
	}
}

// instant is a capture time as Unix seconds and nanoseconds, ordered as
// time.Time.Before orders times without a monotonic clock reading, which
// capture times are (time.Unix makes them and Add keeps them so): by
// seconds, then nanoseconds. Its zero value is 1970, not time.Time's
// year 1, but both windows made of zeros hold no time.
type instant struct {
	sec  int64
	nsec int32
}

func instantOf(t time.Time) instant { return instant{t.Unix(), int32(t.Nanosecond())} }

func (a instant) before(b instant) bool {
	return a.sec < b.sec || a.sec == b.sec && a.nsec < b.nsec
}

// emit queues a Datagram found in the current record.
func (in *input) emit(d Datagram) {
	d.Input = in.idx
	d.Frame = in.frame
	if d.Time.IsZero() {
		d.Time = in.ts
	}
	if d.Kind == KindSIP {
		in.sipPorts.add(d.Src.Port())
		in.sipPorts.add(d.Dst.Port())
	}
	in.info.Messages++
	in.queue = append(in.queue, d)
}

// emitSIP is emit for a SIP message found in the current record, filled
// in place in the queue rather than passed through as a copy: it runs
// for every datagram of a capture.
func (in *input) emitSIP(src, dst netip.AddrPort, t Transport, payload []byte) {
	in.sipPorts.add(src.Port())
	in.sipPorts.add(dst.Port())
	in.info.Messages++
	in.queue = append(in.queue, Datagram{})
	d := &in.queue[len(in.queue)-1]
	d.Input, d.Frame, d.Time = in.idx, in.frame, in.ts
	d.Src, d.Dst, d.Transport, d.Kind, d.Payload = src, dst, t, KindSIP, payload
}

// problem records a Problem in the current record.
func (in *input) problem(msg string) { in.problemAt(in.frame, 0, msg) }

func (in *input) problemf(format string, args ...any) {
	in.problemAt(in.frame, 0, fmt.Sprintf(format, args...))
}

func (in *input) problemAt(frame, offset int64, msg string) {
	in.info.Problems++
	in.r.record(Problem{Input: in.idx, Frame: frame, Offset: offset, Time: in.ts, Message: msg})
}

// readText takes the next message of a text input.
func (in *input) readText(ts *textSource) {
	m := ts.nextMsg()
	in.info.Lines = int64(ts.lines())
	if m == nil {
		in.done = true
		return
	}
	d := m.datagram()
	if d.Synthetic {
		in.info.Summaries++
	}
	in.emit(d)
}

// problemLine records a Problem at a line of a text input.
func (in *input) problemLine(line int, msg string) {
	in.info.Problems++
	in.r.record(Problem{Input: in.idx, Line: line, Message: msg})
}
