package decode

import "encoding/binary"

// The scanner's shortcut for the indexed header names. Nearly every
// header line of real traffic starts with one of them, spelled in full or
// compact, directly followed by ':'. Comparing the line's first 24 bytes,
// loaded as three words, against the names (a compact one with its ':')
// whose first two bytes share their low five bits with the line's (one,
// mostly) settles the name and its HeaderID in one step, where the
// general path walks the name byte by byte, hashes it and compares it
// again.

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

// namesByStart lists the indexed names, full and compact (the letter
// and its ':'), by pairKey of their first two bytes.
var namesByStart [32 * 32][]nameWords

// pairKey combines the low five bits of a line's first two bytes: they
// ignore ASCII case, and any other bytes sharing a key (a ':' shares 'z's,
// a control byte or digit a letter's) only meet candidates the word
// comparison rejects, so no byte needs a test before the lookup.
func pairKey(first, second byte) int { return int(first&31)<<5 | int(second&31) }

func init() {
	add := func(id HeaderID, name string) {
		name += ":"
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
		k := pairKey(name[0], name[1])
		namesByStart[k] = append(namesByStart[k], w)
	}
	for id := HVia; id < numHeaderIDs; id++ {
		add(id, headerNames[id])
	}
	// compact forms (RFC 3261 §7.3.3) of indexed names, found here
	// rather than in compactIDs so that no init order matters
	for i, full := range compactNames {
		for id := HVia; id < numHeaderIDs; id++ {
			if full != "" && headerNames[id] == full {
				add(id, string(rune('a'+i)))
			}
		}
	}
}

// knownNameLenPadded is matchName for a header line rest closer than 24
// bytes to the end of the message, compared from a zero-padded copy (a
// zero byte is never ':'). scanHeaders reads every other line in place.
func knownNameLenPadded(rest []byte) (HeaderID, int) {
	if len(rest) < 2 {
		return HOther, 0
	}
	var pad [24]byte
	copy(pad[:], rest)
	return matchName(&pad)
}

// matchName reports, for a header line whose first 24 bytes are r, the
// HeaderID and length of an indexed name (full or compact form) that is
// directly followed by ':'; n is 0 when the line does not start so, and
// then the general path decides. The longest indexed name and its ':'
// fit in 24 bytes. A match is exact: with the fold bits only on letters,
// a byte equals the wanted lower-case letter after folding only if it is
// that letter in either case, and every other byte (the ':' included)
// must be equal as it is. The second and third words are loaded only for
// candidates whose name (with its ':') reaches into them.
func matchName(r *[24]byte) (HeaderID, int) {
	w0 := binary.LittleEndian.Uint64(r[0:8])
	cands := namesByStart[pairKey(r[0], r[1])]
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
