package rules

import (
	"testing"
	"unsafe"
)

// TestChallengeStateLayout holds AUTH002's per-UA records to the layout
// their comments promise: what every transaction reads within the first
// cache line, ring entries a cache line each, and the records allocated
// on a cache line.
func TestChallengeStateLayout(t *testing.T) {
	if n := unsafe.Sizeof(keyedSlot[uaSeen]{}); n != 64 {
		t.Errorf("a uaTable slot is %d bytes, want 64 (one cache line)", n)
	}
	var h silenceHead
	if end := unsafe.Offsetof(h.first) + unsafe.Sizeof(h.first); end > 64 {
		t.Errorf("silenceHead.first ends at byte %d, past the first cache line", end)
	}
	var s silenceState
	if n := unsafe.Sizeof(s); n != 448 {
		t.Errorf("silenceState is %d bytes, want 448 (7 cache lines, a size class whose objects start on one)", n)
	}
	if n := unsafe.Sizeof(s.ring[0]); n != 64 {
		t.Errorf("a ring entry is %d bytes, want 64", n)
	}
	if at := unsafe.Offsetof(s.ring) % 64; at != 0 {
		t.Errorf("the ring starts %d bytes into a cache line", at)
	}
	for range 4 {
		// Kept in package variables: on the heap, as the rule's are.
		layoutSinkState = &silenceState{}
		if at := uintptr(unsafe.Pointer(layoutSinkState)) % 64; at != 0 {
			t.Errorf("a silenceState starts %d bytes into a cache line", at)
		}
	}
	// Once out of the small size classes (where Go puts a header in front
	// of an object with pointers, and the table fits the caches anyway)
	// the slot array starts on a page.
	var uas uaTable
	for i := range 5000 {
		uas.add(uint64(i))
		if len(uas.slots)*64 <= 32<<10 {
			continue // the key 0 is kept apart: the slots may still be none
		}
		if at := uintptr(unsafe.Pointer(&uas.slots[0])) % 64; at != 0 {
			t.Fatalf("%d slots: the uaTable's slots start %d bytes into a cache line", len(uas.slots), at)
		}
	}
}

var layoutSinkState *silenceState
