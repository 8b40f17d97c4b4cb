package rules

import "math/bits"

// acceptedTable maps 64-bit hashes (maphash outputs) to acceptedRef, for
// AUTH006's last accepted exchange per account, written on every accepted
// exchange. hashTable would keep the value in an array apart from the
// slot, a second cache line per write once the accounts outgrow the CPU
// caches; here the slot holds the key and the value, padded to 32 bytes
// so that a slot never straddles two lines (once the slot array outgrows
// 32 KiB it is allocated on pages of its own; smaller ones, which stay in
// the caches, have Go's 8-byte header in front). Open addressing with
// linear probing, at most half full, no deletion, no order. Key 0 marks a
// free slot; the key 0 itself is kept apart.
type acceptedTable struct {
	slots   []acceptedSlot // a power of two long
	n       int            // keys in slots (the zero key not counted)
	shift   uint8          // 64 - log2(len(slots))
	hasZero bool
	zero    acceptedRef
}

type acceptedSlot struct {
	key uint64
	val acceptedRef
	_   [32 - 24]byte
}

// home is the first slot probed for key, as hashTable.home.
func (t *acceptedTable) home(key uint64) uint64 {
	return (key * 0x9E3779B97F4A7C15) >> t.shift
}

// get returns a pointer to key's value, nil when key is absent. The
// pointer is valid until the next put.
func (t *acceptedTable) get(key uint64) *acceptedRef {
	if key == 0 {
		if t.hasZero {
			return &t.zero
		}
		return nil
	}
	if len(t.slots) == 0 {
		return nil
	}
	mask := uint64(len(t.slots) - 1)
	for i := t.home(key); ; i = (i + 1) & mask {
		s := &t.slots[i]
		switch s.key {
		case key:
			return &s.val
		case 0:
			return nil
		}
	}
}

// put returns a pointer to key's value, adding the zero value when key is
// absent. The pointer is valid until the next put.
func (t *acceptedTable) put(key uint64) *acceptedRef {
	if key == 0 {
		t.hasZero = true
		return &t.zero
	}
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	mask := uint64(len(t.slots) - 1)
	for i := t.home(key); ; i = (i + 1) & mask {
		s := &t.slots[i]
		switch s.key {
		case key:
			return &s.val
		case 0:
			s.key = key
			t.n++
			return &s.val
		}
	}
}

// grow doubles the slot array and places every key again.
func (t *acceptedTable) grow() {
	old := t.slots
	n := max(2*len(old), minTableSlots)
	t.slots = make([]acceptedSlot, n)
	t.shift = uint8(64 - bits.TrailingZeros(uint(n)))
	mask := uint64(n - 1)
	for _, s := range old {
		if s.key == 0 {
			continue
		}
		i := t.home(s.key)
		for t.slots[i].key != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
}
