package decode

import "hash/maphash"

// regIdle is how long a registration that was never granted nor refused
// (its REGISTERs were only challenged, or never answered) is kept after its
// latest REGISTER. A scanner probing a million accounts (SIPVicious svwar)
// makes one such registration per account; without forgetting them,
// memory would grow by some 400 bytes per account probed. No rule keeps
// state for such a registration (REG001-REG004 start from a grant or a
// refusal), and a UA still trying comes back well within it (a failed
// registration is retried after at most a few minutes: RFC 5626 §4.5's
// base time is 30 s, 90 s with all flows failed), finding its record.
const regIdle = 4 * TimerF

// maxForgottenRegs bounds the hashes kept to count forgotten registrations
// once each (16 bytes a key at most half load); past it, each further one
// forgotten is counted as new.
const maxForgottenRegs = 1 << 20

// regForgetting forgets idle registrations that never got anywhere, in
// the order of their latest REGISTER, and counts them for the summary.
type regForgetting struct {
	q    []regIdleCheck
	head int // q[head:] are pending
	seed maphash.Seed
	// hashes of the keys forgotten (appendRegKey), for the count: a
	// registration forgotten twice is one registration.
	forgotten slotTable[bool]
	over      int64 // forgotten past maxForgottenRegs
}

// regIdleCheck is a registration that may be forgotten once at is regIdle
// behind: at is its Last.Time when it was pushed. A REGISTER since pushed
// an entry of its own, so this one then does nothing.
type regIdleCheck struct {
	r  *Registration
	at int64
}

// noteIdle queues r, which was neither granted nor refused so far.
func (f *regForgetting) noteIdle(r *Registration) {
	if f.head > 0 && len(f.q) == cap(f.q) && 2*f.head >= len(f.q) {
		n := copy(f.q, f.q[f.head:])
		clear(f.q[n:])
		f.q, f.head = f.q[:n], 0
	}
	f.q = append(f.q, regIdleCheck{r, r.Last.Time})
}

// forgetIdle drops from regs the registrations idle for longer than
// regIdle before now and still neither granted nor refused. key is scratch.
func (f *regForgetting) forgetIdle(now int64, regs map[string]*Registration, key []byte) []byte {
	for f.head < len(f.q) && f.q[f.head].at+int64(regIdle) < now {
		e := f.q[f.head]
		f.q[f.head] = regIdleCheck{}
		f.head++
		r := e.r
		if r.Grants != 0 || r.Failures != 0 || r.Bound || r.Last.Time != e.at {
			continue // got somewhere, or a later entry follows it
		}
		key = appendRegKey(key[:0], r.AOR, r.Registrar)
		if regs[string(key)] != r {
			continue
		}
		delete(regs, string(key))
		f.count(maphash.Bytes(f.seed, key))
	}
	return key
}

func (f *regForgetting) count(h uint64) {
	if f.has(h) {
		return
	}
	if f.forgotten.len() >= maxForgottenRegs {
		f.over++
		return
	}
	if f.forgotten.slots == nil {
		f.forgotten = newSlotTable[bool](1024)
	}
	f.forgotten.put(h, true)
}

func (f *regForgetting) has(h uint64) bool {
	if f.forgotten.slots == nil {
		return false
	}
	for i, mask := f.forgotten.home(h); f.forgotten.slots[i].p; i = (i + 1) & mask {
		if f.forgotten.slots[i].h == h {
			return true
		}
	}
	return false
}

// distinct is the number of registrations forgotten that regs, the ones
// kept to the end, does not hold again.
func (f *regForgetting) distinct(regs map[string]*Registration, key []byte) int64 {
	n := int64(f.forgotten.len()) + f.over
	if n == 0 {
		return 0
	}
	for _, r := range regs {
		key = appendRegKey(key[:0], r.AOR, r.Registrar)
		if f.has(maphash.Bytes(f.seed, key)) {
			n--
		}
	}
	return n
}
