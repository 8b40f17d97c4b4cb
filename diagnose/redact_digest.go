package diagnose

import "strings"

// redactDigestASCII does what digestSecret.ReplaceAllString(s,
// `$1$2"<redacted>"`) does, for text that foldsAsASCII, in one pass without the regexp
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
// up to a comma or whitespace. Bytes of non-ASCII runes (and invalid
// UTF-8, which the regexp reads as U+FFFD) are never a quote, backslash,
// comma, whitespace or word byte, so they read the same either way.
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

// anyWordShaped reports whether some occurrence of one of words (lower-case
// ASCII, matched in any case) in s, at s[at:end], has the shape a secret
// regexp looks for. The shapes are loose (a superset of what the regexp
// matches): they only spare the regexp texts it cannot change.
func anyWordShaped(s string, shape func(s string, at, end int) bool, words ...string) bool {
	for _, w := range words {
		for i := 0; i+len(w) <= len(s); i++ {
			if s[i]|0x20 == w[0] && strings.EqualFold(s[i:i+len(w)], w) && shape(s, i, i+len(w)) {
				return true
			}
		}
	}
	return false
}

// typedAfter: the word is followed by whitespace, one digit and whitespace
// (IOS "password 7 0822455D0A16", iosTyped).
func typedAfter(s string, _, end int) bool {
	j := skipSpace(s, end)
	return j > end && j+1 < len(s) && '0' <= s[j] && s[j] <= '9' && isRegexpSpace(s[j+1])
}

// startsLine: only whitespace, or "enable" and whitespace, stands between
// the word and the start of its line (iosLine's (?m)^\s*(enable\s+)?).
// Going back over whitespace may cross line ends, as \s* does.
func startsLine(s string, at, _ int) bool {
	i := at
	for i > 0 && isRegexpSpace(s[i-1]) {
		i--
	}
	if i == 0 || strings.Contains(s[i:at], "\n") {
		return true
	}
	return i >= 6 && strings.EqualFold(s[i-6:i], "enable")
}

// assignedAfter: the word is followed by optional whitespace and '='
// (Asterisk/PJSIP "secret=…", confSecret).
func assignedAfter(s string, _, end int) bool {
	j := skipSpace(s, end)
	return j < len(s) && s[j] == '='
}
