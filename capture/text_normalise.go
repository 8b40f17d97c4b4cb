package capture

import (
	"bytes"
	"encoding/binary"
	"unicode/utf8"
)

// normaliser undoes what terminals, syslog collectors, web pages and mail
// clients do to pasted text (TEXT-FORMATS.md §0 steps 1–3 and the pitfalls
// table), one log line at a time. A line can come out as several: an
// escaped newline (rsyslog `#012`, Kiwi `<010>`, `<br />`, a lone CR)
// splits it, and every part keeps the log line's number.
type normaliser struct {
	buf  []byte
	ends []int
	out  [][]byte
	one  [1][]byte
}

// textSpecial marks the bytes the fast path must look at more closely.
var textSpecial = func() (t [256]uint8) {
	for c := 0; c < 0x20; c++ {
		if c != '\t' {
			t[c] = 1
		}
	}
	for c := 0x7f; c < 0x100; c++ {
		t[c] = 1
	}
	for _, c := range "&#<>\\`[^" {
		t[c] = 1
	}
	return
}()

// textSpecialPair answers for two bytes at once (the first in the low
// byte) whether they may start something to undo: 64 KiB, of which the
// pairs of printable ASCII a log is made of touch about 12 KiB. Where the
// first byte needs the next to decide (specialAt), the pair holds the
// answer; a second byte that needs the one after it is marked, and the
// bytes are then looked at one by one. '>' and '`' count only at the start
// of a line, which needsWork checks itself.
var textSpecialPair = pairTable(textSpecialPairAt, textContextual, func(hi byte) bool {
	return textSpecial[hi] != 0 && hi != '>' && hi != '`'
})

// textContextual: byte c may or may not start something, depending on
// what follows it or where it stands.
func textContextual(c byte) bool {
	switch c {
	case '<', '#', '\\', '^', '[', '>', '`':
		return true
	}
	return false
}

// textSpecialPairAt is textSpecialPair's entry for the pair lo, hi.
func textSpecialPairAt(lo, hi byte) bool {
	switch {
	case textSpecial[lo] != 0 && !textContextual(lo):
		return true
	case lo == '[': // needs more than the next byte
		return true
	case textContextual(lo) && lo != '>' && lo != '`' && specialAt([]byte{lo, hi}, 0):
		return true
	}
	return textSpecial[hi] != 0 && hi != '>' && hi != '`'
}

// lines returns the normalised logical lines of one raw log line. The
// result is valid until the next call. Most lines need nothing: they come
// back as they are, without a copy.
func (z *normaliser) lines(raw []byte) [][]byte {
	if n := len(raw); n >= 2 && raw[n-1] == 'M' && raw[n-2] == '^' {
		raw = raw[:n-2] // a CR shown as "^M" by a pager or an editor
	}
	if !z.needsWork(raw) {
		z.one[0] = raw
		return z.one[:]
	}
	return z.slow(raw)
}

// needsWork is the fast check: sixteen bytes at a time, two per lookup,
// and a closer look only at the few bytes that may start something to
// undo.
func (z *normaliser) needsWork(raw []byte) bool {
	n := len(raw)
	if n > 0 && (raw[0] == '>' || raw[0] == '`') {
		return specialAt(raw, 0)
	}
	i := 0
	for ; i+16 <= n; i += 16 {
		w := raw[i : i+16 : i+16]
		if specialWord(binary.LittleEndian.Uint64(w))|specialWord(binary.LittleEndian.Uint64(w[8:])) != 0 &&
			specialIn(raw, i, i+16) {
			return true
		}
	}
	if i+8 <= n {
		if specialWord(binary.LittleEndian.Uint64(raw[i:i+8])) != 0 && specialIn(raw, i, i+8) {
			return true
		}
		i += 8
	}
	if i < n && i >= 8 {
		// the last few bytes: the word ending the line, overlapping
		// bytes already seen (which, looked at again, do no harm)
		if specialWord(binary.LittleEndian.Uint64(raw[n-8:])) == 0 {
			return false
		}
	}
	return specialIn(raw, i, n)
}

// specialWord is nonzero when a byte of the eight in w (read little-endian)
// may start something to undo.
func specialWord(w uint64) uint8 {
	return textSpecialPair[uint16(w)] | textSpecialPair[uint16(w>>16)] |
		textSpecialPair[uint16(w>>32)] | textSpecialPair[uint16(w>>48)]
}

// specialIn: a byte of raw[from:to] starts something to undo.
func specialIn(raw []byte, from, to int) bool {
	for j := from; j < to && j < len(raw); j++ {
		if textSpecial[raw[j]] != 0 && specialAt(raw, j) {
			return true
		}
	}
	return false
}

// specialAt: the byte at raw[i], marked in the table, does start
// something to undo.
func specialAt(raw []byte, i int) bool {
	next := byte(0)
	if i+1 < len(raw) {
		next = raw[i+1]
	}
	switch raw[i] {
	case '<':
		switch next {
		case 'b', 'B', 'm', 'M', '0', ' ':
			return true
		}
		return false
	case '>', '`':
		return i == 0
	case '#':
		return next == '0'
	case '\\':
		return isMarkdownEscaped(next)
	case '^':
		return next == 'M'
	case '[':
		return bytes.HasPrefix(raw[i:], cloudflareEmail)
	}
	return true
}

