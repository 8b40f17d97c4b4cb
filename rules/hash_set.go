package rules

import (
	"hash/maphash"
	"net/netip"

	"github.com/sipdiag/sipdiag/decode"
)

// hashSet remembers strings (Call-IDs, nonces) by a 64-bit hash of them
// rather than the strings themselves: a string key would keep alive the
// decoded message it points into, and a pointer-free table is never
// scanned by the garbage collector, which matters on captures of millions
// of messages. Two different strings share a hash with probability 2⁻⁶⁴.
// At most limit distinct strings are kept (memory stays bounded on long
// captures); the ones added after that are not.
//
// The sets are added to on every challenge or answered call and asked
// rarely (when something fails), and their table outgrows the CPU caches:
// an add that went straight into it would cost a cache miss on every such
// transaction. So add only logs the key, in a slice written in order, and
// the table takes in the log when it is asked, or when the log may take
// it past limit: a batch of independent inserts, whose misses the CPU
// overlaps. Which keys are kept is exactly what adding at once would keep.
type hashSet struct {
	seed  maphash.Seed
	t     keySet
	log   []uint64 // keys added and not yet in t
	limit int      // most distinct keys kept
}

func newHashSet(limit int) hashSet {
	return hashSet{seed: maphash.MakeSeed(), limit: limit}
}

// key hashes str and mixes in ua by a bijection, so that the same string
// said by two addresses gets two keys. IPv4 and IPv4-mapped IPv6 are one
// address here (the set once hashed ua.As16()).
func (s *hashSet) key(ua netip.Addr, str string) uint64 {
	var a uint64 // 0: no address
	switch {
	case !ua.IsValid():
	case ua.Is4() || ua.Is4In6():
		v4 := ua.Unmap().As4()
		a = uint64(v4[0])<<24 | uint64(v4[1])<<16 | uint64(v4[2])<<8 | uint64(v4[3]) + 1
	default:
		b := ua.As16()
		a = maphash.Bytes(s.seed, b[:]) | 1<<63
	}
	return s.keyHashed(maphash.String(s.seed, str), a)
}

// keyHashed mixes the address word a (as key computes it) into the hash h
// of a string.
func (s *hashSet) keyHashed(h, a uint64) uint64 { return h ^ a*0x9E3779B97F4A7C15 }

// addCallID and hasCallID are add and has for a transaction's Call-ID said
// by no address, keyed by the correlator's hash of it
// (Transaction.CallIDHash) instead of hashing the string again: a set
// must be given its strings one way only, since the two hashes differ.
func (s *hashSet) addCallID(t *decode.Transaction) { s.addKey(s.keyHashed(t.CallIDHash, 0)) }

func (s *hashSet) hasCallID(t *decode.Transaction) bool {
	s.flush()
	return s.t.has(s.keyHashed(t.CallIDHash, 0))
}

// add remembers str as said by (or to) ua (an invalid ua stands for none)
// when the set holds fewer than limit strings.
func (s *hashSet) add(ua netip.Addr, str string) { s.addKey(s.key(ua, str)) }

// addKey remembers a key made by key or keyHashed.
func (s *hashSet) addKey(k uint64) {
	if s.t.len()+len(s.log) >= s.limit {
		// The log may hold strings seen before: count exactly.
		s.flush()
		if s.t.len() >= s.limit {
			s.log = nil // full for good: nothing will be logged again
			return
		}
	}
	s.log = append(s.log, k)
}

func (s *hashSet) has(ua netip.Addr, str string) bool {
	s.flush()
	return s.t.has(s.key(ua, str))
}

func (s *hashSet) len() int {
	s.flush()
	return s.t.len()
}

// flush puts the logged keys in the table.
func (s *hashSet) flush() {
	if len(s.log) == 0 {
		return
	}
	s.t.reserve(s.t.len() + len(s.log))
	for _, k := range s.log {
		s.t.add(k)
	}
	s.log = s.log[:0]
}

var sourceSeed = maphash.MakeSeed()

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

// addrPortKey packs an address and port into 64 bits, as addrKey does the
// address: exactly for IPv4 (top bit clear), by a hash with the top bit
// set otherwise, zone included (netip.AddrPort keeps IPv4-mapped IPv6,
// zones and the invalid address apart; so does this).
func addrPortKey(ap netip.AddrPort) uint64 {
	a := ap.Addr()
	if a.Is4() {
		return v4PortKey(a.As4(), ap.Port())
	}
	if !a.IsValid() {
		return 1 << 62 // no address (a text log that names none); IPv4 keys stay below 2⁴⁸
	}
	var h maphash.Hash
	h.SetSeed(sourceSeed)
	b := a.As16()
	h.Write(b[:])
	h.WriteString(a.Zone())
	h.WriteByte(byte(ap.Port() >> 8))
	h.WriteByte(byte(ap.Port()))
	return h.Sum64() | 1<<63
}

// v4PortKey is addrPortKey of an IPv4 address and port: the address in
// bits 16-47, the port below (unpackAddrPort reverses it).
func v4PortKey(v4 [4]byte, port uint16) uint64 {
	return uint64(v4[0])<<40 | uint64(v4[1])<<32 | uint64(v4[2])<<24 | uint64(v4[3])<<16 | uint64(port)
}

// sourceOf is the client of CAP001's recent requests: addrPortKey of the
// address with an IPv4-mapped IPv6 address taken as its IPv4 form (one
// source, as As16 has it).
func sourceOf(ap netip.AddrPort) uint64 {
	return addrPortKey(netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()))
}
