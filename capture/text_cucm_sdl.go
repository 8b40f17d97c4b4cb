package capture

import (
	"bytes"
	"net/netip"
	"strconv"
	"time"
)

// Cisco Unified CM SDL/SDI traces (CallManager service), TEXT-FORMATS.md
// §5. Every trace line starts
//
//	01382866.006 |12:52:49.858 |AppInfo |text
//
// and a SIP message is the text of an AppInfo line announcing it, an
// `[105066,NET]` line, then the raw message up to the next trace line:
//
//	SIPTcp - wait_SdlReadRsp: Incoming SIP TCP message from 10.106.97.135 on port 53696 index 65 with 1695 bytes:
//	SIPTcp - wait_SdlSPISignal: Outgoing SIP TCP message to 10.106.97.135 on port 53696 index 65
//	//SIP/SIPUdp/wait_SdlDataInd: Incoming SIP UDP message size 812 from 10.1.1.1:[5060]:
//	//SIP/SIPUdp/wait_SdlSPISignal: Outgoing SIP UDP message to 10.1.1.1:[5060]:
//
// The trace never prints CUCM's own address, and only the time of day
// (the date is in the file name).

func init() {
	registerTextFormat(&TextFormat{
		Name:     "cucm-sdl",
		Title:    "Cisco Unified CM SDL trace",
		Detect:   detectCUCMSDL,
		New:      func() TextIngester { return &cucmSDLIngester{} },
		Priority: 2,
	})
}

var (
	sdlIncoming = []byte("Incoming SIP ")
	sdlOutgoing = []byte("Outgoing SIP ")
)

// detectCUCMSDL: SDL trace lines announcing SIP messages; SDL lines alone
// are a weaker hint.
func detectCUCMSDL(sample [][]byte) int {
	score := 0
	for _, l := range sample {
		if _, rest, ok := parseSDLLine(l); ok {
			if bytes.Contains(rest, sdlIncoming) || bytes.Contains(rest, sdlOutgoing) {
				return 100
			}
			score = 50
		}
	}
	return score
}

// sdlPrefix is what an SDL trace line says before its text.
type sdlPrefix struct {
	seq   int64 // the SDL process sequence "01382866.006", monotonic in a file
	stamp TextStamp
}

// parseSDLLine reads `NNNNNNNN.NNN |hh:mm:ss.mmm |Category |text`; the
// column padding varies.
func parseSDLLine(l []byte) (sdlPrefix, []byte, bool) {
	var p sdlPrefix
	i := 0
	for i < len(l) && isDigitByte(l[i]) {
		i++
	}
	if i < 6 || i >= len(l) || l[i] != '.' {
		return p, nil, false
	}
	whole, _ := strconv.ParseInt(string(l[:i]), 10, 64)
	j := i + 1
	for j < len(l) && isDigitByte(l[j]) {
		j++
	}
	if j == i+1 || j-i > 4 {
		return p, nil, false
	}
	frac, _ := strconv.ParseInt(string(l[i+1:j]), 10, 64)
	p.seq = whole*1000 + frac
	k := sdlBar(l, j)
	if k < 0 {
		return p, nil, false
	}
	h, m, s, ns, prec, e, ok := ciscoClock(l, k)
	if !ok {
		return p, nil, false
	}
	k = sdlBar(l, e)
	if k < 0 {
		return p, nil, false
	}
	bar := bytes.IndexByte(l[k:], '|')
	if bar <= 0 {
		return p, nil, false
	}
	p.stamp = TextStamp{
		Time: ciscoNoDate.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
			time.Duration(s)*time.Second + time.Duration(ns)),
		NoDate: true, Precision: prec,
	}
	return p, l[k+bar+1:], true
}

// sdlBar skips spaces, one '|' and spaces from l[i:]; -1 without a bar.
func sdlBar(l []byte, i int) int {
	for i < len(l) && l[i] == ' ' {
		i++
	}
	if i >= len(l) || l[i] != '|' {
		return -1
	}
	i++
	for i < len(l) && l[i] == ' ' {
		i++
	}
	return i
}

type cucmSDLIngester struct {
	state ccsipState // ccsipIdle, ccsipAfterTag (announced, message next) or ccsipInMsg
	env   ccsipEnvelope
	host  string // PeerHost when the announced address is masked
	text  ciscoText
	// indent of a paste indented as a whole (ciscoDedent)
	indent int
}

// Line splits a line holding several SDL lines run together (a paste
// that lost its line breaks, TEXT-FORMATS.md §5 pitfalls) and reads each.
func (x *cucmSDLIngester) Line(n int, l []byte, out TextSink) {
	l = ciscoDedent(l, &x.indent, func(t []byte) bool {
		_, _, ok := parseSDLLine(t)
		return ok
	})
	for {
		cut := sdlNextPrefix(l)
		if cut < 0 {
			break
		}
		x.line(n, l[:cut], out)
		l = l[cut:]
	}
	x.line(n, l, out)
}

