package capture

import (
	"bytes"
	"fmt"
)

// Bare SIP (TEXT-FORMATS.md §16): messages pasted with no log envelope,
// copied out of any tool, a document or a mail. The fallback when no
// other format recognises the text: a message starts at each start line
// and runs to the next one; the framework's repair cuts its body at
// Content-Length and drops annotations, and orientation is inferred.

func init() {
	registerTextFormat(&TextFormat{
		Name:     "bare",
		Title:    "SIP messages with no log envelope",
		Detect:   detectBare,
		New:      func() TextIngester { return &bareIngester{} },
		Priority: 99,
	})
}

// detectBare scores 1 (the lowest) when the sample holds a start line, so
// that every format with an envelope wins over it.
func detectBare(sample [][]byte) int {
	for _, l := range sample {
		if startLineAt(l) >= 0 {
			return 1
		}
	}
	return 0
}

// startLineAt returns where a start line begins in line: after leading
// whitespace, or after a prefix some tool printed before the message
// (tcpdump -A's packet bytes "E..p..@.3....REGISTER sip:...", a console's
// "received text message:SIP/2.0 403 Forbidden"); -1 if there is none.
// After a prefix only a known method is believed (as in findSIPStart).
func startLineAt(line []byte) int {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	if _, ok := textStartLine(line[i:]); ok {
		return i
	}
	v := bytes.Index(line, sipVersion)
	if v < 0 {
		return -1
	}
	if _, ok := textStartLine(line[v:]); ok && v > 0 && !isLetter(line[v-1]) && !isDigit(line[v-1]) {
		return v
	}
	// a request line ends with the version: find the last one, then the
	// URI and the method before it
	v = bytes.LastIndex(line, sipVersion)
	if v < 2 || line[v-1] != ' ' || (v+7 < len(line) && line[v+7] != ' ') {
		return -1
	}
	u := bytes.LastIndexByte(line[:v-1], ' ')
	if u < 1 {
		return -1
	}
	m := u
	for m > 0 && 'A' <= line[m-1] && line[m-1] <= 'Z' {
		m--
	}
	start, known := trimMethodPrefix(line, m)
	if !known || start >= u {
		return -1
	}
	if _, ok := textStartLine(line[start:]); !ok {
		return -1
	}
	return start
}

// maxBareMessage bounds the memory one message can take: text running on
// past it without a new start line is not read as part of the message.
const maxBareMessage = 256 << 10

type bareIngester struct {
	inMsg  bool
	start  int    // line of the start line
	indent int    // indentation of the start line, removed from the lines after it
	text   []byte // the message so far
	lines  []int

	junkFrom, junkTo, junkCount int // a run of lines outside any message
}

func (b *bareIngester) Line(n int, line []byte, out TextSink) {
	body := bytes.TrimLeft(line, " \t")
	if at := startLineAt(line); at >= 0 {
		b.flush(out)
		b.reportJunk(out)
		b.inMsg, b.start, b.indent = true, n, 0
		if at == len(line)-len(body) {
			b.indent = at // an indented block
		}
		b.add(n, line[at:])
		return
	}
	if b.inMsg && len(b.text) > maxBareMessage {
		// no message is this long: what follows is not part of it
		b.flush(out)
	}
	if b.inMsg {
		// a paste indented as a block (Markdown, mail): remove the start
		// line's indentation, keep the rest (folded headers)
		k := 0
		for k < b.indent && k < len(line) && (line[k] == ' ' || line[k] == '\t') {
			k++
		}
		b.add(n, line[k:])
		return
	}
	if len(body) == 0 || annotationOf(body) != annotationNone {
		return
	}
	if b.junkCount == 0 {
		b.junkFrom = n
	}
	b.junkTo = n
	b.junkCount++
}

func (b *bareIngester) add(n int, line []byte) {
	b.text = append(b.text, line...)
	b.text = append(b.text, '\n')
	b.lines = append(b.lines, n)
}

func (b *bareIngester) End(out TextSink) {
	b.flush(out)
	b.reportJunk(out)
}

// flush emits the message in progress.
func (b *bareIngester) flush(out TextSink) {
	if !b.inMsg {
		return
	}
	out.Emit(&TextMessage{
		Line:  b.start,
		Text:  append([]byte(nil), b.text...),
		Lines: append([]int(nil), b.lines...),
	})
	b.inMsg = false
	b.text, b.lines = b.text[:0], b.lines[:0]
}

// reportJunk records a run of text outside any message: never dropped
// silently, but one problem per run rather than per line.
func (b *bareIngester) reportJunk(out TextSink) {
	if b.junkCount == 0 {
		return
	}
	if b.junkFrom == b.junkTo {
		out.Problem(b.junkFrom, "not a SIP message: line not read")
	} else {
		out.Problem(b.junkFrom, fmt.Sprintf("not a SIP message: lines %d-%d (%d lines of text) not read", b.junkFrom, b.junkTo, b.junkCount))
	}
	b.junkCount = 0
}
