package decode

import (
	"testing"
	"unsafe"
)

// TestKeepOnACopyStaysInside: keep called on a copy of a boxed
// transaction (which carries textUsed without its box) must not write
// before the copy, where another object lies, nor hand out a string
// outside every object: it copies the string apart like a transaction
// outside a box.
func TestKeepOnACopyStaysInside(t *testing.T) {
	x := newTransaction([]byte("bz9hG4bK1\x00\x01"), []byte("c@h"), []byte("sip:a@b"), []byte("tag1"))
	var probe struct {
		guard [txnInline]byte // where a box's text would be
		t     Transaction
	}
	probe.t = *x
	s := probe.t.keep([]byte("to-tag"))
	for i, c := range probe.guard {
		if c != 0 {
			t.Fatalf("keep on a copy wrote byte %d before it: %q", i, probe.guard[:])
		}
	}
	lo := uintptr(unsafe.Pointer(&probe))
	if p := uintptr(unsafe.Pointer(unsafe.StringData(s))); p >= lo && p < lo+unsafe.Sizeof(probe) {
		t.Errorf("keep on a copy returned a string inside the probe")
	}
	if s != "to-tag" {
		t.Errorf("keep on a copy = %q", s)
	}
	if k := x.keep([]byte("to-tag")); k != "to-tag" {
		t.Errorf("keep on the original = %q", k)
	}
}
