package decode

import (
	"hash/maphash"
	"unsafe"
)

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

// txnBox is a Transaction with room for its strings before it: the key,
// Call-ID, Request-URI and From tag live and die with the transaction, and
// one allocation of both saves one per transaction. Objects of 640 bytes,
// a size class, begin on a cache line and, being larger than 512 bytes
// with pointers, with the allocator's 8-byte header: 120 bytes of text
// then put the Transaction on a cache line of its own (see its layout),
// and the key that a lookup compares starts in the object's first line.
type txnBox struct {
	text [txnInline]byte
	Transaction
}

// txnInline is the text's room (120 bytes while a Transaction is 512).
const txnInline = int(640 - mallocHeader - unsafe.Sizeof(Transaction{}))

// Transaction.textUsed counts the text's bytes: this constant overflows
// (a compile error) when they no longer fit in a uint8.
const _ = uint8(txnInline)

// mallocHeader is what the Go allocator puts before an object of more
// than 512 bytes that holds pointers (its type).
const mallocHeader = 8

// newTransaction returns a zero Transaction but for its strings (see
// setStrings), held in its own allocation when they fit.
func newTransaction(key, callID, ruri, fromTag []byte) *Transaction {
	n := len(key) + len(callID) + len(ruri) + len(fromTag)
	if n == 0 || n > txnInline {
		t := new(Transaction)
		t.setStrings(key, callID, ruri, fromTag)
		return t
	}
	b := new(txnBox)
	i := copy(b.text[:], key)
	i += copy(b.text[i:], callID)
	i += copy(b.text[i:], ruri)
	copy(b.text[i:], fromTag)
	b.Transaction.strings(unsafe.String(&b.text[0], n), len(key), len(callID), len(ruri))
	b.textUsed = uint8(n)
	return &b.Transaction
}

// keep returns a string copy of s that lives with t: in the room left in
// t's txnBox when it fits (the bytes after the strings already there,
// which no string holds yet), in an allocation of its own otherwise. A
// copy of a boxed transaction carries textUsed without its box: its key
// does not start where its box's text would be, so it copies s apart
// rather than write before itself.
func (t *Transaction) keep(s []byte) string {
	used := int(t.textUsed)
	if used == 0 || len(s) == 0 || used+len(s) > txnInline || !t.inBox() {
		return string(s)
	}
	// t is the Transaction of a txnBox: the box starts that far before it.
	b := (*txnBox)(unsafe.Add(unsafe.Pointer(t), -int(unsafe.Offsetof(txnBox{}.Transaction))))
	copy(b.text[used:], s)
	t.textUsed += uint8(len(s))
	return unsafe.String(&b.text[used], len(s))
}

// inBox says whether t is the Transaction of the txnBox its key is held
// in: the key starts the box's text. Compared as integers, so that no
// pointer outside an object is ever made for a copy.
func (t *Transaction) inBox() bool {
	return len(t.key) > 0 && uintptr(unsafe.Pointer(unsafe.StringData(t.key)))+unsafe.Offsetof(txnBox{}.Transaction) == uintptr(unsafe.Pointer(t))
}

// setStrings copies a new transaction's key, Call-ID, Request-URI and From
// tag (INVITE only) out of the message in one allocation of their own: for a
// transaction outside a txnBox.
func (t *Transaction) setStrings(key, callID, ruri, fromTag []byte) {
	b := make([]byte, len(key)+len(callID)+len(ruri)+len(fromTag))
	i := copy(b, key)
	i += copy(b[i:], callID)
	i += copy(b[i:], ruri)
	copy(b[i:], fromTag)
	t.strings(unsafe.String(unsafe.SliceData(b), len(b)), len(key), len(callID), len(ruri)) // b is not written again
}

// strings sets the key, Call-ID, Request-URI and From tag from s, the four
// one after the other with the lengths given (the From tag is the rest).
func (t *Transaction) strings(s string, key, callID, ruri int) {
	t.key = s[:key]
	t.CallID = s[key : key+callID]
	i := key + callID
	t.RequestURI = s[i : i+ruri]
	t.FromTag = s[i+ruri:]
}
