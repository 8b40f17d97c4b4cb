package capture

import (
	"bytes"
	"net/netip"
	"strings"
	"time"
)

// ngrep output (TEXT-FORMATS.md §7), what Kamailio and OpenSIPS users paste:
//
//	interface: eth0 (10.0.0.0/255.255.255.0)
//	#
//	U 2013/07/19 22:17:34.920749 10.0.0.1:5060 -> 66.151.32.200:5060 #1
//	REGISTER sip:example.org SIP/2.0.
//	Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1.
//	.
//
// The header is protocol (U=UDP, T=TCP, I=ICMP), an optional absolute
// (-t) or delta (-T, "+S.UUUUUU") time, src -> dst, TCP flags ("[AP]") and
// the match number ("#12", newer versions). Then, depending on -W:
//   - byline: the payload line by line; ngrep prints non-printable bytes
//     as '.', so every CR shows as a trailing '.' and the blank line
//     between headers and body as a lone '.';
//   - single: the payload on the header line itself, CRLF as "..";
//   - normal (the default): the payload in 2-space indented chunks of a
//     fixed width, CRLF as "..".
//
// Packets are separated by '#' lines (one per packet read, matched or
// not) or, in pastes, by blank lines.

func init() {
	registerTextFormat(&TextFormat{
		Name:     "ngrep",
		Title:    "ngrep (-W byline, single or normal)",
		Detect:   detectNgrep,
		New:      func() TextIngester { return &ngrepIngester{} },
		Priority: 11,
	})
}

func detectNgrep(sample [][]byte) int {
	headers, dotted := 0, 0
	for _, l := range sample {
		if _, ok := parseNgrepHeader(l); ok {
			headers++
			continue
		}
		if len(l) > 1 && l[len(l)-1] == '.' && (bytes.HasSuffix(l, []byte("SIP/2.0.")) || bytes.HasPrefix(l, []byte("SIP/2.0 ")) || bytes.HasPrefix(l, []byte("  ")) && bytes.Contains(l, []byte(".."))) {
			dotted++
		}
	}
	switch {
	case headers > 0 && dotted > 0:
		return 100
	case headers > 0:
		return 60
	}
	return 0
}

// ngrepHeader is a packet header line.
type ngrepHeader struct {
	transport Transport
	stamp     string // "2013/07/19 22:17:34.920749", "+0.000721" or ""
	src, dst  string
	rest      string // payload on the header line (-W single)
	icmp      bool   // an ICMP packet: its payload is no SIP message
}

// parseNgrepHeader reads "U [time] src:port -> dst:port [flags] [#n] [payload]".
func parseNgrepHeader(line []byte) (ngrepHeader, bool) {
	var h ngrepHeader
	if len(line) < 8 || line[1] != ' ' {
		return h, false
	}
	switch line[0] {
	case 'U':
		h.transport = UDP
	case 'T':
		h.transport = TCP
	case 'I':
		h.transport = TransportUnknown
		h.icmp = true
	default:
		return h, false
	}
	arrow := bytes.Index(line, []byte(" -> "))
	if arrow < 3 {
		return h, false
	}
	if h.icmp {
		// "I 10.0.0.2 -> 10.0.0.1 3:3": addresses without ports, then
		// the ICMP type and code.
		return h, true
	}
	before := strings.Fields(string(line[2:arrow]))
	switch len(before) {
	case 1:
	case 2: // "+0.000721"
		h.stamp = before[0]
	case 3: // "2013/07/19 22:17:34.920749"
		h.stamp = before[0] + " " + before[1]
	default:
		return h, false
	}
	h.src = before[len(before)-1]
	if !ngrepHostPort(h.src) {
		return h, false
	}
	after := string(line[arrow+4:])
	dst, rest, _ := strings.Cut(after, " ")
	if !ngrepHostPort(dst) {
		return h, false
	}
	h.dst = dst
	// Flags and match number, then the payload of -W single.
	for {
		rest = strings.TrimLeft(rest, " ")
		switch {
		case strings.HasPrefix(rest, "["):
			i := strings.IndexByte(rest, ']')
			if i < 0 {
				return h, false
			}
			rest = rest[i+1:]
			continue
		case strings.HasPrefix(rest, "#"):
			i := 1
			for i < len(rest) && ntIsDigit(rest[i]) {
				i++
			}
			if i > 1 {
				rest = rest[i:]
				continue
			}
		}
		break
	}
	h.rest = rest
	return h, true
}

