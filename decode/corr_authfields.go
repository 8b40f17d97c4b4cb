package decode

import (
	"bytes"
	"encoding/binary"
)

// authName numbers the digest parameters that ParseChallenge,
// ParseCredentials and the correlator read (RFC 3261 §25.1 challenge and
// credentials; RFC 7616 §3.3, §3.4).
type authName uint8

const (
	authNC authName = iota
	authURI
	authQop
	authRealm
	authNonce
	authStale
	authCNonce
	authOpaque
	authDomain
	authUsername
	authResponse
	authAlgorithm
	authNames // how many
)

// authFields records where the value of each known parameter of an
// auth-param list is (offsets into the list), the last one of each name
// winning as in a walk that assigns each parameter in turn. One loop over
// the list does it, with no call per parameter: the challenges and
// credentials of a capture are read in full for every transaction that
// carries one.
type authFields struct {
	set  uint16 // bit n: a parameter named n was seen
	span [authNames]struct{ lo, hi int }
}

// value returns the value of parameter n in b (the list collect read), a
// sub-slice of b; nil when absent.
func (f *authFields) value(b []byte, n authName) []byte {
	if f.set&(1<<n) == 0 {
		return nil
	}
	return b[f.span[n].lo:f.span[n].hi]
}

// stale reads the stale parameter (RFC 7616 §3.3): true only when given
// as "true", in any case.
func (f *authFields) stale(b []byte) bool {
	return f.set&(1<<authStale) != 0 && equalFold(b[f.span[authStale].lo:f.span[authStale].hi], "true")
}

// Parameter names folded to lower case in a little-endian word, as
// nameWord makes them (the first eight bytes of "algorithm").
const (
	wordNC        = uint64('n') | uint64('c')<<8
	wordURI       = uint64('u') | uint64('r')<<8 | uint64('i')<<16
	wordQop       = uint64('q') | uint64('o')<<8 | uint64('p')<<16
	wordRealm     = uint64('r') | uint64('e')<<8 | uint64('a')<<16 | uint64('l')<<24 | uint64('m')<<32
	wordNonce     = uint64('n') | uint64('o')<<8 | uint64('n')<<16 | uint64('c')<<24 | uint64('e')<<32
	wordStale     = uint64('s') | uint64('t')<<8 | uint64('a')<<16 | uint64('l')<<24 | uint64('e')<<32
	wordCNonce    = uint64('c') | uint64('n')<<8 | uint64('o')<<16 | uint64('n')<<24 | uint64('c')<<32 | uint64('e')<<40
	wordOpaque    = uint64('o') | uint64('p')<<8 | uint64('a')<<16 | uint64('q')<<24 | uint64('u')<<32 | uint64('e')<<40
	wordDomain    = uint64('d') | uint64('o')<<8 | uint64('m')<<16 | uint64('a')<<24 | uint64('i')<<32 | uint64('n')<<40
	wordUsername  = uint64('u') | uint64('s')<<8 | uint64('e')<<16 | uint64('r')<<24 | uint64('n')<<32 | uint64('a')<<40 | uint64('m')<<48 | uint64('e')<<56
	wordResponse  = uint64('r') | uint64('e')<<8 | uint64('s')<<16 | uint64('p')<<24 | uint64('o')<<32 | uint64('n')<<40 | uint64('s')<<48 | uint64('e')<<56
	wordAlgorithm = uint64('a') | uint64('l')<<8 | uint64('g')<<16 | uint64('o')<<24 | uint64('r')<<32 | uint64('i')<<40 | uint64('t')<<48 | uint64('h')<<56
)

// nameWord returns the name b[ns:ne] (1 to 8 bytes) as a little-endian
// word with 0x20 ORed into every byte, zero past its end. ORing 0x20 turns
// an upper-case letter into its lower-case one and no other byte into a
// letter, so the word equals one of the constants above (all lower-case
// letters) exactly when the name equals it but for the case of its letters,
// as equalFold compares; the zero bytes past the end settle the length.
func nameWord(b []byte, ns, ne int) uint64 {
	var w uint64
	if ns+8 <= len(b) {
		w = binary.LittleEndian.Uint64(b[ns : ns+8 : ns+8])
	} else {
		for k := len(b) - 1; k >= ns; k-- {
			w = w<<8 | uint64(b[k])
		}
	}
	w |= 0x2020202020202020
	if n := ne - ns; n < 8 {
		w &= 1<<(8*n) - 1
	}
	return w
}

// known returns the number of the parameter called b[ns:ne], authNames
// for one that is not read. The names up to eight bytes long are found by
// a multiplicative hash of their word (nameWord) in knownSlots, where
// each has a slot of its own, and compared whole.
func known(b []byte, ns, ne int) authName {
	if ne-ns <= 8 {
		w := nameWord(b, ns, ne)
		if e := &knownSlots[w*knownMul>>60]; e.w == w {
			return e.n
		}
		return authNames
	}
	if ne-ns == 9 && b[ns+8]|0x20 == 'm' && nameWord(b, ns, ns+8) == wordAlgorithm {
		return authAlgorithm
	}
	return authNames
}

