package decode

import (
	"bytes"
	"errors"
)

// ErrNotSIP is returned by Scan when the data has no valid SIP start line.
var ErrNotSIP = errors.New("decode: not a SIP message (no valid start line)")

// Header is one header line as written, held as offsets into the scanned
// message (Message.HeaderName and Message.HeaderValue give the bytes):
// without pointers, filling one costs no write barriers and the index is
// a third of the size. The value is trimmed of surrounding LWS; the CRLF
// and indentation of folded continuation lines stay inside it (RFC 3261
// §7.3.1 lets receivers treat them as a single SP).
type Header struct {
	ID                   HeaderID
	nameStart, nameEnd   uint32
	valueStart, valueEnd uint32
}

// maxScanLen bounds a message so that header offsets fit in uint32;
// bytes beyond it are not scanned.
const maxScanLen = 1<<32 - 1

// Message is one scanned SIP message. All slices point into the buffer
// given to Scan, which must stay unchanged while the Message is used.
// A Message is meant to be reused: Scan keeps the storage of Headers and
// Defects, so scanning in a loop allocates nothing once it is warm.
type Message struct {
	Raw          []byte // the whole message as scanned (start line .. end of body)
	Request      bool
	Method       []byte // request method as written (compare with MethodIs)
	RequestURI   []byte
	Version      []byte // SIP-Version as written, e.g. "SIP/2.0"
	StatusCode   int    // responses
	ReasonPhrase []byte
	Headers      []Header // in order; storage reused across Scan calls; offsets into Raw
	Body         []byte
	Defects      []Defect // non-fatal problems found while scanning (storage reused)

	first [numHeaderIDs]int32 // index+1 in Headers of the first header of each ID
	date  int32               // index+1 of the Date header (checked for GMT)
	// repeated is set when a single-valued header appears twice, so that
	// checkRepeats runs only then.
	repeated bool
	// views caches the typed views that both Validate and the correlator
	// read, so each is parsed once per message.
	views parsedViews
}

type parsedViews struct {
	have                        uint8 // viewVia | viewFrom | viewTo | viewCSeq
	via                         Via
	from, to                    NameAddr
	cseq                        CSeq
	viaOK, fromOK, toOK, cseqOK bool
}

const (
	viewVia uint8 = 1 << iota
	viewFrom
	viewTo
	viewCSeq
)

// Scan indexes one SIP message held in b. It fails only when b does not
// start (after optional CRLFs, RFC 3261 §7.5) with a SIP request or status
// line; every other irregularity becomes a Defect and scanning goes on.
//
// Framing follows UDP rules (RFC 3261 §18.3): bytes beyond Content-Length
// are ignored, a Content-Length larger than the data records
// DefectBodyTruncated, and without Content-Length the body is the rest.
//
// Scan records only the defects that are cheap to find: start line,
// header line shape, framing, missing mandatory headers, an unreadable
// CSeq and repeated single-valued headers. Validate adds the ones that
// need a full parse of Via, From, To, Contact, Max-Forwards and Date.
func (m *Message) Scan(b []byte) error {
	m.reset()
	if len(b) == 0 {
		return ErrNotSIP
	}
	if b[0] <= '\r' {
		// CRLFs before the start line (RFC 3261 §7.5); b is resliced
		// only then
		start := 0
		for start < len(b) && (b[start] == '\r' || b[start] == '\n') {
			start++
		}
		b = b[start:]
		if len(b) == 0 {
			return ErrNotSIP
		}
	}
	if len(b) > maxScanLen {
		b = b[:maxScanLen]
	}
	// lineAt(b, 0) written out: the search runs on b itself, without a
	// call and a slicing of b
	lineEnd, next := len(b), len(b)
	if j := bytes.IndexByte(b, '\n'); j >= 0 {
		lineEnd, next = j, j+1
	}
	if lineEnd > 0 && b[lineEnd-1] == '\r' {
		lineEnd--
	}
	if err := m.parseStartLine(b[:lineEnd]); err != nil {
		return err
	}
	// The Header offsets index Raw: all of b while the headers are read
	// (frameBody reads Content-Length), then only the message, which
	// still holds every header.
	m.Raw = b
	bodyStart := m.scanHeaders(b, next)
	m.frameBody(b, bodyStart)
	m.checkMandatory()
	return nil
}

