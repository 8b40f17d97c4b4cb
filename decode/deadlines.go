package decode

// deadlineKind says what to do when a deadline passes.
type deadlineKind uint8

const (
	dlTimeout    deadlineKind = iota // an open transaction ran out of Timer B/F (or C)
	dlEvict                          // a finished transaction has lingered long enough
	dlAuthExpire                     // a challenge was not answered within Timer F
)

type deadline struct {
	at   int64
	hash uint64 // of txn's key in the transaction table, of auth's in the pending one
	txn  *Transaction
	auth *AuthExchange
	kind deadlineKind
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
// now and then.
type deadlines struct {
	ring []deadline // a power of two long, or nil
	head int        // ring index of the first deadline
	n    int        // deadlines queued
}

func (q *deadlines) push(at int64, hash uint64, t *Transaction, kind deadlineKind) {
	q.add(deadline{at: at, hash: hash, kind: kind, txn: t})
}

func (q *deadlines) pushAuth(at int64, hash uint64, a *AuthExchange) {
	q.add(deadline{at: at, hash: hash, kind: dlAuthExpire, auth: a})
}

func (q *deadlines) add(d deadline) {
	if q.n == len(q.ring) {
		q.grow()
	}
	q.ring[(q.head+q.n)&(len(q.ring)-1)] = d
	q.n++
}

// grow doubles the full ring, its deadlines in order from index 0.
func (q *deadlines) grow() {
	ring := make([]deadline, max(1024, 2*len(q.ring)))
	k := copy(ring, q.ring[q.head:])
	copy(ring[k:], q.ring[:q.head])
	q.ring, q.head = ring, 0
}

// first returns the time of the first deadline, ok false when none is queued.
func (q *deadlines) first() (at int64, ok bool) {
	if q.n == 0 {
		return 0, false
	}
	return q.ring[q.head].at, true
}

// pop returns the first deadline at or before now.
func (q *deadlines) pop(now int64) (deadline, bool) {
	if q.n == 0 || q.ring[q.head].at > now {
		return deadline{}, false
	}
	d := q.ring[q.head]
	q.ring[q.head] = deadline{}
	q.head = (q.head + 1) & (len(q.ring) - 1)
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
		switch d.kind {
		case dlTimeout:
			t := d.txn
			if t.Final != nil || t.State != Open {
				continue
			}
			if t.Method == "INVITE" && !t.FirstProvisional.IsZero() && d.at < t.FirstProvisional.Time+int64(timerC) {
				continue // a later Timer C deadline stands for this one
			}
			t.State = TimedOut
			c.complete(t)
			c.queue.push(d.at+int64(Linger), d.hash, t, dlEvict)
		case dlEvict:
			// A key is in the table for exactly one transaction until it
			// is removed here (a request with the same key is a
			// retransmission while it stays); the hash finds it without
			// touching the transaction, and a second eviction of the same
			// transaction finds it gone.
			c.txns.remove(d.hash, d.txn)
		case dlAuthExpire:
			// Still pending if it is still in the table: the hash finds
			// it without reading the exchange.
			if c.pending.remove(d.hash, d.auth) {
				c.emitAuth(d.auth)
			}
		}
	}
}
