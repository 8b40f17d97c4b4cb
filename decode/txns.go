package decode

import "hash/maphash"

// txnTable finds open and lingering transactions by their key (appendTxnKey).
// It is an open-addressing hash table (linear probing) of 64-bit hashes of
// the keys and the transactions: every transaction is put once and removed
// once, and a slot array of 16-byte entries does that with a fraction of the
// work and the cache lines of a Go map, whose inserts and deletes dominate
// at this churn. Two keys can share a hash; a hit is checked against the
// transaction's own key, and the probe goes on past a mismatch. A deadline
// that carries the hash removes its transaction without touching it.
type txnTable struct {
	seed  maphash.Seed
	slots []txnSlot // a power of two long, at most half full
	n     int
}

type txnSlot struct {
	h uint64
	t *Transaction // nil: free
}

func newTxnTable() txnTable {
	return txnTable{seed: maphash.MakeSeed(), slots: make([]txnSlot, 1024)}
}

func (tt *txnTable) hash(key []byte) uint64 { return maphash.Bytes(tt.seed, key) }

// get returns the transaction with key (whose hash is h), nil if none.
func (tt *txnTable) get(h uint64, key []byte) *Transaction {
	mask := uint64(len(tt.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &tt.slots[i]
		if s.t == nil {
			return nil
		}
		if s.h == h && s.t.key == string(key) {
			return s.t
		}
	}
}

// put adds t under its key t.key (hash h), which get did not find.
func (tt *txnTable) put(h uint64, t *Transaction) {
	if 2*(tt.n+1) > len(tt.slots) {
		tt.grow()
	}
	tt.insert(h, t)
	tt.n++
}

func (tt *txnTable) insert(h uint64, t *Transaction) {
	mask := uint64(len(tt.slots) - 1)
	i := h & mask
	for tt.slots[i].t != nil {
		i = (i + 1) & mask
	}
	tt.slots[i] = txnSlot{h: h, t: t}
}

func (tt *txnTable) grow() {
	old := tt.slots
	tt.slots = make([]txnSlot, 2*len(old))
	for _, s := range old {
		if s.t != nil {
			tt.insert(s.h, s.t)
		}
	}
}

// remove deletes t (put with hash h) if it is still there; removing it a
// second time does nothing.
func (tt *txnTable) remove(h uint64, t *Transaction) {
	mask := uint64(len(tt.slots) - 1)
	i := h & mask
	for tt.slots[i].t != t {
		if tt.slots[i].t == nil {
			return
		}
		i = (i + 1) & mask
	}
	// Close the gap (Knuth, TAOCP vol. 3, 6.4 Algorithm R): an entry
	// further along the run moves back into it unless its home slot lies
	// cyclically in (i, j], where get would no longer reach it.
	for j := (i + 1) & mask; tt.slots[j].t != nil; j = (j + 1) & mask {
		home := tt.slots[j].h & mask
		var reachable bool
		if i <= j {
			reachable = i < home && home <= j
		} else {
			reachable = i < home || home <= j
		}
		if !reachable {
			tt.slots[i] = tt.slots[j]
			i = j
		}
	}
	tt.slots[i] = txnSlot{}
	tt.n--
}

// len is the number of transactions held.
func (tt *txnTable) len() int { return tt.n }

// each calls fn for every transaction held, in no particular order.
func (tt *txnTable) each(fn func(*Transaction)) {
	for _, s := range tt.slots {
		if s.t != nil {
			fn(s.t)
		}
	}
}

// setStrings copies a new transaction's key, Call-ID, Request-URI and From
// tag (INVITE only) out of the message in one allocation: they live and die
// with the transaction, and the key checked on every lookup shares its cache
// lines with the Call-ID that observers read next. buf is scratch space,
// returned for reuse.
func (t *Transaction) setStrings(buf, key, callID, ruri, fromTag []byte) []byte {
	buf = append(buf[:0], key...)
	buf = append(buf, callID...)
	buf = append(buf, ruri...)
	buf = append(buf, fromTag...)
	s := string(buf)
	i := len(key)
	t.key = s[:i]
	t.CallID = s[i : i+len(callID)]
	i += len(callID)
	t.RequestURI = s[i : i+len(ruri)]
	i += len(ruri)
	t.FromTag = s[i : i+len(fromTag)]
	return buf
}
