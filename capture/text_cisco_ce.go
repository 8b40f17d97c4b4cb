package capture

import (
	"bytes"
	"regexp"
	"time"
)

// Cisco CE / RoomOS endpoints (SX, DX, Room series) application log
// (TEXT-FORMATS.md §15): every line is
//
//	2017-08-24T11:25:31.709+08:00 SX80 appl[1660]: 3939.20 SipPacket    <line>
//
// and a message starts after
//
//	SipPacket I: SIP Msg: Outgoing => INVITE, CSeq: 100 INVITE, Remote: 172.16.19.110:5060, CallId: ...
//
// (Incoming/Outgoing; Remote is the peer). Documents sometimes glue two
// log lines together; they are cut apart again.

func init() {
	registerTextFormat(&TextFormat{
		Name:     "cisco-ce",
		Title:    "Cisco CE/RoomOS endpoint SipPacket log",
		Detect:   detectCiscoCE,
		New:      func() TextIngester { return &ciscoCEIngester{} },
		Priority: 13,
	})
}

var ciscoCEEnvelope = regexp.MustCompile(`^I: SIP Msg: (Incoming|Outgoing)\b.*\bRemote: (\[[0-9A-Fa-f:.]+\]|[^\s:,\[\]]+):(\d+)`)

var ciscoCEMarker = []byte(" SipPacket ")

func detectCiscoCE(sample [][]byte) int {
	for _, l := range sample {
		if bytes.Contains(l, []byte("SipPacket I: SIP Msg: ")) {
			return 100
		}
	}
	return 0
}

type ciscoCEIngester struct {
	msg     slMessage
	orphans slOrphans
}

func (c *ciscoCEIngester) Line(n int, line []byte, out TextSink) {
	i := bytes.Index(line, ciscoCEMarker)
	if i < 0 {
		if c.msg.open {
			c.msg.end(out, "SipPacket")
		} else {
			c.orphans.line(n, line, true, out)
		}
		return
	}
	st := ciscoCEStamp(line)
	line = line[i+len(ciscoCEMarker):]
	for {
		j := bytes.Index(line, ciscoCEMarker)
		if j < 0 {
			c.piece(n, line, st, out)
			return
		}
		// two log lines glued: the second starts at its ISO stamp
		k := j - 1
		for k >= 0 {
			if line[k] == ' ' && k+1 < j {
				if _, _, ok := slDateTime(line[k+1 : j]); ok {
					break
				}
			}
			k--
		}
		if k < 0 {
			c.piece(n, line[:j], st, out)
		} else {
			c.piece(n, line[:k], st, out)
			st = ciscoCEStamp(line[k+1 : j])
		}
		line = line[j+len(ciscoCEMarker):]
	}
}

// piece is what follows "SipPacket ": the envelope, or 3 spaces and a
// message line.
func (c *ciscoCEIngester) piece(n int, p []byte, st TextStamp, out TextSink) {
	if bytes.HasPrefix(p, []byte("I: SIP Msg: ")) {
		if sub := ciscoCEEnvelope.FindSubmatch(p); sub != nil {
			c.msg.end(out, "SipPacket")
			c.orphans.stop(out)
			m := TextMessage{Stamp: st, Dir: DirReceived}
			if sub[1][0] == 'O' {
				m.Dir = DirSent
			}
			m.Peer, m.PeerHost = slAddr(string(sub[2]), string(sub[3]))
			c.msg.begin(n, m, 0)
			return
		}
	}
	for k := 0; k < 3 && len(p) > 0 && p[0] == ' '; k++ {
		p = p[1:]
	}
	if !c.msg.open {
		c.orphans.line(n, p, false, out)
		return
	}
	c.msg.add(n, p)
}

func (c *ciscoCEIngester) End(out TextSink) {
	c.msg.end(out, "SipPacket")
	c.orphans.stop(out)
}

// ciscoCEStamp reads "2017-08-24T11:25:31.709+08:00" as UTC.
func ciscoCEStamp(line []byte) TextStamp {
	st, k, ok := slDateTime(line)
	if !ok {
		return TextStamp{}
	}
	if k+6 <= len(line) && (line[k] == '+' || line[k] == '-') && line[k+3] == ':' && slDigits(line[k+1:k+3]) && slDigits(line[k+4:k+6]) {
		off := time.Duration(slAtoi(line[k+1:k+3]))*time.Hour + time.Duration(slAtoi(line[k+4:k+6]))*time.Minute
		if line[k] == '+' {
			off = -off
		}
		st.Time = st.Time.Add(off)
	}
	return st
}
