package decode

// waitTable counts, per Call-ID hash (Transaction.CallIDHash), the
// transactions that are open and have had no response at all yet: each is
// added when its request opens it and taken out by its first response or
// when it leaves Open without one (Timer B/F, the capture's end). It holds
// only requests in flight, a few at a time, so it stays in the CPU caches,
// unlike a table of every Call-ID. Open addressing with linear probing over
// a power-of-two slot array at most half full; a slot whose count drops to
// zero is freed by shifting the run back (as slotTable.remove does).
type waitTable struct {
	slots []waitSlot
	n     int
}

type waitSlot struct {
	h uint64
	n uint32 // 0: free
}

func newWaitTable() waitTable { return waitTable{slots: make([]waitSlot, 64)} }

// add counts one more waiting transaction under h.
func (w *waitTable) add(h uint64) {
	if 2*(w.n+1) > len(w.slots) {
		w.grow()
	}
	mask := uint64(len(w.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &w.slots[i]
		if s.n == 0 {
			*s = waitSlot{h: h, n: 1}
			w.n++
			return
		}
		if s.h == h {
			s.n++
			return
		}
	}
}

// done counts one waiting transaction under h less; h must have been added.
func (w *waitTable) done(h uint64) {
	mask := uint64(len(w.slots) - 1)
	i := h & mask
	for w.slots[i].h != h || w.slots[i].n == 0 {
		if w.slots[i].n == 0 {
			return // not there: nothing to take out
		}
		i = (i + 1) & mask
	}
	if w.slots[i].n--; w.slots[i].n > 0 {
		return
	}
	// Close the gap (Knuth, TAOCP vol. 3, 6.4 Algorithm R).
	for j := (i + 1) & mask; w.slots[j].n != 0; j = (j + 1) & mask {
		home := w.slots[j].h & mask
		if !homeWithin(i, j, home) {
			w.slots[i] = w.slots[j]
			i = j
		}
	}
	w.slots[i] = waitSlot{}
	w.n--
}

// has reports whether a transaction is counted under h.
func (w *waitTable) has(h uint64) bool {
	if w.n == 0 {
		return false
	}
	mask := uint64(len(w.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &w.slots[i]
		if s.n == 0 {
			return false
		}
		if s.h == h {
			return true
		}
	}
}

func (w *waitTable) grow() {
	old := w.slots
	w.slots = make([]waitSlot, 2*len(old))
	mask := uint64(len(w.slots) - 1)
	for _, s := range old {
		if s.n == 0 {
			continue
		}
		i := s.h & mask
		for w.slots[i].n != 0 {
			i = (i + 1) & mask
		}
		w.slots[i] = s
	}
}
