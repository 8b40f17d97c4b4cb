package capture

import (
	"bytes"
	"strconv"
)

// The repair of one emitted TextMessage, second half: r.lines (cleaned)
// are written back as SIP messages with CRLF line ends (RFC 3261 §7),
// joining folded and wrapped header lines, re-splitting lines that hold a
// collapsed message, inserting the lost blank line before a body, and
// cutting the body at Content-Length.

// rebuild is the state of the message being written.
type rebuild struct {
	line      int  // log line where the message starts
	startN    int  // log line of its start line
	open      bool // a header line is written without its CRLF yet
	inBody    bool
	bodyStart int // offset of the body in r.out
	sdp       bool
	clen      int // Content-Length, -1 if none
	clenLine  int
	mandatory uint8 // mandatory headers seen (RFC 3261 §8.1.1)
	junk      int   // log line of the first line ignored after the body, 0 if none
	junkCount int
	blanks    int // blank body lines not written yet
	ended     bool
	truncated bool
	viewAt    []viewLineAt // the header lines the view reads
}

// viewLineAt is a header line the view reads, found while the message was
// written: where it starts in r.out, its colon (from the line start), and
// which header it is, so that the view reads its value without finding
// the name again. end is where the line ends in r.out when it was written
// whole (the fast path), -1 when a line may still grow (joined wraps).
type viewLineAt struct {
	at, colon, end int
	kind           viewHeaderKind
}

const (
	hasVia uint8 = 1 << iota
	hasFrom
	hasTo
	hasCallID
	hasCSeq
	allMandatory = hasVia | hasFrom | hasTo | hasCallID | hasCSeq
)

// rebuild writes r.lines as one or more messages. line is the envelope's
// line (the first message's Line); truncated is what the envelope or an
// annotation said, and goes to the last message.
func (r *repairer) rebuild(line int, truncated bool) {
	lines := r.lines
	// skip to the first start line; anything before it is the tail of a
	// message cut by the start of the log (or of the envelope)
	first := -1
	for i, l := range lines {
		if _, ok := textStartLine(l.b); ok {
			first = i
			break
		}
	}
	if first < 0 {
		for _, l := range lines {
			if !l.blank() {
				r.problemf(l.n, "no SIP start line in the message at line %d: not read", line)
				return
			}
		}
		r.problemf(line, "empty message: nothing to read")
		return
	}
	for _, l := range lines[:first] {
		if !l.blank() {
			r.problemf(l.n, "message cut at its start (the log begins inside it): %d line(s) before the next start line not read", first)
			break
		}
	}
	r.begin(line, lines[first])
	r.prevSoft, r.prevLen = lines[first].softEnd, len(lines[first].b)
	for _, l := range lines[first+1:] {
		r.add(l)
		r.prevSoft, r.prevLen = l.softEnd, len(l.b)
	}
	r.b.truncated = r.b.truncated || truncated
	r.finish()
}

// begin starts a message at its start line.
func (r *repairer) begin(envelope int, l textLine) {
	r.out = r.out[:0]
	r.b = rebuild{line: envelope, startN: l.n, clen: -1, viewAt: r.b.viewAt[:0]}
	end, _ := textStartLine(l.b)
	r.out = append(r.out, l.b[:end]...)
	rest := l.b[end:]
	if len(rest) == 0 {
		r.out = append(r.out, "\r\n"...)
		return
	}
	// After the start line proper: a reason phrase, an annotation, or the
	// rest of a collapsed message.
	cut := nextHeaderCut(rest, 0)
	if bytes.HasPrefix(l.b, sipVersion) {
		// status line: the reason phrase runs up to the first header
		r.out = append(r.out, trimRightWS(rest[:cut])...)
		rest = rest[cut:]
	}
	r.out = append(r.out, "\r\n"...)
	rest = trimLeftWS(rest)
	// what follows a request line is the rest of a collapsed message only
	// when it starts with a header; otherwise it is a comment
	if len(rest) > 0 && (r.isHeader(rest) || isCollapsedBody(rest)) {
		r.header(textLine{b: rest, n: l.n})
	}
}

