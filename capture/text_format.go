package capture

import (
	"net/netip"
	"time"
)

// This file is the contract between the text-log framework (reading,
// normalising, detecting, repairing, orienting) and the ingesters, one file
// per log format (text_<format>.go). An ingester only knows its envelope:
// where a message starts and ends, and what the envelope says about
// direction, peer, time and order. Everything common to pasted text
// (TEXT-FORMATS.md §0: CR/BOM/entities/typography, wrapped and collapsed
// lines, Content-Length cuts, orientation by inference, year-less times)
// is done by the framework on every format alike.

// TextDirection is what the log says about a message, seen from the box
// that wrote it.
type TextDirection uint8

const (
	DirUnknown  TextDirection = iota // the log does not say
	DirSent                          // the logging box sent it
	DirReceived                      // the logging box received it
)

func (d TextDirection) String() string {
	return [...]string{"unknown", "sent", "received"}[d]
}

// TextStamp is a time as a log printed it, with what it leaves out.
type TextStamp struct {
	Time time.Time // zero when the envelope has no stamp
	// NoYear: the stamp has no year (IOS, syslog): the framework rebases it
	// onto a relative timeline and handles the Dec→Jan rollover.
	NoYear bool
	// NoDate: only a time of day or an uptime ("1w1d", "00:15:59"): the
	// framework keeps the order and the intervals, not the date.
	NoDate bool
	// Precision is the smallest unit the stamp prints (time.Second,
	// time.Millisecond, time.Microsecond, ...); 0 when unknown.
	Precision time.Duration
	// Unreliable: the log itself flags the clock (IOS `*` = not set,
	// `.` = NTP sync lost).
	Unreliable bool
}

// TextMessage is one SIP message cut out of a text log by an ingester.
type TextMessage struct {
	Line  int       // 1-based line where the message's envelope starts
	Stamp TextStamp // as the envelope printed it
	Seq   int64     // a sequence number the envelope carries (IOS `NNNNNN:`), to order ties; 0 if none

	Dir         TextDirection
	Local, Peer netip.AddrPort // when the envelope says; zero values otherwise
	// PeerHost is a peer the envelope names without a usable address
	// (a host name, a masked "x.x.x.x"): kept for the report.
	PeerHost  string
	Transport Transport // TransportUnknown when the envelope does not say

	// Text is the SIP message as the log holds it once the envelope is
	// stripped, one line per log line, each ending in "\n". The
	// framework repairs it (folded and wrapped lines, collapsed
	// messages, missing blank line before the body, Content-Length cut)
	// and rebuilds it with CRLF.
	Text []byte
	// Lines[i] is the log line number of the i-th line of Text, so that a
	// problem found later points at the right line. May be nil when Text
	// lines are consecutive log lines starting at BodyLine.
	Lines    []int
	BodyLine int // log line of Text's first line when Lines is nil

	// Truncated: the envelope shows the message was cut (buffer wrap,
	// syslog size limit, "[truncated]").
	Truncated bool

	// Summary is set instead of Text for formats that print one line per
	// message with no headers (tshark packet list): the framework builds
	// a minimal message from it so that transaction-level rules still
	// work, and the report says header-level checks could not run.
	Summary *TextSummary
}

// TextSummary is what a one-line packet summary says about a message.
type TextSummary struct {
	Src, Dst   netip.AddrPort
	Method     string // request method, "" for a response
	RequestURI string
	Status     int // response status, 0 for a request
	Reason     string
	// CSeqMethod is the method a response answers when the line says it
	// (tshark: "Status: 401 Unauthorized (REGISTER)"); "" otherwise.
	CSeqMethod string
}

// TextIngester cuts one log format into messages. Line is called for
// every line of the input in order, after §0 normalisation (no line
// ending, CR removed, entities and typography normalised); the slice is
// only valid during the call. emit hands over a finished message; the
// sink reads it during the call and keeps nothing of it (TextSink.Emit),
// so the ingester may reuse its memory afterwards. Problem
// records something that could not be read, at a log line. End flushes
// the message in progress at the end of the input.
type TextIngester interface {
	Line(n int, line []byte, out TextSink)
	End(out TextSink)
}

// TextSink receives what an ingester finds.
type TextSink interface {
	// Emit takes a message. The sink keeps nothing of m (nor of its Text
	// and Lines) once Emit returns: the ingester may then reuse their
	// memory for the messages that follow.
	Emit(m *TextMessage)
	Problem(line int, message string)
}

// TextFormat is one log format sipdiag reads.
type TextFormat struct {
	Name  string // for --input-format and the report: "cisco-ccsip"
	Title string // "Cisco IOS debug ccsip messages"
	// Detect scores a normalised sample (the first non-blank lines of the
	// input): 0 = not this format; higher wins. Strong markers (a tag only
	// this format prints) score 100, weaker hints less.
	Detect func(sample [][]byte) int
	New    func() TextIngester
	// Priority is the format's place in the detection list of
	// TEXT-FORMATS.md (1 = first): equal Detect scores go to the lower.
	Priority int
}

// textFormats is every text format. Each ingester file adds itself in its
// init, so that a format is one file.
var textFormats []*TextFormat

func registerTextFormat(f *TextFormat) { textFormats = append(textFormats, f) }

// TextFormats lists the text formats sipdiag reads, for --input-format and
// the documentation.
func TextFormats() []*TextFormat { return textFormats }