// knownMul spreads the words of the known names of up to eight bytes over
// the sixteen knownSlots without two in one (found by trying;
// TestKnownNames fails otherwise).
const knownMul = 0xc54654890ca7a30f

type knownSlot struct {
	w uint64
	n authName // authNames: a free slot (w 0, the word of an empty name)
}

var knownSlots = func() (t [16]knownSlot) {
	for i := range t {
		t[i].n = authNames
	}
	for _, k := range []knownSlot{
		{wordNC, authNC}, {wordURI, authURI}, {wordQop, authQop}, {wordRealm, authRealm},
		{wordNonce, authNonce}, {wordStale, authStale}, {wordCNonce, authCNonce}, {wordOpaque, authOpaque},
		{wordDomain, authDomain}, {wordUsername, authUsername}, {wordResponse, authResponse},
	} {
		t[k.w*knownMul>>60] = k
	}
	return t
}()

// collect reads the comma-separated auth-param list b (RFC 3261 §25.1
// auth-param = auth-param-name EQUAL ( token / quoted-string )) and reports
// whether it was well-formed. Quoted values are recorded without their
// quotes, escapes kept raw. Broken elements are skipped up to the next
// comma, except that a value delimited by backslash-escaped quotes (\"x\")
// is read as x. FuzzAuthFieldsMatchReference holds it to the plain walk of
// the former AuthParams (refAuthParams).
func (f *authFields) collect(b []byte) (wellFormed bool) {
	wellFormed = true
	i := 0
	for {
		for i < len(b) && paramSepChars[b[i]] {
			i++
		}
		if i >= len(b) {
			return wellFormed
		}
		ns := i
		// w holds the name's first eight bytes, fewer at the list's end
		// (nameWord's word before folding and cutting). Parameter names
		// are letters (RFC 7616 §3.4): the letters leading the eight bytes
		// are counted at once, and the token loop goes on from the first
		// other byte.
		var w uint64
		if i+8 <= len(b) {
			w = binary.LittleEndian.Uint64(b[i : i+8 : i+8])
			i += leadingLetters(w)
		} else {
			for k := len(b) - 1; k >= i; k-- {
				w = w<<8 | uint64(b[k])
			}
		}
		if i >= len(b) || b[i] != '=' {
			for _, c := range b[i:] {
				if !tokenChars[c] {
					break
				}
				i++
			}
		}
		ne := i
		// 'name=' without LWS around the '=' is the usual shape; the LWS
		// loops run only for the others.
		if i < len(b) && b[i] == '=' && ne > ns {
			i++
		} else {
			for i < len(b) && isLWS(b[i]) {
				i++
			}
			if ne == ns || i >= len(b) || b[i] != '=' {
				wellFormed = false
				i = skipToComma(b, i)
				continue
			}
			i++
		}
		for i < len(b) && isLWS(b[i]) {
			i++
		}
		vs, ve := i, i // an empty value at the end of the list
		switch {
		case i >= len(b):
		case b[i] == '"':
			// The closing '"' without a call in the usual case (see
			// quotedPlainEnd).
			k := quotedPlainEnd(b, i+1)
			end := k - i
			if k >= len(b) || b[k] != '"' {
				if end = quoteEndShort(b[k-1:]); end >= 0 {
					end += k - 1 - i
				}
			}
			if end < 0 {
				wellFormed = false
				vs, ve = i+1, len(b)
				i = len(b)
			} else {
				vs, ve = i+1, i+end
				i += end + 1
			}
		case b[i] == '\\' && i+1 < len(b) && b[i+1] == '"':
			wellFormed = false
			end := bytes.Index(b[i+2:], []byte(`\"`))
			if end < 0 {
				vs, ve = i+2, skipToComma(b, i)
				i = ve
			} else {
				vs, ve = i+2, i+2+end
				i += 2 + end + 2
			}
		default:
			vs = i
			for _, c := range b[i:] {
				if !tokenChars[c] {
					if c == ',' || lwsChars[c] {
						break
					}
					wellFormed = false
				}
				i++
			}
			ve = i
		}
		// The usual end of a parameter: the list's end or ", ", which the
		// separator loop would skip anyway.
		if i+2 <= len(b) && binary.LittleEndian.Uint16(b[i:i+2:i+2]) == ','|' '<<8 {
			i += 2
		} else if i < len(b) && b[i] != ',' {
			for i < len(b) && isLWS(b[i]) {
				i++
			}
			if i < len(b) && b[i] != ',' {
				wellFormed = false
				i = skipToComma(b, i)
			}
		}
		// known written out for the names of up to eight bytes.
		n := authNames
		if ne-ns <= 8 {
			w |= 0x2020202020202020
			if n := ne - ns; n < 8 {
				w &= 1<<(8*n) - 1
			}
			if e := &knownSlots[w*knownMul>>60]; e.w == w {
				n = e.n
			}
		} else {
			n = known(b, ns, ne)
		}
		if n < authNames {
			f.set |= 1 << n
			f.span[n].lo, f.span[n].hi = vs, ve
		}
	}
}
