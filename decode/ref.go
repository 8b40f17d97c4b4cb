package decode

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/sipdiag/sipdiag/capture"
)

// Ref says where one message was found: the input, the frame (as Wireshark
// numbers it) or the line of a text log, and the capture time. It is a small
// value so that evidence can point at messages long after their bytes are
// gone; only renderers turn it into "frame 17 (10:00:05.123)".
type Ref struct {
	Input int32 // index of the input (capture.Reader.Inputs)
	Line  int32 // 1-based line in a text input, 0 for captures
	Frame int64 // 1-based frame number, 0 for text inputs
	Time  int64 // Unix nanoseconds; 0 when the input has no timestamps
}

// IsZero reports whether r points nowhere.
func (r Ref) IsZero() bool { return r.Frame == 0 && r.Line == 0 }

// T returns the capture time (the zero time when unknown).
func (r Ref) T() time.Time {
	if r.Time == 0 {
		return time.Time{}
	}
	return time.Unix(0, r.Time).UTC()
}

// Meta is what the capture layer knows about a message besides its bytes.
type Meta struct {
	Ref       Ref
	Src, Dst  netip.AddrPort
	Transport capture.Transport
}

// RefOf builds the Ref of a capture datagram.
func RefOf(d *capture.Datagram) Ref {
	r := Ref{Input: int32(d.Input), Line: int32(d.Line), Frame: d.Frame}
	if !d.Time.IsZero() {
		r.Time = d.Time.UnixNano()
	}
	return r
}

// ProblemOf turns a capture-level problem (a cut file, a TCP gap) into a
// Problem located like any other, keeping the byte offset in the text.
func ProblemOf(p capture.Problem) Problem {
	at := Ref{Input: int32(p.Input), Line: int32(p.Line), Frame: p.Frame}
	if !p.Time.IsZero() {
		at.Time = p.Time.UnixNano()
	}
	msg := p.Message
	if p.Offset > 0 {
		msg = fmt.Sprintf("%s (byte offset %d)", msg, p.Offset)
	}
	return Problem{At: at, Message: msg}
}
