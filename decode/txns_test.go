package decode

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unsafe"
)

// Keys that share a hash, or whose probe runs overlap and wrap around the
// end of the slots, are found, removed one at a time (a second removal
// changes nothing) and survive the table growing. Hashes are forced into a
// few values here; with a 64-bit hash such pile-ups are rare.
func TestTxnTableCollisions(t *testing.T) {
	tt := newTxnTable()
	ref := map[string]*Transaction{}
	hashOf := map[*Transaction]uint64{}
	rnd := rand.New(rand.NewPCG(1, 2))
	var live []*Transaction
	check := func(step int) {
		t.Helper()
		if tt.len() != len(ref) {
			t.Fatalf("step %d: len %d, want %d", step, tt.len(), len(ref))
		}
		for k, x := range ref {
			if got := tt.get(hashOf[x], []byte(k)); got != x {
				t.Fatalf("step %d: %q -> %p, want %p", step, k, got, x)
			}
		}
		n := 0
		tt.each(func(*Transaction) { n++ })
		if n != len(ref) {
			t.Fatalf("step %d: each saw %d, want %d", step, n, len(ref))
		}
	}
	for step := 0; step < 4000; step++ {
		switch op := rnd.IntN(10); {
		case op < 6 || len(live) == 0:
			k := fmt.Sprintf("k%d", step)
			// Hashes near the end of the first table's slots make runs wrap.
			h := uint64(1024-4+rnd.IntN(8)) + uint64(rnd.IntN(3))<<20
			if got := tt.get(h, []byte(k)); got != nil {
				t.Fatalf("step %d: new key %q found", step, k)
			}
			x := &Transaction{key: k}
			tt.put(h, x)
			ref[k], hashOf[x] = x, h
			live = append(live, x)
		default:
			i := rnd.IntN(len(live))
			x := live[i]
			live[i] = live[len(live)-1]
			live = live[:len(live)-1]
			tt.remove(hashOf[x], x)
			tt.remove(hashOf[x], x)
			delete(ref, x.key)
			if got := tt.get(hashOf[x], []byte(x.key)); got != nil {
				t.Fatalf("step %d: removed %q still found", step, x.key)
			}
		}
		if step%37 == 0 {
			check(step)
		}
	}
	check(-1)
	for _, x := range live {
		tt.remove(hashOf[x], x)
	}
	if tt.len() != 0 {
		t.Fatalf("%d left", tt.len())
	}
	for _, s := range tt.slots {
		if s.p != nil {
			t.Fatal("a removed transaction is still in a slot")
		}
	}
}

// The strings of a transaction come out of one copy intact, apart from
// the message's bytes.
func TestTransactionStrings(t *testing.T) {
	msg := []byte("keycall@hsip:rtag")
	var x Transaction
	x.setStrings(msg[:3], msg[3:9], msg[9:14], msg[14:])
	y := x
	x.setStrings([]byte("k2"), []byte("c2"), nil, nil)
	if x.key != "k2" || x.CallID != "c2" || x.RequestURI != "" || x.FromTag != "" {
		t.Errorf("%q %q %q %q", x.key, x.CallID, x.RequestURI, x.FromTag)
	}
	for i := range msg {
		msg[i] = 'x'
	}
	if y.key != "key" || y.CallID != "call@h" || y.RequestURI != "sip:r" || y.FromTag != "tag" {
		t.Errorf("%q %q %q %q", y.key, y.CallID, y.RequestURI, y.FromTag)
	}
}

// TestNewTransaction: the strings come out intact whether they fit in the
// transaction's own allocation or not; when they fit they are held there,
// and the Transaction starts on a cache line (the allocator's header and
// the text before it make 128 bytes).
func TestNewTransaction(t *testing.T) {
	wide := unsafe.Sizeof(uintptr(0)) == 8 // the layout is made for 64-bit words
	if got := mallocHeader + int(unsafe.Sizeof(txnBox{})); wide && got != 640 {
		t.Errorf("txnBox takes %d bytes with the allocator's header, want 640 (a size class)", got)
	}
	for _, n := range []int{0, 1, 20, txnInline - 30, txnInline - 29, 200} {
		key, callID, ruri, tag := []byte("bz9hG4bK1\x00INVITE"), []byte(strings.Repeat("c", n)), []byte("sip:a@b"), []byte("tag1234")
		x := newTransaction(key, callID, ruri, tag)
		if x.key != string(key) || x.CallID != string(callID) || x.RequestURI != string(ruri) || x.FromTag != string(tag) {
			t.Fatalf("n=%d: %q %q %q %q", n, x.key, x.CallID, x.RequestURI, x.FromTag)
		}
		inline := len(key)+len(callID)+len(ruri)+len(tag) <= txnInline
		p := uintptr(unsafe.Pointer(x))
		if held := uintptr(unsafe.Pointer(unsafe.StringData(x.key))) == p-uintptr(txnInline); held != inline {
			t.Errorf("n=%d: strings held in the box: %v, want %v", n, held, inline)
		}
		if wide && inline && p%64 != 0 {
			t.Errorf("n=%d: Transaction at %#x, not on a cache line", n, p)
		}
		key[0], ruri[0] = 'x', 'x' // the message's bytes change; the transaction's must not
		if x.key[0] != 'b' || x.RequestURI[0] != 's' {
			t.Fatalf("n=%d: strings share the message's bytes", n)
		}
	}
}

// TestTransactionKeep: a string kept with a transaction comes out intact,
// in its box while there is room and apart after, without touching the
// strings already there; a transaction outside a box keeps copies.
func TestTransactionKeep(t *testing.T) {
	key, callID := []byte("bz9hG4bK1\x00INVITE"), []byte("c@h")
	x := newTransaction(key, callID, []byte("sip:a@b"), []byte("tag1"))
	var kept []string
	var want []string
	for i := 0; i < 20; i++ {
		tag := []byte(fmt.Sprintf("to-%d-%s", i, strings.Repeat("t", i)))
		kept = append(kept, x.keep(tag))
		want = append(want, string(tag))
		tag[0] = 'X' // the message's bytes change; the kept string must not
	}
	if x.key != string(key) || x.CallID != "c@h" || x.RequestURI != "sip:a@b" || x.FromTag != "tag1" {
		t.Fatalf("strings changed: %q %q %q %q", x.key, x.CallID, x.RequestURI, x.FromTag)
	}
	for i := range kept {
		if kept[i] != want[i] {
			t.Errorf("kept %d = %q, want %q", i, kept[i], want[i])
		}
	}
	if int(x.textUsed) > txnInline {
		t.Errorf("textUsed %d past the box's %d bytes", x.textUsed, txnInline)
	}
	box := uintptr(unsafe.Pointer(unsafe.StringData(x.key)))
	if p := uintptr(unsafe.Pointer(unsafe.StringData(kept[0]))); p < box || p >= box+uintptr(txnInline) {
		t.Errorf("the first kept string is not in the box")
	}
	var y Transaction
	if s := y.keep([]byte("abc")); s != "abc" || y.textUsed != 0 {
		t.Errorf("outside a box: keep = %q, textUsed %d", s, y.textUsed)
	}
	if s := x.keep(nil); s != "" {
		t.Errorf("keep(nil) = %q", s)
	}
}
