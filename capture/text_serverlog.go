package capture

import (
	"bytes"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Helpers shared by the ingesters of SIP servers', SBCs' and endpoints' own
// logs (Asterisk, FreeSWITCH, pjsua, Genesys, AudioCodes, Acme, sip-req,
// Cisco CMS and CE, Avaya MPP, Mitel): they
// all print an envelope line and then the message lines as they are, so
// the work left to each ingester is recognising its envelope and its
// interleaved log lines. Names start with "sl" (server log).

// slPlaceholderYear is the year given to stamps that print none (NoYear,
// NoDate): year 0 is a leap year, so "Feb 29" survives, and a NoDate stamp
// at midnight is not mistaken for "no stamp" (time.Time.IsZero).
const slPlaceholderYear = 0

// slMessage collects the lines of one message between its envelope and its
// end. Leading blank lines are skipped, trailing ones reduced to one (the
// header/body separator of a bodiless message), so what is handed over is
// the message as the log holds it.
type slMessage struct {
	open    bool
	msg     TextMessage
	text    []byte
	lines   []int // nil while the lines are consecutive from msg.BodyLine
	last    int   // log line of the last line added
	count   int   // lines in text
	pending int   // blank lines seen after the last non-blank one
	pendAt  int   // log line of the first pending blank
	pendTo  int   // and of the last
	// wire is the size the lines would have on the wire with CRLF, up to
	// the last non-blank line: compared with the size the envelope
	// announces to spot a cut message.
	wire     int
	declared int
}

// begin opens a message whose envelope starts at log line n. declared is
// the size the envelope announces (0 when it says none).
func (s *slMessage) begin(n int, m TextMessage, declared int) {
	s.open = true
	s.msg = m
	s.msg.Line = n
	c := declared + declared/8 + 64
	if declared <= 0 || c > 1<<16 {
		c = 1024
	}
	s.text = make([]byte, 0, c)
	s.lines = nil
	s.last, s.count, s.pending, s.pendAt, s.wire = 0, 0, 0, 0, 0
	s.declared = declared
}

// empty: no non-blank line yet.
func (s *slMessage) empty() bool { return s.count == 0 }

// add appends one log line to the message.
func (s *slMessage) add(n int, line []byte) {
	if len(slTrimSpace(line)) == 0 {
		if s.count == 0 {
			return
		}
		if s.pending == 0 {
			s.pendAt = n
		}
		s.pendTo = n
		s.pending++
		return
	}
	s.putPending(s.pending)
	s.put(n, line)
	s.wire = len(s.text) + s.count // each "\n" becomes CRLF
}

// appendToLast continues the last line (a line split between two log
// records), or starts a line when there is none.
func (s *slMessage) appendToLast(n int, frag []byte) {
	if s.count == 0 || s.pending > 0 {
		s.add(n, frag)
		return
	}
	s.text = append(s.text[:len(s.text)-1], frag...)
	s.text = append(s.text, '\n')
	s.wire = len(s.text) + s.count
}

// putPending adds k of the pending blank lines. Their line numbers run
// from pendAt, capped at pendTo (several blanks may come from one log
// line when a format packs lines, AudioCodes' "#012").
func (s *slMessage) putPending(k int) {
	for i := 0; i < k; i++ {
		s.put(min(s.pendAt+i, s.pendTo), nil)
	}
	s.pending = 0
}

func (s *slMessage) put(n int, line []byte) {
	if s.count == 0 {
		s.msg.BodyLine = n
	} else if s.lines == nil && n != s.last+1 {
		s.lines = make([]int, s.count, s.count+16)
		for i := range s.lines {
			s.lines[i] = s.msg.BodyLine + i
		}
	}
	if s.lines != nil {
		s.lines = append(s.lines, n)
	}
	s.text = append(s.text, line...)
	s.text = append(s.text, '\n')
	s.last = n
	s.count++
}

// short reports whether the lines are clearly fewer bytes than the
// envelope announced. The slack covers what pastes and normalisation
// change in size (typography, sanitised addresses, a missing separator).
func (s *slMessage) short() bool {
	if s.declared <= 0 {
		return false
	}
	got := s.wire
	if s.pending > 0 {
		got += 2
	}
	return got+2+s.declared/16 < s.declared
}

// end emits the message (or a problem when it holds nothing) and closes it.
func (s *slMessage) end(out TextSink, what string) {
	if !s.open {
		return
	}
	s.open = false
	if s.count == 0 {
		out.Problem(s.msg.Line, what+" envelope with no message after it")
		return
	}
	if s.short() {
		s.msg.Truncated = true
	}
	if s.pending > 0 {
		s.putPending(1)
	}
	m := s.msg
	if m.Transport == TransportUnknown {
		m.Transport = slViaTransport(s.text)
	}
	m.Text = s.text
	m.Lines = s.lines
	s.text, s.lines = nil, nil
	out.Emit(&m)
}

// slViaTransport takes the transport of a message from its top Via
// (RFC 3261 §18.2.1/§20.42: the hop's transport) when the envelope does
// not say it.
func slViaTransport(text []byte) Transport {
	for len(text) > 0 {
		i := bytes.IndexByte(text, '\n')
		if i <= 0 {
			return TransportUnknown // a blank line ends the headers
		}
		l := text[:i]
		text = text[i+1:]
		var v []byte
		if len(l) > 4 && (l[0] == 'V' || l[0] == 'v') && (bytes.HasPrefix(l[1:], []byte("ia:")) || bytes.HasPrefix(l[1:], []byte("IA:"))) {
			v = l[4:]
		} else if len(l) > 2 && (l[0] == 'v' || l[0] == 'V') && l[1] == ':' {
			v = l[2:]
		} else {
			continue
		}
		v = slTrimSpace(v)
		if len(v) < 9 || !bytes.EqualFold(v[:8], []byte("SIP/2.0/")) {
			return TransportUnknown
		}
		v = v[8:]
		e := 0
		for e < len(v) && v[e] != ' ' && v[e] != '\t' && v[e] != ';' {
			e++
		}
		return transportNamed(v[:e])
	}
	return TransportUnknown
}

// drop closes the message without emitting it (keepalives).
func (s *slMessage) drop() { s.open = false; s.text, s.lines = nil, nil }

// slOrphans handles the lines before a log's first envelope: a paste that
// starts in the middle of a message. A run that holds a start line becomes
// a message of unknown direction; a run of header or SDP lines with no
// start line is the end of a message cut off above and is reported.
type slOrphans struct {
	done       bool
	msg        slMessage
	first      int // first SIP-looking line of the run (0: none)
	lastSIPish int
	sipish     int
}

// line takes one line before the first envelope. junk says the format
// knows the line as its own log output (it ends a run).
func (o *slOrphans) line(n int, line []byte, junk bool, out TextSink) {
	if o.done {
		return
	}
	if junk {
		o.flush(out)
		return
	}
	if slIsStartLine(line) {
		o.flush(out)
		o.msg.begin(n, TextMessage{Dir: DirUnknown}, 0)
		o.msg.add(n, line)
		return
	}
	if o.msg.open {
		o.msg.add(n, line)
		return
	}
	if slIsHeaderLine(line) || slIsSDPLine(line) {
		if o.first == 0 {
			o.first = n
		}
		o.lastSIPish = n
		o.sipish++
	}
}

// flush ends the current run.
func (o *slOrphans) flush(out TextSink) {
	if o.msg.open {
		o.msg.end(out, "")
	}
	if o.sipish >= 2 {
		out.Problem(o.first, "lines "+strconv.Itoa(o.first)+"-"+strconv.Itoa(o.lastSIPish)+
			": the end of a SIP message whose start is before the beginning of the log; not read")
	}
	o.first, o.sipish, o.lastSIPish = 0, 0, 0
}

// stop is called at the first envelope (and at the end of input).
func (o *slOrphans) stop(out TextSink) {
	if o.done {
		return
	}
	o.flush(out)
	o.done = true
}

// slIsStartLine: a SIP request or status line (RFC 3261 §7.1, §7.2).
func slIsStartLine(line []byte) bool {
	if bytes.HasPrefix(line, []byte("SIP/2.0 ")) {
		return len(line) >= 11 && slDigits(line[8:11])
	}
	if !bytes.HasSuffix(line, []byte(" SIP/2.0")) {
		return false
	}
	sp := bytes.IndexByte(line, ' ')
	if sp <= 0 {
		return false
	}
	for _, c := range line[:sp] {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// slIsHeaderLine: "Name:" with a token name (RFC 3261 §25.1).
func slIsHeaderLine(line []byte) bool {
	for i, c := range line {
		switch {
		case c == ':':
			return i > 0
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_', c == '.', c == '!', c == '%', c == '*', c == '+', c == '`', c == '\'', c == '~':
		default:
			return false
		}
	}
	return false
}

// slIsSDPLine: "x=..." (RFC 4566 §5).
func slIsSDPLine(line []byte) bool {
	return len(line) >= 2 && line[1] == '=' && line[0] >= 'a' && line[0] <= 'z'
}

func slDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func slAtoi(b []byte) int {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' || n > 1<<40 {
			return n
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func slTrimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// slAddr reads host and port as an envelope prints them. A host that is
// not an address (a name, a sanitised "x.x.x.x", "<host IP>") comes back
// as a string for TextMessage.PeerHost.
func slAddr(host, port string) (netip.AddrPort, string) {
	h := strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	p, err := strconv.ParseUint(port, 10, 16)
	if a, aerr := netip.ParseAddr(h); aerr == nil && err == nil {
		return netip.AddrPortFrom(a.Unmap(), uint16(p)), ""
	}
	if port != "" {
		return netip.AddrPort{}, h + ":" + port
	}
	return netip.AddrPort{}, h
}

// slMonth reads a three-letter English month name.
func slMonth(b []byte) time.Month {
	if len(b) != 3 {
		return 0
	}
	const names = "JanFebMarAprMayJunJulAugSepOctNovDec"
	for i := 0; i < 12; i++ {
		if b[0] == names[3*i] && b[1] == names[3*i+1] && b[2] == names[3*i+2] {
			return time.Month(i + 1)
		}
	}
	return 0
}

// slClock reads "hh:mm:ss" with an optional fraction ("." or ","), and
// returns the time of day, the precision of the fraction and the bytes
// read; ok is false when b does not start with a clock.
func slClock(b []byte) (d time.Duration, prec time.Duration, n int, ok bool) {
	if len(b) < 8 || b[2] != ':' || b[5] != ':' || !slDigits(b[0:2]) || !slDigits(b[3:5]) || !slDigits(b[6:8]) {
		return 0, 0, 0, false
	}
	h, m, s := slAtoi(b[0:2]), slAtoi(b[3:5]), slAtoi(b[6:8])
	if h > 23 || m > 59 || s > 60 {
		return 0, 0, 0, false
	}
	d = time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second
	prec, n = time.Second, 8
	if len(b) > 9 && (b[8] == '.' || b[8] == ',') && b[9] >= '0' && b[9] <= '9' {
		i := 9
		frac := time.Duration(0)
		unit := time.Second
		for i < len(b) && b[i] >= '0' && b[i] <= '9' && i < 18 {
			unit /= 10
			frac += time.Duration(b[i]-'0') * unit
			i++
		}
		d += frac
		prec, n = unit, i
	}
	return d, prec, n, true
}

// slDate reads "YYYY-MM-DD".
func slDate(b []byte) (y int, m time.Month, d int, ok bool) {
	if len(b) < 10 || b[4] != '-' || b[7] != '-' || !slDigits(b[0:4]) || !slDigits(b[5:7]) || !slDigits(b[8:10]) {
		return 0, 0, 0, false
	}
	y, m, d = slAtoi(b[0:4]), time.Month(slAtoi(b[5:7])), slAtoi(b[8:10])
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// slDateTime reads "YYYY-MM-DD hh:mm:ss[.frac]" (also with a "T").
func slDateTime(b []byte) (TextStamp, int, bool) {
	y, mo, d, ok := slDate(b)
	if !ok || len(b) < 11 || (b[10] != ' ' && b[10] != 'T') {
		return TextStamp{}, 0, false
	}
	tod, prec, n, ok := slClock(b[11:])
	if !ok {
		return TextStamp{}, 0, false
	}
	t := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Add(tod)
	return TextStamp{Time: t, Precision: prec}, 11 + n, true
}

// slSyslogTime reads "Mon dd hh:mm:ss[.frac]" (day padded with a space or
// not): a stamp with no year.
func slSyslogTime(b []byte) (TextStamp, int, bool) {
	if len(b) < 14 || b[3] != ' ' {
		return TextStamp{}, 0, false
	}
	mo := slMonth(b[:3])
	if mo == 0 {
		return TextStamp{}, 0, false
	}
	i := 4
	if b[i] == ' ' {
		i++
	}
	j := i
	for j < len(b) && j < i+2 && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	if j == i || j >= len(b) || b[j] != ' ' {
		return TextStamp{}, 0, false
	}
	day := slAtoi(b[i:j])
	tod, prec, n, ok := slClock(b[j+1:])
	if !ok || day < 1 || day > 31 {
		return TextStamp{}, 0, false
	}
	t := time.Date(slPlaceholderYear, mo, day, 0, 0, 0, 0, time.UTC).Add(tod)
	return TextStamp{Time: t, NoYear: true, Precision: prec}, j + 1 + n, true
}

// slTimeOfDay makes the stamp of a log that prints only a time of day.
func slTimeOfDay(tod, prec time.Duration) TextStamp {
	return TextStamp{Time: time.Date(slPlaceholderYear, 1, 1, 0, 0, 0, 0, time.UTC).Add(tod), NoDate: true, Precision: prec}
}

// slCursor reads an envelope line left to right without a regexp (the
// envelope parsers run once per message, on the hot path).
type slCursor struct{ b []byte }

// lit consumes s if the line goes on with it.
func (c *slCursor) lit(s string) bool {
	if len(c.b) < len(s) || string(c.b[:len(s)]) != s {
		return false
	}
	c.b = c.b[len(s):]
	return true
}

// spaces consumes blanks and says whether there was at least one.
func (c *slCursor) spaces() bool {
	n := len(c.b)
	for len(c.b) > 0 && (c.b[0] == ' ' || c.b[0] == '\t') {
		c.b = c.b[1:]
	}
	return len(c.b) < n
}

// digits consumes a run of decimal digits.
func (c *slCursor) digits() ([]byte, bool) {
	i := 0
	for i < len(c.b) && c.b[i] >= '0' && c.b[i] <= '9' {
		i++
	}
	d := c.b[:i]
	c.b = c.b[i:]
	return d, i > 0
}

// word consumes a run of ASCII letters and digits.
func (c *slCursor) word() []byte {
	i := 0
	for i < len(c.b) && (c.b[i] >= 'a' && c.b[i] <= 'z' || c.b[i] >= 'A' && c.b[i] <= 'Z' || c.b[i] >= '0' && c.b[i] <= '9') {
		i++
	}
	w := c.b[:i]
	c.b = c.b[i:]
	return w
}

// hostPort consumes "host:port" where host is "[v6]" or has no ':' or
// blank in it.
func (c *slCursor) hostPort() (host, port []byte, ok bool) {
	if len(c.b) > 0 && c.b[0] == '[' {
		e := bytes.IndexByte(c.b, ']')
		if e < 0 {
			return nil, nil, false
		}
		host, c.b = c.b[:e+1], c.b[e+1:]
	} else {
		i := 0
		for i < len(c.b) && c.b[i] != ':' && c.b[i] != ' ' && c.b[i] != '\t' && c.b[i] != '[' && c.b[i] != ']' {
			i++
		}
		host, c.b = c.b[:i], c.b[i:]
	}
	if len(host) == 0 || !c.lit(":") {
		return nil, nil, false
	}
	port, ok = c.digits()
	return host, port, ok
}

// end: only blanks are left.
func (c *slCursor) end() bool { return len(slTrimSpace(c.b)) == 0 }
