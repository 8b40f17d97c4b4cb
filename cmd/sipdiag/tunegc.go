package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// ownLimit is sipdiag's soft memory limit while the live heap is small.
const ownLimit = 160 << 20

// tuneGC trades memory the machine has for speed: sipdiag's live heap is a
// few tens of MB whatever the capture's size (state per open transaction
// and per registration), so the collector runs only when the heap nears a
// 160 MiB soft limit and peak RSS stays under 200 MB. Measured on the
// 1M-message benchmark (perf stat -r 5, taskset -c 0, GOMAXPROCS=1, five
// rounds alternating with GOGC=400 under the same limit): less CPU in
// every round, 4-8 % in the quieter ones (1,413 against 1,478 ms), peak
// RSS 164 MB against 156 MB (4M messages: 165 against 158 MB).
//
// Where the live heap outgrows half the limit (a registration scan keeps a
// minute of probes: some 200 MB at 1,000 new accounts a second), the
// limit follows it at twice the live heap (followLiveHeap), as GOGC=100
// would: under a fixed limit the runtime collected back to back, 35-40 %
// of the CPU, while the heap went past the limit all the same.
//
// GOGC and GOMEMLIMIT, when set, win. The collector is turned off only
// under sipdiag's own limit: with a limit set by the user (which may be
// "off") and no GOGC it collects at 4× the live heap, so memory stays
// bounded by the live heap whatever the limit.
func tuneGC() {
	own := os.Getenv("GOMEMLIMIT") == ""
	if own {
		debug.SetMemoryLimit(ownLimit)
		followLiveHeap()
	}
	if os.Getenv("GOGC") == "" {
		if own {
			debug.SetGCPercent(-1)
		} else {
			debug.SetGCPercent(400)
		}
	}
}

// follower moves sipdiag's own memory limit after each collection. limit
// is the limit sipdiag set last: a limit that differs from it was set by
// someone else, and is left alone.
var follower struct {
	start sync.Once
	limit atomic.Int64
}

// followLiveHeap keeps the soft memory limit at twice the live heap once
// that passes half of ownLimit, and at ownLimit below: from the next
// collection on, after each one.
func followLiveHeap() {
	follower.limit.Store(ownLimit)
	follower.start.Do(func() { afterEachGC(followOnce) })
}

// followOnce sets the limit from the live heap the last collection left.
func followOnce() {
	set := follower.limit.Load()
	if debug.SetMemoryLimit(-1) != set {
		return // not sipdiag's limit (any more)
	}
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	want := max(ownLimit, 2*int64(s[0].Value.Uint64()))
	if want != set && follower.limit.CompareAndSwap(set, want) {
		debug.SetMemoryLimit(want)
	}
}

// afterEachGC runs f after every collection from the next one on, on the
// runtime's cleanup goroutine: a sentinel nothing points to dies at each
// collection, and its cleanup runs f and makes the next one. The sentinel
// is 32 bytes so that it is an allocation of its own (the tiny allocator
// packs smaller ones without pointers together, and a cleanup on them
// may never run).
func afterEachGC(f func()) {
	sentinel := new([32]byte)
	runtime.AddCleanup(sentinel, func(struct{}) {
		f()
		afterEachGC(f)
	}, struct{}{})
}
