package decode

import (
	"io"

	"github.com/sipdiag/sipdiag/capture"
)

// Source yields datagrams; *capture.Reader is one.
type Source interface {
	Next() (*capture.Datagram, error)
}

// Correlate reads every datagram of src, scans it and correlates it,
// reporting completed pieces to obs as it goes, and returns the summary.
// An error from src other than io.EOF ends the run and is returned with
// what was correlated so far.
func Correlate(src Source, obs *Observers, opt Options) (*Trace, error) {
	c := NewCorrelator(obs, opt)
	var m Message
	var meta Meta
	for {
		d, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return finish(c, src), err
		}
		ref := RefOf(d)
		switch d.Kind {
		case capture.KindICMPUnreachable:
			var quoted *Message
			if m.Scan(d.Payload) == nil {
				quoted = &m
			}
			c.AddICMP(quoted, d.Src, d.Dst, ICMPError{At: ref, From: d.ICMP.From, PortUnreachable: d.ICMP.PortUnreachable})
		default:
			if err := m.Scan(d.Payload); err != nil {
				c.advance(ref.Time)
				if ref.Line > 0 {
					// A text log interleaves other lines with the
					// messages: a block that is not SIP is log text,
					// not a lost message.
					c.Problem(ref, "not a SIP message: %v", err)
				} else {
					c.unusable(ref, "not a SIP message: %v", err)
				}
				continue
			}
			// Deep header checks too: every malformed header is a problem
			// record with its frame, not only the ones correlation trips on.
			m.Validate()
			meta.Ref, meta.Src, meta.Dst, meta.Transport = ref, d.Src, d.Dst, d.Transport
			c.add(&m, &meta)
		}
	}
	return finish(c, src), nil
}

// inputProblems is what capture.Reader reports besides datagrams.
type inputProblems interface {
	Problems() []capture.Problem
	ProblemCount() int64
}

// finish flushes the correlator and copies the source's own problems (a
// cut file, truncated frames) into the trace, so that rules can judge how
// complete the input is (CAP001).
func finish(c *Correlator, src Source) *Trace {
	tr := c.Finish()
	if ip, ok := src.(inputProblems); ok {
		ps := ip.Problems()
		if len(ps) > c.opt.MaxProblems {
			ps = ps[:c.opt.MaxProblems]
		}
		for _, p := range ps {
			tr.InputProblems = append(tr.InputProblems, ProblemOf(p))
		}
		tr.InputProblemCount = ip.ProblemCount()
	}
	return tr
}
