package decode

import (
	"net/netip"
	"sort"
)

// Flow counts the SIP seen in one direction between two addresses.
type Flow struct {
	Requests  int64
	Responses int64
	// Orphans are responses in this direction whose request was not
	// captured (the other direction is missing, or the capture began
	// after the request).
	Orphans int64
	// Silent are requests in this direction that got no response at all,
	// not even a provisional one (counted when their transaction ends).
	Silent int64
	First  Ref // the first message in this direction (zero when none)
}

// Messages is everything seen in this direction.
func (f *Flow) Messages() int64 { return f.Requests + f.Responses }

// PeerPair is what travelled between two IP addresses, each direction on
// its own. A pair whose messages all go one way is either a peer that never
// answers or a capture that holds one direction only (a mirror port
// copying one way, `tcpdump -Q out`, a filter on the source address):
// responses without their requests can only be the second.
type PeerPair struct {
	A, B   netip.Addr // A sorts before B
	AB, BA Flow
}

// OneWay reports whether every message between the two went one way.
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
// (Trace.PeersDropped says how many messages missed the table).
const maxPeers = 1 << 14

type peerKey struct{ a, b netip.Addr }

// peers counts messages per address pair. The last pair is cached: a
// capture alternates between few pairs, and both directions of one pair
// share the entry, so most messages skip the map.
type peers struct {
	m       map[peerKey]*PeerPair
	last    *PeerPair
	dropped int64
}

// count notes one message from src to dst and returns its pair and the
// flow it went into (nil, nil for messages without addresses, e.g. text
// logs that do not name both ends, or when the table is full).
func (ps *peers) count(src, dst netip.Addr, srcPort, dstPort uint16, request bool, at Ref) (*PeerPair, *Flow) {
	if !src.IsValid() || !dst.IsValid() {
		return nil, nil
	}
	a, b, back := src, dst, false
	if b.Less(a) {
		a, b, back = b, a, true
	}
	if a == b {
		// Both ends on one host (loopback tests, a B2BUA talking to
		// itself): the ports tell the directions apart.
		back = srcPort > dstPort
	}
	p := ps.last
	if p == nil || p.A != a || p.B != b {
		p = ps.m[peerKey{a, b}]
		if p == nil {
			if len(ps.m) >= maxPeers {
				ps.dropped++
				return nil, nil
			}
			if ps.m == nil {
				ps.m = make(map[peerKey]*PeerPair)
			}
			p = &PeerPair{A: a, B: b}
			ps.m[peerKey{a, b}] = p
		}
		ps.last = p
	}
	f := &p.AB
	if back {
		f = &p.BA
	}
	if f.First.IsZero() {
		f.First = at
	}
	if request {
		f.Requests++
	} else {
		f.Responses++
	}
	return p, f
}

// flow finds the flow from src to dst without counting anything.
func (ps *peers) flow(src, dst netip.AddrPort) *Flow {
	a, b := src.Addr(), dst.Addr()
	if b.Less(a) {
		a, b = b, a
	}
	p := ps.m[peerKey{a, b}]
	if p == nil {
		return nil
	}
	if a == b {
		if src.Port() > dst.Port() {
			return &p.BA
		}
		return &p.AB
	}
	out, _ := p.From(src.Addr())
	return out
}

// list returns the pairs sorted by address.
func (ps *peers) list() []*PeerPair {
	out := make([]*PeerPair, 0, len(ps.m))
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

// NeverAnswered reports whether the capture holds nothing at all from
// server to client while it holds requests the other way: the server did
// not answer anything, or the capture misses that direction. Rules use it
// to lower their confidence in a "no response" (see CAP001).
func (tr *Trace) NeverAnswered(client, server netip.Addr) bool {
	p := tr.Peer(client, server)
	if p == nil || client == server {
		return false // one host: which flow is whose cannot be told by address
	}
	sent, got := p.From(client)
	return sent.Requests > 0 && got.Messages() == 0
}
