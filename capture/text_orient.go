package capture

import (
	"encoding/binary"
	"math/bits"
	"net/netip"
	"strings"
)

// orienter fills in direction and addresses a log leaves out
// (TEXT-FORMATS.md "Direction and peer inference"). It first learns the
// logging box's own addresses from messages whose direction the log
// states, then places the others by their Via and Request-URI. What it
// cannot tell stays unknown: a zero address, never a guess.
type orienter struct {
	local []netip.Addr // the logging box's addresses, at most maxLocal
	names []string     // its host names, lower case
	// requests seen, by transaction (Call-ID, CSeq, top branch), so that a
	// response can be placed against its request
	reqs reqTable
	key  []byte
}

type reqSide struct{ local, peer netip.AddrPort }

const (
	maxLocal = 16
	maxReqs  = 1 << 14
)

// learn notes the box's own addresses from a message whose direction the
// log states: the top Via of what it sends (§18.1.1: the sender puts its
// own address there), the Request-URI of what it receives, the top Via of
// the responses it receives (they come back to the Via it wrote).
func (o *orienter) learn(m *textMsg, v *sipView) {
	if m.local.IsValid() {
		o.addLocal(m.local.Addr())
	}
	switch {
	case m.dir == DirSent && v.request, m.dir == DirReceived && !v.request:
		o.addLocalHost(v.via.host)
	case m.dir == DirReceived && v.request:
		host, _, _, _ := uriHostPort(v.uri)
		if a, ok := hostAddr(host); ok {
			o.addLocal(a)
		}
	}
}

func (o *orienter) addLocal(a netip.Addr) {
	if !a.IsValid() || o.isLocal(a) || len(o.local) >= maxLocal {
		return
	}
	o.local = append(o.local, a)
}

func (o *orienter) addLocalHost(host []byte) {
	if a, ok := hostAddr(host); ok {
		o.addLocal(a)
		return
	}
	if !opaqueHost(host) && len(o.names) < maxLocal && !o.isLocalName(host) {
		o.names = append(o.names, strings.ToLower(string(host)))
	}
}

func (o *orienter) isLocal(a netip.Addr) bool {
	for _, l := range o.local {
		if l == a {
			return true
		}
	}
	return false
}

func (o *orienter) isLocalName(host []byte) bool {
	for _, n := range o.names {
		if equalFold(host, n) {
			return true
		}
	}
	return false
}

// hostIsLocal: host is one of the box's addresses or names.
func (o *orienter) hostIsLocal(host []byte) bool {
	if a, ok := hostAddr(host); ok {
		return o.isLocal(a)
	}
	return !opaqueHost(host) && o.isLocalName(host)
}

// opaqueHost: a host that names nothing — empty, or sanitised with x's
// ("x.x.x.x", "XX.XX.XX.XX") — so it can never identify the box.
func opaqueHost(host []byte) bool {
	if len(host) == 0 {
		return true
	}
	for _, c := range host {
		if c != 'x' && c != 'X' && c != '.' && c != ':' && !isDigit(c) {
			return false
		}
	}
	for _, c := range host {
		if c == 'x' || c == 'X' {
			return true
		}
	}
	return false
}

// orient sets m's direction (when the log did not say) and its source and
// destination.
func (o *orienter) orient(m *textMsg, v *sipView) {
	if m.dir == DirUnknown {
		m.dir = o.inferDirection(v)
	}
	if m.transport == TransportUnknown {
		m.transport = v.via.transport
	}
	if m.dir == DirUnknown {
		return
	}
	sent := m.dir == DirSent
	key := o.txnKey(v)
	var h uint64 // the key's hash, computed once: 0 without a key
	if len(key) > 0 {
		h = hashKey(key)
	}
	if !m.peer.IsValid() && m.peerHost == "" {
		m.peer, m.peerHost = o.inferPeer(m, v, key, h)
	}
	if !m.local.IsValid() {
		m.local = o.inferLocal(m, v, key, h)
	}
	if v.request && len(key) > 0 {
		if o.reqs.len() >= maxReqs {
			o.reqs.clear()
		}
		o.reqs.put(h, reqSide{local: m.local, peer: m.peer})
	}
	if sent {
		m.src, m.dst = m.local, m.peer
	} else {
		m.src, m.dst = m.peer, m.local
	}
}

// inferDirection: a request whose top Via is the box's was sent by it, one
// whose Request-URI is the box's was received; a response whose top Via is
// the box's comes back to it, any other response is one it sends.
func (o *orienter) inferDirection(v *sipView) TextDirection {
	if len(o.local) == 0 && len(o.names) == 0 {
		return DirUnknown
	}
	if v.request {
		if o.hostIsLocal(v.via.host) {
			return DirSent
		}
		host, _, _, _ := uriHostPort(v.uri)
		if o.hostIsLocal(host) {
			return DirReceived
		}
		return DirUnknown
	}
	if !v.via.present || opaqueHost(v.via.host) {
		return DirUnknown
	}
	if o.hostIsLocal(v.via.host) {
		return DirReceived
	}
	return DirSent
}

