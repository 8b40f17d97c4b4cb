package capture

import "bytes"

// The fast path of the repair: most messages in a log need none (a start
// line, one header per line, a blank line, a body within its
// Content-Length). repairFast writes such a message with CRLF in one pass
// over its Text, without cutting it into r.lines first. It gives up, having
// emitted nothing, at the first line the full repair would treat in any
// other way than copying it (a wrapped, folded or collapsed line, trailing
// whitespace, an annotation, a second start line, text past the body, a
// double-spaced paste, anything that would be a problem); the full repair
// then starts again from the Text. Both paths must write the same bytes:
// TestRepairFastSameAsFull checks it.

// repairFast emits m when it needs no repair and reports whether it did.
func (r *repairer) repairFast(m *TextMessage) bool {
	text := textLines{text: m.Text, lt: -1}
	line, lt := text.next()
	if len(line) == 0 || !plainLine(line, lt) {
		return false
	}
	end, ok := textStartLine(line)
	if !ok {
		return false
	}
	if end < len(line) {
		// a request line ends at its version; a status line's reason
		// phrase must hold nothing the full repair would cut at
		if line[0] != 'S' || nextHeaderCut(line[end:], 0) != len(line)-end {
			return false
		}
	}
	r.out = append(r.out[:0], line...)
	r.out = append(r.out, "\r\n"...)
	b := &r.b
	*b = rebuild{line: m.Line, startN: textLineNumber(m, 0), clen: -1, viewAt: b.viewAt[:0]}
	lines, blanks := 1, 0
	for i := 1; text.more(); i++ {
		line, lt = text.next()
		lines++
		if len(line) == 0 {
			blanks++
			if !b.inBody {
				r.endHeaders()
			} else if r.bodyLen() > 0 {
				b.blanks++
			}
			continue
		}
		if !plainLine(line, lt) {
			return false
		}
		if !b.inBody {
			colon := headerColon(line)
			if colon < 0 || nextHeaderCut(line, colon+1) != len(line) {
				return false
			}
			r.closeHeader()
			r.noteHeader(line, colon, textLineNumber(m, i), len(r.out), len(r.out)+len(line))
			r.out = append(r.out, line...)
			b.open = true
			continue
		}
		if !fastBodyLine(line) || isStart(line) {
			return false
		}
		sdpLine := isSDPLine(line)
		if b.clen >= 0 && r.bodyLen() >= b.clen && !(b.sdp && sdpLine) {
			return false // text after the body
		}
		if b.blanks > 0 && !b.sdp {
			for ; b.blanks > 0; b.blanks-- {
				r.out = append(r.out, "\r\n"...)
			}
		}
		b.blanks = 0
		if (b.sdp || sdpLine) && nextSDPCut(line) != len(line) {
			return false // a collapsed SDP body
		}
		r.out = append(r.out, line...)
		r.out = append(r.out, "\r\n"...)
	}
	if blanks*3 >= lines {
		return false // maybe a double-spaced paste
	}
	got := 0
	if b.inBody {
		got = r.bodyLen()
	} else if b.mandatory != allMandatory && b.clen < 0 {
		return false // cut in its headers
	}
	if b.clen > 0 && got < b.clen && (got == 0 || b.clen-got > max(32, b.clen/5)) {
		return false // body missing or cut
	}
	b.truncated = m.Truncated
	r.finish()
	return true
}

// textLines cuts a message's Text into lines, and tells which hold a
// "<-" (a trailing comment starts with one, cutTrailingComment): one
// search per line that has one, instead of one per line. Name-addrs
// ("<sip:...>") hold a '<' but not "<-": their lines need no closer look.
type textLines struct {
	text []byte
	off  int // where the next line starts
	lt   int // offset of the next "<-" at or after off, len(text) if none; -1 before the first search
}

func (t *textLines) more() bool { return t.off < len(t.text) }

// next returns the next line, without its "\n", and whether it holds a
// "<-".
func (t *textLines) next() (line []byte, lt bool) {
	if t.lt < 0 {
		t.lt = bytes.Index(t.text, commentArrow)
		if t.lt < 0 {
			t.lt = len(t.text)
		}
	}
	start := t.off
	rest := t.text[start:]
	if nl := bytes.IndexByte(rest, '\n'); nl >= 0 {
		line, t.off = rest[:nl], start+nl+1
	} else {
		line, t.off = rest, len(t.text)
	}
	end := start + len(line)
	if t.lt >= end {
		return line, false
	}
	if i := bytes.Index(t.text[end:], commentArrow); i >= 0 {
		t.lt = end + i
	} else {
		t.lt = len(t.text)
	}
	return line, true
}

var commentArrow = []byte("<-")

// plainLine: a non-empty line split would keep as it is: it starts with no
// whitespace, ends with none (nor a CR), and holds no trailing comment
// (which needs a "<-": lt).
func plainLine(line []byte, lt bool) bool {
	switch line[len(line)-1] {
	case ' ', '\t', '\v', '\f', '\r':
		return false
	}
	switch line[0] {
	case ' ', '\t':
		return false
	}
	return !lt || len(cutTrailingComment(line)) == len(line)
}

// fastBodyLine: a body line that cannot be an annotation (annotationOf
// looks only at lines starting with one of these bytes).
func fastBodyLine(line []byte) bool {
	switch line[0] {
	case '/', '.', '-', '[', '(', '<', '*', '=', '~', '8':
		return false
	}
	return true
}

// textLineNumber is the log line of the i-th line of m.Text, as split
// numbers it.
func textLineNumber(m *TextMessage, i int) int {
	switch {
	case i < len(m.Lines):
		return m.Lines[i]
	case m.Lines == nil && m.BodyLine > 0:
		return m.BodyLine + i
	case m.Lines == nil:
		return m.Line + i
	}
	return m.Line
}