// ngrepHostPort accepts "host:port" where host is anything without blanks
// (an IP, or a placeholder such as "UA_ipaddr" in a sanitised paste).
func ngrepHostPort(s string) bool {
	i := strings.LastIndexByte(s, ':')
	if i <= 0 || i == len(s)-1 {
		return false
	}
	for j := i + 1; j < len(s); j++ {
		if !ntIsDigit(s[j]) {
			return false
		}
	}
	return true
}

// ntAddrPort reads "ip:port" or "[v6]:port" (ngrep prints v6 bare:
// "2001:db8::1:5060", the last colon being the port's).
func ntAddrPort(s string) (netip.AddrPort, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap, true
	}
	i := strings.LastIndexByte(s, ':')
	if i <= 0 {
		return netip.AddrPort{}, false
	}
	a, err := netip.ParseAddr(s[:i])
	if err != nil {
		return netip.AddrPort{}, false
	}
	port := 0
	for j := i + 1; j < len(s); j++ {
		if !ntIsDigit(s[j]) {
			return netip.AddrPort{}, false
		}
		port = port*10 + int(s[j]-'0')
		if port > 65535 {
			return netip.AddrPort{}, false
		}
	}
	return netip.AddrPortFrom(a, uint16(port)), true
}

type ngrepIngester struct {
	block     ntBlock
	mode      ngrepMode
	cr        bool   // byline: the start line showed a CR as '.'
	chunks    []byte // normal mode: the payload chunks joined
	chunkAt   int
	relative  time.Duration // -T: sum of the deltas so far
	prevBlank bool
}

type ngrepMode uint8

const (
	ngrepNone   ngrepMode = iota // between packets
	ngrepByline                  // -W byline
	ngrepNormal                  // default: indented chunks
)

func (g *ngrepIngester) Line(n int, line []byte, out TextSink) {
	if h, ok := parseNgrepHeader(line); ok {
		g.finish(out)
		g.start(n, h, out)
		return
	}
	if len(line) > 0 && line[0] == '#' {
		// One '#' per packet read, matched or not, then "exit" on the
		// same line when the input ends.
		if r := bytes.TrimLeft(line, "#"); len(r) == 0 || string(r) == "exit" {
			g.finish(out)
			return
		}
	}
	blank := len(bytes.TrimSpace(line)) == 0
	prevBlank := g.prevBlank
	g.prevBlank = blank
	if (prevBlank || g.mode == ngrepNormal) && string(line) == "exit" {
		g.finish(out) // ngrep's last words when the input ends
		return
	}
	switch g.mode {
	case ngrepNone:
		return // "interface:", "filter:", "match:" lines, prose
	case ngrepNormal:
		if bytes.HasPrefix(line, []byte("  ")) {
			if len(g.chunks) == 0 {
				g.chunkAt = n
			}
			g.chunks = append(g.chunks, line[2:]...)
			return
		}
		if len(bytes.TrimSpace(line)) == 0 {
			g.finish(out)
			return
		}
		// A payload line without the indent: treat the packet as byline.
		g.mode = ngrepByline
		if len(g.chunks) > 0 {
			g.splitDots(g.chunkAt, g.chunks)
			g.chunks = g.chunks[:0]
		}
		fallthrough
	case ngrepByline:
		if g.block.empty() {
			return
		}
		if len(g.block.lines) == 0 {
			if len(bytes.TrimSpace(line)) == 0 {
				return
			}
			t := bytes.TrimSpace(line)
			g.cr = len(t) > 0 && t[len(t)-1] == '.' && ntIsStartLine(t[:len(t)-1])
		}
		if g.cr && len(line) > 0 && line[len(line)-1] == '.' {
			line = line[:len(line)-1]
		}
		g.block.add(n, line)
	}
}

