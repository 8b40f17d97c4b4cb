package decode

// deadlineKind says what to do when a deadline passes.
type deadlineKind uint8

const (
	dlTimeout    deadlineKind = iota // an open transaction ran out of Timer B/F (or C)
	dlEvict                          // a finished transaction has lingered long enough
	dlAuthExpire                     // a challenge was not answered within Timer F
	dlCancelled                      // a timeout deadline made moot: its transaction got its final response, or Timer C replaced its Timer B
)

// deadline is 24 bytes: the ring of each queue is written at a request and
// read back 32 s later, past every cache, so its bytes are cache misses.
// The kind rides in the top two bits of the hash word: the tables' hashes
// have 62 bits (hashBits). A challenge's deadline holds the challenged
// transaction, which stands for its exchange (one exchange per challenge).
type deadline struct {
	at   int64
	word uint64       // kind<<62 | the hash of the key in the transaction table, or of the exchange's in the pending one
	txn  *Transaction // dlAuthExpire: the exchange's Challenge
}

// hashBits is the width of the transaction and pending tables' hashes.
const hashBits = 62

// Every kind must fit in the 64 - hashBits bits above a hash: this
// constant overflows (a compile error) when dlCancelled no longer does.
const _ = uint(1<<(64-hashBits) - 1 - dlCancelled)

func (d *deadline) kind() deadlineKind { return deadlineKind(d.word >> hashBits) }
func (d *deadline) hash() uint64       { return d.word & (1<<hashBits - 1) }

func deadlineWord(kind deadlineKind, hash uint64) uint64 {
	return uint64(kind)<<hashBits | hash
}

// deadlines is a FIFO of capture-time deadlines. Deadlines are pushed as
// "now + a fixed timer", so with a monotonic capture clock they arrive in
// order and a queue does the work of a heap; an out-of-order timestamp only
// delays the entries behind it a little. One queue holds one timer length
// only: a 3-minute Timer C deadline at the head of the 32-second queue
// would hold back every Timer F behind it for minutes.
//
// The queue is a ring: a popped slot is reused by a later push, where a
// slice consumed from the front has to copy what is left down to its start
// now and then. Every deadline has a sequence number, its position in the
// order of pushes, and sits at that number modulo the ring's length, so a
// deadline still queued can be found again from its number (cancel).
type deadlines struct {
	ring []deadline // a power of two long, or nil
	head uint64     // sequence number of the first deadline queued (deadlines popped so far)
	n    int        // deadlines queued
}

// push queues a transaction's deadline and returns its sequence number.
// For dlAuthExpire, t is the challenged transaction and hash is its
// exchange's in the pending table.
func (q *deadlines) push(at int64, hash uint64, t *Transaction, kind deadlineKind) uint64 {
	return q.add(deadline{at: at, word: deadlineWord(kind, hash), txn: t})
}

func (q *deadlines) add(d deadline) uint64 {
	if q.n == len(q.ring) {
		q.grow()
	}
	seq := q.head + uint64(q.n)
	q.ring[seq&uint64(len(q.ring)-1)] = d
	q.n++
	return seq
}

// grow doubles the full ring, each deadline moving to its sequence number
// modulo the new length.
func (q *deadlines) grow() {
	ring := make([]deadline, max(1024, 2*len(q.ring)))
	for seq := q.head; seq < q.head+uint64(q.n); seq++ {
		ring[seq&uint64(len(ring)-1)] = q.ring[seq&uint64(len(q.ring)-1)]
	}
	q.ring = ring
}

// cancel turns the deadline numbered seq into a no-op if it is still
// queued. The transaction's final response does this to its Timer B/F (or
// Timer C) deadline, and an INVITE's first provisional to its Timer B one
// (see Correlator.response); it is then popped without reading the
// transaction: 32 s later it is out of every CPU cache, while the ring
// slot written a moment ago is not.
func (q *deadlines) cancel(seq uint64) {
	if seq-q.head < uint64(q.n) {
		d := &q.ring[seq&uint64(len(q.ring)-1)]
		d.word, d.txn = deadlineWord(dlCancelled, d.hash()), nil
	}
}

// first returns the time of the first deadline, ok false when none is queued.
func (q *deadlines) first() (at int64, ok bool) {
	if q.n == 0 {
		return 0, false
	}
	return q.ring[q.head&uint64(len(q.ring)-1)].at, true
}

// due reports whether a deadline at or before now is queued: the check
// advance makes inline for every message, most of which have none.
func (q *deadlines) due(now int64) bool {
	return q.n > 0 && q.ring[q.head&uint64(len(q.ring)-1)].at <= now
}

// pop returns the first deadline at or before now.
func (q *deadlines) pop(now int64) (deadline, bool) {
	if q.n == 0 {
		return deadline{}, false
	}
	slot := &q.ring[q.head&uint64(len(q.ring)-1)]
	if slot.at > now {
		return deadline{}, false
	}
	d := *slot
	*slot = deadline{}
	q.head++
	q.n--
	return d, true
}

func (c *Correlator) fireDeadlines(now int64) {
	for {
		// The earlier of the two queues' heads goes first; Timer C
		// entries are rare (ringing calls), so the common case checks
		// one length.
		q := &c.queue
		if at, ok := c.queueC.first(); ok && at <= now {
			if qat, ok := q.first(); !ok || at < qat {
				q = &c.queueC
			}
		}
		d, ok := q.pop(now)
		if !ok {
			return
		}
		switch d.kind() {
		case dlCancelled:
			// Answered in time (t.Final is set), or a Timer B deadline a
			// Timer C one replaced: the checks below would skip it too.
		case dlTimeout:
			t := d.txn
			if t.Final != nil || t.State != Open {
				continue
			}
			if t.Method == "INVITE" && !t.FirstProvisional.IsZero() && d.at < t.FirstProvisional.Time+int64(timerC) {
				continue // a later Timer C deadline stands for this one
			}
			c.stopWaiting(t)
			t.State = TimedOut
			c.complete(t)
			c.queue.push(d.at+int64(Linger), d.hash(), t, dlEvict)
		case dlEvict:
			// A key is in the table for exactly one transaction until it
			// is removed here (a request with the same key is a
			// retransmission while it stays); the hash finds it without
			// touching the transaction, and a second eviction of the same
			// transaction finds it gone.
			c.txns.remove(d.hash(), d.txn)
		case dlAuthExpire:
			// Still pending if it is still in the table: the hash finds
			// it without reading the exchange.
			if a := c.pending.removeChallenge(d.hash(), d.txn); a != nil {
				c.emitAuth(a)
			}
		}
	}
}
