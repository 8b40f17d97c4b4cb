package decode

import "hash/maphash"

// aorCache canonicalises URIs to addresses-of-record (AOR), cached: the same
// few thousand accounts recur millions of times in a large capture, in no
// order, so every lookup misses the CPU caches. It is an open-addressing
// table (linear probing) whose slot holds the hash and one string with the
// raw URI and its AOR side by side: a hit reads the slot and that string,
// which the caller and the observers read next anyway; a Go map keyed by
// the raw URI reads its control word, its slot and the key out of line, and
// the AOR lives elsewhere again. A hit is checked against the raw URI, as
// two URIs can share a hash. At most max URIs are cached: a scanner spraying
// random URIs cannot make it grow without bound; past that, AORs are
// computed every time.
type aorCache struct {
	seed  maphash.Seed
	slots []aorSlot // a power of two long, at most 3/4 full
	n     int
	max   int
}

type aorSlot struct {
	h uint64
	// s is the raw URI followed by its AOR, or the raw URI alone when it is
	// its own AOR; "" marks a free slot.
	s     string
	raw   int32 // s[:raw] is the raw URI
	aorAt int32 // s[aorAt:] is the AOR
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
	e := aorSlot{h: h, s: aor, raw: int32(len(uri))}
	if aor != string(uri) {
		e.s = string(uri) + aor
		e.aorAt = int32(len(uri))
		aor = e.s[len(uri):]
	}
	if 4*(c.n+1) > 3*len(c.slots) {
		c.grow()
	}
	c.insert(e)
	c.n++
	return aor
}

func (c *aorCache) insert(e aorSlot) {
	mask := uint64(len(c.slots) - 1)
	i := e.h & mask
	for c.slots[i].s != "" {
		i = (i + 1) & mask
	}
	c.slots[i] = e
}

func (c *aorCache) grow() {
	old := c.slots
	c.slots = make([]aorSlot, 2*len(old))
	for _, e := range old {
		if e.s != "" {
			c.insert(e)
		}
	}
}
