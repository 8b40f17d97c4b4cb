package sipframe

import (
	"encoding/binary"
	"math/bits"
)

// IsStartLine reports whether b begins with a SIP request line
// ("METHOD SP Request-URI SP SIP/2.0", RFC 3261 §7.1) or a status line
// ("SIP/2.0 SP 3DIGIT", RFC 3261 §7.2). The method may be any token, in any
// case ("REGIStER" from a fuzzed capture is still a request line). The line
// must end in CR or LF, or at the end of b (a cut capture). It does not
// allocate.
func IsStartLine(b []byte) bool {
	if hasVersionPrefix(b) {
		return IsStatusRest(b[len(sipVersion):])
	}
	return isRequestLine(b)
}

const sipVersion = "SIP/2.0"

// hasVersionPrefix reports whether b starts with "SIP/2.0", ignoring case
// (RFC 3261 §7.1: the version string is case-insensitive).
func hasVersionPrefix(b []byte) bool {
	if len(b) >= 8 {
		// One word compare: 0x20 folds the letters' case and nothing
		// else (the fold bits sit only on S, I and P), the mask drops
		// the eighth byte.
		const (
			fold = 0x0000000000202020
			want = 0x00302e322f706973 // "sip/2.0" little-endian
			mask = 0x00ffffffffffffff
		)
		return (binary.LittleEndian.Uint64(b)|fold)&mask == want
	}
	return hasShortVersionPrefix(b)
}

// hasShortVersionPrefix is hasVersionPrefix for b shorter than a word,
// apart so that the word case stays small enough to be inlined.
//
//go:noinline
func hasShortVersionPrefix(b []byte) bool {
	if len(b) < len(sipVersion) {
		return false
	}
	for i := 0; i < len(sipVersion); i++ {
		if lower(b[i]) != lower(sipVersion[i]) {
			return false
		}
	}
	return true
}

// IsStatusRest reports whether b, what follows "SIP/2.0" (in any case) at
// the start of a line, completes a status line: SP, three digits, then
// the end of the line or SP and a Reason-Phrase without control
// characters other than HTAB (RFC 3261 §25.1). IsStartLine of a line that
// starts with the version is exactly IsStatusRest of the bytes after it;
// a caller that has already matched the version uses it to check the
// rest only once.
func IsStatusRest(b []byte) bool {
	if len(b) < 4 || b[0] != ' ' || !isDigit(b[1]) || !isDigit(b[2]) || !isDigit(b[3]) {
		return false
	}
	if len(b) == 4 {
		return true
	}
	switch b[4] {
	case '\r', '\n':
		return true
	case ' ':
		for i := 5; ; i++ {
			i = skipText(b, i)
			if i == len(b) || b[i] == '\r' || b[i] == '\n' {
				return true
			}
			if b[i] != '\t' {
				return false // another control character
			}
		}
	}
	return false
}

func isDigit(c byte) bool { return c-'0' <= 9 }

// isCTL: RFC 5234 CTL, %x00-1F / %x7F.
func isCTL(c byte) bool { return c < 0x20 || c == 0x7f }

// isRequestLine checks "token SP non-space-run SP SIP/2.0 (CR|LF|end)".
func isRequestLine(b []byte) bool {
	i := 0
	for i < len(b) && isTokenChar(b[i]) {
		i++
	}
	if i == 0 || i >= len(b) || b[i] != ' ' {
		return false
	}
	return IsRequestRest(b[i+1:])
}

// IsRequestRest reports whether b, what follows a request line's method
// and its SP, completes the line: a Request-URI without whitespace or
// control characters (RFC 3261 §25.1), SP, "SIP/2.0" in any case, then CR,
// LF or the end of b. IsStartLine of "METHOD SP rest", for a METHOD made
// of token characters, is exactly IsRequestRest(rest); a caller that has
// already matched the method uses it to check the rest only once.
func IsRequestRest(b []byte) bool {
	// the Request-URI holds no whitespace or control characters
	i := skipURIChars(b, 0)
	if i == 0 || i >= len(b) || b[i] != ' ' {
		return false
	}
	rest := b[i+1:]
	if !hasVersionPrefix(rest) {
		return false
	}
	rest = rest[len(sipVersion):]
	return len(rest) == 0 || rest[0] == '\r' || rest[0] == '\n'
}

// Eight bytes at a time, the skips below flag the bytes of a word below a
// bound ("hasless") and its DELs ("haszero" of x^0x7f..), from Anderson's
// Bit Twiddling Hacks. A byte above the first one that qualifies may be
// flagged wrongly (a borrow), but none below it is and it always is, so
// the lowest flag of either test, or of their OR, is the first byte
// sought. A byte loop takes the last few bytes of b. Start lines are
// mostly longer than a word.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// firstFlagged is the index of the lowest byte whose high bit is set in
// m, a word of such flags.
func firstFlagged(m uint64) int { return bits.TrailingZeros64(m) >> 3 }

// skipURIChars returns the index of the first byte at or after i that is
// SP or a control character (RFC 5234 CTL), or len(b).
func skipURIChars(b []byte, i int) int {
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i : i+8])
		d := x ^ 0x7f*ones
		if m := ((x-0x21*ones)&^x | (d-ones)&^d) & highs; m != 0 {
			return i + firstFlagged(m)
		}
	}
	for i < len(b) && b[i] != ' ' && !isCTL(b[i]) {
		i++
	}
	return i
}

// skipText returns the index of the first control character at or after
// i, or len(b).
func skipText(b []byte, i int) int {
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i : i+8])
		d := x ^ 0x7f*ones
		if m := ((x-0x20*ones)&^x | (d-ones)&^d) & highs; m != 0 {
			return i + firstFlagged(m)
		}
	}
	for i < len(b) && !isCTL(b[i]) {
		i++
	}
	return i
}

// isTokenChar: RFC 3261 §25.1 token = 1*(alphanum / "-" / "." / "!" / "%" /
// "*" / "_" / "+" / "`" / "'" / "~").
func isTokenChar(c byte) bool {
	return tokenChars[c]
}

var tokenChars = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "-.!%*_+`'~" {
		t[c] = true
	}
	return t
}()

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
