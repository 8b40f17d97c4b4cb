package capture

import "bytes"

// Applications built on PJSIP (pjsua, PJSUA2 softphones, Avaya J/B-series
// phones), TEXT-FORMATS.md §12. pjsip_endpt logs each message as
//
//	07:26:02.267   pjsua_core.c  .RX 427 bytes Response msg 100/INVITE/cseq=28371 (rdata0x55abb63e48) from TCP 192.168.1.4:5060:
//	SIP/2.0 100 Trying
//	...
//	--end msg--
//
// The leading dots are pj_log indentation. Apps may print their own
// "[2024-01-26 22:44:31.737] " stamp instead of pj_log's time; phones send
// it through syslog with the same "proc[pid]: pjsip: " prefix on every line,
// which is stripped.

func init() {
	registerTextFormat(&TextFormat{
		Name:     "pjsua",
		Title:    "PJSIP application log (pjsua, PJSUA2 apps, Avaya phones)",
		Detect:   detectPJSUA,
		New:      func() TextIngester { return &pjsuaIngester{} },
		Priority: 9,
	})
}

func detectPJSUA(sample [][]byte) int {
	for _, l := range sample {
		if bytes.Contains(l, []byte(" bytes Re")) {
			if _, ok := parsePJSUAEnvelope(l); ok {
				return 100
			}
		}
	}
	return 0
}

// pjsuaEnvelope is what an envelope line says; start is where its
// "RX"/"TX" (and the pj_log indent dots before it) begins.
type pjsuaEnvelope struct {
	start       int
	rx          bool
	size, proto []byte
	host, port  []byte
}

// parsePJSUAEnvelope reads an envelope line by hand; the pattern it
// follows is pjsuaEnvelopeRE in the tests (TEXT-FORMATS.md §12).
func parsePJSUAEnvelope(line []byte) (pjsuaEnvelope, bool) {
	var e pjsuaEnvelope
	i := bytes.Index(line, []byte(" bytes Re"))
	k := i
	for k > 0 && line[k-1] >= '0' && line[k-1] <= '9' {
		k--
	}
	if i < 0 || k == i || k < 3 || line[k-1] != ' ' || line[k-2] != 'X' || (line[k-3] != 'R' && line[k-3] != 'T') {
		return e, false
	}
	e.rx, e.size = line[k-3] == 'R', line[k:i]
	e.start = k - 3
	for e.start > 0 && line[e.start-1] == '.' {
		e.start--
	}
	c := slCursor{line[i+7:]}
	if !c.lit("Request msg ") && !c.lit("Response msg ") {
		return e, false
	}
	j := 0
	for j < len(c.b) && c.b[j] != ' ' && c.b[j] != '\t' {
		j++
	}
	c.b = c.b[j:]
	if j == 0 || !c.lit(" (") || !c.lit("rdata") && !c.lit("tdta") {
		return e, false
	}
	for len(c.b) > 0 && (c.b[0] >= '0' && c.b[0] <= '9' || c.b[0] >= 'a' && c.b[0] <= 'f' || c.b[0] >= 'A' && c.b[0] <= 'F' || c.b[0] == 'x') {
		c.b = c.b[1:]
	}
	if !c.lit(") ") || !c.lit("from ") && !c.lit("to ") {
		return e, false
	}
	if e.proto = c.word(); len(e.proto) == 0 || !c.lit(" ") {
		return e, false
	}
	var ok bool
	if e.host, e.port, ok = c.hostPort(); !ok || !c.lit(":") || !c.end() {
		return e, false
	}
	return e, true
}

type pjsuaIngester struct {
	msg     slMessage
	orphans slOrphans
	// marker is the syslog tag that starts every line of a message sent
	// through syslog ("]: pjsip: "); lines are taken after it.
	marker []byte
}

func (p *pjsuaIngester) Line(n int, line []byte, out TextSink) {
	if len(line) > 40 && bytes.Contains(line, []byte(" bytes Re")) {
		if e, ok := parsePJSUAEnvelope(line); ok {
			p.msg.end(out, "pjsip")
			p.orphans.stop(out)
			p.begin(n, line, e)
			return
		}
	}
	if len(p.marker) > 0 {
		i := bytes.Index(line, p.marker)
		if i < 0 {
			if p.msg.open {
				p.msg.end(out, "pjsip") // another program's syslog line
			}
			return
		}
		line = line[i+len(p.marker):]
	}
	junk := pjsuaLogLine(line)
	if !p.msg.open {
		p.orphans.line(n, line, junk, out)
		return
	}
	if junk {
		p.msg.end(out, "pjsip")
		return
	}
	p.msg.add(n, line)
}

func (p *pjsuaIngester) End(out TextSink) {
	p.msg.end(out, "pjsip")
	p.orphans.stop(out)
}

func (p *pjsuaIngester) begin(n int, line []byte, e pjsuaEnvelope) {
	var m TextMessage
	if e.rx {
		m.Dir = DirReceived
	} else {
		m.Dir = DirSent
	}
	m.Transport = transportNamed(e.proto)
	m.Peer, m.PeerHost = slAddr(string(e.host), string(e.port))
	pre := line[:e.start]
	p.marker = nil
	if len(pre) > 0 && pre[0] == '[' {
		if st, _, ok := slDateTime(pre[1:]); ok {
			m.Stamp = st
		}
	} else {
		// pj_log's "hh:mm:ss.mmm" is the first clock in the prefix; what
		// comes before it is a syslog prefix.
		for i := 0; i+12 <= len(pre); i++ {
			if pre[i] < '0' || pre[i] > '2' || (i > 0 && pre[i-1] != ' ') {
				continue
			}
			if tod, prec, k, ok := slClock(pre[i:]); ok && k > 8 && i+k < len(pre) && pre[i+k] == ' ' {
				m.Stamp = slTimeOfDay(tod, prec)
				if j := bytes.LastIndex(pre[:i], []byte("]: ")); j >= 0 {
					p.marker = append([]byte(nil), slTrimSpace(pre[j:i])...)
					p.marker = append(p.marker, ' ')
				}
				break
			}
		}
	}
	p.msg.begin(n, m, slAtoi(e.size))
}

// pjsuaLogLine: "--end msg--", a pj_log line ("07:26:02.299   capdbuf ..."),
// an app's "[...]" line: none is a line of a SIP message.
func pjsuaLogLine(line []byte) bool {
	if len(line) == 0 {
		return false
	}
	if line[0] == '[' || bytes.HasPrefix(line, []byte("--end msg--")) {
		return true
	}
	_, _, k, ok := slClock(line)
	return ok && k < len(line) && line[k] == ' '
}
