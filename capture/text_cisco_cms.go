package capture

import (
	"bytes"
	"regexp"
)

// Cisco Meeting Server (Acano) syslog SIP trace (TEXT-FORMATS.md §15):
// every line carries "<syslog prefix> INFO : SIP trace: ", the envelope is
//
//	SIP trace: connection 23: outgoing SIP TCP data to 172.16.19.110:52560 from 172.16.19.123:5060, size 3830:
//	SIP trace: connection 23: incoming SIP TCP data from A:p to B:p, size N:
//
// and the message lines follow, one syslog line each. Documents sometimes
// glue two syslog lines together; they are cut apart again.

func init() {
	registerTextFormat(&TextFormat{
		Name:     "cisco-cms",
		Title:    "Cisco Meeting Server (Acano) SIP trace syslog",
		Detect:   detectCiscoCMS,
		New:      func() TextIngester { return &ciscoCMSIngester{} },
		Priority: 13,
	})
}

var ciscoCMSEnvelope = regexp.MustCompile(`^connection \d+: (incoming|outgoing) SIP ([A-Za-z]+) data (?:from|to) (\[[0-9A-Fa-f:.]+\]|[^\s:\[\]]+):(\d+) (?:from|to) (\[[0-9A-Fa-f:.]+\]|[^\s:\[\]]+):(\d+), size (\d+):\s*$`)

var ciscoCMSMarker = []byte("SIP trace: ")

func detectCiscoCMS(sample [][]byte) int {
	for _, l := range sample {
		if bytes.Contains(l, []byte("SIP trace: connection ")) {
			return 100
		}
	}
	return 0
}

type ciscoCMSIngester struct {
	msg     slMessage
	orphans slOrphans
}

func (c *ciscoCMSIngester) Line(n int, line []byte, out TextSink) {
	i := bytes.Index(line, ciscoCMSMarker)
	if i < 0 {
		// another program's syslog line
		if c.msg.open {
			c.msg.end(out, "CMS SIP trace")
		} else {
			c.orphans.line(n, line, true, out)
		}
		return
	}
	st, _, _ := slSyslogTime(line)
	line = line[i+len(ciscoCMSMarker):]
	for {
		j := bytes.Index(line, ciscoCMSMarker)
		if j < 0 {
			c.piece(n, line, st, out)
			return
		}
		// two syslog lines glued together: the second one's prefix
		// starts at its "Mon dd hh:mm:ss" stamp, which is the stamp of
		// what follows (as the CE ingester does with its ISO stamps);
		// without a stamp the piece runs up to the marker
		cut, next := j, st
		for k := j - 1; k >= 0; k-- {
			if t, _, ok := slSyslogTime(line[k:j]); ok {
				cut, next = k, t
				break
			}
		}
		c.piece(n, line[:cut], st, out)
		st = next
		line = line[j+len(ciscoCMSMarker):]
	}
}

func (c *ciscoCMSIngester) piece(n int, p []byte, st TextStamp, out TextSink) {
	if bytes.HasPrefix(p, []byte("connection ")) {
		if sub := ciscoCMSEnvelope.FindSubmatch(p); sub != nil {
			c.msg.end(out, "CMS SIP trace")
			c.orphans.stop(out)
			m := TextMessage{Stamp: st, Transport: transportNamed(sub[2])}
			a, ah := slAddr(string(sub[3]), string(sub[4]))
			b, _ := slAddr(string(sub[5]), string(sub[6]))
			if sub[1][0] == 'o' { // "to A from B"
				m.Dir, m.Peer, m.PeerHost, m.Local = DirSent, a, ah, b
			} else { // "from A to B"
				m.Dir, m.Peer, m.PeerHost, m.Local = DirReceived, a, ah, b
			}
			c.msg.begin(n, m, slAtoi(sub[7]))
			return
		}
	}
	if !c.msg.open {
		c.orphans.line(n, p, false, out)
		return
	}
	c.msg.add(n, p)
}

func (c *ciscoCMSIngester) End(out TextSink) {
	c.msg.end(out, "CMS SIP trace")
	c.orphans.stop(out)
}
