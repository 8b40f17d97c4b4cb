package decode

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"net/netip"
	"sort"
)

// Flow counts the transactions seen in one direction between two
// addresses: the requests sent that way and the responses that came back
// the other way (counted on the flow they travelled in).
type Flow struct {
	Requests  int64 // transactions whose request went this way (retransmissions not counted)
	Responses int64 // transactions answered this way (a provisional or final response)
	// Orphans are responses in this direction whose request was not
	// captured (the other direction is missing, or the capture began
	// after the request).
	Orphans int64
	// Silent are requests in this direction that got no response at all,
	// not even a provisional one.
	Silent int64
	First  Ref // the earliest request or response counted in this direction
}

// Messages is everything counted in this direction.
func (f *Flow) Messages() int64 { return f.Requests + f.Responses }

// PeerPair is what travelled between two IP addresses, each direction on
// its own. A pair whose traffic all goes one way is either a peer that
// never answers or a capture that holds one direction only (a mirror port
// copying one way, `tcpdump -Q out`, a filter on the source address):
// responses without their requests can only be the second.
type PeerPair struct {
	A, B   netip.Addr // A sorts before B
	AB, BA Flow
}

// OneWay reports whether everything between the two went one way.
func (p *PeerPair) OneWay() bool {
	return (p.AB.Messages() == 0) != (p.BA.Messages() == 0)
}

// From returns the flows as seen from addr: what addr sent and what it got.
// When both ends are one host (A == B), AB is from the lower port to the
// higher.
func (p *PeerPair) From(addr netip.Addr) (sent, got *Flow) {
	if addr == p.A {
		return &p.AB, &p.BA
	}
	return &p.BA, &p.AB
}

// maxPeers bounds the pairs counted: a scanner spraying a /16 must not
// make the table grow without bound; pairs past it are not counted
// (Trace.PeersDropped says how many transactions missed the table).
const maxPeers = 1 << 14

type peerKey struct{ a, b netip.Addr }

// peers counts transactions per address pair, once each as it completes:
// off the per-message path. A capture holds thousands of pairs in no
// order, so every count is a cache miss; what a count touches is therefore
// kept in one 64-byte peerSlot per pair (the counts of both directions and
// the times of their first messages), and the PeerPair with the addresses
// and the First refs is only written when a first message changes. The
// slot's counts are added to the PeerPair by list (or when one nears the
// range of an int32, see count).
//
// Pairs of two IPv4 addresses, nearly all of them, are found by v4Key in
// v4, an open-addressing table (linear probing) of slots: both addresses in
// one uint64, scrambled one-to-one, so that equal keys are equal pairs and
// a lookup compares 8 bytes in the slot that it counts in. Other pairs
// (IPv6, mixed) are found through a map. The last pair's addresses are
// cached: both directions of a busy pair share its slot.
type peers struct {
	v4      []peerSlot // a power of two long, at most half full; nil until the first IPv4 pair
	n4      int
	v4Seed  uint64 // random, so that no capture can make v4Keys pile up in a few slots
	m       map[peerKey]int
	other   []peerSlot // the pairs of m
	pairs   []*PeerPair
	block   []PeerPair // pairs not handed out yet (newPair)
	last    *peerSlot  // nil after the slots moved
	lastA   netip.Addr
	lastB   netip.Addr
	dropped int64
}

// peerSlot is what counting touches for one pair: 64 bytes, one cache line
// (a slot array is allocated aligned to its power-of-two size).
type peerSlot struct {
	key  uint64     // v4Key, for slots of v4
	f    [2]flowHot // AB, BA: counts not yet added to the PeerPair
	pair int32      // 1 + the pair's index in peers.pairs; 0: a free slot
	set  [2]bool    // the Flow's First is not zero (its time is in f[i].first)
	_    [2]byte
}

// flowHot holds a Flow's counts since they were last added to it, and the
// time of its First.
type flowHot struct {
	requests, responses, orphans, silent int32
	first                                int64
}

// v4Key packs two IPv4 addresses, a first, into one uint64 and scrambles
// it (XOR with the seed, then the finaliser of SplitMix64), every step of
// which can be undone: no two pairs share a key, and the low bits that pick
// a slot depend on all of them.
func (ps *peers) v4Key(a, b netip.Addr) uint64 {
	a4, b4 := a.As4(), b.As4()
	return ps.v4KeyOf(uint64(binary.BigEndian.Uint32(a4[:]))<<32 | uint64(binary.BigEndian.Uint32(b4[:])))
}

