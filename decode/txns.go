package decode

import "hash/maphash"

// txnTable finds open and lingering transactions by a 64-bit hash of their
// key (appendTxnKey), in a slotTable: each transaction is put once and
// removed once. A deadline that carries the hash removes its transaction
// without touching it.
type txnTable struct {
	seed maphash.Seed
	slotTable[*Transaction]
}

func newTxnTable() txnTable {
	return txnTable{seed: maphash.MakeSeed(), slotTable: newSlotTable[*Transaction](1024)}
}

func (tt *txnTable) hash(key []byte) uint64 {
	return maphash.Bytes(tt.seed, key) >> (64 - hashBits) // the top bits carry a deadline's kind
}

// get returns the transaction with key (whose hash is h), nil if none.
func (tt *txnTable) get(h uint64, key []byte) *Transaction {
	for i, mask := tt.home(h); ; i = (i + 1) & mask {
		s := &tt.slots[i]
		if s.p == nil {
			return nil
		}
		if s.h == h && s.p.key == string(key) {
			return s.p
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
