package main

// flow is one conversation (a registration cycle, a call) that writes its
// messages one at a time, in timestamp order with all the others.
type flow interface {
	// step writes the flow's next message at g.now and, if the flow has
	// more to say, schedules itself again with g.after.
	step(g *generator)
}

type event struct {
	at  int64  // microseconds since the capture start
	seq uint64 // insertion order: ties are broken the same way every run
	f   flow
}

// eventQueue is a binary min-heap of events ordered by (at, seq). It is
// written out instead of using container/heap to avoid boxing every event.
type eventQueue struct {
	events []event
	seq    uint64
}

func (q *eventQueue) len() int { return len(q.events) }

func (q *eventQueue) push(at int64, f flow) {
	q.seq++
	q.events = append(q.events, event{at: at, seq: q.seq, f: f})
	i := len(q.events) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if !q.less(i, parent) {
			break
		}
		q.events[i], q.events[parent] = q.events[parent], q.events[i]
		i = parent
	}
}

func (q *eventQueue) pop() event {
	top := q.events[0]
	last := len(q.events) - 1
	q.events[0] = q.events[last]
	q.events[last] = event{}
	q.events = q.events[:last]
	i := 0
	for {
		smallest, l, r := i, 2*i+1, 2*i+2
		if l < last && q.less(l, smallest) {
			smallest = l
		}
		if r < last && q.less(r, smallest) {
			smallest = r
		}
		if smallest == i {
			return top
		}
		q.events[i], q.events[smallest] = q.events[smallest], q.events[i]
		i = smallest
	}
}

func (q *eventQueue) less(i, j int) bool {
	a, b := &q.events[i], &q.events[j]
	return a.at < b.at || a.at == b.at && a.seq < b.seq
}