// v4KeyOf is v4Key of the two addresses packed into x, a in the high half.
func (ps *peers) v4KeyOf(x uint64) uint64 {
	x ^= ps.v4Seed
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// getV4 returns the slot of the pair of two IPv4 addresses with key k
// (v4Key), or the free slot where it goes.
func (ps *peers) getV4(k uint64) *peerSlot {
	mask := uint64(len(ps.v4) - 1)
	for i := k & mask; ; i = (i + 1) & mask {
		s := &ps.v4[i]
		if s.pair == 0 || s.key == k {
			return s
		}
	}
}

// len is the number of pairs counted.
func (ps *peers) len() int { return len(ps.pairs) }

// Values of Transaction.counted.
const (
	notCounted uint8 = iota
	countedAnswered
	countedSilent
)

// note counts a completed transaction: its request on the client's flow,
// its response (if any) on the server's. A transaction completed a second
// time (answered after Timer B/F ran out) moves from silent to answered.
func (ps *peers) note(t *Transaction) {
	s, out := ps.slotOf(t.Client, t.Server)
	if s == nil {
		return
	}
	back := 1 - out
	answered := t.Final != nil || !t.FirstProvisional.IsZero()
	switch t.counted {
	case countedAnswered:
		return
	case countedSilent:
		if answered {
			ps.count(s, &s.f[out].silent, -1)
			ps.count(s, &s.f[back].responses, 1)
			ps.first(s, back, responseRef(t))
			t.counted = countedAnswered
		}
		return
	}
	if t.Orphan {
		ps.count(s, &s.f[back].responses, 1)
		ps.count(s, &s.f[back].orphans, 1)
		ps.first(s, back, responseRef(t))
		t.counted = countedAnswered
		return
	}
	ps.count(s, &s.f[out].requests, 1)
	ps.first(s, out, t.Request)
	if answered {
		ps.count(s, &s.f[back].responses, 1)
		ps.first(s, back, responseRef(t))
		t.counted = countedAnswered
		return
	}
	ps.count(s, &s.f[out].silent, 1)
	t.counted = countedSilent
}

// count adds d to one of s's counts, and the counts to the PeerPair's
// before an int32 could overflow.
func (ps *peers) count(s *peerSlot, c *int32, d int32) {
	*c += d
	if *c == math.MaxInt32 || *c == math.MinInt32 {
		ps.spill(s)
	}
}

// spill adds s's counts to its PeerPair and clears them.
func (ps *peers) spill(s *peerSlot) {
	p := ps.pairs[s.pair-1]
	for i, f := range []*Flow{&p.AB, &p.BA} {
		h := &s.f[i]
		f.Requests += int64(h.requests)
		f.Responses += int64(h.responses)
		f.Orphans += int64(h.orphans)
		f.Silent += int64(h.silent)
		h.requests, h.responses, h.orphans, h.silent = 0, 0, 0, 0
	}
}

// first makes at the First of direction d (0: AB) of s's pair if it is
// earlier, or if the First is zero.
func (ps *peers) first(s *peerSlot, d int, at Ref) {
	if s.set[d] && at.Time >= s.f[d].first {
		return
	}
	p := ps.pairs[s.pair-1]
	if d == 0 {
		p.AB.First = at
	} else {
		p.BA.First = at
	}
	s.f[d].first = at.Time
	s.set[d] = !at.IsZero()
}

func responseRef(t *Transaction) Ref {
	if !t.FirstProvisional.IsZero() {
		return t.FirstProvisional
	}
	if t.Final != nil {
		return t.Final.At
	}
	return Ref{}
}

// slotOf returns the slot of the pair of client and server and the index
// in it of the direction from client to server (0: AB), creating the pair
// (nil for transactions without addresses, e.g. text logs that do not name
// both ends, or when the table is full).
func (ps *peers) slotOf(client, server netip.AddrPort) (s *peerSlot, out int) {
	src, dst := client.Addr(), server.Addr()
	if src.Is4() && dst.Is4() && ps.v4 != nil {
		// Nearly every pair: two IPv4 addresses ordered as 32-bit
		// numbers (as Less orders them) and found without the steps
		// below, which compare 24-byte Addrs several times.
		s4, d4 := src.As4(), dst.As4()
		a, b := binary.BigEndian.Uint32(s4[:]), binary.BigEndian.Uint32(d4[:])
		swapped := b < a
		if swapped {
			a, b = b, a
		} else if a == b {
			swapped = client.Port() > server.Port()
		}
		if s := ps.getV4(ps.v4KeyOf(uint64(a)<<32 | uint64(b))); s.pair != 0 {
			if swapped {
				return s, 1
			}
			return s, 0
		}
	}
	if s := ps.last; s != nil && ps.lastA != ps.lastB {
		switch {
		case src == ps.lastA && dst == ps.lastB:
			return s, 0
		case src == ps.lastB && dst == ps.lastA:
			return s, 1
		}
	}
	if !src.IsValid() || !dst.IsValid() {
		return nil, 0
	}
	a, b, swapped := src, dst, false
	if b.Less(a) {
		a, b, swapped = b, a, true
	}
	if a == b {
		// Both ends on one host (loopback tests, a B2BUA talking to
		// itself): the ports tell the directions apart.
		swapped = client.Port() > server.Port()
	}
	if a.Is4() && b.Is4() {
		if ps.v4 != nil {
			s = ps.getV4(ps.v4Key(a, b))
		}
	} else if i, ok := ps.m[peerKey{a, b}]; ok {
		s = &ps.other[i]
	}
	if s == nil || s.pair == 0 {
		if s = ps.add(a, b); s == nil {
			return nil, 0
		}
	}
	ps.last, ps.lastA, ps.lastB = s, a, b
	if swapped {
		return s, 1
	}
	return s, 0
}

// add creates the pair a, b (a sorts first) and returns its slot, nil when
// the table is full.
func (ps *peers) add(a, b netip.Addr) *peerSlot {
	if ps.len() >= maxPeers {
		ps.dropped++
		return nil
	}
	ps.last = nil // the slots may move
	ps.pairs = append(ps.pairs, ps.newPair(a, b))
	pair := int32(len(ps.pairs))
	if a.Is4() && b.Is4() {
		if ps.v4 == nil {
			ps.v4 = make([]peerSlot, 256)
			ps.v4Seed = rand.Uint64()
		}
		if 2*(ps.n4+1) > len(ps.v4) {
			ps.growV4()
		}
		k := ps.v4Key(a, b)
		s := ps.getV4(k)
		*s = peerSlot{key: k, pair: pair}
		ps.n4++
		return s
	}
	if ps.m == nil {
		ps.m = make(map[peerKey]int)
	}
	ps.m[peerKey{a, b}] = len(ps.other)
	ps.other = append(ps.other, peerSlot{pair: pair})
	return &ps.other[len(ps.other)-1]
}

// newPair returns a new PeerPair of a and b, carved from a block of
// pairBlock: every pair lives until the end of the run (Trace.Peers), so
// one allocation per block instead of one per pair keeps nothing alive
// longer.
func (ps *peers) newPair(a, b netip.Addr) *PeerPair {
	if len(ps.block) == 0 {
		ps.block = make([]PeerPair, pairBlock)
	}
	p := &ps.block[0]
	ps.block = ps.block[1:]
	p.A, p.B = a, b
	return p
}

// pairBlock is how many pairs newPair allocates at once.
const pairBlock = 64

func (ps *peers) growV4() {
	old := ps.v4
	ps.v4 = make([]peerSlot, 2*len(old))
	for i := range old {
		if old[i].pair != 0 {
			*ps.getV4(old[i].key) = old[i]
		}
	}
}

// list adds the counts still in the slots to the pairs and returns the
// pairs sorted by address.
func (ps *peers) list() []*PeerPair {
	for i := range ps.v4 {
		if ps.v4[i].pair != 0 {
			ps.spill(&ps.v4[i])
		}
	}
	for i := range ps.other {
		ps.spill(&ps.other[i])
	}
	out := append([]*PeerPair(nil), ps.pairs...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].A != out[j].A {
			return out[i].A.Less(out[j].A)
		}
		return out[i].B.Less(out[j].B)
	})
	return out
}

