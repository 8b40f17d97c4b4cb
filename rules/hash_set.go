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

// addrKey packs an address into 64 bits for a map key cheaper to hash
// than netip.Addr's 24 bytes: exactly for IPv4 (top bit clear), by a hash
// with the top bit set otherwise (IPv4-mapped IPv6 stays apart from IPv4,
// as netip.Addr keeps it; two IPv6 addresses share a key with probability
// 2⁻⁶³).
func addrKey(a netip.Addr) uint64 {
	if a.Is4() {
		v4 := a.As4()
		return uint64(v4[0])<<24 | uint64(v4[1])<<16 | uint64(v4[2])<<8 | uint64(v4[3])
	}
	var h maphash.Hash
	h.SetSeed(sourceSeed)
	b := a.As16()
	h.Write(b[:])
	h.WriteString(a.Zone())
	return h.Sum64() | 1<<63
}