func (m *Message) reset() {
	headers, defects := m.Headers[:0], m.Defects[:0]
	*m = Message{Headers: headers, Defects: defects}
}

// lineAt returns the end of the line starting at i (without its CR LF or
// bare LF) and the start of the next line.
func lineAt(b []byte, i int) (end, next int) {
	j := bytes.IndexByte(b[i:], '\n')
	if j < 0 {
		end, next = len(b), len(b)
	} else {
		end, next = i+j, i+j+1
	}
	if end > i && b[end-1] == '\r' {
		end--
	}
	return end, next
}

// scanHeaders indexes header lines from pos up to the empty line and
// returns where the body starts.
func (m *Message) scanHeaders(b []byte, pos int) int {
	cur := -1 // index in m.Headers of the header being continued
	for {
		if pos >= len(b) {
			m.addDefect(DefectNoEmptyLine)
			return len(b)
		}
		// matchName in place, knownNameLenPadded for a line near the end
		// of the message (the tests' knownNameLen): one call per line.
		// A matched name starts with a letter, so the empty line that
		// ends the headers is tested only after a miss; near the end of
		// the message (no body) it is tested first, before the padded
		// copy.
		var id HeaderID
		var n int
		if len(b)-pos >= 24 {
			id, n = matchName((*[24]byte)(b[pos : pos+24]))
		} else {
			if c := b[pos]; c == '\n' {
				return pos + 1
			} else if c == '\r' && pos+1 < len(b) && b[pos+1] == '\n' {
				return pos + 2
			}
			id, n = knownNameLenPadded(b[pos:])
		}
		if n > 0 {
			// The usual "Name: value" with an indexed name; the name
			// holds no line end, so the line end is searched after it.
			colon := pos + n
			// rest: the line after the ':' with its line end; the
			// checks below index it, bounded by one slicing.
			rest := b[colon+1:]
			next := len(b)
			if j := bytes.IndexByte(rest, '\n'); j >= 0 {
				rest, next = rest[:j], colon+2+j
			}
			if len(rest) > 0 && rest[len(rest)-1] == '\r' {
				rest = rest[:len(rest)-1]
			}
			// "Name: value": one SP, then a value that ends in no LWS,
			// is the shape nearly every line has; trimSpan handles the
			// rest.
			end := colon + 1 + len(rest)
			vs, ve := colon+2, end
			if len(rest) < 2 || rest[0] != ' ' || lwsChars[rest[1]] || lwsChars[rest[len(rest)-1]] {
				vs, ve = trimSpan(b, colon+1, end)
			}
			// addHeader written out: this runs for nearly every line, and
			// an indexed name is never the Date check's HOther.
			cur = m.nextHeader()
			h := &m.Headers[cur]
			h.ID, h.nameStart, h.nameEnd, h.valueStart, h.valueEnd = id, uint32(pos), uint32(colon), uint32(vs), uint32(ve)
			if m.first[id] == 0 {
				m.first[id] = int32(cur + 1)
			} else if singleValued[id] {
				m.repeated = true
			}
			pos = next
			continue
		}
		// The empty line that ends the headers (RFC 3261 §7), as CRLF or
		// a bare LF. The same test is written out above for the end of
		// the message: an inlined helper for both cost 2.5 M more
		// instructions in scanHeaders per 100k messages (branch layout).
		// TestScanMatchesReference holds both to lineAt's reading.
		if c := b[pos]; c == '\n' {
			return pos + 1
		} else if c == '\r' && pos+1 < len(b) && b[pos+1] == '\n' {
			return pos + 2
		}
		end, next := lineAt(b, pos)
		if end == pos {
			return next // a lone CR at the end of the data
		}
		if c := b[pos]; c == ' ' || c == '\t' {
			// Folded continuation line (RFC 3261 §7.3.1).
			if cur < 0 {
				m.addDefect(DefectBadHeaderLine)
			} else {
				// The value runs on to the continuation's end; an empty
				// value starts with the continuation.
				cs, ce := trimSpan(b, pos, end)
				if cs < ce {
					h := &m.Headers[cur]
					if h.valueStart == h.valueEnd {
						h.valueStart = uint32(cs)
					}
					h.valueEnd = uint32(ce)
				}
			}
			pos = next
			continue
		}
		// Fast path: a token name directly followed by ':' (the usual
		// "Name: value"); anything else goes through the general split.
		n = pos
		for _, c := range b[pos:end] {
			if !tokenChars[c] {
				break
			}
			n++
		}
		ns, ne := pos, n
		colon := n
		if n == pos || n == end || b[n] != ':' {
			c := bytes.IndexByte(b[pos:end], ':')
			if c < 0 {
				m.addDefect(DefectBadHeaderLine)
				cur = -1
				pos = next
				continue
			}
			colon = pos + c
			ns, ne = trimSpan(b, pos, colon)
			if !isToken(b[ns:ne]) || ns != pos {
				m.addDefect(DefectBadHeaderLine)
				if ns == ne {
					cur = -1
					pos = next
					continue
				}
			}
		}
		vs, ve := trimSpan(b, colon+1, end)
		cur = m.addHeader(HeaderIDOf(b[ns:ne]), b, ns, ne, vs, ve)
		pos = next
	}
}