// inferPeer: a sent request goes to its first loose Route, else to its
// Request-URI (RFC 3261 §8.1.2); a received request and a sent response
// belong to the top Via, received= and rport winning (§18.2.2, RFC 3581
// §4); a received response comes from where its request went.
func (o *orienter) inferPeer(m *textMsg, v *sipView, key []byte, h uint64) (netip.AddrPort, string) {
	switch {
	case v.request && m.dir == DirSent:
		target := v.uri
		if host, _, _, lr := uriHostPort(v.route); lr && len(host) > 0 {
			target = v.route
		}
		host, port, secure, _ := uriHostPort(target)
		return addrPortOf(host, port, defaultPort(m.transportOr(v), secure))
	case v.request || m.dir == DirSent:
		host := v.via.host
		if len(v.via.received) > 0 {
			host = v.via.received
		}
		port := v.via.port
		if v.via.rport > 0 {
			port = v.via.rport
		}
		return addrPortOf(host, port, defaultPort(m.transportOr(v), false))
	default:
		if r, ok := o.reqs.get(h); ok && len(key) > 0 {
			return r.peer, ""
		}
	}
	return netip.AddrPort{}, ""
}

// inferLocal: the box's side is the top Via of what it sends as a request
// and of the responses it receives; the Request-URI of a request it
// receives when that is one of its addresses; for a response it sends,
// where its request arrived.
func (o *orienter) inferLocal(m *textMsg, v *sipView, key []byte, h uint64) netip.AddrPort {
	switch {
	case v.request == (m.dir == DirSent):
		if a, ok := hostAddr(v.via.host); ok {
			return netip.AddrPortFrom(a, portOr(v.via.port, defaultPort(m.transportOr(v), false)))
		}
	case v.request:
		host, port, secure, _ := uriHostPort(v.uri)
		if a, ok := hostAddr(host); ok && o.isLocal(a) {
			return netip.AddrPortFrom(a, portOr(port, defaultPort(m.transportOr(v), secure)))
		}
	default:
		if r, ok := o.reqs.get(h); ok && len(key) > 0 {
			return r.local
		}
	}
	return netip.AddrPort{}
}

// addrPortOf makes an address from a URI or Via host; a name or a
// sanitised host is returned as a string instead.
func addrPortOf(host []byte, port int, def uint16) (netip.AddrPort, string) {
	if a, ok := hostAddr(host); ok {
		return netip.AddrPortFrom(a, portOr(port, def)), ""
	}
	if len(host) == 0 {
		return netip.AddrPort{}, ""
	}
	return netip.AddrPort{}, string(host)
}

func portOr(p int, def uint16) uint16 {
	if p > 0 && p < 65536 {
		return uint16(p)
	}
	return def
}

// txnKey identifies a transaction well enough to pair a response with its
// request: Call-ID, CSeq and the top Via branch (RFC 3261 §17.1.3).
func (o *orienter) txnKey(v *sipView) []byte {
	if len(v.callID) == 0 || len(v.cseq) == 0 {
		return nil
	}
	o.key = append(o.key[:0], v.callID...)
	o.key = append(o.key, ' ')
	o.key = append(o.key, v.cseq...)
	o.key = append(o.key, ' ')
	o.key = append(o.key, v.via.branch...)
	return o.key
}

// transportOr is the message's transport, or its top Via's when the log
// does not say.
func (m *textMsg) transportOr(v *sipView) Transport {
	if m.transport != TransportUnknown {
		return m.transport
	}
	return v.via.transport
}

// hashKey is a 64-bit hash of a transaction key: the map of requests holds
// hashes, not copies of the keys (a collision would at worst place one
// response wrongly, among 16k requests). It reads eight bytes per step
// (multiply, rotate, multiply, in the manner of xxHash64's round) instead
// of FNV-1a's one: the key is some 70 bytes, hashed once per message.
func hashKey(k []byte) uint64 {
	const p1, p2, p3 = 0x9e3779b185ebca87, 0xc2b2ae3d27d4eb4f, 0x165667b19e3779f9
	h := uint64(len(k)) * p3
	for ; len(k) >= 8; k = k[8:] {
		h ^= bits.RotateLeft64(binary.LittleEndian.Uint64(k)*p2, 31) * p1
		h = bits.RotateLeft64(h, 27)*p1 + p3
	}
	for _, c := range k {
		h ^= uint64(c) * p3
		h = bits.RotateLeft64(h, 11) * p1
	}
	// final mix, so that every input bit reaches every output bit
	h ^= h >> 33
	h *= p2
	h ^= h >> 29
	h *= p3
	h ^= h >> 32
	return h
}
