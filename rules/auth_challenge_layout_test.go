package rules

import (
	"testing"
	"unsafe"
)

// TestChallengeStateLayout holds AUTH002's per-UA records to the layout
// their comments promise: what every transaction reads within the first
// cache line, and uaSeen in the 128-byte size class (cache-line aligned).
func TestChallengeStateLayout(t *testing.T) {
	var u uaSeen
	if n := unsafe.Sizeof(u); n != 128 {
		t.Errorf("uaSeen is %d bytes, want 128", n)
	}
	if end := unsafe.Offsetof(u.src) + unsafe.Offsetof(u.src.firstAnswered) + unsafe.Sizeof(u.src.firstAnswered); end > 64 {
		t.Errorf("uaSeen.src.firstAnswered ends at byte %d, past the first cache line", end)
	}
	var h silenceHead
	if end := unsafe.Offsetof(h.open) + unsafe.Sizeof(h.open); end > 64 {
		t.Errorf("silenceHead.open ends at byte %d, past the first cache line", end)
	}
	if n := unsafe.Sizeof(silenceState{}); n%64 != 0 && roundUpClass(n)%64 != 0 {
		t.Errorf("silenceState (%d bytes) may not start on a cache line", n)
	}
}

// roundUpClass is the Go allocation size class of n bytes for the sizes
// silenceState can have (between 512 and 640 bytes).
func roundUpClass(n uintptr) uintptr {
	for _, c := range []uintptr{512, 576, 640} {
		if n <= c {
			return c
		}
	}
	return n
}
