package rules

import "math/bits"

// hashTable maps 64-bit hashes (maphash outputs: already uniform) to
// values, for the per-request bookkeeping that runs on every transaction.
// Against a Go map it saves hashing the key a second time, it updates a
// value in place through the pointer get returns (a map needs a lookup and
// an assignment), and clear keeps its storage for reuse. It is pointer-free
// when V is, so the garbage collector never scans it. Open addressing with
// linear probing over a power-of-two slot array at most half full; the
// values sit densely in insertion order. No deletion: callers drop a whole
// table at once (clear).
type hashTable[V any] struct {
	slots []tableSlot
	vals  []V
	shift uint8 // 64 - log2(len(slots))
}

// tableSlot is one slot: idx 0 is empty, else vals[idx-1] is the key's value.
type tableSlot struct {
	key uint64
	idx uint32
}

const minTableSlots = 16

// home is the first slot probed for key: a Fibonacci multiplication spreads
// keys that are not uniform (an IPv4 address packed by addrKey) as well.
func (t *hashTable[V]) home(key uint64) uint64 {
	return (key * 0x9E3779B97F4A7C15) >> t.shift
}

// get returns a pointer to key's value, nil when key is absent. The pointer
// is valid until the next put.
func (t *hashTable[V]) get(key uint64) *V {
	if len(t.slots) == 0 {
		return nil
	}
	mask := uint64(len(t.slots) - 1)
	for i := t.home(key); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.idx == 0 {
			return nil
		}
		if s.key == key {
			return &t.vals[s.idx-1]
		}
	}
}

// put returns a pointer to key's value, adding the zero value when key is
// absent. The pointer is valid until the next put.
func (t *hashTable[V]) put(key uint64) *V {
	if 2*(len(t.vals)+1) > len(t.slots) {
		t.grow()
	}
	mask := uint64(len(t.slots) - 1)
	for i := t.home(key); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.idx == 0 {
			var zero V
			t.vals = append(t.vals, zero)
			s.key, s.idx = key, uint32(len(t.vals))
			return &t.vals[len(t.vals)-1]
		}
		if s.key == key {
			return &t.vals[s.idx-1]
		}
	}
}

// len is the number of keys.
func (t *hashTable[V]) len() int { return len(t.vals) }

// grow doubles the slot array and places every key again (the values
// stay where they are).
func (t *hashTable[V]) grow() {
	old := t.slots
	n := max(2*len(old), minTableSlots)
	t.slots = make([]tableSlot, n)
	t.shift = uint8(64 - bits.TrailingZeros(uint(n)))
	mask := uint64(n - 1)
	for _, s := range old {
		if s.idx == 0 {
			continue
		}
		i := t.home(s.key)
		for t.slots[i].idx != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
}

// clear empties t and keeps its storage.
func (t *hashTable[V]) clear() {
	clear(t.slots)
	clear(t.vals) // a V holding pointers must not keep them alive
	t.vals = t.vals[:0]
}