// addHeader appends one header line, its name at b[ns:ne] and value at
// b[vs:ve], to the index and returns its index in m.Headers.
func (m *Message) addHeader(id HeaderID, b []byte, ns, ne, vs, ve int) int {
	cur := m.nextHeader()
	h := &m.Headers[cur]
	h.ID, h.nameStart, h.nameEnd, h.valueStart, h.valueEnd = id, uint32(ns), uint32(ne), uint32(vs), uint32(ve)
	name := b[ns:ne]
	if m.first[id] == 0 {
		m.first[id] = int32(cur + 1)
	} else if singleValued[id] {
		m.repeated = true
	}
	if id == HOther && m.date == 0 && equalFold(name, "date") {
		m.date = int32(cur + 1)
	}
	return cur
}

// nextHeader makes room for one more header and returns its index; the
// caller sets every field. Filled in place, a Header is not first built
// on the stack and then copied, a copy whose wide loads stall on the
// narrow stores just made.
func (m *Message) nextHeader() int {
	n := len(m.Headers)
	if n < cap(m.Headers) {
		m.Headers = m.Headers[:n+1]
	} else {
		m.Headers = append(m.Headers, Header{})
	}
	return n
}

// trimSpan trims LWS from both ends of b[s:e] and returns the new bounds.
func trimSpan(b []byte, s, e int) (int, int) {
	for s < e && isLWS(b[s]) {
		s++
	}
	for e > s && isLWS(b[e-1]) {
		e--
	}
	return s, e
}

// frameBody applies Content-Length (RFC 3261 §18.3, §20.14) to the bytes
// after the empty line.
func (m *Message) frameBody(b []byte, bodyStart int) {
	rest := b[bodyStart:]
	m.Body = rest
	if cl := m.Get(HContentLength); cl != nil {
		n, ok := parseUint(cl, 1<<31)
		switch {
		case !ok:
			m.addDefect(DefectBadContentLength)
		case int(n) > len(rest):
			m.addDefect(DefectBodyTruncated)
		default:
			m.Body = rest[:n]
		}
	}
	m.Raw = b[:bodyStart+len(m.Body)]
}
