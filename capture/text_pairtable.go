package capture

// pairTable builds a 64 KiB table answering f for every pair of bytes, the
// first (lo) in the low byte of the index, the way the text fast path
// looks up two bytes at once. Calling f 65,536 times cost about 1 ms at
// every start of sipdiag, pcap runs included; the tables are nearly all
// made of runs, so they are built from them:
//   - hiDecides(hi): the second byte alone makes f true for any first
//     byte, so the 256 entries with that hi are all set;
//   - otherwise f(lo, hi) is the same for every such hi unless
//     loNeedsHi(lo), so it is computed once per lo and copied, and only
//     the few lo that look at the next byte are asked for each hi.
//
// TestPairTablesMatchTheirFunction holds each table to f over all pairs.
func pairTable(f func(lo, hi byte) bool, loNeedsHi, hiDecides func(byte) bool) (t [1 << 16]uint8) {
	var base [256]uint8
	var needsHi []byte
	baseDone := false
	for hi := 0; hi < 256; hi++ {
		row := t[hi<<8 : hi<<8+256]
		if hiDecides(byte(hi)) {
			for lo := range row {
				row[lo] = 1
			}
			continue
		}
		if !baseDone {
			for lo := 0; lo < 256; lo++ {
				if loNeedsHi(byte(lo)) {
					needsHi = append(needsHi, byte(lo))
				} else if f(byte(lo), byte(hi)) {
					base[lo] = 1
				}
			}
			baseDone = true
		}
		copy(row, base[:])
		for _, lo := range needsHi {
			if f(lo, byte(hi)) {
				row[lo] = 1
			}
		}
	}
	return t
}
