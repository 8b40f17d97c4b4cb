package rules

import "math/bits"

// ptrTable maps 64-bit keys to pointers, for the per-address records that
// every transaction looks up (the servers of TXN002; AUTH002's UAs sit in
// the slots themselves, slotTable).
// A hashTable[*T] keeps the pointer in its value array, so a lookup reads
// the slot, then the value, then the record: three dependent loads, each a
// cache miss once there are more addresses than the CPU caches hold. Here
// the slot holds the key and the pointer side by side (16 bytes, four to a
// cache line), one load fewer. list keeps the records in the order they
// were added, as hashTable's values are. No deletion.
type ptrTable[T any] struct {
	slots []ptrSlot[T] // a power of two long, at most half full
	list  []*T         // in the order added
	shift uint8        // 64 - log2(len(slots))
}

type ptrSlot[T any] struct {
	key uint64
	p   *T // nil: free
}

// home is the first slot probed for key, as hashTable.home.
func (t *ptrTable[T]) home(key uint64) uint64 {
	return (key * 0x9E3779B97F4A7C15) >> t.shift
}

// get returns the record of key, nil when key is absent.
func (t *ptrTable[T]) get(key uint64) *T {
	if len(t.slots) == 0 {
		return nil
	}
	mask := uint64(len(t.slots) - 1)
	for i := t.home(key); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.p == nil || s.key == key {
			return s.p
		}
	}
}

// add puts p (not nil) under key, which must be absent.
func (t *ptrTable[T]) add(key uint64, p *T) {
	if 2*(len(t.list)+1) > len(t.slots) {
		t.grow()
	}
	t.insert(ptrSlot[T]{key, p})
	t.list = append(t.list, p)
}

func (t *ptrTable[T]) insert(s ptrSlot[T]) {
	mask := uint64(len(t.slots) - 1)
	i := t.home(s.key)
	for t.slots[i].p != nil {
		i = (i + 1) & mask
	}
	t.slots[i] = s
}

func (t *ptrTable[T]) grow() {
	old := t.slots
	n := max(2*len(old), minTableSlots)
	t.slots = make([]ptrSlot[T], n)
	t.shift = uint8(64 - bits.TrailingZeros(uint(n)))
	for _, s := range old {
		if s.p != nil {
			t.insert(s)
		}
	}
}
