package decode

// slotTable is an open-addressing hash table (linear probing) of 64-bit
// hashes and pointers, for the correlator's tables whose entries are each
// put once and removed once (transactions, dialogs, pending challenges): a
// slot array of 16-byte entries does that with a fraction of the work and
// the cache lines of a Go map, whose inserts and deletes dominate at that
// churn; a lookup reads one slot, where a Go map reads a control word, a
// slot and a key stored out of line. The table knows hashes only: lookups
// are written by its users, who check a hit against the key kept in the
// entry and go on probing past a mismatch, as two keys can share a hash
// (the address pairs of peers use a one-to-one key instead).
type slotTable[P comparable] struct {
	slots []slot[P] // a power of two long, at most half full
	n     int
}

type slot[P comparable] struct {
	h uint64
	p P // the zero value: free
}

func newSlotTable[P comparable](size int) slotTable[P] {
	return slotTable[P]{slots: make([]slot[P], size)}
}

// home returns where the run of h starts and the mask that wraps a probe
// (i+1)&mask around the end of the slots.
func (st *slotTable[P]) home(h uint64) (i, mask uint64) {
	mask = uint64(len(st.slots) - 1)
	return h & mask, mask
}

// put adds p under hash h.
func (st *slotTable[P]) put(h uint64, p P) {
	if 2*(st.n+1) > len(st.slots) {
		st.grow()
	}
	st.insert(h, p)
	st.n++
}

func (st *slotTable[P]) insert(h uint64, p P) {
	var free P
	i, mask := st.home(h)
	for st.slots[i].p != free {
		i = (i + 1) & mask
	}
	st.slots[i] = slot[P]{h: h, p: p}
}

func (st *slotTable[P]) grow() {
	var free P
	old := st.slots
	st.slots = make([]slot[P], 2*len(old))
	for _, s := range old {
		if s.p != free {
			st.insert(s.h, s.p)
		}
	}
}

// remove deletes p (put with hash h) and reports whether it was there;
// removing it a second time does nothing.
func (st *slotTable[P]) remove(h uint64, p P) bool {
	var free P
	i, mask := st.home(h)
	for st.slots[i].p != p {
		if st.slots[i].p == free {
			return false
		}
		i = (i + 1) & mask
	}
	// Close the gap (Knuth, TAOCP vol. 3, 6.4 Algorithm R): an entry
	// further along the run moves back into it unless its home slot lies
	// cyclically in (i, j], where a probe would no longer reach it.
	for j := (i + 1) & mask; st.slots[j].p != free; j = (j + 1) & mask {
		home := st.slots[j].h & mask
		if !homeWithin(i, j, home) {
			st.slots[i] = st.slots[j]
			i = j
		}
	}
	st.slots[i] = slot[P]{}
	st.n--
	return true
}

// len is the number of entries held.
func (st *slotTable[P]) len() int { return st.n }

// each calls fn for every entry held, in no particular order; fn must not
// change the table.
func (st *slotTable[P]) each(fn func(P)) {
	var free P
	for _, s := range st.slots {
		if s.p != free {
			fn(s.p)
		}
	}
}

// homeWithin reports whether slot home lies cyclically in (i, j]. Removal
// (Knuth, TAOCP vol. 3, 6.4 Algorithm R) asks it of an entry at j whose home
// slot is home: if so, its probe starts after the gap at i and the entry
// must stay where it is; if not, it moves back into the gap.
func homeWithin(i, j, home uint64) bool {
	if i <= j {
		return i < home && home <= j
	}
	return i < home || home <= j
}
