package rules

import "math/bits"

// slotTable maps 64-bit hashes (maphash outputs, addrKey) to values held
// in the slots themselves, for tables whose every lookup would otherwise
// cost two cache misses once they outgrow the CPU caches: hashTable keeps
// a value in an array apart from its slot, ptrTable behind a pointer.
// Here the slot is the key and the value, so a value type sized to make
// the slot 32 or 64 bytes keeps every slot within one cache line (once the
// slot array outgrows 32 KiB it is allocated on pages of its own; smaller
// ones have Go's 8-byte header in front, but then the table stays in the
// caches anyway). Open addressing with linear probing, at most half full,
// no order. Key 0 marks a free slot; the key 0 itself is kept apart. A
// value's address changes when the table grows or a key is removed: hold
// the key, not the pointer, across a put or a remove.
type slotTable[V any] struct {
	slots   []keyedSlot[V] // a power of two long
	n       int            // keys in slots (the zero key not counted)
	shift   uint8          // 64 - log2(len(slots))
	hasZero bool
	zero    V
}

// keyedSlot is one slot: key 0 is free.
type keyedSlot[V any] struct {
	key uint64
	val V
}

// home is the first slot probed for key, as hashTable.home.
func (t *slotTable[V]) home(key uint64) uint64 {
	return (key * 0x9E3779B97F4A7C15) >> t.shift
}

// get returns a pointer to key's value, nil when key is absent. The
// pointer is valid until the next put.
func (t *slotTable[V]) get(key uint64) *V {
	if key == 0 {
		if t.hasZero {
			return &t.zero
		}
		return nil
	}
	if len(t.slots) == 0 {
		return nil
	}
	if i, ok := t.locate(key); ok {
		return &t.slots[i].val
	}
	return nil
}

// locate returns the slot holding key (ok), or the free slot that ends its
// run, where it would go. key is not 0, and the slots are not none.
func (t *slotTable[V]) locate(key uint64) (i uint64, ok bool) {
	mask := uint64(len(t.slots) - 1)
	for i = t.home(key); ; i = (i + 1) & mask {
		switch t.slots[i].key {
		case key:
			return i, true
		case 0:
			return i, false
		}
	}
}

// put returns a pointer to key's value, adding the zero value when key is
// absent. The pointer is valid until the next put.
func (t *slotTable[V]) put(key uint64) *V {
	if key == 0 {
		t.hasZero = true
		return &t.zero
	}
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	i, ok := t.locate(key)
	if !ok {
		t.slots[i].key = key
		t.n++
	}
	return &t.slots[i].val
}

// grow doubles the slot array and places every key again.
func (t *slotTable[V]) grow() {
	old := t.slots
	n := max(2*len(old), minTableSlots)
	t.slots = make([]keyedSlot[V], n)
	t.shift = uint8(64 - bits.TrailingZeros(uint(n)))
	mask := uint64(n - 1)
	for j := range old {
		s := &old[j] // not a copy: a slot may be a whole cache line
		if s.key == 0 {
			continue
		}
		i := t.home(s.key)
		for t.slots[i].key != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = *s
	}
}

// remove deletes key and its value, if present.
func (t *slotTable[V]) remove(key uint64) {
	if key == 0 {
		var zero V
		t.hasZero, t.zero = false, zero
		return
	}
	if len(t.slots) == 0 {
		return
	}
	i, ok := t.locate(key)
	if !ok {
		return
	}
	mask := uint64(len(t.slots) - 1)
	// Close the gap (Knuth, TAOCP vol. 3, 6.4 Algorithm R): a key further
	// along the run moves back into it unless its home slot lies
	// cyclically in (i, j], where a probe would no longer reach it.
	for j := (i + 1) & mask; t.slots[j].key != 0; j = (j + 1) & mask {
		if home := t.home(t.slots[j].key); !cyclicallyWithin(i, j, home) {
			t.slots[i] = t.slots[j]
			i = j
		}
	}
	t.slots[i] = keyedSlot[V]{}
	t.n--
}

// cyclicallyWithin reports whether slot h lies cyclically in (i, j].
func cyclicallyWithin(i, j, h uint64) bool {
	if i <= j {
		return i < h && h <= j
	}
	return i < h || h <= j
}