// add handles one line after the start line.
func (r *repairer) add(l textLine) {
	if r.b.ended {
		r.afterBody(l)
		return
	}
	if r.b.inBody {
		r.bodyLine(l)
		return
	}
	switch {
	case l.blank():
		r.endHeaders()
	case l.indented && r.b.open:
		// RFC 3261 §7.3.1: a line starting with whitespace continues
		// the header above (folding)
		r.join(trimLeftWS(l.b), true)
	case r.isHeader(l.b):
		r.header(textLine{b: trimLeftWS(l.b), n: l.n})
	case isStart(l.b):
		r.finish()
		r.begin(l.n, l)
	case startsBody(l.b) || isSDPLine(l.b):
		// the blank line before the body was lost in the paste
		r.endHeaders()
		r.bodyLine(l)
	case r.b.open:
		// a line wrapped by a mail client or a web page
		r.join(trimLeftWS(l.b), r.wrapSpace())
	default:
		r.closeHeader()
		r.out = append(r.out, l.b...)
		r.b.open = true
	}
}

func isStart(b []byte) bool { _, ok := textStartLine(b); return ok }

// wrapSpace: whether a line wrapped without indentation joins the one
// above with a space. A soft break (format=flowed leaves the space at the
// end of the line) does; a hard wrap of a long line broke a token and
// does not; after a short line, the break was between words — except
// after a "<", where a name-addr's URI follows with no space (RFC 3261
// §25.1 LAQUOT).
func (r *repairer) wrapSpace() bool {
	if n := len(r.out); n > 0 && r.out[n-1] == '<' {
		return false
	}
	return r.prevSoft || r.prevLen < 60
}

// header writes a header line, splitting a line that holds several
// headers (a collapsed message) before each known header name.
// isHeader: the line (after any indentation) starts with a header name;
// the colon found is kept for header, which comes next.
func (r *repairer) isHeader(b []byte) bool {
	r.colon = headerColon(trimLeftWS(b))
	return r.colon >= 0
}

func (r *repairer) header(l textLine) {
	b := l.b
	colon := r.colon
	r.colon = -1
	for len(b) > 0 {
		if isCollapsedBody(b) {
			r.endHeaders()
			r.bodyLine(textLine{b: b, n: l.n})
			return
		}
		if colon < 0 {
			colon = headerColon(b)
		}
		cut := nextHeaderCut(b, max(colon+1, 1))
		one := trimRightWS(b[:cut])
		b = b[cut:]
		r.closeHeader()
		if colon >= 0 && colon < len(one) {
			r.noteHeader(one, colon, l.n, len(r.out), -1)
		}
		r.out = append(r.out, one...)
		r.b.open = true
		colon = -1
	}
}

// isCollapsedBody: the rest of a collapsed line starts an SDP body.
func isCollapsedBody(b []byte) bool {
	return bytes.HasPrefix(b, []byte("v=0")) && (len(b) == 3 || b[3] == ' ')
}

// nextHeaderCut returns the index in b (from `from` on) of the next
// position where a collapsed message puts a new header: after a space,
// outside quotes, a known header name and a colon; or " v=0" (the body).
// len(b) if none.
func nextHeaderCut(b []byte, from int) int {
	// A cut is at a colon ending a known header name that follows a space.
	// Colons are few in a header line (host:port, sip:), so look at each.
	cut := len(b)
	for i := from; i < len(b); {
		c := bytes.IndexByte(b[i:], ':')
		if c < 0 {
			break
		}
		c += i
		i = c + 1
		if c == 0 || !isLetter(b[c-1]) {
			continue // header names end in a letter; "host:5060" does not
		}
		s := c
		for s > from && headerNameChars[b[s-1]] {
			s--
		}
		if s == c || s == 0 || b[s-1] != ' ' || b[s] < 'A' || b[s] > 'Z' || !isKnownHeaderName(b[s:c]) {
			continue
		}
		if bytes.Count(b[:s], quote)%2 == 1 {
			continue // inside a quoted display name
		}
		cut = s
		break
	}
	// a collapsed SDP body: " v=0"
	for i := from; i < cut; {
		e := bytes.IndexByte(b[i:cut], '=')
		if e < 0 {
			break
		}
		e += i
		i = e + 1
		if e >= 2 && b[e-1] == 'v' && b[e-2] == ' ' && e+1 < len(b) && b[e+1] == '0' && (e+2 == len(b) || b[e+2] == ' ') {
			return e - 1
		}
	}
	return cut
}

