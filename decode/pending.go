package decode

import (
	"encoding/binary"
	"net/netip"
)

// pendingTable holds the unanswered challenges by a 64-bit hash of their
// Call-ID and client (see hash), in a slotTable: each is put by a 401/407 and
// removed by the request that answers it, by the next challenge, or by its
// Timer F deadline, which carries the hash and so does not read the
// exchange unless one with that hash is still pending.
type pendingTable struct {
	slotTable[*AuthExchange]
}

func newPendingTable() pendingTable {
	return pendingTable{slotTable: newSlotTable[*AuthExchange](256)}
}

// hash mixes a challenge's client into the hash of its Call-ID
// (Transaction.CallIDHash, already uniform), as sameChallengeClient sees
// the client: its 16-byte address form and port. RFC 3261 §22.2 and
// §8.1.3.5 have the UA retry "with the same Call-ID" and an incremented
// CSeq, so the Call-ID plus the UA's address finds the answer; the address
// keeps the two legs of a proxied exchange apart. Only which slots are
// probed depends on the hash: a hit is checked against the exchange's
// Call-ID and client.
func (pt *pendingTable) hash(callIDHash uint64, client netip.AddrPort) uint64 {
	a := client.Addr().As16()
	hi, lo := binary.BigEndian.Uint64(a[:8]), binary.BigEndian.Uint64(a[8:])
	h := callIDHash ^ (lo+uint64(client.Port()))*0x9E3779B97F4A7C15 ^ hi*0xC2B2AE3D27D4EB4F
	return h >> (64 - hashBits) // the top bits carry a deadline's kind
}

// get returns the exchange pending for callID and client, whose hash is
// h; nil if none. The exchange's own Call-ID and client are compared, the
// client as its 16-byte address form and port, so no key is kept.
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

// sameChallengeClient compares two clients by the address's 16-byte form
// (an IPv4 address and its IPv4-mapped IPv6 form are one) and the port.
func sameChallengeClient(a, b netip.AddrPort) bool {
	return a == b || a.Port() == b.Port() && a.Addr().As16() == b.Addr().As16()
}
