package rules

import "slices"

// uaTable maps UA address keys (addrKey) to AUTH002's uaSeen records held
// in the slots themselves (slotTable): every transaction of a challenged
// UA looks its record up, and with the record apart from its slot
// (ptrTable) that is two cache misses once there are more UAs than the CPU
// caches hold; here a slot is the key and the 56-byte record, 64 bytes,
// one cache line. It also keeps the keys in the order added. A record's
// address changes when the table grows: hold the key, not the pointer,
// across an add.
type uaTable struct {
	slotTable[uaSeen]
	order []uint64 // the keys in the order added; removed ones may linger, and one added again is there twice
	gone  int      // removals since order was last compacted
}

// remove drops the record under key. Once removals are half of order,
// order is compacted: it stays proportional to the UAs held, not to every
// UA seen (a scan from a million addresses).
func (t *uaTable) remove(key uint64) {
	t.slotTable.remove(key)
	t.gone++
	if len(t.order) >= 64 && 2*t.gone >= len(t.order) {
		t.order, t.gone = t.keys(), 0
	}
}

// keys are the keys held, each once, in the order added: a key removed
// and added again is where it was added last, whether or not order was
// compacted in between (its earlier entries are stale).
func (t *uaTable) keys() []uint64 {
	var seen keySet
	seen.reserve(t.n)
	keys := make([]uint64, 0, t.n+1)
	for i := len(t.order) - 1; i >= 0; i-- {
		k := t.order[i]
		if t.get(k) == nil || seen.has(k) {
			continue
		}
		seen.add(k)
		keys = append(keys, k)
	}
	slices.Reverse(keys)
	return keys
}

// add puts a new empty record under key, which must be absent, and
// returns it. The pointer is valid until the next add.
func (t *uaTable) add(key uint64) *uaSeen {
	t.order = append(t.order, key)
	return t.put(key)
}