var quote = []byte{'"'}

// noteHeader records what the checks at the end need: Content-Length and
// which mandatory headers are present (long and compact forms, RFC 3261
// §7.3.3).
func (r *repairer) noteHeader(h []byte, colon, n, at, end int) {
	name := trimRightWS(h[:colon])
	var bit uint8
	switch len(name) {
	case 1:
		switch name[0] | 0x20 {
		case 'v':
			bit = hasVia
			r.viewLine(at, colon, end, viewVia)
		case 'f':
			bit = hasFrom
		case 't':
			bit = hasTo
		case 'i':
			bit = hasCallID
			r.viewLine(at, colon, end, viewCallID)
		case 'l':
			r.contentLength(h[colon+1:], n)
		case 'c':
			r.contentType(h[colon+1:])
		}
	case 2:
		if nameIs(name, "to") {
			bit = hasTo
		}
	case 3:
		if nameIs(name, "via") {
			bit = hasVia
			r.viewLine(at, colon, end, viewVia)
		}
	case 4:
		switch {
		case nameIs(name, "from"):
			bit = hasFrom
		case nameIs(name, "cseq"):
			bit = hasCSeq
			r.viewLine(at, colon, end, viewCSeq)
		case nameIs(name, "date"):
			r.viewLine(at, colon, end, viewDate)
		}
	case 5:
		if nameIs(name, "route") {
			r.viewLine(at, colon, end, viewRoute)
		}
	case 7:
		if nameIs(name, "call-id") {
			bit = hasCallID
			r.viewLine(at, colon, end, viewCallID)
		}
	case 12:
		if nameIs(name, "content-type") {
			r.contentType(h[colon+1:])
		}
	case 14:
		if nameIs(name, "content-length") {
			r.contentLength(h[colon+1:], n)
		}
	}
	r.b.mandatory |= bit
}

// nameIs compares a header name with a lower-case ASCII name, ignoring
// the case of the name's letters: equalFold with the case of one side
// settled in advance.
func nameIs(name []byte, lower string) bool {
	if len(name) != len(lower) {
		return false
	}
	for i, c := range name {
		// most bytes match as they are; otherwise c must be the
		// upper case of a letter of lower
		if l := lower[i]; c != l && (c|0x20 != l || l < 'a' || l > 'z') {
			return false
		}
	}
	return true
}

// viewLine notes where a header the view reads starts in r.out, so that
// the view is read from those lines only, not from the whole message.
// The colon and kind of a line do not change when a wrap joins it (only
// its end does): the first note of a line stands.
func (r *repairer) viewLine(at, colon, end int, kind viewHeaderKind) {
	if k := len(r.b.viewAt); k == 0 || r.b.viewAt[k-1].at != at {
		r.b.viewAt = append(r.b.viewAt, viewLineAt{at: at, colon: colon, end: end, kind: kind})
	}
}

func (r *repairer) contentLength(val []byte, n int) {
	if v, ok := smallDecimal(trimWS(val)); ok {
		r.b.clen, r.b.clenLine = v, n
		return
	}
	if v, err := strconv.Atoi(string(trimWS(val))); err == nil && v >= 0 {
		r.b.clen, r.b.clenLine = v, n
	}
}

func (r *repairer) contentType(val []byte) {
	r.b.sdp = containsLower(val, "application/sdp")
}

// containsLower is bytes.Contains(bytes.ToLower(b), lower) for a
// lower-case ASCII lower, without ToLower's copy when b is ASCII.
func containsLower(b []byte, lower string) bool {
	for _, c := range b {
		if c >= 0x80 {
			// Unicode case folding can turn a non-ASCII letter into
			// an ASCII one: leave that to bytes.ToLower
			return bytes.Contains(bytes.ToLower(b), []byte(lower))
		}
	}
	return containsFoldASCII(b, lower)
}

