package rules

import (
	"hash/maphash"
	"net/netip"
)

// hashSet remembers strings (Call-IDs, nonces) by a 64-bit hash of them
// rather than the strings themselves: a string key would keep alive the
// decoded message it points into, and a pointer-free map is never scanned
// by the garbage collector, which matters on captures of millions of
// messages. Two different strings share a hash with probability 2⁻⁶⁴.
type hashSet struct {
	seed maphash.Seed
	m    map[uint64]struct{}
}

func newHashSet() hashSet {
	return hashSet{seed: maphash.MakeSeed(), m: map[uint64]struct{}{}}
}

func (s hashSet) key(ua netip.Addr, str string) uint64 {
	var h maphash.Hash
	h.SetSeed(s.seed)
	if ua.IsValid() {
		a := ua.As16()
		h.Write(a[:])
	}
	h.WriteString(str)
	return h.Sum64()
}

// add remembers str as said by (or to) ua; an invalid ua stands for none.
func (s hashSet) add(ua netip.Addr, str string) { s.m[s.key(ua, str)] = struct{}{} }

func (s hashSet) has(ua netip.Addr, str string) bool {
	_, ok := s.m[s.key(ua, str)]
	return ok
}

func (s hashSet) len() int { return len(s.m) }
