package rules

import (
	"testing"
	"unsafe"
)

// TestChallengeStateLayout holds AUTH002's per-UA records to the layout
// their comments promise: what every transaction reads within the first
// cache line, and the records allocated on a cache line.
func TestChallengeStateLayout(t *testing.T) {
	var u uaSeen
	if n := unsafe.Sizeof(u); n != 128 {
		t.Errorf("uaSeen is %d bytes, want 128", n)
	}
	if end := unsafe.Offsetof(u.src) + unsafe.Offsetof(u.src.firstAnswered) + unsafe.Sizeof(u.src.firstAnswered); end > 64 {
		t.Errorf("uaSeen.src.firstAnswered ends at byte %d, past the first cache line", end)
	}
	var h silenceHead
	if end := unsafe.Offsetof(h.first) + unsafe.Sizeof(h.first); end > 64 {
		t.Errorf("silenceHead.first ends at byte %d, past the first cache line", end)
	}
	if n := unsafe.Sizeof(silenceState{}); n > 512 {
		t.Errorf("silenceState is %d bytes: over 512, Go puts a header in front of it and it no longer starts on a cache line", n)
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