// containsFoldASCII: lower-case ASCII s occurs in b, ignoring the case of
// b's letters, without the copy bytes.ToLower makes.
func containsFoldASCII(b []byte, s string) bool {
	for i := 0; i+len(s) <= len(b); i++ {
		if equalFold(b[i:i+len(s)], s) {
			return true
		}
	}
	return false
}

// join appends a continuation to the open header line. A space goes
// between them unless the break is inside a token: the line above ends
// in a separator ("14.1.16.25:" + "5060;branch=...") or the continuation
// starts with one (";tag=...", "-3585E95A@...").
func (r *repairer) join(cont []byte, space bool) {
	if len(cont) == 0 {
		return
	}
	last := r.out[len(r.out)-1]
	emptyValue := last == ':' && headerColon(r.out[r.lastLineStart():]) == len(r.out)-1-r.lastLineStart()
	switch {
	case emptyValue:
		space = true
	case bytes.IndexByte([]byte(";=:-.,/@"), last) >= 0, bytes.IndexByte([]byte(";=:-.,>@/"), cont[0]) >= 0:
		space = false
	}
	if space {
		r.out = append(r.out, ' ')
	}
	r.out = append(r.out, cont...)
	// the header may now be complete enough to read (Content-Length)
	ls := r.lastLineStart()
	if colon := headerColon(r.out[ls:]); colon >= 0 {
		r.noteHeader(r.out[ls:], colon, r.b.startN, ls, -1)
	}
}

// lastLineStart is the offset in r.out where the open line begins.
func (r *repairer) lastLineStart() int {
	return bytes.LastIndexByte(r.out, '\n') + 1
}

func (r *repairer) closeHeader() {
	if r.b.open {
		r.out = append(r.out, "\r\n"...)
		r.b.open = false
	}
}

// endHeaders writes the blank line that ends the header section.
func (r *repairer) endHeaders() {
	if r.b.inBody {
		return
	}
	r.closeHeader()
	r.out = append(r.out, "\r\n"...)
	r.b.inBody = true
	r.b.bodyStart = len(r.out)
}

func (r *repairer) bodyLen() int { return len(r.out) - r.b.bodyStart }

// bodyLine adds one line of the body. The body ends at Content-Length;
// SDP lines past it are still kept, since sanitised addresses change
// lengths (x.x.x.x is shorter than the address it hides).
func (r *repairer) bodyLine(l textLine) {
	if l.blank() {
		if r.bodyLen() > 0 {
			r.b.blanks++
		}
		return
	}
	if isStart(l.b) {
		r.finish()
		r.begin(l.n, l)
		return
	}
	if r.b.clen >= 0 && r.bodyLen() >= r.b.clen && !(r.b.sdp && isSDPLine(l.b)) {
		r.b.ended = true
		r.afterBody(l)
		return
	}
	if r.b.blanks > 0 && !r.b.sdp {
		for ; r.b.blanks > 0; r.b.blanks-- {
			r.out = append(r.out, "\r\n"...)
		}
	}
	r.b.blanks = 0
	b := l.b
	if l.indented && r.bodyLen() > 0 && isSDPLine(r.out[r.lastBodyLineStart():]) {
		// an SDP line wrapped with an indent by a document: the fields
		// of one line are separated by spaces (RFC 8866 §5)
		r.out = append(r.out[:len(r.out)-2], ' ')
		r.out = append(r.out, trimLeftWS(b)...)
		r.out = append(r.out, "\r\n"...)
		return
	}
	if r.b.sdp || isSDPLine(b) {
		// a collapsed SDP body: one line per "x=" field
		for len(b) > 0 {
			cut := nextSDPCut(b)
			r.out = append(r.out, bytes.TrimRight(b[:cut], " ")...)
			r.out = append(r.out, "\r\n"...)
			b = bytes.TrimLeft(b[cut:], " ")
		}
		return
	}
	r.out = append(r.out, b...)
	r.out = append(r.out, "\r\n"...)
}