func (g *ngrepIngester) End(out TextSink) { g.finish(out) }

func (g *ngrepIngester) start(n int, h ngrepHeader, out TextSink) {
	if h.icmp {
		// An ICMP error quoting a SIP packet shows the IP and UDP headers
		// as dots and bytes: nothing to read as a message.
		g.mode = ngrepNone
		return
	}
	m := &TextMessage{Line: n, Transport: h.transport, Dir: DirSent}
	// ngrep shows src -> dst, not which side is the box it ran on: the
	// message is "sent by Local to Peer" in the literal sense, which
	// is all the conversion to a Datagram needs.
	src, okS := ntAddrPort(h.src)
	dst, okD := ntAddrPort(h.dst)
	switch {
	case okS && okD:
		m.Local, m.Peer = src, dst
	default:
		m.Dir = DirUnknown
		m.PeerHost = h.src + " -> " + h.dst
	}
	m.Stamp = g.stamp(h.stamp)
	g.block.begin(m)
	g.chunks = g.chunks[:0]
	switch {
	case h.rest != "":
		// -W single: the whole payload is on this line.
		g.splitDots(n, []byte(h.rest))
		g.mode = ngrepByline
		g.finish(out)
	default:
		g.mode = ngrepNormal // becomes byline at the first unindented line
	}
}

// finish emits the packet in progress.
func (g *ngrepIngester) finish(out TextSink) {
	if g.mode == ngrepNormal && len(g.chunks) > 0 {
		// The last chunk is padded with blanks to the chunk width.
		g.splitDots(g.chunkAt, bytes.TrimRight(g.chunks, " "))
		g.chunks = g.chunks[:0]
	}
	g.block.flush(out)
	g.mode = ngrepNone
}

// splitDots cuts a payload printed with CRLF as ".." into lines. A run
// of k dots is k/2 line ends, plus a literal '.' ending the text when k is
// odd (a header value may end in '.'); "...." is a line end and an empty
// line (the blank line before the body). All lines get the line number
// where the payload starts.
func (g *ngrepIngester) splitDots(n int, p []byte) {
	for len(p) > 0 {
		i := bytes.Index(p, []byte(".."))
		if i < 0 {
			g.block.add(n, p)
			return
		}
		j := i
		for j < len(p) && p[j] == '.' {
			j++
		}
		k := j - i
		lit := k % 2
		g.block.add(n, p[:i+lit])
		for e := 1; e < (k-lit)/2; e++ {
			g.block.add(n, nil)
		}
		p = p[j:]
	}
}

// stamp reads "2013/07/19 22:17:34.920749" (-t, local time of the box
// ngrep ran on) or "+0.000721" (-T, delta since the previous match).
func (g *ngrepIngester) stamp(s string) TextStamp {
	switch {
	case s == "":
		return TextStamp{}
	case s[0] == '+':
		d, ok := ntSeconds(s[1:])
		if !ok {
			return TextStamp{}
		}
		// The first delta of a run is often garbage (ngrep subtracts
		// from an unset time, printing some 4294962939 s): it only
		// shifts the origin of the relative timeline, so drop it.
		if d < 100_000_000*time.Second {
			g.relative += d
		}
		return TextStamp{Time: tsharkEpoch.Add(g.relative), NoDate: true, Precision: time.Microsecond}
	}
	t, err := time.Parse("2006/01/02 15:04:05.999999", s)
	if err != nil {
		return TextStamp{}
	}
	return TextStamp{Time: t, Precision: ntFracPrecision(s)}
}
