package capture

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"time"
)

// textWindow is how many messages wait, repaired, before they are oriented
// and handed out: orientation learns the logging box's addresses from
// every message in the window, so a message early in the log can be
// placed by what comes a little later. Memory stays bounded by the window.
const textWindow = 64

// maxSampleLines bounds the lines (blank ones included) read for detection.
const maxSampleLines = 1 << 14

// textMsg is one repaired message on its way to becoming a Datagram.
type textMsg struct {
	line      int
	payload   []byte
	truncated bool
	synthetic bool

	stamp     TextStamp
	seq       int64
	dir       TextDirection
	local     netip.AddrPort
	peer      netip.AddrPort
	peerHost  string
	transport Transport

	view     sipView
	viewed   bool // view is already read
	src, dst netip.AddrPort
	time     time.Time
}

// sampleLine is a normalised line read during detection, kept to be
// handed to the ingester afterwards.
type sampleLine struct{ n, off, end int }

// textSource reads one text input: lines → normalisation → the format's
// ingester → repair → window → orientation and time → messages.
type textSource struct {
	format *TextFormat
	lr     *lineReader
	norm   normaliser
	ing    TextIngester

	sample    []sampleLine
	sampleBuf []byte
	samplePos int
	ended     bool
	cutSeen   int

	rep repairer
	sum *summaryBuilder
	or  orienter
	tl  timeline

	window []*textMsg
	head   int
	free   []*textMsg
	given  *textMsg

	cur     *TextMessage // the message being repaired
	at      int          // the line being handed to the ingester
	problem func(line int, msg string)

	// taker is the ingester when it can take the lines of a message
	// straight from the reader (windowLineTaker), nil otherwise.
	taker windowLineTaker
}

// windowLineTaker is an ingester that takes the plain lines of the
// message it is reading directly from the reader's window, in one loop,
// instead of one Line call each: most lines of a log are such lines.
// takeLines must do exactly what Line would do with those lines (a type
// that embeds such an ingester and changes what Line does must not let
// takeLines be promoted to it).
type windowLineTaker interface {
	// takeLines takes from r, with takeRun, the lines that Line would
	// only add to the message in progress, and leaves the first other
	// line for the framework to read and hand over as usual.
	takeLines(r *lineReader)
}

// newTextSource reads the first lines of a text input, picks its format
// (forced when not nil) and prepares to read it. It returns a
// *FormatError when no format recognises the text.
func newTextSource(name string, br *bufio.Reader, forced *TextFormat) (*textSource, error) {
	s := &textSource{lr: newLineReader(br), sum: newSummaryBuilder()}
	s.problem = func(int, string) {}
	var detect [][]byte
	nonBlank := 0
	// the sample is bounded in lines too, so that a file of blank lines
	// cannot make it grow without end
	for nonBlank < detectLines && len(s.sample) < maxSampleLines {
		raw, ok := s.lr.next()
		if !ok {
			break
		}
		for _, l := range s.norm.lines(raw) {
			off := len(s.sampleBuf)
			s.sampleBuf = append(s.sampleBuf, l...)
			s.sample = append(s.sample, sampleLine{n: s.lr.n, off: off, end: len(s.sampleBuf)})
			if !isBlank(l) {
				nonBlank++
			}
		}
	}
	for _, l := range s.sample {
		if b := s.sampleBuf[l.off:l.end]; !isBlank(b) {
			detect = append(detect, b)
		}
	}
	s.format = forced
	if s.format == nil {
		s.format = detectTextFormat(detect)
	}
	if s.format == nil {
		return nil, &FormatError{Name: name, Format: "a text file with no SIP messages sipdiag recognises",
			Hint: "sipdiag reads pcap and pcapng captures and SIP text logs (" + textFormatList() +
				"); if this is one of those logs, name its format with --input-format"}
	}
	s.ing = s.format.New()
	s.taker, _ = s.ing.(windowLineTaker)
	s.rep.problem = func(line int, msg string) { s.problem(line, msg) }
	s.rep.emit = s.repaired
	return s, nil
}

// Emit receives a message from the ingester (TextSink).
func (s *textSource) Emit(m *TextMessage) {
	if m == nil {
		return
	}
	if m.Summary != nil {
		p := s.sum.build(m)
		if p == nil {
			// Nothing is dropped silently: a summary line that cannot
			// stand for a message (a response with no request before it
			// and no method) is a problem at its line.
			s.problem(m.Line, "packet summary without enough to rebuild a SIP message from (a response whose request is not in the list)")
			return
		}
		tm := s.newMsg(m)
		tm.line = m.Line
		tm.payload = append(tm.payload, p...)
		tm.synthetic = true
		tm.truncated = m.Truncated
		tm.src, tm.dst = m.Summary.Src, m.Summary.Dst
		s.push(tm)
		return
	}
	s.cur = m
	s.rep.repair(m)
	s.cur = nil
}

// Problem receives a problem from the ingester (TextSink).
func (s *textSource) Problem(line int, message string) { s.problem(line, message) }

// repaired receives each message the repairer rebuilt from s.cur.
func (s *textSource) repaired(line int, payload []byte, truncated bool) []byte {
	tm := s.newMsg(s.cur)
	tm.line = line
	// the message keeps the repairer's buffer; the repairer gets the
	// recycled message's one
	reuse := tm.payload
	tm.payload = payload
	tm.view, tm.viewed = s.rep.view, true
	tm.truncated = truncated
	s.push(tm)
	return reuse
}

