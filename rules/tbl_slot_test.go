package rules

import (
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/sipdiag/sipdiag/decode"
)

// TestSlotTableMatchesMap holds slotTable (with AUTH006's acceptedRef) to a map through puts
// (new keys and overwrites, the key 0 among them), gets of present and
// absent keys, and growth; keys are drawn from a small range too, so that
// probes collide.
func TestSlotTableMatchesMap(t *testing.T) {
	if n := unsafe.Sizeof(keyedSlot[acceptedRef]{}); n != 32 {
		t.Fatalf("a slotTable[acceptedRef] slot is %d bytes, want 32 (two to a cache line)", n)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	exchanges := make([]decode.AuthExchange, 8)
	for _, keyRange := range []uint64{4, 64, 1 << 20, 0} {
		var tab slotTable[acceptedRef]
		ref := map[uint64]acceptedRef{}
		key := func() uint64 {
			if keyRange == 0 {
				return rng.Uint64() >> rng.IntN(64)
			}
			return rng.Uint64N(keyRange)
		}
		for i := range 20000 {
			k := key()
			if rng.IntN(3) == 0 {
				v := acceptedRef{a: &exchanges[rng.IntN(len(exchanges))], sends: i}
				*tab.put(k) = v
				ref[k] = v
				continue
			}
			got := tab.get(k)
			want, ok := ref[k]
			switch {
			case ok != (got != nil):
				t.Fatalf("range %d step %d: get(%d) present %v, want %v", keyRange, i, k, got != nil, ok)
			case ok && *got != want:
				t.Fatalf("range %d step %d: get(%d) = %v, want %v", keyRange, i, k, *got, want)
			}
		}
		for k, want := range ref {
			if got := tab.get(k); got == nil || *got != want {
				t.Fatalf("range %d: key %d lost or changed after growth", keyRange, k)
			}
		}
		if p := tab.put(12345678); *p != ref[12345678] {
			t.Fatalf("range %d: put of a key returned %v, want %v", keyRange, *p, ref[12345678])
		}
	}
}

// Random puts and removes, with keys that share home slots and runs that
// wrap around the end of the slots, against a map.
func TestSlotTableRemove(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var tab slotTable[uint64]
	ref := map[uint64]uint64{}
	for i := range 200000 {
		k := rng.Uint64N(3000) // few keys: many removals hit, runs are long
		if k%7 == 0 {
			k <<= 58 // keys whose home is the table's end: runs wrap
		}
		switch {
		case rng.IntN(3) == 0:
			tab.remove(k)
			delete(ref, k)
		default:
			*tab.put(k) = uint64(i)
			ref[k] = uint64(i)
		}
		if i%997 == 0 {
			n := 0
			for k, v := range ref {
				if p := tab.get(k); p == nil || *p != v {
					t.Fatalf("step %d: key %d: got %v, want %d", i, k, p, v)
				}
				if k != 0 {
					n++
				}
			}
			if tab.n != n {
				t.Fatalf("step %d: %d keys held, want %d", i, tab.n, n)
			}
			for j := range 50 {
				if k := uint64(3000 + j); tab.get(k) != nil {
					t.Fatalf("step %d: absent key %d found", i, k)
				}
			}
		}
	}
}
