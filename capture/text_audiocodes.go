package capture

import (
	"bytes"
	"regexp"
	"time"
)

// AudioCodes Mediant SBC / gateway syslog (rsyslog files, Syslog Viewer
// copies), TEXT-FORMATS.md §9:
//
//	<133>[S=1718543] [SID=b9027c:24:198171]  (N  6891937) ---- Incoming SIP Message from 52.114.75.24:9024 to SIPInterface #2 (Teams) TLS TO(#138) SocketID(204) ---- #012INVITE sip:... [Time:19-12@12:45:02.514]
//
// Each syslog packet is "[S=seq] [SID=mac:resets:session]" then one or
// more "(N n)" records and a trailing "[Time:DD-MM@hh:mm:ss.mmm]". A SIP
// message may run on over the next packets of the same SID (which carry
// no "(N n)"), cut anywhere, even mid-word. Newlines are "#012" in rsyslog
// files (the framework un-escapes them; they are split here too in case it
// did not) and real newlines in Syslog Viewer copies.

func init() {
	registerTextFormat(&TextFormat{
		Name:     "audiocodes",
		Title:    "AudioCodes Mediant syslog",
		Detect:   detectAudioCodes,
		New:      func() TextIngester { return &audiocodesIngester{} },
		Priority: 7,
	})
}

var audiocodesHeader = regexp.MustCompile(`---- (Incoming|Outgoing) SIP Message (?:from|to) (\[[0-9A-Fa-f:.]+\]|[^\s:]+):(\d+) (?:to|from) SIPInterface #\d+ \([^)]*\)\s*([A-Za-z]+)?[^-]*----`)

func detectAudioCodes(sample [][]byte) int {
	score := 0
	for _, l := range sample {
		if bytes.Contains(l, []byte("---- Incoming SIP Message")) || bytes.Contains(l, []byte("---- Outgoing SIP Message")) {
			return 100
		}
		if bytes.Contains(l, []byte("[S=")) && bytes.Contains(l, []byte("[SID=")) {
			score = 50
		}
	}
	return score
}

type audiocodesIngester struct {
	msg     slMessage
	orphans slOrphans
	sid     []byte // SID of the open message's packets
	partial bool   // the last line of the open message was cut by the end of a packet
	stamped bool   // the open message has its stamp
	viewer  TextStamp
	seq     int64 // the current packet's syslog sequence number [S=n]
	// messages that ended inside the current packet wait for its
	// "[Time:...]", which comes at the packet's end
	wait acWaiting
}

// acWaiting holds emitted messages until the packet's stamp is known.
type acWaiting struct {
	out  TextSink
	msgs []*TextMessage
}

func (w *acWaiting) Emit(m *TextMessage)              { w.msgs = append(w.msgs, m) }
func (w *acWaiting) Problem(line int, message string) { w.out.Problem(line, message) }

// flush hands the waiting messages over, giving st to those with no stamp.
func (w *acWaiting) flush(st TextStamp) {
	for _, m := range w.msgs {
		if m.Stamp.Time.IsZero() {
			m.Stamp = st
		}
		w.out.Emit(m)
	}
	w.msgs = w.msgs[:0]
}

func (a *audiocodesIngester) Line(n int, line []byte, out TextSink) {
	a.wait.out = out
	for {
		i := bytes.Index(line, []byte("#012"))
		if i < 0 {
			a.piece(n, line, out)
			return
		}
		a.piece(n, line[:i], out)
		line = line[i+4:]
	}
}

func (a *audiocodesIngester) End(out TextSink) {
	a.wait.out = out
	a.close(out)
	a.wait.flush(TextStamp{})
	a.orphans.stop(out)
}

func (a *audiocodesIngester) close(TextSink) {
	a.partial, a.stamped = false, false
	a.msg.end(&a.wait, "AudioCodes syslog")
}