// lastBodyLineStart is where the last complete body line begins in r.out.
func (r *repairer) lastBodyLineStart() int {
	end := len(r.out) - 2
	if end < r.b.bodyStart {
		return len(r.out)
	}
	return max(r.b.bodyStart, bytes.LastIndexByte(r.out[:end], '\n')+1)
}

// nextSDPCut: the next " x=" in a line holding several SDP fields. It
// looks at the '=' signs, which are few in an SDP line (one per field),
// where spaces are many ("o=- 2322603377095083991 1 IN IP4 10.20.9.89").
func nextSDPCut(b []byte) int {
	// the '=' of a cut at i (b[i] == ' ') is at i+2, and i >= 1
	for e := 3; e+1 < len(b); {
		k := bytes.IndexByte(b[e:len(b)-1], '=')
		if k < 0 {
			break
		}
		e += k
		if b[e-2] == ' ' && sdpTypes[b[e-1]] {
			return e - 1
		}
		e++
	}
	return len(b)
}

// sdpTypes are the field letters of RFC 8866 §5.
var sdpTypes = func() (t [256]bool) {
	for _, c := range []byte("vosiuepcbtrzkam") {
		t[c] = true
	}
	return
}()

// afterBody handles lines after a body that reached its Content-Length: a
// new start line opens the next message; other text is not part of any
// message and is reported once per run.
func (r *repairer) afterBody(l textLine) {
	if l.blank() {
		return
	}
	if isStart(l.b) {
		r.finish()
		r.begin(l.n, l)
		return
	}
	if r.b.junk == 0 {
		r.b.junk = l.n
	}
	r.b.junkCount++
}

// finish checks and emits the message being rebuilt.
func (r *repairer) finish() {
	b := &r.b
	if !b.inBody {
		r.closeHeader()
		if b.mandatory != allMandatory && b.clen < 0 {
			// no blank line, no Content-Length and headers missing: the
			// log ends inside the header section
			b.truncated = true
			r.problemf(b.startN, "message cut in its headers (%s missing)", missingHeaders(b.mandatory))
		}
		r.out = append(r.out, "\r\n"...)
		b.bodyStart = len(r.out)
	}
	if b.junk > 0 {
		r.problemf(b.junk, "%d line(s) after the message body (Content-Length %d) are not SIP: not read", b.junkCount, b.clen)
	}
	if got := r.bodyLen(); b.clen > 0 && got < b.clen {
		switch {
		case got == 0:
			b.truncated = true
			r.problemf(b.clenLine, "Content-Length %d but the log holds no body: body missing or cut", b.clen)
		case b.clen-got > max(32, b.clen/5):
			b.truncated = true
			r.problemf(b.startN, "body cut: the log holds %d of %d bytes (Content-Length)", got, b.clen)
		}
	}
	r.view, _ = startView(r.out)
	for _, h := range b.viewAt {
		var line []byte
		if h.end >= 0 {
			line = r.out[h.at:h.end]
		} else {
			line = lineAt(r.out, h.at)
		}
		r.view.headerOf(h.kind, line[h.colon+1:])
	}
	if r.emit != nil {
		r.out = r.emit(b.line, r.out, b.truncated)
	}
	r.out = r.out[:0]
	*b = rebuild{viewAt: b.viewAt[:0]}
}

func missingHeaders(have uint8) string {
	var s []byte
	for _, h := range []struct {
		bit  uint8
		name string
	}{{hasVia, "Via"}, {hasFrom, "From"}, {hasTo, "To"}, {hasCallID, "Call-ID"}, {hasCSeq, "CSeq"}} {
		if have&h.bit == 0 {
			if len(s) > 0 {
				s = append(s, ", "...)
			}
			s = append(s, h.name...)
		}
	}
	return string(s)
}

// smallDecimal reads 1 to 9 ASCII digits, the usual Content-Length,
// without the string conversion of strconv.Atoi; anything else (a sign,
// more digits) reports false and is left to strconv.
func smallDecimal(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	v := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}
