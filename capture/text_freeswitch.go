package capture

import (
	"bytes"
	"time"
)

// FreeSWITCH siptrace and everything else built on sofia-sip's tport
// logging (drachtio-server), TEXT-FORMATS.md §4:
//
//	recv 1003 bytes from udp/[1.2.3.4]:5060 at 07:36:14.784706:
//	------------------------------------------------------------------------
//	INVITE sip:...
//
// tport_logging.c prints "%s %zu bytes %s %s/[%s]:%u%s%s at %02u:%02u:%02u.%06lu:".
// New sofia-sip: one separator after the stamp, no closing one; the
// message ends at the next stamp or log line. Old sofia-sip: separator,
// message lines indented by three spaces, closing separator, "*** message
// truncated at N ***". TPORT_DUMP files: "dump started at <ctime>", no
// separators, each message ended by a vertical tab. drachtio prefixes the
// stamp with its own date and time. The stamp has no date: it is taken
// from the neighbouring FreeSWITCH/drachtio log lines or the dump header.

func init() {
	registerTextFormat(&TextFormat{
		Name:     "freeswitch",
		Title:    "FreeSWITCH / sofia-sip siptrace (also drachtio, TPORT_DUMP files)",
		Detect:   detectFreeSWITCH,
		New:      func() TextIngester { return &freeswitchIngester{} },
		Priority: 5,
	})
}

func detectFreeSWITCH(sample [][]byte) int {
	for _, l := range sample {
		if bytes.Contains(l, []byte(" bytes ")) && bytes.Contains(l, []byte("/[")) {
			if _, ok := parseSofiaEnvelope(l); ok {
				return 100
			}
		}
	}
	return 0
}

// sofiaStamp is what a stamp line says.
type sofiaStamp struct {
	prefix          []byte // drachtio's "YYYY-MM-DD hh:mm:ss.uuuuuu", if any
	what            byte   // 'r'ecv, 's'end/sent
	size            []byte
	proto           []byte
	host, port, tod []byte
}

// parseSofiaEnvelope reads a stamp line by hand; the pattern it follows is
// sofiaEnvelopeRE in the tests (TEXT-FORMATS.md §4).
func parseSofiaEnvelope(line []byte) (sofiaStamp, bool) {
	var e sofiaStamp
	c := slCursor{line}
	c.spaces()
	if len(c.b) > 37 && c.b[8] == '-' && c.b[36] == ' ' {
		c.b = c.b[37:] // call UUID
		c.spaces()
	}
	if _, k, ok := slDateTime(c.b); ok {
		e.prefix = c.b[:k]
		c.b = c.b[k:]
		if !c.spaces() {
			return e, false
		}
	}
	switch {
	case c.lit("recv"):
		e.what = 'r'
	case c.lit("send"), c.lit("sent"):
		e.what = 's'
	default:
		return e, false
	}
	var ok bool
	if !c.spaces() {
		return e, false
	}
	if e.size, ok = c.digits(); !ok || !c.spaces() || !c.lit("bytes") || !c.spaces() {
		return e, false
	}
	if !c.lit("from") && !c.lit("to") || !c.spaces() {
		return e, false
	}
	if e.proto = c.word(); len(e.proto) == 0 || !c.lit("/[") {
		return e, false
	}
	h := bytes.IndexByte(c.b, ']')
	if h < 0 {
		return e, false
	}
	e.host, c.b = c.b[:h], c.b[h+1:]
	if !c.lit(":") {
		return e, false
	}
	if e.port, ok = c.digits(); !ok {
		return e, false
	}
	if c.lit("/") {
		if _, ok = c.digits(); !ok {
			return e, false
		}
	}
	c.lit(";comp=sigcomp")
	if !c.spaces() || !c.lit("at") || !c.spaces() {
		return e, false
	}
	_, _, k, ok := slClock(c.b)
	if !ok {
		return e, false
	}
	e.tod, c.b = c.b[:k], c.b[k:]
	return e, c.lit(":") && c.end()
}

type freeswitchIngester struct {
	msg     slMessage
	orphans slOrphans
	// state of the open message
	wantSep bool // the separator after the stamp may still come
	indent  int  // old sofia-sip indents message lines by 3
	// date learnt from log lines or the dump header, with the time of day
	// it was printed at (to move the date across midnight)
	date    time.Time
	dateTOD time.Duration
	// the open message's stamp, to date it when the date only comes with
	// the log line after it
	tod, prec time.Duration
	undated   bool
	// a message went out with a time of day only: later ones do too, so
	// that the timeline is not half dated
	sentUndated bool
}

