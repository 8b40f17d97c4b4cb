package decode

import (
	"hash/maphash"
	"unsafe"
)

// aorCache canonicalises URIs to addresses-of-record (AOR), cached: the same
// few thousand accounts recur millions of times in a large capture, in no
// order, so every lookup misses the CPU caches. It is an open-addressing
// table (linear probing) of 64-byte slots (one cache line each), each with
// the hash and one string with the raw URI and its AOR side by side, held in
// the slot itself when it fits (aorInline bytes: a usual URI and its AOR are
// one string of 20-30 bytes): a hit then reads one cache line, where a
// string allocated apart costs a second miss, and the caller and the
// observers read the AOR in the line just loaded. A Go map keyed by the raw
// URI reads its control word, its slot and the key out of line, and the AOR
// lives elsewhere again. A hit is checked against the raw URI, as two URIs
// can share a hash. At most max URIs are cached: a scanner spraying random
// URIs cannot make it grow without bound; past that, AORs are computed
// every time.
//
// The strings handed out may point into a slot: slots are never emptied or
// rewritten, and growing copies them into a new array (re-pointing the
// copies at their own bytes), so the old array is only read, by whoever
// still holds one of its strings.
type aorCache struct {
	seed  maphash.Seed
	slots []aorSlot // a power of two long, at most 3/4 full
	n     int
	max   int
}

// aorInline is how long a slot's string may be to be held in the slot.
const aorInline = 32

type aorSlot struct {
	h uint64
	// s is the raw URI followed by its AOR, or the raw URI alone when it is
	// its own AOR; "" marks a free slot. It points into inline when it
	// fits there.
	s      string
	raw    int32 // s[:raw] is the raw URI
	aorAt  int32 // s[aorAt:] is the AOR
	inline [aorInline]byte
}

func newAORCache(max int) aorCache {
	return aorCache{seed: maphash.MakeSeed(), slots: make([]aorSlot, 1024), max: max}
}

// get returns the AOR of uri ("" for an empty one).
func (c *aorCache) get(uri []byte) string {
	if len(uri) == 0 {
		return ""
	}
	h := maphash.Bytes(c.seed, uri)
	mask := uint64(len(c.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &c.slots[i]
		if s.s == "" {
			break
		}
		if s.h == h && s.s[:s.raw] == string(uri) {
			return s.s[s.aorAt:]
		}
	}
	aor := AOR(uri)
	if c.n >= c.max || len(uri) > 1<<30 {
		return aor
	}
	s, aorAt := aor, int32(0)
	if aor != string(uri) {
		s, aorAt = string(uri)+aor, int32(len(uri))
	}
	if 4*(c.n+1) > 3*len(c.slots) {
		c.grow()
	}
	e := c.insert(h, s, int32(len(uri)), aorAt)
	c.n++
	return e.s[e.aorAt:]
}

// insert puts s (raw URI and AOR, as aorSlot.s) in a free slot for hash h,
// copied into the slot when it fits, and returns the slot.
func (c *aorCache) insert(h uint64, s string, raw, aorAt int32) *aorSlot {
	mask := uint64(len(c.slots) - 1)
	i := h & mask
	for c.slots[i].s != "" {
		i = (i + 1) & mask
	}
	e := &c.slots[i]
	e.h, e.s, e.raw, e.aorAt = h, s, raw, aorAt
	if len(s) <= aorInline {
		n := copy(e.inline[:], s)
		e.s = unsafe.String(&e.inline[0], n)
	}
	return e
}

func (c *aorCache) grow() {
	old := c.slots
	c.slots = make([]aorSlot, 2*len(old))
	for i := range old {
		if e := &old[i]; e.s != "" {
			c.insert(e.h, e.s, e.raw, e.aorAt)
		}
	}
}
