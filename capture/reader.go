package capture

import (
	"fmt"
	"io"
)

// Reader yields the SIP Datagrams of one or more inputs, merged by time.
type Reader struct {
	opt      Options
	inputs   []*input
	infos    []InputInfo
	problems []Problem
	count    int64

	started bool
	heap    []*input // inputs with a Datagram waiting, earliest on top
	last    *input   // the input whose Datagram Next returned last
}

// Open opens every named input ("-" is stdin), recognises its format (a
// pcap or pcapng capture, or a SIP text log in one of TextFormats) and
// prepares to read. It fails if any input cannot be opened or is not an
// input this version reads (a *FormatError says which and how to convert
// it), or if opt.InputFormat names no text format.
func Open(names []string, stdin io.Reader, opt Options) (*Reader, error) {
	opt = opt.withDefaults()
	var forced *TextFormat
	if opt.InputFormat != "" {
		f, err := textFormatNamed(opt.InputFormat)
		if err != nil {
			return nil, err
		}
		forced = f
	}
	r := &Reader{opt: opt, infos: make([]InputInfo, len(names))}
	stdinUsed := false
	for i, name := range names {
		if name == "-" {
			if stdinUsed {
				r.Close()
				return nil, fmt.Errorf("standard input (-) given more than once")
			}
			stdinUsed = true
		}
		src, format, closers, err := openInput(name, stdin, forced)
		if err != nil {
			r.Close()
			return nil, err
		}
		r.infos[i] = InputInfo{Name: name, Format: format}
		in := &input{r: r, idx: i, info: &r.infos[i], opt: opt, src: src, closers: closers}
		if ts, ok := src.(*textSource); ok {
			ts.problem = in.problemLine
		}
		r.inputs = append(r.inputs, in)
	}
	return r, nil
}

// Next returns the next Datagram in time order across inputs, or io.EOF.
// The Datagram and its Payload are valid until the next call. A damaged
// input is not an error here: it becomes a Problem and that input ends.
func (r *Reader) Next() (*Datagram, error) {
	// One input with Datagrams still queued (a pcap read ahead): the
	// next is the following one, as advance and a one-entry heap give.
	if in := r.last; in != nil && len(r.heap) == 1 && in.pos+1 < len(in.queue) {
		in.pos++
		return &in.queue[in.pos], nil
	}
	return r.nextByHeap()
}

// nextByHeap is Next without its shortcut: the input that gave the last
// Datagram advances, and the heap picks the input whose next is earliest.
func (r *Reader) nextByHeap() (*Datagram, error) {
	if !r.started {
		r.started = true
		for _, in := range r.inputs {
			in.pos = -1
			in.advance()
			if in.head() != nil {
				r.push(in)
			}
		}
	} else if r.last != nil {
		r.last.advance()
		if r.last.head() != nil {
			r.down(0)
		} else {
			r.pop()
		}
	}
	if len(r.heap) == 0 {
		r.last = nil
		return nil, io.EOF
	}
	r.last = r.heap[0]
	return r.last.head(), nil
}

// Inputs describes each input; counts are final once Next returned io.EOF.
func (r *Reader) Inputs() []InputInfo { return r.infos }

// Problems returns the first Options.MaxProblems problems.
func (r *Reader) Problems() []Problem { return r.problems }

// ProblemCount counts every problem, kept or not.
func (r *Reader) ProblemCount() int64 { return r.count }

// Close closes the files Open opened.
func (r *Reader) Close() error {
	var first error
	for _, in := range r.inputs {
		if err := closeAll(in.closers); err != nil && first == nil {
			first = err
		}
		in.closers = nil
	}
	return first
}

func (r *Reader) record(p Problem) {
	r.count++
	if len(r.problems) < r.opt.MaxProblems {
		r.problems = append(r.problems, p)
	}
}

// The merge heap orders inputs by the time of their next Datagram, then
// by input index, so equal times keep the command-line order.

func (r *Reader) less(i, j int) bool {
	a, b := r.heap[i].head(), r.heap[j].head()
	if !a.Time.Equal(b.Time) {
		return a.Time.Before(b.Time)
	}
	return r.heap[i].idx < r.heap[j].idx
}

func (r *Reader) push(in *input) {
	r.heap = append(r.heap, in)
	for i := len(r.heap) - 1; i > 0; {
		p := (i - 1) / 2
		if !r.less(i, p) {
			break
		}
		r.heap[i], r.heap[p] = r.heap[p], r.heap[i]
		i = p
	}
}

func (r *Reader) pop() {
	n := len(r.heap) - 1
	r.heap[0] = r.heap[n]
	r.heap = r.heap[:n]
	if n > 0 {
		r.down(0)
	}
}

func (r *Reader) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(r.heap) {
			return
		}
		m := l
		if l+1 < len(r.heap) && r.less(l+1, l) {
			m = l + 1
		}
		if !r.less(m, i) {
			return
		}
		r.heap[i], r.heap[m] = r.heap[m], r.heap[i]
		i = m
	}
}
