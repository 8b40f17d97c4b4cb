package capture

import (
	"bytes"
	"regexp"
	"time"
)

// Genesys SIP Server log (TEXT-FORMATS.md §13):
//
//	13:39:18.897: SIPTR: Received [0,UDP] 502 bytes from 10.1.33.4:5060 <<<<<
//	16:45:04.720: Sending  [0,UDP] 406 bytes to 10.51.34.110:5060 >>>>>
//
// The message follows and ends at the next time-stamped log line. Lines
// carry the time of day only (the date is in the log file's header), or
// a full ISO date when the log is configured so.

func init() {
	registerTextFormat(&TextFormat{
		Name:     "genesys",
		Title:    "Genesys SIP Server log",
		Detect:   detectGenesys,
		New:      func() TextIngester { return &genesysIngester{} },
		Priority: 10,
	})
}

var genesysEnvelope = regexp.MustCompile(`^(?:\d{4}-\d{2}-\d{2}[T ])?\d{2}:\d{2}:\d{2}\.\d+:? (?:SIPTR: )?(Received|Sending)\s+\[\d+,([A-Za-z]+)\] (\d+) bytes (?:from|to) (\S+):(\d+) (?:<<<<<|>>>>>)\s*$`)

func detectGenesys(sample [][]byte) int {
	for _, l := range sample {
		if bytes.Contains(l, []byte(" bytes ")) && (bytes.Contains(l, []byte("<<<<<")) || bytes.Contains(l, []byte(">>>>>"))) && genesysEnvelope.Match(l) {
			return 100
		}
	}
	return 0
}

type genesysIngester struct {
	msg     slMessage
	orphans slOrphans
	// the date from the log file's header ("Local Time: 2021-03-18T…") or
	// a dated line, and the time of day last seen, to date the times of
	// day that follow across midnight
	date    time.Time
	lastTOD time.Duration
}

func (g *genesysIngester) Line(n int, line []byte, out TextSink) {
	if bytes.HasPrefix(line, []byte("Local Time:")) {
		if st, _, ok := slDateTime(slTrimSpace(line[11:])); ok {
			g.setDate(st.Time)
		}
	}
	st, stamped := genesysStamp(line)
	if stamped {
		st = g.dated(st)
	}
	if stamped && len(line) > 30 && bytes.Contains(line, []byte(" bytes ")) {
		if sub := genesysEnvelope.FindSubmatch(line); sub != nil {
			g.msg.end(out, "Genesys")
			g.orphans.stop(out)
			var m TextMessage
			m.Stamp = st
			if sub[1][0] == 'R' {
				m.Dir = DirReceived
			} else {
				m.Dir = DirSent
			}
			m.Transport = transportNamed(sub[2])
			m.Peer, m.PeerHost = slAddr(string(sub[4]), string(sub[5]))
			g.msg.begin(n, m, slAtoi(sub[3]))
			return
		}
	}
	if !g.msg.open {
		g.orphans.line(n, line, stamped, out)
		return
	}
	if stamped {
		g.msg.end(out, "Genesys")
		return
	}
	g.msg.add(n, line)
}

func (g *genesysIngester) End(out TextSink) {
	g.msg.end(out, "Genesys")
	g.orphans.stop(out)
}

func (g *genesysIngester) setDate(t time.Time) {
	g.date = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	g.lastTOD = t.Sub(g.date)
}

// dated gives a time of day the date of the log, moving to the next day
// when the clock goes back by more than 12 hours.
func (g *genesysIngester) dated(st TextStamp) TextStamp {
	if !st.NoDate {
		g.setDate(st.Time)
		return st
	}
	if g.date.IsZero() {
		return st
	}
	tod := st.Time.Sub(time.Date(slPlaceholderYear, 1, 1, 0, 0, 0, 0, time.UTC))
	if g.lastTOD-tod > 12*time.Hour {
		g.date = g.date.AddDate(0, 0, 1)
	}
	g.lastTOD = tod
	return TextStamp{Time: g.date.Add(tod), Precision: st.Precision}
}

// genesysStamp reads the stamp a Genesys log line starts with
// ("13:39:18.897: ", "@13:39:18.8970 ", "2019-08-21T13:39:18.897 ").
func genesysStamp(line []byte) (TextStamp, bool) {
	if len(line) > 0 && line[0] == '@' {
		line = line[1:]
	}
	if len(line) < 9 || line[0] < '0' || line[0] > '9' {
		return TextStamp{}, false
	}
	if st, k, ok := slDateTime(line); ok && k < len(line) && (line[k] == ' ' || line[k] == ':') {
		return st, true
	}
	tod, prec, k, ok := slClock(line)
	if !ok || prec >= time.Second || k >= len(line) || (line[k] != ' ' && line[k] != ':') {
		return TextStamp{}, false
	}
	return slTimeOfDay(tod, prec), true
}
