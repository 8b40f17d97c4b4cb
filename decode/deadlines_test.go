package decode

import "testing"

// The ring hands deadlines back in the order pushed, also when it grows
// while its contents wrap around its end, and none before its time.
func TestDeadlinesRingOrder(t *testing.T) {
	var q deadlines
	next, want := 0, 0
	push := func(k int) {
		for ; k > 0; k-- {
			q.push(int64(next), uint64(next), nil, dlEvict)
			next++
		}
	}
	pop := func(k int) {
		t.Helper()
		for ; k > 0; k-- {
			d, ok := q.pop(int64(want))
			if !ok || d.hash() != uint64(want) {
				t.Fatalf("pop: %v %+v, want deadline %d", ok, d, want)
			}
			want++
		}
	}
	push(1000)
	pop(900) // the head is near the end of the 1024 slots
	push(2000)
	if len(q.ring) != 4096 {
		t.Fatalf("ring of %d slots, want it grown twice to 4096", len(q.ring))
	}
	if _, ok := q.pop(int64(want) - 1); ok {
		t.Fatal("a deadline came out before its time")
	}
	if at, ok := q.first(); !ok || at != int64(want) {
		t.Fatalf("first %d %v, want %d", at, ok, want)
	}
	for want < next {
		pop(1)
		push(next % 3) // keep the ring wrapping while it drains
		if next > 20000 {
			break
		}
	}
	pop(next - want)
	if _, ok := q.first(); ok || q.n != 0 {
		t.Fatalf("%d left", q.n)
	}
}

// A cancelled deadline comes out as dlCancelled without its transaction,
// also after the ring grew; cancelling one already popped changes nothing.
func TestDeadlinesCancel(t *testing.T) {
	var q deadlines
	tx := &Transaction{}
	var seqs []uint64
	for i := 0; i < 3000; i++ {
		seqs = append(seqs, q.push(int64(i), uint64(i), tx, dlTimeout))
		if i == 10 {
			q.pop(0) // deadline 0 leaves; 10 is cancelled below, after two grows
		}
	}
	q.cancel(seqs[0]) // popped already: nothing to do
	q.cancel(seqs[10])
	q.cancel(seqs[2999])
	for i := 1; i < 3000; i++ {
		d, ok := q.pop(int64(i))
		if !ok || d.hash() != uint64(i) {
			t.Fatalf("pop %d: %v %+v", i, ok, d)
		}
		cancelled := i == 10 || i == 2999
		want := dlTimeout
		if cancelled {
			want = dlCancelled
		}
		if d.kind() != want || (d.txn == nil) != cancelled {
			t.Fatalf("deadline %d: kind %d txn %p, cancelled %v", i, d.kind(), d.txn, cancelled)
		}
	}
	q.cancel(seqs[2999]) // popped: must not touch the emptied ring
	if q.n != 0 {
		t.Fatalf("%d left", q.n)
	}
}
