package capture

import (
	"bytes"
	"regexp"
)

// Avaya Experience Portal / Voice Portal MPP log (TEXT-FORMATS.md §14):
//
//	@2014-06-26 13:02:39,427||FINEST|Tele|8513|FileName=sip/UAInterface.cpp,LineNumber=476|cUAInterface::SendToNetwork: To 138.83.199.57:5060[71:0] <^INVITE sip:... SIP/2.0^M
//	From: ...^M
//	@2014-06-26 13:02:39,551||FINEST|Tele|8513|FileName=sip/SIPTCP.cpp,LineNumber=408|SIPTCP::ProcessRead: <SIP/2.0 180 Ringing^M
//
// The message starts after "<" (and "^") on the log record's line, each
// line ends in "^M" (a CR shown by the viewer), and the next "@date" record
// ends it. Text after "^M" on a line is not the message (forum posters
// annotate there: "^M <- EP initiated ...").

func init() {
	registerTextFormat(&TextFormat{
		Name:     "avaya-mpp",
		Title:    "Avaya Experience Portal MPP log",
		Detect:   detectAvayaMPP,
		New:      func() TextIngester { return &avayaMPPIngester{} },
		Priority: 13,
	})
}

var avayaPeer = regexp.MustCompile(`\b(To|From) (\[[0-9A-Fa-f:.]+\]|[^\s:\[\]]+):(\d+)`)

func detectAvayaMPP(sample [][]byte) int {
	for _, l := range sample {
		if _, ok := avayaRecord(l); ok {
			if i := bytes.Index(l, []byte(" <")); i >= 0 && slIsStartLine(avayaCut(bytes.TrimPrefix(l[i+2:], []byte("^")))) {
				return 100
			}
		}
	}
	return 0
}

type avayaMPPIngester struct {
	msg     slMessage
	orphans slOrphans
}

// avayaRecord: "@2014-06-26 13:02:39,427||..." starts a log record.
func avayaRecord(line []byte) (TextStamp, bool) {
	if len(line) < 25 || line[0] != '@' {
		return TextStamp{}, false
	}
	st, k, ok := slDateTime(line[1:])
	return st, ok && 1+k < len(line) && line[1+k] == '|'
}

// avayaCut drops the "^M" that ends a line and anything after it.
func avayaCut(b []byte) []byte {
	if i := bytes.Index(b, []byte("^M")); i >= 0 {
		return b[:i]
	}
	return b
}

func (a *avayaMPPIngester) Line(n int, line []byte, out TextSink) {
	st, rec := avayaRecord(line)
	if !rec {
		if !a.msg.open {
			a.orphans.line(n, avayaCut(line), false, out)
			return
		}
		a.msg.add(n, avayaCut(line))
		return
	}
	a.msg.end(out, "Avaya MPP")
	bar := bytes.LastIndexByte(line, '|')
	what := line[bar+1:]
	i := bytes.Index(what, []byte(" <"))
	if i < 0 {
		a.orphans.line(n, line, true, out)
		return
	}
	first := avayaCut(bytes.TrimPrefix(what[i+2:], []byte("^")))
	if !slIsStartLine(first) {
		a.orphans.line(n, line, true, out)
		return
	}
	a.orphans.stop(out)
	m := TextMessage{Stamp: st}
	fn := bytes.ReplaceAll(what[:i], []byte(" "), nil) // forums break long words
	switch {
	case bytes.Contains(fn, []byte("Send")):
		m.Dir = DirSent
	case bytes.Contains(fn, []byte("Read")) || bytes.Contains(fn, []byte("Receive")):
		m.Dir = DirReceived
	}
	if sub := avayaPeer.FindSubmatch(what[:i]); sub != nil {
		m.Peer, m.PeerHost = slAddr(string(sub[2]), string(sub[3]))
		if m.Dir == DirUnknown && sub[1][0] == 'T' {
			m.Dir = DirSent
		} else if m.Dir == DirUnknown {
			m.Dir = DirReceived
		}
	}
	a.msg.begin(n, m, 0)
	a.msg.add(n, first)
}

func (a *avayaMPPIngester) End(out TextSink) {
	a.msg.end(out, "Avaya MPP")
	a.orphans.stop(out)
}