// end closes the open message, dating its stamp if it had no date.
func (f *freeswitchIngester) end(out TextSink) {
	if f.msg.open && f.undated && !f.date.IsZero() && !f.sentUndated {
		f.msg.msg.Stamp = f.stamp(f.tod, f.prec)
	}
	if f.msg.open && f.msg.msg.Stamp.NoDate {
		f.sentUndated = true
	}
	f.undated = false
	f.msg.end(out, "sofia-sip")
}

func (f *freeswitchIngester) Line(n int, line []byte, out TextSink) {
	if len(line) > 30 && bytes.Contains(line, []byte(" bytes ")) {
		if e, ok := parseSofiaEnvelope(line); ok {
			f.end(out)
			f.orphans.stop(out)
			f.begin(n, e)
			return
		}
	}
	dump := false
	if k := len(line); k > 0 && line[k-1] == '\v' {
		line, dump = line[:k-1], true
	}
	if f.logLine(line) || freeswitchPrompt(line) || bytes.HasPrefix(line, []byte("dump started at ")) {
		if bytes.HasPrefix(line, []byte("dump started at ")) {
			f.dumpHeader(line[16:])
		}
		if f.msg.open {
			f.end(out)
		} else {
			f.orphans.line(n, line, true, out)
		}
		return
	}
	if !f.msg.open {
		f.orphans.line(n, line, false, out)
		return
	}
	f.content(n, line, out)
	if dump {
		f.end(out)
	}
}

func (f *freeswitchIngester) content(n int, line []byte, out TextSink) {
	t := slTrimSpace(line)
	if sofiaSeparator(t) {
		if f.wantSep && f.msg.empty() {
			f.wantSep = false
			if len(line) > 3 && line[0] == ' ' {
				f.indent = 3
			}
			return
		}
		if !f.msg.empty() {
			f.end(out) // old sofia-sip closing separator
		}
		return
	}
	if len(t) == 0 {
		f.msg.add(n, nil)
		return
	}
	if f.msg.empty() {
		f.wantSep = false
		if f.indent == 0 && bytes.HasPrefix(line, []byte("   ")) {
			f.indent = 3
		}
	}
	if t[0] == '*' && bytes.HasPrefix(t, []byte("*** message truncated")) || bytes.Equal(t, []byte("<ENCODED DATA>")) {
		f.msg.msg.Truncated = true
		return
	}
	for i := 0; i < f.indent && len(line) > 0 && line[0] == ' '; i++ {
		line = line[1:]
	}
	// Console output is not line-atomic: a log line may be spliced into
	// the middle of a SIP line; keep the SIP part.
	if cut := sofiaSplicedLog(line); cut >= 0 {
		line = line[:cut]
		if len(slTrimSpace(line)) == 0 {
			return
		}
	}
	f.msg.add(n, line)
}

func (f *freeswitchIngester) End(out TextSink) {
	f.end(out)
	f.orphans.stop(out)
}

func (f *freeswitchIngester) begin(n int, e sofiaStamp) {
	var m TextMessage
	if e.what == 'r' {
		m.Dir = DirReceived
	} else {
		m.Dir = DirSent
	}
	m.Transport = transportNamed(e.proto)
	m.Peer, m.PeerHost = slAddr(string(e.host), string(e.port))
	if len(e.prefix) > 0 {
		if st, _, ok := slDateTime(e.prefix); ok {
			f.date = time.Date(st.Time.Year(), st.Time.Month(), st.Time.Day(), 0, 0, 0, 0, time.UTC)
			f.dateTOD = st.Time.Sub(f.date)
		}
	}
	if tod, prec, _, ok := slClock(e.tod); ok {
		m.Stamp = f.stamp(tod, prec)
		f.tod, f.prec, f.undated = tod, prec, m.Stamp.NoDate
	}
	f.msg.begin(n, m, slAtoi(e.size))
	f.wantSep, f.indent = true, 0
}