// sdlNextPrefix finds an SDL line prefix ("01382866.006 |12:52:49.858 |")
// after the start of l, -1 if none.
func sdlNextPrefix(l []byte) int {
	from := 1
	for from < len(l) {
		b := bytes.IndexByte(l[from:], '|')
		if b < 0 {
			return -1
		}
		b += from
		e := b
		for e > 0 && l[e-1] == ' ' {
			e--
		}
		s := e
		for s > 0 && (isDigitByte(l[s-1]) || l[s-1] == '.') {
			s--
		}
		if s > 0 && e-s >= 10 && l[e-4] == '.' && (l[s-1] == ' ' || l[s-1] == '>' || l[s-1] == ';' || isASCIILetter(l[s-1])) {
			if _, _, ok := parseSDLLine(l[s:]); ok {
				return s
			}
		}
		from = b + 1
	}
	return -1
}

func (x *cucmSDLIngester) line(n int, l []byte, out TextSink) {
	if len(l) > 0 && isDigitByte(l[0]) {
		if p, rest, ok := parseSDLLine(l); ok {
			x.finish(out)
			x.announce(n, p, rest)
			return
		}
	}
	switch x.state {
	case ccsipInMsg:
		x.text.add(n, l)
	case ccsipAfterTag:
		t := bytes.TrimSpace(l)
		if len(t) == 0 || sdlIsNetTag(t) {
			return // blank lines of double-spaced pastes, "[105066,NET]"
		}
		x.open(n, l)
	default:
		if ciscoIsStartLine(l) {
			// a message pasted without its trace line
			x.env, x.host = ccsipEnvelope{line: n}, ""
			x.open(n, l)
		}
	}
}

func (x *cucmSDLIngester) End(out TextSink) { x.finish(out) }

func (x *cucmSDLIngester) open(n int, l []byte) {
	x.text.reset()
	x.text.add(n, l)
	x.state = ccsipInMsg
}

// sdlIsNetTag matches the `[105066,NET]` line after an announcement.
func sdlIsNetTag(t []byte) bool {
	return len(t) > 5 && t[0] == '[' && bytes.HasSuffix(t, []byte(",NET]"))
}

// announce reads an SDL line: a message announcement opens an envelope.
func (x *cucmSDLIngester) announce(n int, p sdlPrefix, rest []byte) {
	var dir TextDirection
	i := bytes.Index(rest, sdlIncoming)
	if i >= 0 {
		dir = DirReceived
	} else if i = bytes.Index(rest, sdlOutgoing); i >= 0 {
		dir = DirSent
	} else {
		return
	}
	words := bytes.Fields(rest[i+len(sdlIncoming):])
	if len(words) < 2 || !equalFold(words[1], "message") {
		return
	}
	x.env = ccsipEnvelope{line: n, stamp: p.stamp, seq: p.seq, dir: dir}
	x.host = ""
	if tr := transportNamed(words[0]); tr == UDP {
		// "SIP TCP" is also printed for TLS trunks: the Via tells those apart
		x.env.transport = UDP
	}
	for k := 2; k+1 < len(words); k++ {
		if string(words[k]) != "from" && string(words[k]) != "to" {
			continue
		}
		host, port := sdlAddress(words, k+1)
		if a, err := netip.ParseAddr(host); err == nil && port > 0 {
			x.env.peer = netip.AddrPortFrom(a.Unmap(), uint16(port))
		} else if host != "" {
			x.host = host
		}
		break
	}
	x.state = ccsipAfterTag
}

// sdlAddress reads "10.1.1.1 on port 5060" or "10.1.1.1:[5060]:".
func sdlAddress(words [][]byte, k int) (string, int) {
	w := words[k]
	if b := bytes.Index(w, []byte(":[")); b >= 0 {
		e := bytes.IndexByte(w[b:], ']')
		if e < 0 {
			return string(w[:b]), 0
		}
		port, _ := strconv.Atoi(string(w[b+2 : b+e]))
		return string(w[:b]), port
	}
	host := string(bytes.TrimRight(w, ":"))
	if k+2 < len(words) && string(words[k+1]) == "on" && string(words[k+2]) == "port" && k+3 < len(words) {
		port, _ := strconv.Atoi(string(bytes.TrimRight(words[k+3], ":")))
		return host, port
	}
	return host, 0
}

func (x *cucmSDLIngester) finish(out TextSink) {
	switch x.state {
	case ccsipInMsg:
		if m := x.text.message(); m != nil {
			m.Line, m.Stamp, m.Seq, m.Dir = x.env.line, x.env.stamp, x.env.seq, x.env.dir
			m.Peer, m.PeerHost, m.Transport = x.env.peer, x.host, x.env.transport
			out.Emit(m)
		}
	case ccsipAfterTag:
		out.Problem(x.env.line, "CUCM SDL: a SIP message announced but not in the trace")
	}
	x.state = ccsipIdle
}
