package capture

import (
	"bytes"
	"fmt"
)

// The repair of one emitted TextMessage, first half: its Text is cut into
// lines, human annotations are dropped and double spacing undone. The
// second half (text_rebuild.go) joins wrapped and folded lines, re-splits
// collapsed ones and writes the message back with CRLF.

// textLine is one line of a message's Text.
type textLine struct {
	b        []byte // without line end or trailing whitespace
	n        int    // log line number
	indented bool   // began with a space or tab (a folded header line)
	softEnd  bool   // ended in whitespace (a soft line break in a wrapped paste)
}

func (l textLine) blank() bool { return len(l.b) == 0 }

// repairer turns the Text of TextMessages into SIP messages. It keeps its
// buffers between messages so that repairing allocates nothing in the
// steady state.
type repairer struct {
	lines []textLine
	out   []byte
	// problem records something that could not be read at a log line.
	problem func(line int, msg string)
	// emit receives each message found, written with CRLF. line is where
	// the message starts. emit may keep payload and hand back another
	// buffer for the repairer to write the next message in.
	emit func(line int, payload []byte, truncated bool) (reuse []byte)

	b      rebuild // state of the message being rebuilt
	view   sipView // of the message being emitted, read while it was written
	blanks int     // blank lines in lines
	colon  int     // where isHeader found the colon of the line header reads next
	// the previous line, for joining wrapped lines
	prevSoft bool
	prevLen  int
}

// repair splits, cleans and rebuilds m.Text, emitting one message per
// start line found (usually one).
func (r *repairer) repair(m *TextMessage) {
	if r.repairFast(m) {
		return
	}
	truncated := r.split(m)
	if r.blanks*3 >= len(r.lines) {
		// a third of the lines blank: maybe a double-spaced paste
		r.undoDoubleSpacing()
	}
	r.rebuild(m.Line, m.Truncated || truncated)
}

// split cuts m.Text into r.lines, numbering them, and drops annotations.
// It reports whether an annotation said the message was truncated.
func (r *repairer) split(m *TextMessage) (truncated bool) {
	r.lines, r.blanks = r.lines[:0], 0
	text := m.Text
	for i := 0; len(text) > 0; i++ {
		var line []byte
		if nl := bytes.IndexByte(text, '\n'); nl >= 0 {
			line, text = text[:nl], text[nl+1:]
		} else {
			line, text = text, nil
		}
		n := m.Line
		switch {
		case i < len(m.Lines):
			n = m.Lines[i]
		case m.Lines == nil && m.BodyLine > 0:
			n = m.BodyLine + i
		case m.Lines == nil:
			n = m.Line + i
		}
		tl := textLine{n: n}
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		end := len(line)
		for end > 0 && (line[end-1] == ' ' || line[end-1] == '\t' || line[end-1] == '\v' || line[end-1] == '\f') {
			end--
		}
		tl.softEnd = end < len(line)
		line = line[:end]
		tl.indented = len(line) > 0 && (line[0] == ' ' || line[0] == '\t')
		switch annotationOf(line) {
		case annotationDrop:
			continue
		case annotationTruncated:
			truncated = true
			continue
		}
		tl.b = cutTrailingComment(line)
		if len(tl.b) == 0 {
			r.blanks++
		}
		r.lines = append(r.lines, tl)
	}
	return truncated
}

type annotation uint8

const (
	annotationNone annotation = iota
	annotationDrop
	annotationTruncated
)

// annotationOf recognises lines a human or a tool added inside a pasted
// message (TEXT-FORMATS.md §16 and "Human annotations"): elisions ("...",
// "--- snip ---", "[...]", "(removed)"), comments ("//CUBE receives ..."),
// and truncation marks ("[truncated]", sofia's "*** message truncated at N
// ***").
func annotationOf(line []byte) annotation {
	t := trimLeftWS(line)
	if len(t) == 0 {
		return annotationNone
	}
	switch t[0] {
	case '/', '.', '-', '[', '(', '<', '*', '=', '~', '8':
	default:
		return annotationNone // the common case: a header line
	}
	t = bytes.TrimSpace(t)
	if len(t) > 2 && t[0] == '/' && t[1] == '/' && (t[2] == ' ' || isLetter(t[2])) {
		return annotationDrop
	}
	if bytes.HasPrefix(t, []byte("<- ")) || bytes.HasPrefix(t, []byte("<-- ")) {
		return annotationDrop // "<- EP initiate" left alone on its line
	}
	switch t[0] {
	case '.', '-', '[', '(', '<', '*', '=', '~', '8':
	default:
		return annotationNone
	}
	if onlyBytes(t, ".") {
		return annotationDrop
	}
	if len(t) > 40 {
		return annotationNone
	}
	low := bytes.ToLower(t)
	switch {
	case bytes.Contains(low, []byte("truncated")):
		return annotationTruncated
	case bytes.Contains(low, []byte("snip")), bytes.Contains(low, []byte("removed")),
		bytes.Contains(low, []byte("omitted")), bytes.Contains(low, []byte("cut here")),
		bytes.Equal(t, []byte("[...]")), bytes.Equal(t, []byte("(...)")), bytes.Equal(t, []byte("<...>")):
		return annotationDrop
	}
	return annotationNone
}

func onlyBytes(b []byte, set string) bool {
	for _, c := range b {
		if bytes.IndexByte([]byte(set), c) < 0 {
			return false
		}
	}
	return true
}

// cutTrailingComment removes a human comment written after a SIP line, as
// in "INVITE sip:1000@10.0.0.5 SIP/2.0   <- EP initiate".
func cutTrailingComment(line []byte) []byte {
	for from := 0; ; {
		lt := bytes.IndexByte(line[from:], '<')
		if lt < 0 {
			return line
		}
		lt += from
		from = lt + 1
		if lt == 0 || line[lt-1] != ' ' || lt+1 >= len(line) || line[lt+1] != '-' {
			continue
		}
		if j := lt + 2; j < len(line) && line[j] != '-' && line[j] != ' ' && line[j] != '=' {
			continue
		}
		return trimRightWS(line[:lt-1])
	}
}

// undoDoubleSpacing repairs pastes where every line is followed by a blank
// one (web pages that turned line breaks into paragraphs): when most gaps
// between text lines are exactly one blank line, each run of blanks is
// halved, so a real blank (header/body separator) survives as one.
func (r *repairer) undoDoubleSpacing() {
	gaps, single := 0, 0
	run, seen := 0, false
	for _, l := range r.lines {
		if l.blank() {
			run++
			continue
		}
		if seen && !l.indented {
			// a folded line follows its header with no gap in either
			// kind of paste: it says nothing about the spacing
			gaps++
			if run == 1 {
				single++
			}
		}
		seen, run = true, 0
	}
	if gaps < 4 || single*10 < gaps*8 {
		return
	}
	out := r.lines[:0]
	run = 0
	for _, l := range r.lines {
		if l.blank() {
			run++
			continue
		}
		for k := 0; k < run/2 && k < 1; k++ {
			out = append(out, textLine{n: l.n - 1})
		}
		run = 0
		out = append(out, l)
	}
	r.lines = out
}

func (r *repairer) problemf(line int, format string, args ...any) {
	if r.problem != nil {
		r.problem(line, fmt.Sprintf(format, args...))
	}
}
