package capture

import (
	"bytes"
	"regexp"
	"time"
)

// Mitel 3300 ICP / MCA / Speech Server SIP trace, and the Technicolor
// (Thomson) phone trace found in the same documents (TEXT-FORMATS.md §15):
//
//	Apr 2 15:55:35.777764 Received UDP message from socket 7 (UDP_CH 10.0.0.198:5060):
//	Recv from udp: 10.0.0.5:5060 00:00:00:01:066 (937 bytes)
//
// PDF copies wrap the first form after "(UDP_CH": the next line is joined
// back. Prose bullets ("• The Mitel 3300 ...") between messages end them.

func init() {
	registerTextFormat(&TextFormat{
		Name:     "mitel",
		Title:    "Mitel 3300 / MCA SIP trace (and Technicolor phone trace)",
		Detect:   detectMitel,
		New:      func() TextIngester { return &mitelIngester{} },
		Priority: 13,
	})
}

var (
	mitelEnvelope   = regexp.MustCompile(`^([A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}(?:\.\d+)?) (Received|Sent|Sending) ([A-Za-z]+) message (?:from|to) socket \d+ \(\w+?_CH\s*(\[[0-9A-Fa-f:.]+\]|[^\s:\[\]]+):(\d+)\):\s*$`)
	mitelWrapped    = regexp.MustCompile(`^[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}(?:\.\d+)? (?:Received|Sent|Sending) [A-Za-z]+ message (?:from|to) socket \d+ \(\w*$`)
	thomsonEnvelope = regexp.MustCompile(`^(Recv from|Send to) ([A-Za-z]+): (\[[0-9A-Fa-f:.]+\]|[^\s:\[\]]+):(\d+) (\d+):(\d{2}):(\d{2}):(\d{2}):(\d{3}) \((\d+) bytes\)\s*$`)
)

func detectMitel(sample [][]byte) int {
	for i, l := range sample {
		if !bytes.Contains(l, []byte(" message ")) && !bytes.Contains(l, []byte(" bytes)")) {
			continue
		}
		if mitelEnvelope.Match(l) || thomsonEnvelope.Match(l) {
			return 100
		}
		if i+1 < len(sample) && mitelWrapped.Match(l) && mitelEnvelope.Match(append(append(append([]byte(nil), l...), ' '), sample[i+1]...)) {
			return 100
		}
	}
	return 0
}

type mitelIngester struct {
	msg     slMessage
	orphans slOrphans
	wrapped []byte // an envelope cut by a PDF line break, waiting for its end
	wrapAt  int
}

func (m *mitelIngester) Line(n int, line []byte, out TextSink) {
	if m.wrapped != nil {
		joined := append(append(m.wrapped, ' '), line...)
		m.wrapped = nil
		if m.envelope(m.wrapAt, joined, out) {
			return
		}
		out.Problem(m.wrapAt, "Mitel trace header cut and not continued on the next line")
	}
	if len(line) > 20 && (bytes.Contains(line, []byte(" message ")) || bytes.Contains(line, []byte(" bytes)"))) {
		if m.envelope(n, line, out) {
			return
		}
		if mitelWrapped.Match(line) {
			m.wrapped, m.wrapAt = append([]byte(nil), line...), n
			return
		}
	}
	junk := bytes.HasPrefix(line, []byte("\u2022")) || bytes.HasPrefix(line, []byte("* "))
	if !m.msg.open {
		m.orphans.line(n, line, junk, out)
		return
	}
	if junk {
		m.msg.end(out, "Mitel")
		return
	}
	m.msg.add(n, line)
}

func (m *mitelIngester) envelope(n int, line []byte, out TextSink) bool {
	var tm TextMessage
	declared := 0
	if sub := mitelEnvelope.FindSubmatch(line); sub != nil {
		tm.Stamp, _, _ = slSyslogTime(sub[1])
		tm.Dir = DirSent
		if sub[2][0] == 'R' {
			tm.Dir = DirReceived
		}
		tm.Transport = transportNamed(sub[3])
		tm.Peer, tm.PeerHost = slAddr(string(sub[4]), string(sub[5]))
	} else if sub := thomsonEnvelope.FindSubmatch(line); sub != nil {
		tm.Dir = DirSent
		if sub[1][0] == 'R' {
			tm.Dir = DirReceived
		}
		tm.Transport = transportNamed(sub[2])
		tm.Peer, tm.PeerHost = slAddr(string(sub[3]), string(sub[4]))
		// uptime "dd:hh:mm:ss:mmm"
		up := time.Duration(slAtoi(sub[5]))*24*time.Hour + time.Duration(slAtoi(sub[6]))*time.Hour +
			time.Duration(slAtoi(sub[7]))*time.Minute + time.Duration(slAtoi(sub[8]))*time.Second +
			time.Duration(slAtoi(sub[9]))*time.Millisecond
		tm.Stamp = slTimeOfDay(up, time.Millisecond)
		declared = slAtoi(sub[10])
	} else {
		return false
	}
	m.msg.end(out, "Mitel")
	m.orphans.stop(out)
	m.msg.begin(n, tm, declared)
	return true
}

func (m *mitelIngester) End(out TextSink) {
	if m.wrapped != nil {
		out.Problem(m.wrapAt, "Mitel trace header cut at the end of the log")
		m.wrapped = nil
	}
	m.msg.end(out, "Mitel")
	m.orphans.stop(out)
}
