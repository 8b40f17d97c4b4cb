package decode

import (
	"hash/maphash"
	"net/netip"
)

// pendingTable holds the unanswered challenges by a 64-bit hash of their
// key (appendChallengeKey), in a slotTable: each is put by a 401/407 and
// removed by the request that answers it, by the next challenge, or by its
// Timer F deadline, which carries the hash and so does not read the
// exchange unless one with that hash is still pending.
type pendingTable struct {
	seed maphash.Seed
	slotTable[*AuthExchange]
}

func newPendingTable() pendingTable {
	return pendingTable{seed: maphash.MakeSeed(), slotTable: newSlotTable[*AuthExchange](256)}
}

func (pt *pendingTable) hash(key []byte) uint64 {
	return maphash.Bytes(pt.seed, key) >> (64 - hashBits) // the top bits carry a deadline's kind
}

// get returns the exchange pending for callID and client, whose key
// (appendChallengeKey) hashes to h; nil if none. The exchange's own Call-ID
// and client stand for its key: they are what the key is built from, and
// they compare as the key's bytes do (the address as its 16-byte form), so
// no copy of the key is kept.
func (pt *pendingTable) get(h uint64, callID string, client netip.AddrPort) *AuthExchange {
	for i, mask := pt.home(h); ; i = (i + 1) & mask {
		s := &pt.slots[i]
		if s.p == nil {
			return nil
		}
		if s.h == h && s.p.CallID == callID && sameChallengeClient(s.p.Client, client) {
			return s.p
		}
	}
}

// removeChallenge removes the exchange pending under hash h whose
// challenge is t, and returns it; nil when it is no longer pending
// (answered, abandoned or superseded). Only an entry with the same hash is
// read, which after an answer is rare: the expiry of an answered challenge
// reads the slots alone.
func (pt *pendingTable) removeChallenge(h uint64, t *Transaction) *AuthExchange {
	for i, mask := pt.home(h); ; i = (i + 1) & mask {
		s := &pt.slots[i]
		if s.p == nil {
			return nil
		}
		if s.h == h && s.p.Challenge == t {
			a := s.p
			pt.remove(h, a)
			return a
		}
	}
}

// sameChallengeClient compares two clients as appendChallengeKey writes
// them: the address's 16-byte form (an IPv4 address and its IPv4-mapped
// IPv6 form are one) and the port.
func sameChallengeClient(a, b netip.AddrPort) bool {
	return a == b || a.Port() == b.Port() && a.Addr().As16() == b.Addr().As16()
}
