package sipframe

import (
	"bytes"
	"errors"
)

// ErrNoContentLength means the header block is complete but carries no
// Content-Length. On a stream transport that header is mandatory (RFC 3261
// §18.3); the caller treats the body as empty and records a problem.
var ErrNoContentLength = errors.New("sipframe: no Content-Length header")

// ErrBadContentLength means a Content-Length value is not a decimal number,
// is too large, or two Content-Length headers disagree. The caller treats
// the body as empty and records a problem.
var ErrBadContentLength = errors.New("sipframe: unparseable Content-Length")

// MaxBody is the largest Content-Length accepted; anything bigger is taken
// for garbage rather than a reason to buffer that much of a stream.
const MaxBody = 16 << 20

// Len returns the length of the first complete SIP message in b: the header
// block up to and including the empty line (CRLFCRLF, or bare LFLF as
// tolerant parsers accept, RFC 3261 §7.5), plus Content-Length body bytes
// (RFC 3261 §20.14; compact form "l", §7.3.3; header names are
// case-insensitive and values may be folded onto continuation lines, §7.3.1).
//
// ok is false when b does not yet hold the whole message ("need more
// bytes"). When err is ErrNoContentLength or ErrBadContentLength, n is the
// length of the header block alone and ok is true.
func Len(b []byte) (n int, ok bool, err error) {
	headerEnd, found := headerBlockEnd(b)
	if !found {
		return 0, false, nil
	}
	body, err := contentLength(b[:headerEnd])
	if err != nil {
		return headerEnd, true, err
	}
	if len(b)-headerEnd < body {
		return 0, false, nil
	}
	return headerEnd + body, true, nil
}

// headerBlockEnd finds the end of the empty line that ends the headers and
// returns the index just past it.
func headerBlockEnd(b []byte) (int, bool) {
	for i := 0; i < len(b); i++ {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return 0, false
		}
		i += j
		// b[i] ends a line; an empty line follows if the next bytes are
		// LF or CRLF.
		if i+1 < len(b) && b[i+1] == '\n' {
			return i + 2, true
		}
		if i+2 < len(b) && b[i+1] == '\r' && b[i+2] == '\n' {
			return i + 3, true
		}
	}
	return 0, false
}

// contentLength scans the header block for Content-Length (or "l") and
// returns its value. Several headers with the same value are accepted.
func contentLength(h []byte) (int, error) {
	value := -1
	// skip the start line
	i := indexLF(h, 0)
	if i < 0 {
		return 0, ErrNoContentLength
	}
	i++
	for i < len(h) {
		lineEnd := indexLF(h, i)
		if lineEnd < 0 {
			lineEnd = len(h)
		}
		line := h[i:lineEnd]
		next := lineEnd + 1
		if !mayBeContentLength(line) {
			i = next
			continue
		}
		if name, rest, isHeader := splitHeaderName(line); isHeader && isContentLengthName(name) {
			// gather folded continuation lines (§7.3.1)
			v, err := parseDecimal(rest, h, &next)
			if err != nil {
				return 0, err
			}
			if value >= 0 && v != value {
				return 0, ErrBadContentLength
			}
			value = v
		}
		i = next
	}
	if value < 0 {
		return 0, ErrNoContentLength
	}
	return value, nil
}

func indexLF(b []byte, from int) int {
	if i := bytes.IndexByte(b[from:], '\n'); i >= 0 {
		return from + i
	}
	return -1
}

// mayBeContentLength is a cheap first look: only lines starting with c or
// l can be Content-Length.
func mayBeContentLength(line []byte) bool {
	return len(line) > 0 && (line[0]|0x20 == 'c' || line[0]|0x20 == 'l')
}

// splitHeaderName splits "Name WS : value" into name and value. Lines that
// start with whitespace (continuations) are not headers.
func splitHeaderName(line []byte) (name, rest []byte, ok bool) {
	if len(line) == 0 || line[0] == ' ' || line[0] == '\t' {
		return nil, nil, false
	}
	for i, c := range line {
		if c == ':' {
			name = line[:i]
			for len(name) > 0 && (name[len(name)-1] == ' ' || name[len(name)-1] == '\t') {
				name = name[:len(name)-1]
			}
			return name, line[i+1:], true
		}
	}
	return nil, nil, false
}

func isContentLengthName(name []byte) bool {
	if len(name) == 1 {
		return lower(name[0]) == 'l'
	}
	const full = "content-length"
	if len(name) != len(full) {
		return false
	}
	for i := range name {
		if lower(name[i]) != full[i] {
			return false
		}
	}
	return true
}

// parseDecimal reads the digits of a Content-Length value from rest; when
// the value is folded, it continues on lines of h starting at *next (lines
// that begin with whitespace), and *next is advanced past them. Only
// whitespace may surround the digits.
func parseDecimal(rest, h []byte, next *int) (int, error) {
	var p decimal
	if !p.feed(rest) {
		return 0, ErrBadContentLength
	}
	for *next < len(h) && (h[*next] == ' ' || h[*next] == '\t') {
		end := indexLF(h, *next)
		if end < 0 {
			end = len(h)
		}
		if !p.feed(h[*next:end]) {
			return 0, ErrBadContentLength
		}
		*next = end + 1
	}
	if p.digits == 0 {
		return 0, ErrBadContentLength
	}
	return p.value, nil
}

// decimal accumulates one whitespace-delimited run of digits.
type decimal struct {
	value, digits int
	ended         bool // whitespace seen after the digits
}

func (p *decimal) feed(s []byte) bool {
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			if p.ended {
				return false
			}
			p.value = p.value*10 + int(c-'0')
			p.digits++
			if p.value > MaxBody {
				return false
			}
		case c == ' ' || c == '\t' || c == '\r':
			p.ended = p.digits > 0
		default:
			return false
		}
	}
	return true
}
