package decode

import "testing"

// Two keys with one hash (forced here; rare with a 64-bit hash) are both
// found, removed one at a time, and a second removal changes nothing.
func TestTxnTableSharedHash(t *testing.T) {
	tt := newTxnTable()
	const h = 42
	find := func(x *Transaction) *Transaction {
		got, _ := tt.get(h, []byte(x.key))
		return got
	}
	add := func(x *Transaction) {
		got, taken := tt.get(h, []byte(x.key))
		if got != nil {
			t.Fatalf("%q found before it was added", x.key)
		}
		tt.put(h, x, taken)
	}
	a := &Transaction{key: "bz9hG4bKa\x00REGISTER"}
	b := &Transaction{key: "bz9hG4bKb\x00REGISTER"}
	c := &Transaction{key: "bz9hG4bKc\x00INVITE"}
	if _, taken := tt.get(h, []byte(a.key)); taken {
		t.Fatal("slot taken in an empty table")
	}
	add(a)
	add(b)
	if find(a) != a || find(b) != b || tt.len() != 2 {
		t.Fatalf("get a %p b %p, len %d", find(a), find(b), tt.len())
	}
	if find(c) != nil {
		t.Error("a third key with the same hash was found")
	}
	tt.remove(h, a)
	if find(a) != nil || find(b) != b {
		t.Error("removing a lost b or kept a")
	}
	// A new key with the hash takes the free slot; b stays found.
	add(c)
	tt.remove(h, a)
	if find(c) != c || find(b) != b || tt.len() != 2 {
		t.Error("a second removal of a changed the table")
	}
	tt.remove(h, b)
	if find(b) != nil || find(c) != c {
		t.Error("removing the spilled b failed or lost c")
	}
	tt.remove(h, c)
	if tt.len() != 0 {
		t.Errorf("%d left", tt.len())
	}
	n := 0
	tt.each(func(*Transaction) { n++ })
	if n != 0 {
		t.Errorf("each saw %d", n)
	}
}

// The strings of a transaction come out of one copy intact.
func TestTransactionStrings(t *testing.T) {
	var x Transaction
	buf := x.setStrings(nil, []byte("key"), []byte("call@h"), []byte("sip:r"), []byte("tag"))
	if x.key != "key" || x.CallID != "call@h" || x.RequestURI != "sip:r" || x.FromTag != "tag" {
		t.Errorf("%q %q %q %q", x.key, x.CallID, x.RequestURI, x.FromTag)
	}
	y := x
	x.setStrings(buf, []byte("k2"), []byte("c2"), nil, nil)
	if x.key != "k2" || x.CallID != "c2" || x.RequestURI != "" || x.FromTag != "" {
		t.Errorf("%q %q %q %q", x.key, x.CallID, x.RequestURI, x.FromTag)
	}
	if y.key != "key" || y.CallID != "call@h" || y.RequestURI != "sip:r" || y.FromTag != "tag" {
		t.Errorf("reusing the buffer changed the first strings: %q %q %q %q", y.key, y.CallID, y.RequestURI, y.FromTag)
	}
}
