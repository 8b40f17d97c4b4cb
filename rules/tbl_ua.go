package rules

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
	order []uint64 // the keys in the order added
}

// add puts a new empty record under key, which must be absent, and
// returns it. The pointer is valid until the next add.
func (t *uaTable) add(key uint64) *uaSeen {
	t.order = append(t.order, key)
	return t.put(key)
}