var (
	cloudflareEmail = []byte("[email protected]")
)

func isMarkdownEscaped(c byte) bool { return c == '_' || c == '*' || c == '[' || c == ']' }

func (z *normaliser) slow(raw []byte) [][]byte {
	z.buf, z.ends = z.buf[:0], z.ends[:0]
	// a Markdown code fence line is not part of the log
	if bytes.HasPrefix(bytes.TrimLeft(raw, " \t"), []byte("```")) {
		z.one[0] = raw[:0]
		return z.one[:]
	}
	raw = trimQuoteMarkers(raw)
	for i := 0; i < len(raw); {
		c := raw[i]
		if textSpecial[c] == 0 {
			z.buf = append(z.buf, c)
			i++
			continue
		}
		i = z.special(raw, i)
	}
	z.ends = append(z.ends, len(z.buf))
	z.out = z.out[:0]
	start := 0
	for _, e := range z.ends {
		z.out = append(z.out, z.buf[start:e])
		start = e
	}
	return z.out
}

// split ends the current logical line.
func (z *normaliser) split() { z.ends = append(z.ends, len(z.buf)) }

// trimQuoteMarkers removes e-mail and Markdown quote markers ("> ", "> > ").
func trimQuoteMarkers(raw []byte) []byte {
	for len(raw) > 0 && raw[0] == '>' {
		raw = raw[1:]
		if len(raw) > 0 && raw[0] == ' ' {
			raw = raw[1:]
		}
	}
	return raw
}

// special handles the byte at raw[i], which the table marked, and returns
// where to go on.
func (z *normaliser) special(raw []byte, i int) int {
	c := raw[i]
	rest := raw[i:]
	switch {
	case c == '\r':
		// a lone CR inside a line: a line break (the line's CRLF was
		// already removed by the reader)
		z.split()
		return i + 1
	case c == '#':
		// rsyslog escapes control characters as #ooo (octal)
		switch {
		case bytes.HasPrefix(rest, []byte("#012")):
			z.split()
			return i + 4
		case bytes.HasPrefix(rest, []byte("#015")):
			return i + 4
		case bytes.HasPrefix(rest, []byte("#011")):
			z.buf = append(z.buf, '\t')
			return i + 4
		}
	case c == '^' && i+1 < len(raw) && raw[i+1] == 'M':
		z.split() // a CR shown as "^M" inside a line
		return i + 2
	case c == '[' && bytes.HasPrefix(rest, cloudflareEmail):
		// Cloudflare hid a user@host here; keep the placeholder as one
		// opaque token so that the URI holding it stays one word
		z.buf = append(z.buf, "[email-protected]"...)
		return i + len(cloudflareEmail)
	case c == '<':
		return z.angle(raw, i)
	case c == '&':
		return z.entity(raw, i)
	case c == '\\':
		if i+1 < len(raw) && isMarkdownEscaped(raw[i+1]) {
			z.buf = append(z.buf, raw[i+1])
			return i + 2
		}
	case c == 0x1b:
		return skipANSI(raw, i)
	case c < 0x20 && c != '\v' && c != '\f', c == 0x7f:
		return i + 1 // stray control characters carry nothing
	case c >= 0x80:
		r, size := utf8.DecodeRune(rest)
		if r == utf8.RuneError && size <= 1 {
			// not UTF-8: read the byte as Windows-1252, the Latin-1
			// that pasted text really uses
			z.appendRune(cp1252(c))
			return i + 1
		}
		z.appendRune(r)
		return i + size
	}
	z.buf = append(z.buf, c)
	return i + 1
}

// angle handles '<': Kiwi syslog escapes (<010>, <013>), HTML line breaks,
// and the links mail clients add inside URIs (<mailto:...>, < http...>).
func (z *normaliser) angle(raw []byte, i int) int {
	rest := raw[i:]
	switch {
	case bytes.HasPrefix(rest, []byte("<010>")), bytes.HasPrefix(rest, []byte("<012>")):
		z.split()
		return i + 5
	case bytes.HasPrefix(rest, []byte("<013>")):
		return i + 5
	}
	if n := htmlBreak(rest); n > 0 {
		if len(bytes.TrimSpace(rest[n:])) > 0 {
			z.split()
		}
		return i + n
	}
	if hasPrefixFold(rest, "<mailto:") || hasPrefixFold(rest, "< http") {
		end := bytes.IndexByte(rest, '>')
		if end > 0 {
			n := i + end + 1
			if rest[1] == ' ' && n < len(raw) && raw[n] == ';' {
				n++ // Outlook writes "user.info< http://user.info>;"
			}
			return n
		}
	}
	z.buf = append(z.buf, '<')
	return i + 1
}

