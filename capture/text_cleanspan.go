package capture

import "encoding/binary"

// The normaliser's check (needsWork) run over a whole read window instead
// of line by line: most windows of a log hold nothing to undo, and one
// loop over kilobytes costs far less than a call per 50-byte line. The
// lineReader marks the lines that lie in a clean span; the normaliser is
// then skipped for them. Only the line-start context ('>' and '`', which
// count only as a line's first byte) is left to the caller, one byte per
// line. TestCleanSpanAgreesWithNeedsWork and FuzzCleanSpan hold the span
// to what needsWork answers for each of its lines.

// cleanScanAhead bounds how far past the line being cut a scan runs, so
// that what it reads is still in the cache when the lines are read.
const cleanScanAhead = 4096

// blockSpecialPair is textSpecialPair for a window of many lines: a line
// feed is no longer special (it ends lines, which the reader cuts), nor is
// a CR just before one (the reader drops it), nor '>' and '`' (special
// only at a line start). A pair marked is looked at byte by byte.
var blockSpecialPair = pairTable(func(lo, hi byte) bool {
	return blockMaySpecial(lo, hi, true) || blockMaySpecial(hi, 0, false)
}, func(lo byte) bool {
	switch lo {
	case '\r', '<', '#', '\\', '^':
		return textSpecial[lo] != 0
	}
	return false
}, func(hi byte) bool { return blockMaySpecial(hi, 0, false) })

// blockMaySpecial: byte c, followed by next when known, may start
// something to undo in a window.
func blockMaySpecial(c, next byte, known bool) bool {
	if textSpecial[c] == 0 {
		return false
	}
	switch c {
	case '\n', '>', '`':
		return false
	case '\r':
		return !known || next != '\n'
	case '<', '#', '\\', '^':
		return !known || specialAt([]byte{c, next}, 0)
	}
	return true // '[' needs more than the next byte; the rest are special alone
}

// blockSpecialAt: the byte at w[j] starts something the normaliser would
// undo in the line holding it. Past the end of w the next byte is unknown
// and the answer is yes; a line cut from w always has its line feed in w,
// so this only concerns bytes of a line not in w yet. It answers what
// blockMaySpecial answers for w[j] and the byte after it, but for '[' it
// reads the rest of w. It repeats blockMaySpecial's cases rather than
// calling it: that call (not inlined) cost 0.43 M more instructions on
// bench/out/ccsip-10000.log. TestPairTablesMatchTheirFunction holds the
// table to blockMaySpecial, and TestCleanSpanAgreesWithNeedsWork and
// FuzzCleanSpan hold cleanSpan (the table and this) to needsWork.
func blockSpecialAt(w []byte, j int) bool {
	c := w[j]
	if textSpecial[c] == 0 {
		return false
	}
	switch c {
	case '\n', '>', '`':
		return false
	case '\r':
		return j+1 >= len(w) || w[j+1] != '\n'
	}
	if j+1 >= len(w) {
		return true
	}
	// specialAt reads the byte after c; at the end of a line that byte is
	// a line feed or CR here and nothing (0) in the line alone, which
	// specialAt answers the same way for every c
	return specialAt(w, j)
}

// blockWord is specialWord with blockSpecialPair.
func blockWord(x uint64) uint8 {
	return blockSpecialPair[uint16(x)] | blockSpecialPair[uint16(x>>16)] |
		blockSpecialPair[uint16(x>>32)] | blockSpecialPair[uint16(x>>48)]
}

// cleanSpan returns the first index in w[from:limit] of a byte that starts
// something to undo (blockSpecialAt), or limit when there is none. It
// reads 32 bytes per step (the loop costs as much as two lookups), and
// looks at the bytes one by one only in an 8-byte word the table marks.
func cleanSpan(w []byte, from, limit int) int {
	j := from
	for ; j+32 <= limit; j += 32 {
		b := w[j : j+32 : j+32]
		m0, m1 := blockWord(binary.LittleEndian.Uint64(b)), blockWord(binary.LittleEndian.Uint64(b[8:]))
		m2, m3 := blockWord(binary.LittleEndian.Uint64(b[16:])), blockWord(binary.LittleEndian.Uint64(b[24:]))
		if m0|m1|m2|m3 == 0 {
			continue
		}
		for q, m := range [4]uint8{m0, m1, m2, m3} {
			if m == 0 {
				continue
			}
			if k := specialInWindow(w, j+8*q, j+8*q+8); k >= 0 {
				return k
			}
		}
	}
	for ; j+8 <= limit; j += 8 {
		if blockWord(binary.LittleEndian.Uint64(w[j:j+8:j+8])) != 0 {
			if k := specialInWindow(w, j, j+8); k >= 0 {
				return k
			}
		}
	}
	if k := specialInWindow(w, j, limit); k >= 0 {
		return k
	}
	return limit
}

// specialInWindow returns the first index in w[from:to] where
// blockSpecialAt is true, -1 if none.
func specialInWindow(w []byte, from, to int) int {
	for k := from; k < to; k++ {
		if textSpecial[w[k]] != 0 && blockSpecialAt(w, k) {
			return k
		}
	}
	return -1
}
