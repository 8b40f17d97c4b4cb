package rules

import (
	"math/rand/v2"
	"testing"
)

// TestUATableMatchesMap holds uaTable to a map: every key added is found
// with what was written in its record, through growth, and absent keys
// (0 among them) are not; order is the order added.
func TestUATableMatchesMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, keyRange := range []uint64{8, 1 << 12, 0} {
		var tab uaTable
		ref := map[uint64]int32{}
		var order []uint64
		for i := range 6000 {
			k := rng.Uint64()
			if keyRange != 0 {
				k %= keyRange
			}
			u := tab.get(k)
			want, ok := ref[k]
			switch {
			case ok != (u != nil):
				t.Fatalf("range %d step %d: get(%d) present %v, want %v", keyRange, i, k, u != nil, ok)
			case ok && u.followed != want:
				t.Fatalf("range %d step %d: get(%d).followed = %d, want %d", keyRange, i, k, u.followed, want)
			case !ok:
				u = tab.add(k)
				u.followed = int32(i)
				ref[k] = int32(i)
				order = append(order, k)
			}
		}
		for k, want := range ref {
			if u := tab.get(k); u == nil || u.followed != want {
				t.Fatalf("range %d: key %d lost or changed", keyRange, k)
			}
		}
		if len(tab.order) != len(order) {
			t.Fatalf("range %d: %d keys in order, want %d", keyRange, len(tab.order), len(order))
		}
		for i := range order {
			if tab.order[i] != order[i] {
				t.Fatalf("range %d: order[%d] = %d, want %d", keyRange, i, tab.order[i], order[i])
			}
		}
	}
}