// stamp dates a time of day with the date of the log lines around it,
// moving it by a day when the two clocks are on either side of midnight.
func (f *freeswitchIngester) stamp(tod, prec time.Duration) TextStamp {
	if f.date.IsZero() || f.sentUndated {
		return slTimeOfDay(tod, prec)
	}
	d := f.date
	switch {
	case tod-f.dateTOD > 12*time.Hour:
		d = d.AddDate(0, 0, -1)
	case f.dateTOD-tod > 12*time.Hour:
		d = d.AddDate(0, 0, 1)
	}
	return TextStamp{Time: d.Add(tod), Precision: prec}
}

// logLine: a FreeSWITCH log line "[uuid ]2021-04-02 17:28:37.360956 [DEBUG] ..."
// or a drachtio/sofia debug line "2018-07-09 11:46:10.749197 nta.c:8395 ...".
// Its date is remembered for the stamps that follow.
func (f *freeswitchIngester) logLine(line []byte) bool {
	if len(line) < 26 {
		return false
	}
	if c := line[0]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
		return false
	}
	if len(line) > 63 && line[8] == '-' && line[36] == ' ' {
		line = line[37:]
	}
	st, k, ok := slDateTime(line)
	if !ok || k >= len(line) || line[k] != ' ' {
		return false
	}
	f.date = time.Date(st.Time.Year(), st.Time.Month(), st.Time.Day(), 0, 0, 0, 0, time.UTC)
	f.dateTOD = st.Time.Sub(f.date)
	return true
}

// dumpHeader reads the ctime of "dump started at Mon Jan  2 15:04:05 2006".
func (f *freeswitchIngester) dumpHeader(b []byte) {
	b = slTrimSpace(b)
	if len(b) < 24 {
		return
	}
	st, k, ok := slSyslogTime(b[4:])
	if !ok || 4+k+5 > len(b) || b[4+k] != ' ' || !slDigits(b[4+k+1:4+k+5]) {
		return
	}
	y := slAtoi(b[4+k+1 : 4+k+5])
	t := st.Time.AddDate(y-slPlaceholderYear, 0, 0)
	f.date = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	f.dateTOD = t.Sub(f.date)
}

// freeswitchPrompt: the fs_cli prompt "freeswitch@host> ".
func freeswitchPrompt(line []byte) bool {
	i := bytes.Index(line, []byte("> "))
	if i < 0 && bytes.HasSuffix(line, []byte(">")) {
		i = len(line) - 1
	}
	if i <= 0 || i > 64 {
		return false
	}
	at := bytes.IndexByte(line[:i], '@')
	return at > 0 && bytes.IndexByte(line[:i], ' ') < 0 && bytes.IndexByte(line[:i], ':') < 0 && bytes.IndexByte(line[:i], '<') < 0
}

// sofiaSeparator: the 72 dashes (any run of 20 or more).
func sofiaSeparator(t []byte) bool {
	if len(t) < 20 {
		return false
	}
	for _, c := range t {
		if c != '-' {
			return false
		}
	}
	return true
}

// sofiaSplicedLog finds a FreeSWITCH log line that starts inside a SIP
// line ("SIP/2.0 484 Address Incomplete3558828a-...-... 2021-04-02 ...
// [DEBUG] ..."): the index where it starts, or -1.
func sofiaSplicedLog(line []byte) int {
	from := 0
	for {
		i := bytes.Index(line[from:], []byte(" ["))
		if i < 0 {
			return -1
		}
		i += from
		from = i + 2
		// "YYYY-MM-DD hh:mm:ss.uuuuuu" just before " [LEVEL] "
		if i < 26 || !bytes.HasPrefix(line[i+2:], []byte("DEBUG] ")) && !bytes.HasPrefix(line[i+2:], []byte("INFO] ")) &&
			!bytes.HasPrefix(line[i+2:], []byte("NOTICE] ")) && !bytes.HasPrefix(line[i+2:], []byte("WARNING] ")) &&
			!bytes.HasPrefix(line[i+2:], []byte("ERR] ")) && !bytes.HasPrefix(line[i+2:], []byte("CRIT] ")) &&
			!bytes.HasPrefix(line[i+2:], []byte("ALERT] ")) && !bytes.HasPrefix(line[i+2:], []byte("CONSOLE] ")) {
			continue
		}
		s := i - 26
		if _, k, ok := slDateTime(line[s:]); !ok || s+k != i {
			continue
		}
		if s >= 37 && line[s-1] == ' ' && line[s-29] == '-' {
			s -= 37 // the call UUID before the date
		}
		return s
	}
}
