package capture

import (
	"bytes"
	"net/netip"
	"strconv"
	"time"
)

// Cisco Expressway / VCS `network.sip` DEBUG logs, TEXT-FORMATS.md §8:
//
//	2016-04-19T17:09:13+10:00 expc tvcs: UTCTime="2016-04-19 07:09:13,982" Module="network.sip" Level="DEBUG":  Action="Sent"  Local-ip="10.0.30.2"  Local-port="27901"  Dst-ip="64.100.0.10"  Dst-port="7003"  Msg-Hash="1"
//	 SIPMSG:
//	 |SIP/2.0 408 Request Timeout
//	 Via: SIP/2.0/TLS 64.100.0.10:7003;...
//	  |
//
// Message lines carry one leading space, the first ` |`; a line `  |`
// (or the next log line) ends the message. Level="INFO" lines summarise
// the same messages and are skipped.

func init() {
	registerTextFormat(&TextFormat{
		Name:     "cisco-expressway",
		Title:    "Cisco Expressway/VCS network.sip log",
		Detect:   detectExpressway,
		New:      func() TextIngester { return &expresswayIngester{} },
		Priority: 6,
	})
}

var (
	expModule = []byte(`Module="network.sip"`)
	expSIPMSG = []byte("SIPMSG:")
	expDebug  = []byte(`Level="DEBUG"`)
)

func detectExpressway(sample [][]byte) int {
	module, msg := false, false
	for _, l := range sample {
		module = module || bytes.Contains(l, expModule)
		msg = msg || bytes.Equal(bytes.TrimSpace(l), expSIPMSG)
	}
	switch {
	case module && msg:
		return 100
	case module:
		return 60
	}
	return 0
}

type expresswayIngester struct {
	state ccsipState // ccsipIdle, ccsipAfterTag (DEBUG line, message next) or ccsipInMsg
	env   ccsipEnvelope
	text  ciscoText
	// indent of a paste indented as a whole (ciscoDedent)
	indent int
}

func (x *expresswayIngester) Line(n int, l []byte, out TextSink) {
	l = ciscoDedent(l, &x.indent, func(t []byte) bool { return bytes.Contains(t, expModule) })
	if len(l) > 0 && l[0] != ' ' && l[0] != '\t' {
		// a log line: it ends the message in progress
		x.finish(out)
		if bytes.Contains(l, expModule) && bytes.Contains(l, expDebug) {
			x.envelope(n, l)
		} else if ciscoIsStartLine(l) {
			// a message pasted without its log line or its prefixes
			x.env = ccsipEnvelope{line: n}
			x.open(n, l)
		}
		return
	}
	t := ciscoTrimLeft(l)
	switch x.state {
	case ccsipAfterTag:
		switch {
		case len(t) == 0, bytes.Equal(t, expSIPMSG):
		case t[0] == '|' && len(t) > 1:
			x.open(n, t[1:])
		default:
			x.open(n, t)
		}
	case ccsipInMsg:
		if len(t) == 1 && t[0] == '|' {
			x.finish(out) // the closing "  |"
			return
		}
		if len(l) > 0 && l[0] == ' ' {
			l = l[1:] // the one space every message line is indented by
		}
		x.text.add(n, l)
	}
}

func (x *expresswayIngester) End(out TextSink) { x.finish(out) }

func (x *expresswayIngester) open(n int, l []byte) {
	x.text.reset()
	x.text.add(n, l)
	x.state = ccsipInMsg
}

func (x *expresswayIngester) finish(out TextSink) {
	switch x.state {
	case ccsipInMsg:
		if m := x.text.message(); m != nil {
			m.Line, m.Stamp, m.Dir = x.env.line, x.env.stamp, x.env.dir
			m.Local, m.Peer, m.Transport = x.env.local, x.env.peer, x.env.transport
			out.Emit(m)
		}
	case ccsipAfterTag:
		out.Problem(x.env.line, "Expressway: a network.sip DEBUG line with no SIP message after it")
	}
	x.state = ccsipIdle
}

// envelope reads the fields of a DEBUG line. The old X7 format has no
// Action or Local-ip: only Src-ip (received) or Dst-ip (sent).
func (x *expresswayIngester) envelope(n int, l []byte) {
	x.env = ccsipEnvelope{line: n}
	src := expAddr(l, "Src-ip", "Src-port")
	dst := expAddr(l, "Dst-ip", "Dst-port")
	switch string(expField(l, "Action")) {
	case "Sent":
		x.env.dir = DirSent
	case "Received":
		x.env.dir = DirReceived
	default:
		switch {
		case src.IsValid() && !dst.IsValid():
			x.env.dir = DirReceived
		case dst.IsValid() && !src.IsValid():
			x.env.dir = DirSent
		}
	}
	switch x.env.dir {
	case DirSent:
		x.env.peer = dst
	case DirReceived:
		x.env.peer = src
	}
	x.env.local = expAddr(l, "Local-ip", "Local-port")
	if p := expField(l, "Protocol"); p != nil {
		x.env.transport = transportNamed(p)
	}
	// UTCTime is UTC; the syslog stamp in front is local time
	if u := expField(l, "UTCTime"); u != nil {
		if t, err := time.Parse("2006-01-02 15:04:05,000", string(u)); err == nil {
			x.env.stamp = TextStamp{Time: t, Precision: time.Millisecond}
		} else if t, err := time.Parse("2006-01-02 15:04:05", string(u)); err == nil {
			x.env.stamp = TextStamp{Time: t, Precision: time.Second}
		}
	}
	if x.env.stamp.Time.IsZero() {
		if sp := bytes.IndexByte(l, ' '); sp > 0 {
			if t, err := time.Parse(time.RFC3339Nano, string(l[:sp])); err == nil {
				x.env.stamp = TextStamp{Time: t, Precision: time.Second}
			}
		}
	}
	x.state = ccsipAfterTag
}

// expField returns the value of Key="value" in l, nil when absent.
func expField(l []byte, key string) []byte {
	for i := 0; i < len(l); {
		k := bytes.Index(l[i:], []byte(key+`="`))
		if k < 0 {
			return nil
		}
		k += i
		if k == 0 || l[k-1] == ' ' || l[k-1] == ':' {
			v := l[k+len(key)+2:]
			if e := bytes.IndexByte(v, '"'); e >= 0 {
				return v[:e]
			}
			return nil
		}
		i = k + 1
	}
	return nil
}

func expAddr(l []byte, ipKey, portKey string) netip.AddrPort {
	a, err := netip.ParseAddr(string(expField(l, ipKey)))
	if err != nil {
		return netip.AddrPort{}
	}
	p, err := strconv.ParseUint(string(expField(l, portKey)), 10, 16)
	if err != nil {
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(a.Unmap(), uint16(p))
}
