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
type deadlines struct {
	items []deadline
	head  int
}

func (q *deadlines) push(at int64, hash uint64, t *Transaction, kind deadlineKind) {
	q.items = append(q.items, deadline{at: at, hash: hash, kind: kind, txn: t})
}

func (q *deadlines) pushAuth(at int64, hash uint64, a *AuthExchange) {
	q.items = append(q.items, deadline{at: at, hash: hash, kind: dlAuthExpire, auth: a})
}

// pop returns the first deadline at or before now.
func (q *deadlines) pop(now int64) (deadline, bool) {
	if q.head >= len(q.items) || q.items[q.head].at > now {
		return deadline{}, false
	}
	d := q.items[q.head]
	q.items[q.head] = deadline{}
	q.head++
	if q.head > 1024 && q.head*2 > len(q.items) {
		n := copy(q.items, q.items[q.head:])
		q.items = q.items[:n]
		q.head = 0
	}
	return d, true
}

func (c *Correlator) fireDeadlines(now int64) {
	for {
		// The earlier of the two queues' heads goes first; Timer C
		// entries are rare (ringing calls), so the common case checks
		// one length.
		q := &c.queue
		if qc := &c.queueC; qc.head < len(qc.items) {
			if at := qc.items[qc.head].at; at <= now && (q.head >= len(q.items) || at < q.items[q.head].at) {
				q = qc
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
