package capture

// reqTable is the orienter's requests by transaction: what
// map[uint64]reqSide did there (get, put, clear), in an open-addressing
// table keyed by the transaction's hash, without a map's per-insert cost.
// It grows by doubling, kept at most half full, up to twice maxReqs
// slots; the orienter clears it when it holds maxReqs entries.
type reqTable struct {
	keys []uint64
	used []bool
	vals []reqSide
	n    int
}

// len is the number of entries.
func (t *reqTable) len() int { return t.n }

// get returns the entry of key h.
func (t *reqTable) get(h uint64) (reqSide, bool) {
	if t.n == 0 {
		return reqSide{}, false
	}
	mask := uint64(len(t.keys) - 1)
	for i := h & mask; t.used[i]; i = (i + 1) & mask {
		if t.keys[i] == h {
			return t.vals[i], true
		}
	}
	return reqSide{}, false
}

// put sets the entry of key h.
func (t *reqTable) put(h uint64, v reqSide) {
	if 2*(t.n+1) > len(t.keys) {
		t.grow()
	}
	mask := uint64(len(t.keys) - 1)
	i := h & mask
	for ; t.used[i]; i = (i + 1) & mask {
		if t.keys[i] == h {
			t.vals[i] = v
			return
		}
	}
	t.keys[i], t.vals[i], t.used[i] = h, v, true
	t.n++
}

// clear removes every entry, keeping the slots.
func (t *reqTable) clear() {
	clear(t.used)
	clear(t.vals) // the addresses hold zone handles: let them go
	t.n = 0
}

// grow doubles the slots (64 at first) and puts the entries back.
func (t *reqTable) grow() {
	old := *t
	size := max(64, 2*len(old.keys))
	*t = reqTable{keys: make([]uint64, size), used: make([]bool, size), vals: make([]reqSide, size)}
	for i, u := range old.used {
		if u {
			t.put(old.keys[i], old.vals[i])
		}
	}
}
