package main

import (
	"math"
	"runtime/debug"
	"testing"
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
