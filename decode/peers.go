package decode

import (
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

func (f *Flow) first(at Ref) {
	if f.First.IsZero() || at.Time < f.First.Time {
		f.First = at
	}
}

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
// off the per-message path. The last pair is cached: a capture alternates
// between few pairs, and both directions of one pair share the entry.
//
// Pairs of two IPv4 addresses, nearly all of them, are kept in a slotTable
// by v4Key: both addresses in one uint64, scrambled one-to-one, so that equal
// keys are equal pairs and a lookup compares 8 bytes in the slot, where a
// peerKey is 48 bytes hashed and compared out of line.
type peers struct {
	v4      slotTable[*PeerPair]
	v4Seed  uint64                // random, so that no capture can make v4Keys pile up in a few slots
	m       map[peerKey]*PeerPair // every other pair (IPv6, mixed)
	last    *PeerPair
	dropped int64
}

// v4Key packs two IPv4 addresses, a first, into one uint64 and scrambles
// it (XOR with the seed, then the finaliser of SplitMix64), every step of
// which can be undone: no two pairs share a key, and the low bits that pick
// a slot depend on all of them.
func (ps *peers) v4Key(a, b netip.Addr) uint64 {
	a4, b4 := a.As4(), b.As4()
	x := uint64(a4[0])<<56 | uint64(a4[1])<<48 | uint64(a4[2])<<40 | uint64(a4[3])<<32 |
		uint64(b4[0])<<24 | uint64(b4[1])<<16 | uint64(b4[2])<<8 | uint64(b4[3])
	x ^= ps.v4Seed
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// getV4 returns the pair of two IPv4 addresses with key k (v4Key), nil if
// it is not counted yet.
func (ps *peers) getV4(k uint64) *PeerPair {
	if ps.v4.len() == 0 {
		return nil
	}
	for i, mask := ps.v4.home(k); ; i = (i + 1) & mask {
		s := &ps.v4.slots[i]
		if s.p == nil || s.h == k {
			return s.p
		}
	}
}

// len is the number of pairs counted.
func (ps *peers) len() int { return ps.v4.len() + len(ps.m) }

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
	out, back := ps.flows(t.Client, t.Server)
	if out == nil {
		return
	}
	answered := t.Final != nil || !t.FirstProvisional.IsZero()
	switch t.counted {
	case countedAnswered:
		return
	case countedSilent:
		if answered {
			out.Silent--
			back.Responses++
			back.first(responseRef(t))
			t.counted = countedAnswered
		}
		return
	}
	if t.Orphan {
		back.Responses++
		back.Orphans++
		back.first(responseRef(t))
		t.counted = countedAnswered
		return
	}
	out.Requests++
	out.first(t.Request)
	if answered {
		back.Responses++
		back.first(responseRef(t))
		t.counted = countedAnswered
		return
	}
	out.Silent++
	t.counted = countedSilent
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

// flows returns the flow from client to server and the one back, creating
// the pair (nil, nil for transactions without addresses, e.g. text logs
// that do not name both ends, or when the table is full).
func (ps *peers) flows(client, server netip.AddrPort) (out, back *Flow) {
	src, dst := client.Addr(), server.Addr()
	if p := ps.last; p != nil && p.A != p.B {
		switch {
		case src == p.A && dst == p.B:
			return &p.AB, &p.BA
		case src == p.B && dst == p.A:
			return &p.BA, &p.AB
		}
	}
	if !src.IsValid() || !dst.IsValid() {
		return nil, nil
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
	var p *PeerPair
	if a.Is4() && b.Is4() {
		p = ps.getV4(ps.v4Key(a, b))
	} else {
		p = ps.m[peerKey{a, b}]
	}
	if p == nil {
		if p = ps.add(a, b); p == nil {
			return nil, nil
		}
	}
	ps.last = p
	if swapped {
		return &p.BA, &p.AB
	}
	return &p.AB, &p.BA
}

// add creates the pair a, b (a sorts first), nil when the table is full.
func (ps *peers) add(a, b netip.Addr) *PeerPair {
	if ps.len() >= maxPeers {
		ps.dropped++
		return nil
	}
	p := &PeerPair{A: a, B: b}
	if a.Is4() && b.Is4() {
		if ps.v4.slots == nil {
			ps.v4 = newSlotTable[*PeerPair](256)
			ps.v4Seed = rand.Uint64()
		}
		ps.v4.put(ps.v4Key(a, b), p)
		return p
	}
	if ps.m == nil {
		ps.m = make(map[peerKey]*PeerPair)
	}
	ps.m[peerKey{a, b}] = p
	return p
}

// list returns the pairs sorted by address.
func (ps *peers) list() []*PeerPair {
	out := make([]*PeerPair, 0, ps.len())
	ps.v4.each(func(p *PeerPair) { out = append(out, p) })
	for _, p := range ps.m {
		out = append(out, p)
	}
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
