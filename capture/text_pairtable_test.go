package capture

import "testing"

// Each pair table built from runs answers what its function answers for
// every one of the 65,536 pairs; a wrong loNeedsHi or hiDecides (a byte
// that does look at its neighbour left out) shows up here.
func TestPairTablesMatchTheirFunction(t *testing.T) {
	for _, tc := range []struct {
		name  string
		table *[1 << 16]uint8
		f     func(lo, hi byte) bool
	}{
		{"textSpecialPair", &textSpecialPair, textSpecialPairAt},
		{"blockSpecialPair", &blockSpecialPair, func(lo, hi byte) bool {
			return blockMaySpecial(lo, hi, true) || blockMaySpecial(hi, 0, false)
		}},
	} {
		bad := 0
		for i := 0; i < 1<<16; i++ {
			lo, hi := byte(i), byte(i>>8)
			if want := tc.f(lo, hi); (tc.table[i] != 0) != want {
				if bad++; bad <= 5 {
					t.Errorf("%s[%q, %q] = %d, f says %v", tc.name, lo, hi, tc.table[i], want)
				}
			}
		}
	}
}

// pairTable itself: a function that looks at the next byte only for some
// first bytes, and a second byte that decides alone.
func TestPairTableRuns(t *testing.T) {
	f := func(lo, hi byte) bool { return hi == 'z' || lo == 'a' || (lo == '<' && hi == 'b') }
	got := pairTable(f, func(lo byte) bool { return lo == '<' }, func(hi byte) bool { return hi == 'z' })
	for i := range got {
		if want := f(byte(i), byte(i>>8)); (got[i] != 0) != want {
			t.Fatalf("pair %q %q: %d, want %v", byte(i), byte(i>>8), got[i], want)
		}
	}
}
