package capture

import (
	"testing"
	"time"
)

// TestInstantOrdersAsBefore: instants order capture times exactly as
// time.Time.Before does, and the zero sweep window holds no time, as the
// window of two zero time.Times did.
func TestInstantOrdersAsBefore(t *testing.T) {
	var times []time.Time
	for _, sec := range []int64{-1 << 40, -62135596800, -1, 0, 1, 1714564800, 1<<32 - 1, 1 << 40} {
		for _, nsec := range []int64{0, 1, 999_999_999, 1_000_000_000, 4_294_967_295_000, -1} {
			tm := time.Unix(sec, nsec)
			times = append(times, tm, tm.Add(time.Nanosecond), tm.Add(-time.Nanosecond), tm.Add(15*time.Second), tm.UTC())
		}
	}
	times = append(times, time.Time{}, t0, t0.Add(time.Millisecond))
	for _, a := range times {
		for _, b := range times {
			if got, want := instantOf(a).before(instantOf(b)), a.Before(b); got != want {
				t.Fatalf("%v before %v: %v, time.Time says %v", a, b, got, want)
			}
		}
		// a new input's window is made of zeros: every time is outside
		if !(&input{}).sweepDue(instantOf(a)) {
			t.Fatalf("%v is inside an empty sweep window", a)
		}
	}
}

// TestSweepWindow: a sweep happens at the first packet, not again within
// StreamIdle/4 of it, and again after, or when the clock goes back.
func TestSweepWindow(t *testing.T) {
	in := newFrameInput()
	sweeps := 0
	step := func(ts time.Time) {
		in.ts = ts
		before := in.lastSweep
		in.maybeSweep()
		if in.lastSweep != before {
			sweeps++
		}
	}
	q := in.opt.StreamIdle / 4
	step(t0)
	step(t0.Add(q - time.Nanosecond))
	if sweeps != 1 {
		t.Fatalf("%d sweeps within the window, want 1", sweeps)
	}
	step(t0.Add(q))
	step(t0.Add(q - time.Nanosecond)) // clock goes back
	if sweeps != 3 {
		t.Fatalf("%d sweeps, want 3", sweeps)
	}
}
