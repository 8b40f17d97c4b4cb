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
	text := m.Text
	line, text := cutLine(text)
	if len(line) == 0 || !plainLine(line) {
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
	for i := 1; len(text) > 0; i++ {
		line, text = cutLine(text)
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
		if !plainLine(line) {
			return false
		}
		if !b.inBody {
			colon := headerColon(line)
			if colon < 0 || nextHeaderCut(line, colon+1) != len(line) {
				return false
			}
			r.closeHeader()
			r.noteHeader(line, colon, textLineNumber(m, i), len(r.out))
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

// cutLine returns the first line of text (without its "\n") and the rest.
func cutLine(text []byte) (line, rest []byte) {
	if nl := bytes.IndexByte(text, '\n'); nl >= 0 {
		return text[:nl], text[nl+1:]
	}
	return text, nil
}

// plainLine: a non-empty line split would keep as it is: it starts with no
// whitespace, ends with none (nor a CR), and holds no trailing comment.
func plainLine(line []byte) bool {
	switch line[len(line)-1] {
	case ' ', '\t', '\v', '\f', '\r':
		return false
	}
	switch line[0] {
	case ' ', '\t':
		return false
	}
	return len(cutTrailingComment(line)) == len(line)
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