// piece handles one line of the log once "#012" are split.
func (a *audiocodesIngester) piece(n int, p []byte, out TextSink) {
	newPacket := false
	if s := bytes.Index(p, []byte("[S=")); s >= 0 {
		if sid := bytes.Index(p[s:], []byte("[SID=")); sid >= 0 {
			a.seq = int64(slAtoi(p[s+3:]))
			a.viewer = audiocodesViewerStamp(p[:s])
			rest := p[s+sid+5:]
			e := bytes.IndexByte(rest, ']')
			if e < 0 {
				e = len(rest)
			}
			id := rest[:e]
			if e < len(rest) {
				rest = rest[e+1:]
			} else {
				rest = nil
			}
			p = slTrimSpace(rest)
			newPacket = true
			a.wait.flush(TextStamp{})
			if !bytes.HasPrefix(p, []byte("(N ")) && a.msg.open && !bytes.Equal(id, a.sid) {
				a.close(out) // another session's packet
			}
			if !a.msg.open || !bytes.Equal(id, a.sid) {
				a.sid = append(a.sid[:0], id...)
			}
		}
	}
	// The packet's "[Time:...]" ends it.
	st, body, timed := audiocodesTime(p)
	if timed {
		p = body
		defer a.wait.flush(st)
	}
	if bytes.HasPrefix(p, []byte("(N ")) {
		e := bytes.IndexByte(p, ')')
		if e < 0 {
			e = len(p) - 1
		}
		rec := p[e+1:]
		if sub := audiocodesHeader.FindSubmatchIndex(rec); sub != nil {
			a.close(out)
			a.orphans.stop(out)
			a.begin(n, rec, sub)
			if timed {
				a.stamp(st)
			}
			return
		}
		// another record of the SBC's log: the message is over
		if a.msg.open {
			a.close(out)
		} else {
			a.orphans.line(n, p, true, out)
		}
		return
	}
	if !a.msg.open {
		a.orphans.line(n, p, newPacket, out)
		return
	}
	if timed {
		a.stamp(st)
	}
	if a.partial {
		a.msg.appendToLast(n, p)
	} else if !(timed && len(slTrimSpace(p)) == 0) {
		a.msg.add(n, p)
	}
	// a line cut by the end of the packet goes on in the next one
	a.partial = timed && len(slTrimSpace(p)) > 0
}

func (a *audiocodesIngester) stamp(st TextStamp) {
	if !a.stamped && !st.Time.IsZero() {
		a.msg.msg.Stamp = st
		a.stamped = true
	}
}

func (a *audiocodesIngester) begin(n int, rec []byte, sub []int) {
	var m TextMessage
	if rec[sub[2]] == 'I' {
		m.Dir = DirReceived
	} else {
		m.Dir = DirSent
	}
	m.Peer, m.PeerHost = slAddr(string(rec[sub[4]:sub[5]]), string(rec[sub[6]:sub[7]]))
	if sub[8] >= 0 {
		m.Transport = transportNamed(rec[sub[8]:sub[9]])
	}
	m.Stamp = a.viewer
	m.Seq = a.seq // orders messages whose [Time:] (ms) ties
	a.msg.begin(n, m, 0)
	a.partial, a.stamped = false, false
	// with no "#012" split, the message starts on the header's line
	if rest := slTrimSpace(rec[sub[1]:]); len(rest) > 0 {
		a.msg.add(n, rest)
	}
}

// audiocodesTime cuts the "[Time:DD-MM@hh:mm:ss.mmm]" that ends a packet.
func audiocodesTime(p []byte) (TextStamp, []byte, bool) {
	t := slTrimSpace(p)
	if len(t) == 0 || t[len(t)-1] != ']' {
		return TextStamp{}, p, false
	}
	i := bytes.LastIndex(t, []byte("[Time:"))
	if i < 0 {
		return TextStamp{}, p, false
	}
	v := t[i+6 : len(t)-1]
	body := t[:i]
	if len(body) > 0 && body[len(body)-1] == ' ' {
		body = body[:len(body)-1]
	}
	// keep the line's own leading spaces
	body = p[:len(p)-len(t)+len(body)]
	if len(v) < 14 || v[2] != '-' || v[5] != '@' || !slDigits(v[0:2]) || !slDigits(v[3:5]) {
		return TextStamp{}, body, true
	}
	tod, prec, _, ok := slClock(v[6:])
	day, mon := slAtoi(v[0:2]), slAtoi(v[3:5])
	if !ok || day < 1 || day > 31 || mon < 1 || mon > 12 {
		return TextStamp{}, body, true
	}
	return TextStamp{Time: time.Date(slPlaceholderYear, time.Month(mon), day, 0, 0, 0, 0, time.UTC).Add(tod), NoYear: true, Precision: prec}, body, true
}

// audiocodesViewerStamp reads the Syslog Viewer's "14:32:52.028: 10.33.8.70: NOTICE: ".
func audiocodesViewerStamp(pre []byte) TextStamp {
	if tod, prec, _, ok := slClock(pre); ok {
		return slTimeOfDay(tod, prec)
	}
	return TextStamp{}
}