// Peer returns what travelled between a and b (in either order), nil when
// nothing was counted.
func (tr *Trace) Peer(a, b netip.Addr) *PeerPair {
	if b.Less(a) {
		a, b = b, a
	}
	i := sort.Search(len(tr.Peers), func(i int) bool {
		p := tr.Peers[i]
		return !p.A.Less(a) && (p.A != a || !p.B.Less(b))
	})
	if i < len(tr.Peers) && tr.Peers[i].A == a && tr.Peers[i].B == b {
		return tr.Peers[i]
	}
	return nil
}

// Flows returns what the capture holds from client to server and back,
// nil when nothing was counted between them. On one host the ports tell
// the directions apart.
func (tr *Trace) Flows(client, server netip.AddrPort) (out, back *Flow) {
	p := tr.Peer(client.Addr(), server.Addr())
	if p == nil {
		return nil, nil
	}
	if p.A == p.B {
		if client.Port() > server.Port() {
			return &p.BA, &p.AB
		}
		return &p.AB, &p.BA
	}
	return p.From(client.Addr())
}

// NeverAnswered reports whether the capture holds nothing at all from
// server to client while it holds requests the other way: the server did
// not answer anything, or the capture misses that direction. Rules use it
// to lower their confidence in a "no response" (see CAP001).
func (tr *Trace) NeverAnswered(client, server netip.AddrPort) bool {
	out, back := tr.Flows(client, server)
	return out != nil && out.Requests > 0 && back.Messages() == 0
}
