package capture

import "bytes"

// Asterisk PJSIP logger (`pjsip set logger on`, res_pjsip_logger.c), as a
// console paste or in /var/log/asterisk/full (TEXT-FORMATS.md §2):
//
//	<--- Received SIP request (477 bytes) from UDP:46.19.209.44:5060 --->
//	OPTIONS sip:s@31.97.210.100:5060 SIP/2.0
//	...
//
// The module prints the whole message in one ast_verbose call, so the
// message runs from the line after the envelope to the next envelope or
// the next console/log line. In a log file only the envelope line carries
// the "[date] VERBOSE[tid][C-id] res_pjsip_logger.c: " prefix.

func init() {
	registerTextFormat(&TextFormat{
		Name:     "asterisk-pjsip",
		Title:    "Asterisk PJSIP logger (pjsip set logger on)",
		Detect:   detectAsteriskPJSIP,
		New:      func() TextIngester { return &asteriskPJSIPIngester{} },
		Priority: 3,
	})
}

func detectAsteriskPJSIP(sample [][]byte) int {
	for _, l := range sample {
		if i := bytes.Index(l, []byte("<--- ")); i >= 0 {
			r := l[i+5:]
			if bytes.HasPrefix(r, []byte("Received SIP re")) || bytes.HasPrefix(r, []byte("Transmitting SIP re")) {
				return 100
			}
		}
	}
	return 0
}

type asteriskPJSIPIngester struct {
	msg     slMessage
	orphans slOrphans
}

func (a *asteriskPJSIPIngester) Line(n int, line []byte, out TextSink) {
	if bytes.Contains(line, []byte("<--- ")) {
		if m, declared, ok := parseAsteriskPJSIPEnvelope(line); ok {
			a.msg.end(out, "PJSIP logger")
			a.orphans.stop(out)
			a.msg.begin(n, m, declared)
			return
		}
	}
	junk := asteriskConsoleLine(line)
	if !a.msg.open {
		a.orphans.line(n, line, junk, out)
		return
	}
	if junk {
		a.msg.end(out, "PJSIP logger")
		return
	}
	a.msg.add(n, line)
}

func (a *asteriskPJSIPIngester) End(out TextSink) {
	a.msg.end(out, "PJSIP logger")
	a.orphans.stop(out)
}

func parseAsteriskPJSIPEnvelope(line []byte) (TextMessage, int, bool) {
	i := bytes.Index(line, []byte("<--- "))
	if i < 0 {
		return TextMessage{}, 0, false
	}
	var m TextMessage
	c := slCursor{line[i+5:]}
	switch {
	case c.lit("Received SIP "):
		m.Dir = DirReceived
	case c.lit("Transmitting SIP "):
		m.Dir = DirSent
	default:
		return TextMessage{}, 0, false
	}
	if !c.lit("request (") && !c.lit("response (") {
		return TextMessage{}, 0, false
	}
	size, ok := c.digits()
	if !ok || !c.lit(" bytes) ") || !c.lit("from ") && !c.lit("to ") {
		return TextMessage{}, 0, false
	}
	tp := c.word()
	if len(tp) == 0 || !c.lit(":") {
		return TextMessage{}, 0, false
	}
	host, port, ok := c.hostPort()
	if !ok || !c.lit(" --->") || !c.end() {
		return TextMessage{}, 0, false
	}
	if pre := slTrimSpace(line[:i]); len(pre) > 0 {
		st, ok := asteriskLogStamp(pre)
		if !ok {
			return TextMessage{}, 0, false
		}
		m.Stamp = st
	}
	m.Transport = transportNamed(tp)
	m.Peer, m.PeerHost = slAddr(string(host), string(port))
	return m, slAtoi(size), true
}

// asteriskLogStamp reads the stamp of an Asterisk log-file prefix
// "[2026-01-08 20:28:01] VERBOSE[2152][C-00000003] file.c: " (or a
// "[Dec 11 00:03:02]" date, logger.conf dateformat); ok is false when the
// prefix is not an Asterisk one. An unknown dateformat gives no stamp.
func asteriskLogStamp(pre []byte) (TextStamp, bool) {
	if len(pre) < 3 || pre[0] != '[' {
		return TextStamp{}, false
	}
	end := bytes.IndexByte(pre, ']')
	if end < 0 {
		return TextStamp{}, false
	}
	inner := pre[1:end]
	if st, _, ok := slDateTime(inner); ok {
		return st, true
	}
	if st, _, ok := slSyslogTime(inner); ok {
		return st, true
	}
	return TextStamp{}, true
}

// asteriskLogLine: "[stamp] LEVEL[tid]..." — a line of Asterisk's logger
// (NOTICE, WARNING, VERBOSE, SECURITY, ...).
func asteriskLogLine(line []byte) bool {
	if len(line) < 6 || line[0] != '[' {
		return false
	}
	end := bytes.IndexByte(line, ']')
	if end < 0 || end > 48 || end+2 >= len(line) || line[end+1] != ' ' {
		return false
	}
	r := line[end+2:]
	i := 0
	for i < len(r) && r[i] >= 'A' && r[i] <= 'Z' {
		i++
	}
	return i >= 4 && i < len(r) && r[i] == '['
}

// asteriskConsoleLine: a line Asterisk's console or logger prints around
// SIP messages: verbose markers ("    -- ", "  == ", "       > "), logger
// lines, the CLI prompt "host*CLI>".
func asteriskConsoleLine(line []byte) bool {
	if len(line) == 0 {
		return false
	}
	if line[0] == ' ' {
		r := slTrimSpace(line)
		return bytes.HasPrefix(r, []byte("-- ")) || bytes.HasPrefix(r, []byte("== ")) || bytes.HasPrefix(r, []byte("> "))
	}
	if line[0] == '[' {
		return asteriskLogLine(line)
	}
	if i := bytes.Index(line, []byte("*CLI>")); i > 0 {
		return bytes.IndexByte(line[:i], ' ') < 0
	}
	return false
}
