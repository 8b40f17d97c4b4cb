package rules

import "math/bits"

// uaTable maps UA address keys (addrKey) to AUTH002's uaSeen records held
// in the slots themselves: every transaction of a challenged UA looks its
// record up, and with the record apart from its slot (ptrTable) that is
// two cache misses once there are more UAs than the CPU caches hold; here
// a slot is the key and the record, 64 bytes, one cache line (once the
// slot array outgrows 32 KiB it is allocated on pages of its own, whose
// first slot starts a cache line; smaller ones have Go's 8-byte header in
// front, but then the table stays in the caches anyway).
// Open addressing with linear probing, at most half full, no deletion.
// A record's address changes when the table grows: hold the key, not the
// pointer, across an add.
type uaTable struct {
	slots []uaSlot // a power of two long
	order []uint64 // the keys in the order added
	shift uint8    // 64 - log2(len(slots))
}

type uaSlot struct {
	key uint64
	u   uaSeen // u.taken marks the slot used
}

// home is the first slot probed for key, as hashTable.home.
func (t *uaTable) home(key uint64) uint64 {
	return (key * 0x9E3779B97F4A7C15) >> t.shift
}

// get returns the record of key, nil when key is absent. The pointer is
// valid until the next add.
func (t *uaTable) get(key uint64) *uaSeen {
	if len(t.slots) == 0 {
		return nil
	}
	mask := uint64(len(t.slots) - 1)
	for i := t.home(key); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if !s.u.taken {
			return nil
		}
		if s.key == key {
			return &s.u
		}
	}
}

// add puts a new empty record under key, which must be absent, and
// returns it. The pointer is valid until the next add.
func (t *uaTable) add(key uint64) *uaSeen {
	if 2*(len(t.order)+1) > len(t.slots) {
		t.grow()
	}
	t.order = append(t.order, key)
	s := t.insert(key)
	s.u.taken = true
	return &s.u
}

// insert returns the free slot key goes to, its key set.
func (t *uaTable) insert(key uint64) *uaSlot {
	mask := uint64(len(t.slots) - 1)
	i := t.home(key)
	for t.slots[i].u.taken {
		i = (i + 1) & mask
	}
	s := &t.slots[i]
	s.key = key
	return s
}

func (t *uaTable) grow() {
	old := t.slots
	n := max(2*len(old), minTableSlots)
	t.slots = make([]uaSlot, n)
	t.shift = uint8(64 - bits.TrailingZeros(uint(n)))
	for i := range old {
		if old[i].u.taken {
			*t.insert(old[i].key) = old[i]
		}
	}
}
