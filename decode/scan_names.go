package decode

import "encoding/binary"

// The scanner's shortcut for the indexed header names. Nearly every
// header line of real traffic starts with one of them, spelled in full or
// compact, directly followed by ':'. Comparing the line's first 24 bytes,
// loaded as three words, against the names that begin with the same two
// letters (one, mostly) settles the name and its HeaderID in one step, where the general
// path walks the name byte by byte, hashes it and compares it again.

// nameWords is one indexed name prepared for the word comparison. The
// ':' that must follow the name is part of the pattern, so a match needs
// no separate test of it, and only the words up to the ':' are compared.
type nameWords struct {
	id   HeaderID
	n    int       // length of the name; the ':' is expected at n
	fold [3]uint64 // 0x20 in the bytes of letters: folds ASCII case (RFC 3261 §7.3.1)
	want [3]uint64 // the name in lower case and its ':', zero beyond
	mask [3]uint64 // 0xff in the bytes up to and including the ':'
}

// namesByStart lists the indexed names by pairKey of their first two
// letters.
var namesByStart [26 * 32][]nameWords

// pairKey combines a lower-case first letter with the second byte; &31
// ignores case, and other bytes sharing a key only add a candidate the
// comparison rejects.
func pairKey(first, second byte) int { return int(first-'a')*32 + int(second&31) }

func init() {
	for id := HVia; id < numHeaderIDs; id++ {
		name := headerNames[id] + ":"
		var w nameWords
		w.id, w.n = id, len(name)-1
		for i := 0; i < len(name); i++ {
			c, word, shift := name[i], i/8, uint(i%8)*8
			if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' {
				w.fold[word] |= 0x20 << shift
			}
			w.want[word] |= uint64(lower(c)) << shift
			w.mask[word] |= 0xff << shift
		}
		k := pairKey(lower(name[0]), name[1])
		namesByStart[k] = append(namesByStart[k], w)
	}
}

// knownNameLen reports, for a header line starting at rest[0], the
// HeaderID and length of an indexed name (full or compact form) that is
// directly followed by ':'; n is 0 when the line does not start so, and
// then the general path decides. A match is exact: with the fold bits
// only on letters, a byte equals the wanted lower-case letter after
// folding only if it is that letter in either case, and every other byte
// (the ':' included) must be equal as it is.
func knownNameLen(rest []byte) (id HeaderID, n int) {
	// The longest indexed name and its ':' fit in 24 bytes. A header
	// line is nearly always followed by more than that (other lines, the
	// empty line), so it is read in place; only a line closer than that
	// to the end of the message is compared from a zero-padded copy (a
	// zero byte is never ':'), whose zeroing the usual case then skips.
	if len(rest) < 24 {
		return knownNameLenPadded(rest)
	}
	return matchName((*[24]byte)(rest))
}

func knownNameLenPadded(rest []byte) (HeaderID, int) {
	if len(rest) < 2 {
		return HOther, 0
	}
	var pad [24]byte
	copy(pad[:], rest)
	return matchName(&pad)
}

// matchName is knownNameLen on the line's first 24 bytes. The second
// and third words are loaded only for candidates whose name (with its
// ':') reaches into them.
func matchName(r *[24]byte) (HeaderID, int) {
	first := r[0] | 0x20
	if first < 'a' || first > 'z' {
		return HOther, 0
	}
	if r[1] == ':' {
		// compact form (RFC 3261 §7.3.3); r[0] is a letter here
		if id := compactIDs[first-'a']; id != HOther {
			return id, 1
		}
		return HOther, 0
	}
	w0 := binary.LittleEndian.Uint64(r[0:8])
	cands := namesByStart[pairKey(first, r[1])]
	for i := range cands {
		c := &cands[i]
		if (w0|c.fold[0])&c.mask[0] != c.want[0] {
			continue
		}
		if c.n >= 8 {
			if (binary.LittleEndian.Uint64(r[8:16])|c.fold[1])&c.mask[1] != c.want[1] {
				continue
			}
			if c.n >= 16 && (binary.LittleEndian.Uint64(r[16:24])|c.fold[2])&c.mask[2] != c.want[2] {
				continue
			}
		}
		return c.id, c.n
	}
	return HOther, 0
}
