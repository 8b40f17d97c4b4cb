package capture

import (
	"bytes"
	"strings"
	"time"
)

// sngrep "Save as .txt" (TEXT-FORMATS.md §7): for every message of the
// saved dialogs, save.c writes "%s %s %s -> %s\n%s\n\n": date, time,
// source and destination (host:port), then the payload as captured and a
// blank line:
//
//	2018/05/01 15:41:31.962129 10.10.1.230:11894 -> 10.177.119.205:4090
//	REGISTER sip:10.177.119.205:4090 SIP/2.0
//	Via: SIP/2.0/TCP 10.10.1.230:5060;branch=z9hG4bK2543899826
//
// The payload keeps its CRLFs (normalised away before Line), so the blank
// line between headers and body is a real blank line: a message runs to
// the next header line, and the blank lines before it are the separator.
// The transport is not printed.

func init() {
	registerTextFormat(&TextFormat{
		Name:     "sngrep",
		Title:    "sngrep text export (Save as .txt)",
		Detect:   detectSngrep,
		New:      func() TextIngester { return &sngrepIngester{} },
		Priority: 11,
	})
}

func detectSngrep(sample [][]byte) int {
	headers, starts := 0, 0
	prevHeader := false
	for _, l := range sample {
		if _, ok := parseSngrepHeader(l); ok {
			headers++
			prevHeader = true
			continue
		}
		if prevHeader && ntIsStartLine(l) {
			starts++
		}
		prevHeader = false
	}
	switch {
	case starts > 0:
		return 100 // a dated "a:p -> b:p" line right above a start line
	case headers > 0:
		return 50
	}
	return 0
}

type sngrepHeader struct {
	stamp    string
	src, dst string
}

// parseSngrepHeader reads "YYYY/MM/DD hh:mm:ss.uuuuuu src:port -> dst:port".
func parseSngrepHeader(line []byte) (sngrepHeader, bool) {
	var h sngrepHeader
	if len(line) < 30 || line[4] != '/' || line[7] != '/' || line[10] != ' ' || line[13] != ':' {
		return h, false
	}
	f := strings.Fields(string(line))
	if len(f) != 5 || f[3] != "->" {
		return h, false
	}
	if !ngrepHostPort(f[2]) || !ngrepHostPort(f[4]) {
		return h, false
	}
	h.stamp, h.src, h.dst = f[0]+" "+f[1], f[2], f[4]
	return h, true
}

type sngrepIngester struct {
	block ntBlock
}

func (g *sngrepIngester) Line(n int, line []byte, out TextSink) {
	if h, ok := parseSngrepHeader(line); ok {
		g.block.flush(out)
		m := &TextMessage{Line: n, Dir: DirSent}
		// Like ngrep, sngrep shows src -> dst, not which side captured:
		// "sent by Local to Peer" in the literal sense.
		src, okS := ntAddrPort(h.src)
		dst, okD := ntAddrPort(h.dst)
		if okS && okD {
			m.Local, m.Peer = src, dst
		} else {
			m.Dir = DirUnknown
			m.PeerHost = h.src + " -> " + h.dst
		}
		if t, err := time.Parse("2006/01/02 15:04:05.999999", h.stamp); err == nil {
			m.Stamp = TextStamp{Time: t, Precision: ntFracPrecision(h.stamp)}
		}
		g.block.begin(m)
		return
	}
	if g.block.empty() {
		return
	}
	if len(g.block.lines) == 0 && len(bytes.TrimSpace(line)) == 0 {
		return
	}
	g.block.add(n, line)
}

// End flushes the last message. save.c ends every message with a blank
// line: a last message with none after it was cut (an excerpt, a paste
// that stops mid-message).
func (g *sngrepIngester) End(out TextSink) {
	if !g.block.empty() && len(g.block.lines) > 0 && !ntBlankLine(g.block.text, g.block.ends, len(g.block.lines)-1) {
		g.block.m.Truncated = true
	}
	g.block.flush(out)
}
