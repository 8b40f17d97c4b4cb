package capture

import "bytes"

// Asterisk chan_sip debug (`sip set debug on`, Asterisk ≤ 20), TEXT-FORMATS.md §3:
//
//	<--- SIP read from UDP:10.253.253.5:5060 --->      ... <------------->
//	<--- Transmitting (no NAT) to 10.253.253.5:5060 ---> ... <------------>
//	Reliably Transmitting (NAT) to 107.6.123.181:5060:   ... ---
//	Retransmitting #1 (NAT) to 107.6.123.181:5060:       ... ---
//
// The message lies between the envelope and its end marker (each printed
// by one ast_verbose call, so nothing is interleaved inside). Console
// timestamps ("[Mar 30 13:35:51] " on every line) are stripped and kept.
// Empty reads and CRLF/"jaK" reads are NAT keepalives, not messages.

func init() {
	registerTextFormat(&TextFormat{
		Name:     "asterisk-chansip",
		Title:    "Asterisk chan_sip debug (sip set debug on)",
		Detect:   detectAsteriskChanSIP,
		New:      func() TextIngester { return &asteriskChanSIPIngester{} },
		Priority: 4,
	})
}

func detectAsteriskChanSIP(sample [][]byte) int {
	for _, l := range sample {
		if bytes.Contains(l, []byte("<--- SIP read from ")) {
			return 100
		}
		if bytes.Contains(l, []byte("ransmitting ")) {
			s := chanSIPStrip(l)
			if _, _, ok := parseChanSIPEnvelope(s, s); ok {
				return 100
			}
		}
	}
	return 0
}

type asteriskChanSIPIngester struct {
	msg     slMessage
	orphans slOrphans
	// arrow: the open message came after a "<--- ... --->" envelope and
	// ends at a "<------------>" marker; otherwise (1.8+ "...:" envelopes)
	// at a "---" line.
	arrow bool
}

// chanSIPStrip removes a console timestamp "[Mar 30 13:35:51] " from the
// start of a line, unless it begins a logger line ("[..] NOTICE[..]").
func chanSIPStrip(line []byte) []byte {
	if len(line) == 0 || line[0] != '[' || asteriskLogLine(line) {
		return line
	}
	end := bytes.IndexByte(line, ']')
	if end < 0 || end+1 >= len(line) || line[end+1] != ' ' {
		return line
	}
	if st, ok := asteriskLogStamp(line[:end+1]); !ok || st.Time.IsZero() {
		return line
	}
	return line[end+2:]
}

func (a *asteriskChanSIPIngester) Line(n int, line []byte, out TextSink) {
	raw := line
	line = chanSIPStrip(line)
	if len(line) > 12 && (line[0] == '<' || bytes.Contains(line, []byte("ransmitting "))) {
		if m, arrow, ok := parseChanSIPEnvelope(raw, line); ok {
			a.close(out, false)
			a.orphans.stop(out)
			a.msg.begin(n, m, 0)
			a.arrow = arrow
			return
		}
	}
	junk := asteriskConsoleLine(line) || chanSIPEndMarker(line)
	if !a.msg.open {
		a.orphans.line(n, line, junk, out)
		return
	}
	if a.arrow && chanSIPEndMarker(line) || !a.arrow && string(line) == "---" {
		a.close(out, false)
		return
	}
	if junk {
		a.close(out, true)
		return
	}
	a.msg.add(n, line)
}

func (a *asteriskChanSIPIngester) End(out TextSink) {
	a.close(out, true)
	a.orphans.stop(out)
}

// close ends the open message; cut says its end marker was not seen.
func (a *asteriskChanSIPIngester) close(out TextSink, cut bool) {
	if !a.msg.open {
		return
	}
	if a.msg.empty() || (a.msg.count == 1 && len(a.msg.text) <= 8 && !slIsStartLine(a.msg.text[:len(a.msg.text)-1])) {
		a.msg.drop() // NAT keepalive
		return
	}
	if cut {
		a.msg.msg.Truncated = true
	}
	a.msg.end(out, "chan_sip")
}

// chanSIPEndMarker: "<------------->" (read) or "<------------>" (transmit).
func chanSIPEndMarker(line []byte) bool {
	if len(line) < 7 || line[0] != '<' || line[len(line)-1] != '>' {
		return false
	}
	for _, c := range line[1 : len(line)-1] {
		if c != '-' {
			return false
		}
	}
	return true
}

// parseChanSIPEnvelope reads an envelope line by hand (raw is the line
// with its console stamp, line without); the patterns it follows are
// chanSIPReadRE and chanSIPTransmitRE in the tests (TEXT-FORMATS.md §3).
// arrow says the message ends at a "<------------>" marker.
func parseChanSIPEnvelope(raw, line []byte) (m TextMessage, arrow, ok bool) {
	if len(raw) > len(line) {
		m.Stamp, _ = asteriskLogStamp(raw[:len(raw)-len(line)])
	}
	c := slCursor{line}
	if c.lit("<--- SIP read from ") {
		m.Dir = DirReceived
		// "UDP:a:p" since 1.6, "a:p" before
		save := c
		if tp := c.word(); len(tp) > 0 && c.lit(":") {
			if host, port, ok := c.hostPort(); ok && c.lit(" --->") && c.end() {
				m.Transport = transportNamed(tp)
				m.Peer, m.PeerHost = slAddr(string(host), string(port))
				return m, true, true
			}
		}
		c = save
		host, port, ok := c.hostPort()
		if !ok || !c.lit(" --->") || !c.end() {
			return m, false, false
		}
		m.Peer, m.PeerHost = slAddr(string(host), string(port))
		return m, true, true
	}
	arrow = c.lit("<--- ")
	c.lit("Reliably ")
	c.lit("Re")
	if !c.lit("Transmitting ") && !c.lit("transmitting ") {
		return m, false, false
	}
	if c.lit("#") {
		if _, ok := c.digits(); !ok || !c.lit(" ") {
			return m, false, false
		}
	}
	if !c.lit("(no NAT) to ") && !c.lit("(NAT) to ") {
		return m, false, false
	}
	host, port, ok := c.hostPort()
	if !ok || !(c.lit(":") || c.lit(" --->")) || !c.end() {
		return m, false, false
	}
	m.Dir = DirSent
	m.Peer, m.PeerHost = slAddr(string(host), string(port))
	return m, arrow, true
}
