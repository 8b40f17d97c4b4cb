package decode

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// Params calls fn with each ;-separated generic-param of params (RFC 3261
// §25.1: generic-param = token [ EQUAL gen-value ]) until fn returns
// false. A leading ';' is optional. Names and values are trimmed of LWS
// (EQUAL allows it around '='); a quoted value is passed without its
// quotes, escapes kept raw (see Unquote). value is nil when there is no
// '='. Semicolons inside quoted strings or <...> do not split.
func Params(params []byte, fn func(name, value []byte) bool) {
	for len(params) > 0 {
		name, value, end, fast := scanParam(params)
		if !fast {
			var p []byte
			p, end = slowParamElement(params)
			if p = trimLWS(p); len(p) == 0 {
				params = params[min(end+1, len(params)):]
				continue
			}
			name, value = splitParam(p)
		}
		if !fn(name, value) {
			return
		}
		params = params[min(end+1, len(params)):]
	}
}

// slowParamElement returns the element of params up to the first ';'
// outside quotes or <...>, and the index of that ';' (len(params) when
// there is none).
func slowParamElement(params []byte) (elem []byte, end int) {
	i := indexByteOutside(params, ';')
	if i < 0 {
		return params, len(params)
	}
	return params[:i], i
}

// splitParam splits "name = value" and strips quotes from the value.
func splitParam(p []byte) (name, value []byte) {
	eq := indexByteOutside(p, '=')
	if eq < 0 {
		return trimLWS(p), nil
	}
	name = trimLWS(p[:eq])
	value = trimLWS(p[eq+1:])
	if inner, ok := quotedInner(value); ok {
		value = inner
	}
	return name, value
}

// Param returns the value of the first ;-separated parameter called name
// (case-insensitive, RFC 3261 §7.3.1 / §19.1.4) and whether it is there.
// A parameter without '=' is present with a nil value; "tag=" is present
// with an empty value.
func Param(params []byte, name string) (value []byte, present bool) {
	Params(params, func(n, v []byte) bool {
		if equalFold(n, name) {
			value, present = v, true
			return false
		}
		return true
	})
	return value, present
}

// validParams reports whether every ;-separated element of params is a
// token name with an optional token or quoted-string value, as
// generic-param requires (RFC 3261 §25.1). Empty elements (";;") fail
// (RFC 4475 §3.1.2.1).
func validParams(params []byte) bool { return walkParams(params, nil) }

// walkParams checks params like validParams and, in the same pass, calls
// fn (when not nil) for every non-empty element like Params does.
func walkParams(params []byte, fn func(name, value []byte)) bool {
	valid := true
	if len(params) > 0 && params[0] == ';' {
		params = params[1:]
	}
	for {
		name, value, end, fast := scanParam(params)
		if fast {
			if fn != nil {
				fn(name, value)
			}
		} else {
			var p []byte
			p, end = slowParamElement(params)
			p = trimLWS(p)
			if len(p) == 0 {
				valid = false
			} else {
				name, value := splitParam(p)
				if !isToken(name) || (value != nil && !isParamValue(p, value)) {
					valid = false
				}
				if fn != nil {
					fn(name, value)
				}
			}
		}
		if end >= len(params) {
			return valid
		}
		params = params[end+1:]
	}
}

// scanParam is the single-pass fast path for one well-formed
// generic-param at the start of b (RFC 3261 §25.1):
// LWS token [LWS "=" LWS (gen-value / quoted-string)] LWS, ending at ';'
// or at the end of b. It returns the trimmed name, the value (quotes
// removed; nil without '=') and the index of the ending ';' (or len(b)).
// fast is false for anything else, which the callers hand to the
// general, slower element splitting; for every element scanParam accepts
// that path yields the same name and value and finds it valid.
func scanParam(b []byte) (name, value []byte, end int, fast bool) {
	i := 0
	for i < len(b) && lwsChars[b[i]] {
		i++
	}
	ns := i
	for i < len(b) && tokenChars[b[i]] {
		i++
	}
	if i == ns {
		return nil, nil, 0, false
	}
	name = b[ns:i]
	for i < len(b) && lwsChars[b[i]] {
		i++
	}
	if i < len(b) && b[i] == '=' {
		i++
		for i < len(b) && lwsChars[b[i]] {
			i++
		}
		if i < len(b) && b[i] == '"' {
			q := quoteEnd(b[i:])
			if q < 0 {
				return nil, nil, 0, false
			}
			value = b[i+1 : i+q]
			i += q + 1
		} else {
			vs := i
			// Values (branch ids, tags, addresses) are often longer
			// than eight bytes: eight at a time go first, with one test.
			for i+8 <= len(b) {
				if !paramValueTable.all8(b[i : i+8 : i+8]) {
					break
				}
				i += 8
			}
			for i < len(b) && paramValueChars[b[i]] {
				i++
			}
			if i == vs {
				return nil, nil, 0, false
			}
			value = b[vs:i]
		}
		for i < len(b) && lwsChars[b[i]] {
			i++
		}
	}
	if i < len(b) && b[i] != ';' {
		return nil, nil, 0, false
	}
	return name, value, i, true
}