func (s *textSource) newMsg(m *TextMessage) *textMsg {
	var tm *textMsg
	if n := len(s.free); n > 0 {
		tm = s.free[n-1]
		s.free = s.free[:n-1]
		*tm = textMsg{payload: tm.payload[:0]}
	} else {
		tm = &textMsg{}
	}
	tm.stamp, tm.seq, tm.dir = m.Stamp, m.Seq, m.Dir
	tm.local, tm.peer, tm.peerHost, tm.transport = m.Local, m.Peer, m.PeerHost, m.Transport
	return tm
}

// push adds a message to the window, learning from it, and keeps messages
// with the same stamp in the order of their sequence numbers.
func (s *textSource) push(tm *textMsg) {
	if !tm.synthetic {
		if !tm.viewed {
			tm.view = viewOf(tm.payload)
		}
		if tm.dir != DirUnknown {
			s.or.learn(tm, &tm.view)
		}
	}
	i := len(s.window)
	s.window = append(s.window, tm)
	for i > s.head {
		p := s.window[i-1]
		if tm.seq == 0 || p.seq <= tm.seq || tm.stamp.Time.IsZero() || !p.stamp.Time.Equal(tm.stamp.Time) {
			break
		}
		s.window[i-1], s.window[i] = tm, p
		i--
	}
}

// nextMsg returns the next message, or nil at the end of the input. The
// message is valid until the following call.
func (s *textSource) nextMsg() *textMsg {
	if s.given != nil {
		s.free = append(s.free, s.given)
		s.given = nil
	}
	for len(s.window)-s.head <= textWindow && s.fill() {
	}
	if s.head == len(s.window) {
		return nil
	}
	m := s.window[s.head]
	s.window[s.head] = nil
	s.head++
	if s.head == len(s.window) {
		s.window, s.head = s.window[:0], 0
	} else if s.head >= 4*textWindow {
		n := copy(s.window, s.window[s.head:])
		s.window, s.head = s.window[:n], 0
	}
	if !m.synthetic {
		s.or.orient(m, &m.view)
	}
	m.time = s.tl.at(m.stamp, s.dateHint)
	s.given = m
	return m
}

// dateHint finds a Date header among the messages waiting.
func (s *textSource) dateHint() (time.Time, bool) {
	if s.given != nil {
		if d, ok := parseSIPDate(s.given.view.date); ok {
			return d, true
		}
	}
	for _, m := range s.window[s.head:] {
		if d, ok := parseSIPDate(m.view.date); ok {
			return d, true
		}
	}
	return time.Time{}, false
}

// fill feeds lines until the window is full or the input is over; false
// once the input is over and the ingester flushed. A panic in the ingester
// (a bug reading a malformed line) becomes a problem at that line instead
// of ending the run; reading goes on with the next line.
func (s *textSource) fill() (more bool) {
	defer func() {
		if e := recover(); e != nil {
			s.problem(s.at, fmt.Sprintf("the %s reader failed on this line (%v): line skipped", s.format.Name, e))
			more = true
		}
	}()
	for len(s.window)-s.head <= textWindow {
		if !s.feed() {
			return false
		}
	}
	return true
}

// feed hands the next line to the ingester; false once the input is over
// and the ingester flushed.
func (s *textSource) feed() bool {
	if s.samplePos < len(s.sample) {
		l := s.sample[s.samplePos]
		s.samplePos++
		if s.samplePos == len(s.sample) {
			defer func() { s.sample, s.sampleBuf = nil, nil }()
		}
		s.line(l.n, s.sampleBuf[l.off:l.end])
		return true
	}
	if s.ended {
		return false
	}
	raw, ok := s.lr.next()
	if s.lr.cut != s.cutSeen {
		s.cutSeen = s.lr.cut
		s.problem(s.lr.cut, fmt.Sprintf("line longer than %d bytes: the rest of it is not read", maxTextLine))
	}
	if !ok {
		if s.lr.err != nil && !errors.Is(s.lr.err, io.EOF) {
			s.problem(s.lr.n+1, fmt.Sprintf("input ends early: %v", s.lr.err))
		}
		s.ended = true
		s.at = s.lr.n
		s.ing.End(s)
		return true // End may have emitted messages
	}
	s.raw(raw)
	if s.taker != nil {
		// the lines of a message that follow, up to the first other
		// line, which the next call hands over as usual (a panic in
		// takeLines is reported at the line before the ones it took)
		s.taker.takeLines(s.lr)
	}
	return true
}

// raw hands the ingester the line last read (s.lr.n), normalised.
func (s *textSource) raw(raw []byte) {
	if s.lr.lineClean && (len(raw) == 0 || raw[0] != '>' && raw[0] != '`') {
		// the reader found nothing to undo in the line (cleanSpan): what
		// the normaliser returns for it is the line itself
		s.line(s.lr.n, raw)
		return
	}
	for _, l := range s.norm.lines(raw) {
		s.line(s.lr.n, l)
	}
}

func (s *textSource) line(n int, l []byte) {
	s.at = n
	s.ing.Line(n, l, s)
}

// lines is the number of log lines read so far.
func (s *textSource) lines() int { return s.lr.n }

// datagram converts a message for the Reader.
func (m *textMsg) datagram() Datagram {
	return Datagram{
		Line:      m.line,
		Time:      m.time,
		Src:       m.src,
		Dst:       m.dst,
		Transport: m.transport,
		Kind:      KindSIP,
		Payload:   m.payload,
		Truncated: m.truncated,
		Synthetic: m.synthetic,
	}
}

// textSource satisfies source so that it can sit in input.src; it is not
// read by records (input.readText reads it).
func (s *textSource) next() ([]byte, time.Time, uint32, error) { return nil, time.Time{}, 0, io.EOF }

func (s *textSource) offset() int64 { return s.lr.read }
