package rules

import "math/bits"

// keySet is a set of 64-bit hashes: the slots hold the keys themselves,
// 8 bytes each, with 0 marking a free slot (a key 0 is kept in a flag of
// its own). A hashTable[bool] would do, but reads a 16-byte slot and
// appends a value nobody reads for every key added; the sets of hashSet
// only grow, so their adds and lookups run past the CPU caches, and half
// the bytes is half the cache lines.
type keySet struct {
	slots   []uint64 // a power of two long, at most half full
	n       int      // keys in slots (the zero key not counted)
	hasZero bool
	shift   uint8 // 64 - log2(len(slots))
}

// home is the first slot probed for key, as hashTable.home.
func (s *keySet) home(key uint64) uint64 {
	return (key * 0x9E3779B97F4A7C15) >> s.shift
}

// add puts key in the set.
func (s *keySet) add(key uint64) {
	if key == 0 {
		s.hasZero = true
		return
	}
	if 2*(s.n+1) > len(s.slots) {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := s.home(key); ; i = (i + 1) & mask {
		switch s.slots[i] {
		case 0:
			s.slots[i] = key
			s.n++
			return
		case key:
			return
		}
	}
}

// has reports whether key is in the set.
func (s *keySet) has(key uint64) bool {
	if key == 0 {
		return s.hasZero
	}
	if len(s.slots) == 0 {
		return false
	}
	mask := uint64(len(s.slots) - 1)
	for i := s.home(key); ; i = (i + 1) & mask {
		switch s.slots[i] {
		case 0:
			return false
		case key:
			return true
		}
	}
}

// len is the number of keys.
func (s *keySet) len() int {
	if s.hasZero {
		return s.n + 1
	}
	return s.n
}

// reserve grows the table at once to hold n keys, rather than doubling
// it several times while they are added.
func (s *keySet) reserve(n int) {
	size := max(len(s.slots), minTableSlots)
	for 2*(n+1) > size {
		size *= 2
	}
	if size > len(s.slots) {
		s.resize(size)
	}
}

func (s *keySet) grow() { s.resize(max(2*len(s.slots), minTableSlots)) }

// resize places every key again in a table of n slots (a power of two).
func (s *keySet) resize(n int) {
	old := s.slots
	s.slots = make([]uint64, n)
	s.shift = uint8(64 - bits.TrailingZeros(uint(n)))
	mask := uint64(n - 1)
	for _, k := range old {
		if k == 0 {
			continue
		}
		i := s.home(k)
		for s.slots[i] != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = k
	}
}
