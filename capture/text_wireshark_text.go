package capture

import (
	"bytes"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Wireshark "Export Packet Dissections → As Plain Text" and `tshark -V`
// (TEXT-FORMATS.md §6b): a dissection tree per frame,
//
//	Frame 1430: 793 bytes on wire (6344 bits), 793 bytes captured (6344 bits)
//	    Arrival Time: Jan 31, 2020 12:22:04.123456789 UTC
//	Internet Protocol Version 4, Src: 10.213.0.154, Dst: 10.255.150.110
//	User Datagram Protocol, Src Port: 52210, Dst Port: 5060
//	Session Initiation Protocol (REGISTER)
//	    Request-Line: REGISTER sip:10.255.150.110;transport=UDP SIP/2.0
//	        Method: REGISTER
//	    Message Header
//	        Via: SIP/2.0/UDP 10.213.0.154:52210;branch=z9hG4bK-524287-1
//	            Transport: UDP
//	    Message Body
//	        Session Description Protocol
//	            Session Description Protocol Version (v): 0
//
// The SIP lines are the Request-Line/Status-Line at 4 spaces and the
// headers at 8 under "Message Header"; deeper lines are the dissector's
// sub-fields and "[...]" lines are its own inventions, both skipped. An
// expanded SDP body prints each line as "Name (x): value", read back as
// "x=value". With the SIP preference "Display raw text" a second section
// "Session Initiation Protocol (SIP as raw text)" repeats the message
// verbatim, each line ending in a literal "\r\n": it is preferred when
// present. A collapsed Message Body is simply absent (the framework sees
// the Content-Length cut).
//
// Addresses come from the innermost IP and transport lines of the frame,
// the time from "Arrival Time" when the frame line was expanded. A frame
// may hold several SIP PDUs (TCP): each is a message.
//
// The same format reads `tshark -q -z follow,udp|tcp,ascii,N` (§6c):
//
//	===================================================================
//	Follow: udp,ascii
//	Filter: udp.stream eq 0
//	Node 0: 127.0.0.13:5060
//	Node 1: 127.0.0.1:5060
//	372
//	REGISTER sip:sip.example.net SIP/2.0
//	...
//		448
//	SIP/2.0 401 Unauthorized
//
// Each chunk is its length on a line, TAB-indented when Node 1 sent it,
// then the payload (CRLF kept, other unprintable bytes as '.') and an
// empty line. There are no times. A message starts at a SIP start line;
// a chunk that does not start with one continues the previous message of
// the same node (a TCP segment). Wireshark's GUI "Follow Stream" saved
// as ASCII has none of this envelope and reads as bare SIP.

func init() {
	registerTextFormat(&TextFormat{
		Name:     "wireshark-text",
		Title:    "Wireshark dissections as plain text (tshark -V / -O) and tshark follow streams",
		Detect:   detectWiresharkText,
		New:      func() TextIngester { return &wiresharkTextIngester{} },
		Priority: 12,
	})
}

func detectWiresharkText(sample [][]byte) int {
	frames, sip := 0, 0
	for _, l := range sample {
		switch {
		case bytes.HasPrefix(l, []byte("Follow: udp,ascii")) || bytes.HasPrefix(l, []byte("Follow: tcp,ascii")):
			return 100
		case bytes.HasPrefix(l, []byte("Frame ")) && bytes.Contains(l, []byte(" bytes on wire")):
			frames++
		case bytes.HasPrefix(l, []byte("Session Initiation Protocol")):
			sip++
		}
	}
	switch {
	case frames > 0 && sip > 0:
		return 100
	case frames > 0 || sip > 0:
		return 70
	}
	return 0
}

type wiresharkTextIngester struct {
	// The frame in progress.
	frameLine int
	src, dst  netip.Addr
	sport     uint16
	dport     uint16
	transport Transport
	stamp     TextStamp
	frameNo   int64
	section   wsSection // where in the SIP tree we are
	block     ntBlock   // the SIP PDU in progress
	pending   ntBlock   // a dissected PDU waiting for a raw-text copy
	sdpIndent int       // indent of the SDP field lines

	follow *wsFollow // inside a "Follow:" section
}

// wsFollow is the state of a tshark follow section.
type wsFollow struct {
	nodes     [2]string
	node      int  // who sent the chunk being read; -1 skips the section
	inChunk   bool // a length line was read
	prevBlank bool
	transport Transport
}

type wsSection uint8

const (
	wsOutside wsSection = iota
	wsSIP               // under "Session Initiation Protocol"
	wsHeaders           // under "Message Header"
	wsBody              // under "Message Body"
	wsRaw               // under "Session Initiation Protocol (SIP as raw text)"
)

func (g *wiresharkTextIngester) Line(n int, line []byte, out TextSink) {
	if g.follow != nil {
		if g.followLine(n, line, out) {
			return
		}
	} else if bytes.HasPrefix(line, []byte("Follow: ")) {
		g.endPDU(out)
		g.flushPending(out)
		g.startFollow(n, line, out)
		return
	}
	indent := 0
	for indent < len(line) && line[indent] == ' ' {
		indent++
	}
	text := line[indent:]
	if indent == 0 && len(text) > 0 {
		g.topLevel(n, text, out)
		return
	}
	switch g.section {
	case wsOutside:
		if g.frameLine != 0 && bytes.HasPrefix(text, []byte("Arrival Time: ")) {
			g.stamp = wsArrival(string(text[len("Arrival Time: "):]))
		}
	case wsRaw:
		if len(text) == 0 {
			return
		}
		l := bytes.TrimSuffix(text, []byte(`\r\n`))
		if len(g.block.lines) == 0 && !ntIsStartLine(l) {
			return
		}
		g.block.add(n, l)
	case wsSIP, wsHeaders, wsBody:
		g.sipLine(n, indent, text)
	}
}

// topLevel handles a line at column 0: a new frame, a protocol layer, the
// packet-list row printed above each frame.
func (g *wiresharkTextIngester) topLevel(n int, text []byte, out TextSink) {
	switch {
	case bytes.HasPrefix(text, []byte("Frame ")) && bytes.Contains(text, []byte(" bytes on wire")):
		g.endPDU(out)
		g.flushPending(out)
		g.frameLine, g.frameNo, g.stamp = n, 0, TextStamp{}
		g.src, g.dst, g.sport, g.dport, g.transport = netip.Addr{}, netip.Addr{}, 0, 0, TransportUnknown
		if no, _, ok := strings.Cut(string(text[len("Frame "):]), ":"); ok {
			g.frameNo, _ = strconv.ParseInt(no, 10, 64)
		}
	case bytes.HasPrefix(text, []byte("Internet Protocol")) && bytes.Contains(text, []byte("Src: ")):
		g.endPDU(out)
		g.src, g.dst = wsIPs(string(text))
	case bytes.HasPrefix(text, []byte("User Datagram Protocol,")):
		g.endPDU(out)
		g.transport = UDP
		g.sport, g.dport = wsPorts(string(text))
	case bytes.HasPrefix(text, []byte("Transmission Control Protocol,")):
		g.endPDU(out)
		g.transport = TCP
		g.sport, g.dport = wsPorts(string(text))
	case bytes.HasPrefix(text, []byte("Stream Control Transmission Protocol,")):
		g.endPDU(out)
		g.transport = SCTP
		g.sport, g.dport = wsPorts(string(text))
	case bytes.HasPrefix(text, []byte("Session Initiation Protocol (SIP as raw text)")):
		// The verbatim copy of the PDU just dissected replaces it.
		g.endPDU(out)
		g.pending.m, g.pending.text, g.pending.lines, g.pending.ends = nil, nil, nil, nil
		g.block.begin(g.message(n))
		g.section = wsRaw
	case bytes.HasPrefix(text, []byte("Session Initiation Protocol")):
		g.endPDU(out)
		g.flushPending(out)
		g.block.begin(g.message(n))
		g.section = wsSIP
	default:
		// Another layer, the packet-list row, the column titles.
		g.endPDU(out)
	}
}

// sipLine handles an indented line inside a SIP section.
func (g *wiresharkTextIngester) sipLine(n, indent int, text []byte) {
	if len(text) == 0 {
		return
	}
	if indent == 4 {
		switch {
		case bytes.HasPrefix(text, []byte("Request-Line: ")):
			g.block.add(n, text[len("Request-Line: "):])
		case bytes.HasPrefix(text, []byte("Status-Line: ")):
			g.block.add(n, text[len("Status-Line: "):])
		case bytes.Equal(text, []byte("Message Header")):
			g.section = wsHeaders
		case bytes.HasPrefix(text, []byte("Message Body")):
			if g.section == wsHeaders || g.section == wsSIP {
				g.block.add(n, nil) // the blank line before the body
			}
			g.section = wsBody
			g.sdpIndent = 0
		}
		return
	}
	if text[0] == '[' {
		return // the dissector's own fields: "[Generated Call-ID: ...]"
	}
	switch g.section {
	case wsHeaders:
		if indent == 8 {
			g.block.add(n, text)
		}
	case wsBody:
		// "Session Description Protocol Version (v): 0" -> "v=0", at the
		// indent of the first such line; sub-fields are deeper.
		name, value, ok := bytes.Cut(text, []byte("): "))
		if !ok || len(name) < 3 || name[len(name)-2] != '(' {
			if len(text) > 0 && bytes.Equal(text, []byte("Session Description Protocol")) {
				g.sdpIndent = 0
			}
			return
		}
		if g.sdpIndent == 0 {
			g.sdpIndent = indent
		}
		if indent != g.sdpIndent {
			return
		}
		l := append([]byte{name[len(name)-1], '='}, value...)
		g.block.add(n, l)
	}
}

// message starts the envelope of a SIP PDU of the current frame.
func (g *wiresharkTextIngester) message(n int) *TextMessage {
	m := &TextMessage{Line: n, Stamp: g.stamp, Seq: g.frameNo, Transport: g.transport}
	if g.frameLine != 0 {
		m.Line = g.frameLine
	}
	if g.src.IsValid() && g.dst.IsValid() {
		// The capture point is not a party: "sent by Local to Peer" in
		// the literal sense, as for ngrep.
		m.Dir = DirSent
		m.Local = netip.AddrPortFrom(g.src, g.sport)
		m.Peer = netip.AddrPortFrom(g.dst, g.dport)
	}
	return m
}

// endPDU closes the SIP section in progress: a dissected PDU waits for a
// raw-text copy that may follow; a raw one is final.
func (g *wiresharkTextIngester) endPDU(out TextSink) {
	switch g.section {
	case wsRaw:
		g.block.flush(out)
	case wsSIP, wsHeaders, wsBody:
		g.flushPending(out)
		g.pending, g.block = g.block, ntBlock{}
	}
	g.section = wsOutside
}

func (g *wiresharkTextIngester) flushPending(out TextSink) {
	if !g.pending.empty() {
		g.pending.flush(out)
	}
	g.pending = ntBlock{}
}

func (g *wiresharkTextIngester) End(out TextSink) {
	g.endPDU(out)
	g.flushPending(out)
}

// wsIPs reads "Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2"
// (names resolved by Wireshark print "Src: host (10.0.0.1)").
func wsIPs(s string) (src, dst netip.Addr) {
	return wsAddr(wsField(s, "Src: ")), wsAddr(wsField(s, "Dst: "))
}

func wsAddr(s string) netip.Addr {
	if i := strings.IndexByte(s, '('); i >= 0 {
		if j := strings.IndexByte(s[i:], ')'); j > 0 {
			s = s[i+1 : i+j]
		}
	}
	a, _ := netip.ParseAddr(strings.TrimSpace(s))
	return a
}

// wsPorts reads "Src Port: 5060, Dst Port: 5060" or the old
// "Src Port: sip (5060), Dst Port: sip (5060)".
func wsPorts(s string) (src, dst uint16) {
	return wsPort(wsField(s, "Src Port: ")), wsPort(wsField(s, "Dst Port: "))
}

func wsPort(s string) uint16 {
	if i := strings.IndexByte(s, '('); i >= 0 {
		s = strings.TrimSuffix(s[i+1:], ")")
	}
	p, err := strconv.ParseUint(strings.TrimSpace(s), 10, 16)
	if err != nil {
		return 0
	}
	return uint16(p)
}

// wsField returns the value after name up to the next ", ".
func wsField(s, name string) string {
	i := strings.Index(s, name)
	if i < 0 {
		return ""
	}
	v := s[i+len(name):]
	if j := strings.Index(v, ", "); j >= 0 {
		v = v[:j]
	}
	return v
}

// wsArrival reads "Nov 22, 2026 09:15:50.462385000 UTC". A zone other than
// UTC/GMT is the capturing machine's local zone, which the text does not
// pin to an offset: the wall time is kept as if UTC.
func wsArrival(s string) TextStamp {
	f := strings.Fields(s)
	if len(f) < 4 {
		return TextStamp{}
	}
	clock := f[3]
	t, err := time.Parse("Jan 2, 2006 15:04:05.999999999", f[0]+" "+f[1]+" "+f[2]+" "+clock)
	if err != nil {
		return TextStamp{}
	}
	return TextStamp{Time: t, Precision: ntFracPrecision(clock)}
}

func (g *wiresharkTextIngester) startFollow(n int, line []byte, out TextSink) {
	f := &wsFollow{prevBlank: true}
	switch {
	case bytes.HasPrefix(line, []byte("Follow: udp,ascii")):
		f.transport = UDP
	case bytes.HasPrefix(line, []byte("Follow: tcp,ascii")):
		f.transport = TCP
	default:
		out.Problem(n, "tshark follow output other than ASCII ("+ntClip(string(line))+"): not read")
		f.node = -1
	}
	g.follow = f
}

// followLine reads one line of a follow section; false when the line ends
// the section and must be read as dissection text.
func (g *wiresharkTextIngester) followLine(n int, line []byte, out TextSink) bool {
	f := g.follow
	blank := len(bytes.TrimSpace(line)) == 0
	prevBlank := f.prevBlank
	f.prevBlank = blank
	switch {
	case len(line) >= 20 && len(bytes.Trim(line, "=")) == 0:
		if f.inChunk || f.node < 0 {
			// The closing separator.
			g.block.flush(out)
			g.follow = nil
		}
		return true
	case bytes.HasPrefix(line, []byte("Frame ")) && bytes.Contains(line, []byte(" bytes on wire")):
		g.block.flush(out)
		g.follow = nil
		return false
	case f.node < 0:
		return true
	case !f.inChunk && bytes.HasPrefix(line, []byte("Filter: ")):
		return true
	case !f.inChunk && bytes.HasPrefix(line, []byte("Node 0: ")):
		f.nodes[0] = string(line[len("Node 0: "):])
		return true
	case !f.inChunk && bytes.HasPrefix(line, []byte("Node 1: ")):
		f.nodes[1] = string(line[len("Node 1: "):])
		return true
	}
	// A length line: digits, TAB-indented for Node 1, first or after the
	// empty line that ends the previous chunk.
	if prevBlank || !f.inChunk {
		if node, ok := wsChunkLength(line); ok {
			if f.inChunk && node != f.node {
				g.block.flush(out) // the other side speaks: the message is over
			}
			f.node, f.inChunk = node, true
			return true
		}
	}
	if !f.inChunk {
		return true
	}
	if ntIsStartLine(bytes.TrimSpace(line)) {
		g.block.flush(out)
		g.block.begin(g.followMessage(n))
	}
	if g.block.empty() {
		if !blank {
			out.Problem(n, "stream data that does not start with a SIP start line: not read")
		}
		return true
	}
	g.block.add(n, line)
	return true
}

// wsChunkLength reads a follow chunk's length line: "372" from Node 0,
// "\t448" from Node 1.
func wsChunkLength(line []byte) (node int, ok bool) {
	if len(line) > 0 && line[0] == '\t' {
		node, line = 1, line[1:]
	}
	if len(line) == 0 || len(line) > 9 {
		return 0, false
	}
	for _, c := range line {
		if !ntIsDigit(c) {
			return 0, false
		}
	}
	return node, true
}

func (g *wiresharkTextIngester) followMessage(n int) *TextMessage {
	f := g.follow
	m := &TextMessage{Line: n, Transport: f.transport}
	src, okS := ntAddrPort(f.nodes[f.node])
	dst, okD := ntAddrPort(f.nodes[1-f.node])
	if okS && okD {
		// Node 0 and 1 are the two ends, not the capturing box: "sent by
		// Local to Peer" in the literal sense.
		m.Dir, m.Local, m.Peer = DirSent, src, dst
	}
	return m
}