// htmlBreak returns the length of a <br>, <br/> or <br /> tag at the start
// of b, or 0.
func htmlBreak(b []byte) int {
	if !hasPrefixFold(b, "<br") {
		return 0
	}
	j := 3
	for j < len(b) && b[j] == ' ' {
		j++
	}
	if j < len(b) && b[j] == '/' {
		j++
	}
	if j < len(b) && b[j] == '>' {
		return j + 1
	}
	return 0
}

func hasPrefixFold(b []byte, s string) bool {
	return len(b) >= len(s) && equalFold(b[:len(s)], s)
}

// htmlEntities are the named entities seen in pasted SIP.
var htmlEntities = map[string]rune{
	"lt": '<', "gt": '>', "quot": '"', "amp": '&', "apos": '\'', "colon": ':',
	"semi": ';', "nbsp": ' ', "ldquo": '"', "rdquo": '"', "lsquo": '\'',
	"rsquo": '\'', "ndash": '-', "mdash": '-', "hellip": '…', "equals": '=',
	"commat": '@', "sol": '/', "num": '#', "percnt": '%', "prime": '\'', "Prime": '"',
}

// entity decodes an HTML character reference at raw[i] ('&'); anything else
// is kept as it is (a '&' in a URI's headers part, RFC 3261 §19.1.1).
func (z *normaliser) entity(raw []byte, i int) int {
	rest := raw[i+1:]
	end := bytes.IndexByte(rest, ';')
	if end <= 0 || end > 10 {
		z.buf = append(z.buf, '&')
		return i + 1
	}
	name := rest[:end]
	var r rune = -1
	if name[0] == '#' {
		r = parseCharRef(name[1:])
	} else if v, ok := htmlEntities[string(name)]; ok {
		r = v
	}
	if r < 0 {
		z.buf = append(z.buf, '&')
		return i + 1
	}
	switch r {
	case '\n':
		z.split()
	case '\r':
	default:
		z.appendRune(r)
	}
	return i + 1 + end + 1
}

// parseCharRef reads the digits of "&#102;" or "&#x66;"; -1 if malformed.
func parseCharRef(d []byte) rune {
	base := rune(10)
	if len(d) > 0 && (d[0] == 'x' || d[0] == 'X') {
		base, d = 16, d[1:]
	}
	if len(d) == 0 {
		return -1
	}
	var r rune
	for _, c := range d {
		var v rune
		switch {
		case '0' <= c && c <= '9':
			v = rune(c - '0')
		case base == 16 && 'a' <= c|0x20 && c|0x20 <= 'f':
			v = rune(c|0x20-'a') + 10
		default:
			return -1
		}
		r = r*base + v
		if r > utf8.MaxRune {
			return -1
		}
	}
	return r
}

// appendRune writes r after typographic normalisation (§0 step 3): curly
// quotes and primes become ASCII quotes, dashes a hyphen, the many
// no-break and thin spaces a space; zero-width characters and BOMs go.
func (z *normaliser) appendRune(r rune) {
	switch r {
	case '\u201c', '\u201d', '\u201e', '\u201f', '\u2033', '\u2036', '\u00ab', '\u00bb':
		z.buf = append(z.buf, '"')
	case '\u2018', '\u2019', '\u201a', '\u201b', '\u2032', '\u2035':
		z.buf = append(z.buf, '\'')
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
		z.buf = append(z.buf, '-')
	case '\u00a0', '\u2002', '\u2003', '\u2007', '\u2009', '\u200a', '\u202f', '\u3000':
		z.buf = append(z.buf, ' ')
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
	case '\u2026':
		z.buf = append(z.buf, "..."...)
	case '\u2028', '\u2029':
		z.split()
	default:
		if r < 0x80 {
			if r < 0x20 && r != '\t' {
				return
			}
			z.buf = append(z.buf, byte(r))
			return
		}
		z.buf = utf8.AppendRune(z.buf, r)
	}
}

// cp1252 maps a byte of Windows-1252 text to its rune; the 0x80–0x9F range
// holds the typographic characters Word and Outlook insert.
func cp1252(c byte) rune {
	switch c {
	case 0x85:
		return '\u2026'
	case 0x91:
		return '\u2018'
	case 0x92:
		return '\u2019'
	case 0x93:
		return '\u201c'
	case 0x94:
		return '\u201d'
	case 0x96:
		return '\u2013'
	case 0x97:
		return '\u2014'
	case 0x80:
		return '\u20ac'
	}
	if c < 0xa0 {
		return utf8.RuneError
	}
	return rune(c)
}

// skipANSI skips a terminal escape sequence (colours in console pastes):
// ESC [ parameters final-byte, or a lone ESC and the byte after it.
func skipANSI(raw []byte, i int) int {
	i++
	if i < len(raw) && raw[i] == '[' {
		for i++; i < len(raw); i++ {
			if raw[i] >= 0x40 && raw[i] <= 0x7e {
				return i + 1
			}
		}
		return i
	}
	if i < len(raw) {
		i++
	}
	return i
}