// isParamValue accepts a gen-value: token, host (incl. [IPv6]) or
// quoted-string. raw is the whole param, used to see whether the value
// was quoted.
func isParamValue(raw, value []byte) bool {
	if len(raw) > 0 && raw[len(raw)-1] == '"' {
		return true
	}
	if len(value) == 0 {
		return false
	}
	for _, c := range value {
		if !tokenChars[c] && c != ':' && c != '[' && c != ']' {
			return false
		}
	}
	return true
}

// quotedInner returns the contents of a quoted-string (RFC 3261 §25.1)
// without the quotes, escapes kept raw. ok is false when b is not one
// complete quoted-string.
func quotedInner(b []byte) (inner []byte, ok bool) {
	if len(b) < 2 || b[0] != '"' {
		return nil, false
	}
	end := quoteEnd(b)
	if end != len(b)-1 {
		return nil, false
	}
	return b[1:end], true
}

// quoteEnd returns the index of the '"' closing the quoted-string that
// starts at b[0], honouring quoted-pair escapes, or -1 if unterminated.
func quoteEnd(b []byte) int {
	// Usually no quoted-pair: the first '"' closes, found with IndexByte.
	if j := bytes.IndexByte(b[min(1, len(b)):], '"'); j >= 0 && bytes.IndexByte(b[1:1+j], '\\') < 0 {
		return 1 + j
	}
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// quoteEndShort is quoteEnd for strings that are usually short, such as
// display names: eight bytes at a time are searched for the first '"' or
// '\\' at once, where quoteEnd makes two IndexByte calls. A word XORed
// with a byte repeated has a zero byte exactly where it held that byte;
// the lowest byte flagged by the zero-byte test ("haszero", Anderson's
// Bit Twiddling Hacks) is the first zero byte (flags above a zero byte
// can be false, flags below it cannot), so the lowest flag of the two
// tests ORed is the first '"' or '\\'.
func quoteEndShort(b []byte) int {
	i := quotedPlainEnd(b, 1)
	for ; i < len(b); i++ {
		if c := b[i]; c == '"' {
			return i
		} else if c == '\\' {
			break
		}
	}
	return quoteEnd(b)
}

// quotedPlainEnd returns the first k' >= k at which b holds '"' or '\\',
// or, when there is none, where fewer than eight bytes are left: every
// byte in b[k:k'] is plain quoted text. It is quoteEndShort's word loop,
// small enough to be inlined: a caller whose b[k-1] is the opening quote
// (or plain text after it) has the closing quote at k' when b[k'] is '"',
// and otherwise gets the same answer from quoteEndShort(b[k'-1:]) (plus
// k'-1) that quoteEndShort would give it, without a call per quoted
// string in the usual case.
func quotedPlainEnd(b []byte, k int) int {
	for k+8 <= len(b) {
		w := binary.LittleEndian.Uint64(b[k : k+8 : k+8])
		q, e := w^0x2222222222222222, w^0x5c5c5c5c5c5c5c5c
		if f := ((q-0x0101010101010101)&^q | (e-0x0101010101010101)&^e) & 0x8080808080808080; f != 0 {
			return k + bits.TrailingZeros64(f)/8
		}
		k += 8
	}
	return k
}

// Unquote resolves quoted-pair escapes ("\x" -> "x", RFC 3261 §25.1) in
// the contents of a quoted-string. It returns b itself when there is
// nothing to resolve and allocates otherwise.
func Unquote(b []byte) []byte {
	i := bytes.IndexByte(b, '\\')
	if i < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:i]...)
	for ; i < len(b); i++ {
		if b[i] == '\\' && i+1 < len(b) {
			i++
		}
		out = append(out, b[i])
	}
	return out
}
