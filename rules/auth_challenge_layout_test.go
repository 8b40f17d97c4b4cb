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
	if n := unsafe.Sizeof(uaSeen{}); n != 64 {
		t.Errorf("uaSeen is %d bytes, want 64", n)
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
		layoutSinkState, layoutSinkUA = &silenceState{}, newUASeen()
		if at := uintptr(unsafe.Pointer(layoutSinkState)) % 64; at != 0 {
			t.Errorf("a silenceState starts %d bytes into a cache line", at)
		}
		if at := uintptr(unsafe.Pointer(layoutSinkUA)) % 64; at != 0 {
			t.Errorf("a uaSeen starts %d bytes into a cache line", at)
		}
	}
}

var (
	layoutSinkState *silenceState
	layoutSinkUA    *uaSeen
)
