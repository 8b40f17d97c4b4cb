package decode

import "hash/maphash"

// txnTable finds open and lingering transactions by their key (appendTxnKey).
// The map is keyed by a 64-bit hash of the key: the hash is compared in the
// map's slot instead of a 40-byte string out of line, and a deadline that
// carries the hash evicts its transaction without touching it. Two keys can
// share a hash, so a hit is checked against the transaction's own key, and a
// key whose hash is taken goes to spill, a plain string map that is empty in
// practice.
type txnTable struct {
	seed  maphash.Seed
	m     map[uint64]*Transaction
	spill map[string]*Transaction
}

func newTxnTable() txnTable {
	return txnTable{seed: maphash.MakeSeed(), m: make(map[uint64]*Transaction, 1024)}
}

func (tt *txnTable) hash(key []byte) uint64 { return maphash.Bytes(tt.seed, key) }

// get returns the transaction with key (whose hash is h), nil if none, and
// whether the map slot of h is taken (by another key when t is nil): put
// needs to know, and one map lookup is cheaper than two.
func (tt *txnTable) get(h uint64, key []byte) (t *Transaction, taken bool) {
	t = tt.m[h]
	if t != nil && t.key == string(key) {
		return t, true
	}
	taken = t != nil
	if len(tt.spill) > 0 {
		return tt.spill[string(key)], taken
	}
	return nil, taken
}

// put adds t under its key t.key (hash h), which get did not find; taken
// is what get said of h's slot.
func (tt *txnTable) put(h uint64, t *Transaction, taken bool) {
	if !taken {
		tt.m[h] = t
		return
	}
	if tt.spill == nil {
		tt.spill = make(map[string]*Transaction)
	}
	tt.spill[t.key] = t
}

// remove deletes t (put with hash h) if it is still there; removing it a
// second time does nothing.
func (tt *txnTable) remove(h uint64, t *Transaction) {
	if tt.m[h] == t {
		delete(tt.m, h)
		return
	}
	if len(tt.spill) > 0 && tt.spill[t.key] == t {
		delete(tt.spill, t.key)
	}
}

// len is the number of transactions held.
func (tt *txnTable) len() int { return len(tt.m) + len(tt.spill) }

// each calls fn for every transaction held, in no particular order.
func (tt *txnTable) each(fn func(*Transaction)) {
	for _, t := range tt.m {
		fn(t)
	}
	for _, t := range tt.spill {
		fn(t)
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
