package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestTuneGC checks which collector settings each environment gets: the
// collector is off only under sipdiag's own memory limit, so a user's
// GOMEMLIMIT (even "off") never leaves the heap without a bound.
func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	for _, tc := range []struct {
		gogc, gomemlimit string
		percent          int   // GC percent after tuneGC
		limit            int64 // memory limit after tuneGC
	}{
		{"", "", -1, 160 << 20},
		{"", "off", 400, math.MaxInt64},
		{"", "1GiB", 400, math.MaxInt64},
		{"100", "", 100, 160 << 20},
		{"100", "1GiB", 100, math.MaxInt64},
	} {
		t.Setenv("GOGC", tc.gogc)
		t.Setenv("GOMEMLIMIT", tc.gomemlimit)
		// What the runtime would have set from the environment at start
		// is not tuneGC's business: start from fixed values.
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
		tuneGC()
		if p := debug.SetGCPercent(100); p != tc.percent {
			t.Errorf("GOGC=%q GOMEMLIMIT=%q: GC percent %d, want %d", tc.gogc, tc.gomemlimit, p, tc.percent)
		}
		if l := debug.SetMemoryLimit(-1); l != tc.limit {
			t.Errorf("GOGC=%q GOMEMLIMIT=%q: memory limit %d, want %d", tc.gogc, tc.gomemlimit, l, tc.limit)
		}
	}
}

// TestFollowLiveHeap holds 120 MB live, more than half of sipdiag's own
// limit: after a collection the limit is twice the live heap. Once the
// memory is let go it is back at 160 MiB; a limit someone else set is
// left alone.
func TestFollowLiveHeap(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(ownLimit))
	defer debug.SetGCPercent(debug.SetGCPercent(100)) // no GC off under a limit that may rise while the test allocates
	followLiveHeap()
	// waitLimit collects until the limit meets ok, for at most 5 s: the
	// limit moves on the runtime's cleanup goroutine, after a collection.
	waitLimit := func(ok func(int64) bool) int64 {
		var l int64
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			runtime.GC()
			if l = debug.SetMemoryLimit(-1); ok(l) {
				break
			}
		}
		return l
	}
	const held = 120 << 20
	hold := make([]byte, held)
	for i := range hold {
		hold[i] = byte(i)
	}
	if l := waitLimit(func(l int64) bool { return l >= 2*held }); l < 2*held {
		t.Errorf("with %d MB live the limit is %d MB, want at least %d MB", held>>20, l>>20, 2*held>>20)
	}
	runtime.KeepAlive(hold)
	hold = nil
	if l := waitLimit(func(l int64) bool { return l == ownLimit }); l != ownLimit {
		t.Errorf("with the memory let go the limit is %d MB, want %d MB", l>>20, ownLimit>>20)
	}
	// A limit sipdiag did not set stays.
	debug.SetMemoryLimit(1 << 40)
	hold = make([]byte, held)
	runtime.GC()
	runtime.GC()
	time.Sleep(50 * time.Millisecond)
	runtime.GC()
	if l := debug.SetMemoryLimit(-1); l != 1<<40 {
		t.Errorf("a limit set by someone else became %d MB", l>>20)
	}
	runtime.KeepAlive(hold)
}
