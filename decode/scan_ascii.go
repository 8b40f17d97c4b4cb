package decode

import "bytes"

// ASCII helpers shared by the scanner and the sub-parsers. SIP is
// case-insensitive only over ASCII (RFC 3261 §7.3.1), so no Unicode
// folding is needed or wanted.

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

// equalFold reports whether b equals s ignoring ASCII case.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	// Names and tokens are nearly always written in the expected case:
	// one word-wise comparison settles those.
	if string(b) == s {
		return true
	}
	for i := 0; i < len(b); i++ {
		if b[i] != s[i] && lower(b[i]) != lower(s[i]) {
			return false
		}
	}
	return true
}

// isLWS reports linear white space, including the CR and LF of folded
// lines that stay inside header values (RFC 3261 §25.1 LWS).
func isLWS(c byte) bool { return lwsChars[c] }

// lwsChars is isLWS as a table, for the hot loops.
var lwsChars = [256]bool{' ': true, '\t': true, '\r': true, '\n': true}

func trimLWS(b []byte) []byte {
	// Nearly every value has no LWS at either end: two table loads settle
	// it and b comes back unsliced.
	if len(b) == 0 || !lwsChars[b[0]] && !lwsChars[b[len(b)-1]] {
		return b
	}
	return trimLWSSlow(b)
}

func trimLWSSlow(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && isLWS(b[i]) {
		i++
	}
	for j > i && isLWS(b[j-1]) {
		j--
	}
	return b[i:j]
}

func trimLeftLWS(b []byte) []byte {
	i := 0
	for i < len(b) && isLWS(b[i]) {
		i++
	}
	return b[i:]
}

// tokenChars marks RFC 3261 §25.1 token characters:
// alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~".
var tokenChars = alphanumAnd("-.!%*_+`'~")

// alphanumAnd returns a table marking the ASCII letters and digits and the
// bytes of extra.
func alphanumAnd(extra string) (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for i := 0; i < len(extra); i++ {
		t[extra[i]] = true
	}
	return t
}

// paramValueChars marks the characters of an unquoted gen-value: token or
// host, including IPv6 references (RFC 3261 §25.1 gen-value).
var paramValueChars = func() (t [256]bool) {
	t = tokenChars
	t[':'], t['['], t[']'] = true, true, true
	return t
}()

func isToken(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if !tokenChars[c] {
			return false
		}
	}
	return true
}

// parseUint parses ASCII digits (leading zeros allowed, RFC 4475
// §3.1.1.1). ok is false when b is empty, has a non-digit or exceeds max.
func parseUint(b []byte, max uint64) (n uint64, ok bool) {
	if len(b) == 0 {
		return 0, false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
		if n > max {
			return 0, false
		}
	}
	return n, true
}

// indexByteOutside returns the index of the first c in b that is neither
// inside a quoted-string nor inside <...>, or -1.
func indexByteOutside(b []byte, c byte) int {
	i := bytes.IndexByte(b, c)
	if i < 0 {
		return -1
	}
	// Fast path: nothing before the first c can open a quote or <...>.
	if bytes.IndexByte(b[:i], '"') < 0 && bytes.IndexByte(b[:i], '<') < 0 {
		return i
	}
	inQuote, inAngle := false, false
	for i := 0; i < len(b); i++ {
		switch x := b[i]; {
		case inQuote:
			if x == '\\' {
				i++
			} else if x == '"' {
				inQuote = false
			}
		case x == '"':
			inQuote = true
		case inAngle:
			if x == '>' {
				inAngle = false
			}
		case x == '<':
			inAngle = true
		case x == c:
			return i
		}
	}
	return -1
}

// indexOutsideQuotes returns the index of the first c in b that is not
// inside a quoted-string, or -1.
func indexOutsideQuotes(b []byte, c byte) int {
	inQuote := false
	for i := 0; i < len(b); i++ {
		switch x := b[i]; {
		case inQuote:
			if x == '\\' {
				i++
			} else if x == '"' {
				inQuote = false
			}
		case x == '"':
			inQuote = true
		case x == c:
			return i
		}
	}
	return -1
}

// byteTable is a character class as 0/1 bytes, so that eight lookups can
// be ANDed together instead of branching on each.
type byteTable [256]uint8

func tableOf(class *[256]bool) (t byteTable) {
	for c, in := range class {
		if in {
			t[c] = 1
		}
	}
	return t
}

// all8 reports whether the eight bytes of w (a slice of length eight)
// are all in the class: eight lookups ANDed, one branch. It is inlined,
// so the word loops that call it (hosts, parameter values) cost what the
// expression written out in each of them did.
func (t *byteTable) all8(w []byte) bool {
	return t[w[0]]&t[w[1]]&t[w[2]]&t[w[3]]&t[w[4]]&t[w[5]]&t[w[6]]&t[w[7]] != 0
}

var paramValueTable = tableOf(&paramValueChars)
