package diagnose

import "strings"

// redactDigestASCII does what digestSecret.ReplaceAllString(s,
// `$1$2"<redacted>"`) does, for ASCII text, in one pass without the regexp
// engine: Go's regexp has no literal prefix to skip to under (?i), so it
// backtracks from every byte of every evidence line, and a report of a few
// hundred findings spent most of its build time there (callgrind, 100k
// messages: Redact 123M instructions for 450 evidence lines).
//
// The matching rules are the regexp's, and FuzzRedactDigest holds the two
// equal: a parameter name (nextnonce, cnonce, nonce, response, opaque,
// rspauth, any case) starting at a word boundary, optional whitespace, '=',
// optional whitespace, then a value: a quoted string whose backslash
// escapes are honoured (RFC 3261 §25.1 quoted-pair), or else a run of bytes
// up to a comma or whitespace. Non-ASCII text stays with the regexp, whose
// case folding also matches letters like U+017F.
func redactDigestASCII(s string) string {
	var b strings.Builder
	last := 0 // s[last:] not yet copied
	for i := 0; i < len(s); {
		name := digestNameAt(s, i)
		if name == 0 {
			i++
			continue
		}
		j := skipSpace(s, i+name)
		if j == len(s) || s[j] != '=' {
			i++
			continue
		}
		j = skipSpace(s, j+1)
		end := digestValueEnd(s, j)
		if end == j {
			i++
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:j])
		b.WriteString(`"` + Placeholder + `"`)
		last, i = end, end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// digestNames in the order the regexp's alternation tries them.
var digestNames = [...]string{"nextnonce", "cnonce", "nonce", "response", "opaque", "rspauth"}

// digestNameAt returns the length of the digest parameter name starting at
// s[i] after a word boundary, or 0.
func digestNameAt(s string, i int) int {
	if i > 0 && isWordByte(s[i-1]) {
		return 0
	}
	c := s[i] | 0x20
	if c != 'n' && c != 'c' && c != 'r' && c != 'o' {
		return 0
	}
	for _, n := range digestNames {
		if len(s)-i >= len(n) && strings.EqualFold(s[i:i+len(n)], n) {
			// A name that is followed by no '=' may still be a shorter
			// alternative's prefix only for cnonce/nonce, which cannot
			// both start at i; the first name that fits is the match.
			return len(n)
		}
	}
	return 0
}

// digestValueEnd returns the end of the value starting at s[j]: a closed
// quoted string, else a run of bytes that are neither comma nor
// whitespace; j when there is none.
func digestValueEnd(s string, j int) int {
	if j < len(s) && s[j] == '"' {
		k := j + 1
		for k < len(s) {
			switch s[k] {
			case '"':
				return k + 1
			case '\\':
				// A quoted-pair; the regexp's '.' does not take a newline.
				if k+1 < len(s) && s[k+1] != '\n' {
					k += 2
					continue
				}
				k = len(s) // unclosed: fall back to the token reading
				continue
			}
			k++
		}
	}
	k := j
	for k < len(s) && s[k] != ',' && !isRegexpSpace(s[k]) {
		k++
	}
	return k
}

func skipSpace(s string, i int) int {
	for i < len(s) && isRegexpSpace(s[i]) {
		i++
	}
	return i
}

// isRegexpSpace is Go regexp's \s: tab, newline, form feed, carriage
// return and space (not vertical tab).
func isRegexpSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
