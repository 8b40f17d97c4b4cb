package capture

import (
	"bytes"
	"net/netip"
	"regexp"
)

// The "sip-req:" / "sip-res:" call trace of VOCAL-based proxies (the Cisco
// SIP Proxy Server manuals' trace), TEXT-FORMATS.md §15:
//
//	sip-req: INVITE sip:93831073@192.168.36.180 SIP/2.0 [192.168.6.21:50623->192.168.36.180:5060]
//	Header: Via: SIP/2.0/UDP 192.168.6.21:50623
//	sip-res: SIP/2.0 200 OK [192.168.36.180:5060->192.168.6.21:50623]
//
// One "Header:" line per header (prefix, then padding); a body, if any, on
// "Body:" lines. The envelope gives source and destination, not which one
// is the box that wrote the trace: that is learnt as the one address all
// messages share, holding the first few messages until it is known.

func init() {
	registerTextFormat(&TextFormat{
		Name:     "sip-req",
		Title:    "sip-req:/sip-res: call trace (VOCAL, Cisco SIP Proxy Server)",
		Detect:   detectSIPReq,
		New:      func() TextIngester { return &sipreqIngester{} },
		Priority: 13,
	})
}

var sipreqEnvelope = regexp.MustCompile(`^\s*sip-(?:req|res):\s*(.*?)\s*\[(\[[0-9A-Fa-f:.]+\]|[^\[\]:\s]+):(\d+)\s*->\s*(\[[0-9A-Fa-f:.]+\]|[^\[\]:\s]+):(\d+)\]\s*$`)

func detectSIPReq(sample [][]byte) int {
	for _, l := range sample {
		if bytes.Contains(l, []byte("sip-re")) && sipreqEnvelope.Match(l) {
			return 100
		}
	}
	return 0
}

// sipreqHeldMax bounds the messages held while the local address is
// unknown (memory stays independent of the input's size).
const sipreqHeldMax = 32

type sipreqIngester struct {
	msg     slMessage
	orphans slOrphans
	inBody  bool
	orient  sipreqOrient
}

func (r *sipreqIngester) Line(n int, line []byte, out TextSink) {
	r.orient.out = out
	if t := slTrimSpace(line); bytes.HasPrefix(t, []byte("sip-re")) {
		if sub := sipreqEnvelope.FindSubmatch(line); sub != nil {
			r.msg.end(&r.orient, "sip-req")
			r.orphans.stop(out)
			var e sipreqEnds
			e.src, e.srcHost = slAddr(string(sub[2]), string(sub[3]))
			e.dst, e.dstHost = slAddr(string(sub[4]), string(sub[5]))
			r.msg.begin(n, TextMessage{}, 0)
			r.msg.add(n, sub[1])
			r.orient.next = e
			r.inBody = false
			return
		}
	}
	var rest []byte
	header := false
	if bytes.HasPrefix(line, []byte("Header:")) {
		rest, header = slTrimSpace(line[7:]), true
	} else if bytes.HasPrefix(line, []byte("Body:")) {
		rest = line[5:]
		if len(rest) > 0 && rest[0] == ' ' {
			rest = rest[1:]
		}
	} else {
		if !r.msg.open {
			r.orphans.line(n, line, false, out)
		} else if len(slTrimSpace(line)) > 0 {
			r.msg.end(&r.orient, "sip-req")
		}
		return
	}
	if !r.msg.open {
		r.orphans.line(n, rest, false, out)
		return
	}
	if !header && !r.inBody {
		r.inBody = true
		r.msg.add(n, nil) // the blank line before the body
	}
	r.msg.add(n, rest)
}

func (r *sipreqIngester) End(out TextSink) {
	r.orient.out = out
	r.msg.end(&r.orient, "sip-req")
	r.orphans.stop(out)
	r.orient.flush(netip.AddrPort{})
}

// sipreqEnds is where a message went, as its envelope says.
type sipreqEnds struct {
	src, dst         netip.AddrPort
	srcHost, dstHost string // when not an address
}

// sipreqOrient holds messages until the local address is known, then
// hands them over with direction and peer.
type sipreqOrient struct {
	out     TextSink
	held    []*TextMessage
	ends    []sipreqEnds // of each held message
	cands   []netip.AddrPort
	started bool
	local   netip.AddrPort
	decided bool
	next    sipreqEnds // of the message being read
}

func (o *sipreqOrient) Problem(line int, msg string) { o.out.Problem(line, msg) }

func (o *sipreqOrient) Emit(m *TextMessage) {
	src, dst := o.next.src, o.next.dst
	if o.decided {
		o.out.Emit(orientByLocal(m, o.local, o.next))
		return
	}
	o.held = append(o.held, m)
	o.ends = append(o.ends, o.next)
	if src.IsValid() && dst.IsValid() {
		if !o.started {
			o.cands, o.started = []netip.AddrPort{src, dst}, true
		} else {
			k := 0
			for _, c := range o.cands {
				if c == src || c == dst {
					o.cands[k] = c
					k++
				}
			}
			o.cands = o.cands[:k]
		}
	}
	switch {
	case o.started && len(o.cands) == 1:
		o.flush(o.cands[0])
	case o.started && len(o.cands) == 0 || len(o.held) >= sipreqHeldMax:
		o.flush(netip.AddrPort{})
	}
}

// flush hands over the held messages, oriented by local when it is valid;
// from then on every message is oriented the same way.
func (o *sipreqOrient) flush(local netip.AddrPort) {
	for i, m := range o.held {
		o.out.Emit(orientByLocal(m, local, o.ends[i]))
	}
	o.held, o.ends = o.held[:0], o.ends[:0]
	o.local, o.decided = local, true
}

func orientByLocal(m *TextMessage, local netip.AddrPort, e sipreqEnds) *TextMessage {
	switch {
	case !local.IsValid():
	case e.src == local:
		m.Dir, m.Local, m.Peer, m.PeerHost = DirSent, e.src, e.dst, e.dstHost
	case e.dst == local:
		m.Dir, m.Local, m.Peer, m.PeerHost = DirReceived, e.dst, e.src, e.srcHost
	}
	return m
}
