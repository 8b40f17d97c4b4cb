package capture

import (
	"bytes"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// tshark / Wireshark packet-list one-liners (TEXT-FORMATS.md §6a):
//
//	  1   0.000000   127.0.0.11 → 127.0.0.1    SIP 555 Request: REGISTER sip:example.net  (1 binding) |
//	  2 0.001 10.0.0.1 -> 10.0.0.2 SIP 502 Status: 401 Unauthorized |
//	 1430 35.70 10.213.0.154   10.255.150.110   SIP   793  Request: ...   (GUI copy, no arrow)
//	|150| 128.03 | 192.168.1.19 | 192.168.1.61 | SIP | 546 | Status: 401 Unauthorized |
//
// A row carries the frame number, a time, source and destination (no
// ports unless the columns were customised), the protocol column, the
// length and the Info column. packet-sip.c ends the Info of every SIP PDU
// with " | ", so a TCP frame holding two PDUs shows two of them. Rows have
// no headers: each becomes a TextMessage with a Summary that the framework
// turns into a minimal message (text_summary.go).
//
// Pastes often put the raw text of some of the messages under the list
// (the ticket shows the list, then "here is the REGISTER"): those blocks,
// starting at a SIP start line, are handed over as ordinary messages.

func init() {
	registerTextFormat(&TextFormat{
		Name:     "tshark-summary",
		Title:    "tshark / Wireshark packet list (one line per packet)",
		Detect:   detectTsharkSummary,
		New:      func() TextIngester { return &tsharkSummaryIngester{} },
		Priority: 12,
	})
}

func detectTsharkSummary(sample [][]byte) int {
	rows, arrows := 0, 0
	for _, l := range sample {
		if bytes.HasPrefix(l, []byte("Frame ")) && bytes.Contains(l, []byte(" bytes on wire")) {
			return 0 // a dissection (tshark -P -V) prints the row above each tree
		}
		r, ok := parseTsharkRow(l)
		if !ok {
			continue
		}
		rows++
		if r.arrow {
			arrows++
		}
	}
	switch {
	case arrows > 0:
		return 100 // "A → B SIP 555 Request:" is printed by nothing else
	case rows >= 2:
		return 80
	case rows == 1:
		return 50
	}
	return 0
}

type tsharkSummaryIngester struct {
	raw ntBlock // a SIP message pasted as text below the list
}

func (g *tsharkSummaryIngester) Line(n int, line []byte, out TextSink) {
	if r, ok := parseTsharkRow(line); ok {
		g.raw.flush(out)
		g.emitRow(n, r, out)
		return
	}
	if isTsharkHeaderRow(line) {
		g.raw.flush(out)
		return
	}
	if ntIsStartLine(bytes.TrimSpace(line)) {
		g.raw.flush(out)
		g.raw.begin(&TextMessage{Line: n})
	}
	if g.raw.empty() {
		return // prose, non-SIP rows, fences: not messages
	}
	g.raw.add(n, line)
}

func (g *tsharkSummaryIngester) End(out TextSink) { g.raw.flush(out) }

func (g *tsharkSummaryIngester) emitRow(n int, r tsharkRow, out TextSink) {
	stamp := g.stamp(r)
	// Info holds one "Request: ..." / "Status: ..." per SIP PDU, each
	// followed by " |".
	info := r.info
	for len(info) > 0 {
		part := info
		if i := strings.Index(info, " |"); i >= 0 {
			part, info = info[:i], info[i+2:]
		} else {
			info = ""
		}
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		s, ok := parseTsharkInfo(part)
		if !ok {
			out.Problem(n, "packet-list row: cannot read the SIP Info column: "+ntClip(part))
			continue
		}
		s.Src, s.Dst = r.src, r.dst
		m := &TextMessage{Line: n, Stamp: stamp, Seq: r.frame, Summary: &s}
		if !r.src.IsValid() || !r.dst.IsValid() {
			m.PeerHost = r.srcText + " -> " + r.dstText
			out.Problem(n, "packet-list row: source or destination is not an IP address ("+ntClip(r.srcText)+" -> "+ntClip(r.dstText)+"); messages between names are matched by order only")
		}
		out.Emit(m)
	}
}

func ntClip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// stamp converts the time column: seconds since the first packet (the
// default), a date and time (-t ad / -t ud), a time of day (-t a), or
// seconds since the epoch (-t e).
func (g *tsharkSummaryIngester) stamp(r tsharkRow) TextStamp {
	switch {
	case r.date != "":
		t, err := time.Parse("2006-01-02 15:04:05.999999999", r.date+" "+r.clock)
		if err != nil {
			return TextStamp{}
		}
		return TextStamp{Time: t, Precision: ntFracPrecision(r.clock)}
	case strings.IndexByte(r.clock, ':') >= 0:
		t, err := time.Parse("15:04:05.999999999", r.clock)
		if err != nil {
			return TextStamp{}
		}
		return TextStamp{Time: tsharkEpoch.Add(t.Sub(time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC))), NoDate: true, Precision: ntFracPrecision(r.clock)}
	}
	d, ok := ntSeconds(r.clock)
	if !ok {
		return TextStamp{}
	}
	if d > 100_000_000*time.Second {
		// Relative times never reach three years: an epoch time.
		return TextStamp{Time: time.Unix(0, int64(d)).UTC(), Precision: ntFracPrecision(r.clock)}
	}
	return TextStamp{Time: tsharkEpoch.Add(d), NoDate: true, Precision: ntFracPrecision(r.clock)}
}

// tsharkEpoch is the origin of relative times: any fixed instant works, as
// NoDate stamps only keep order and intervals. It is not the zero time so
// that the first packet (time 0) does not read as "no stamp".
var tsharkEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// parseSeconds reads "-17.455802" or "35.702637783" as a duration.
func ntSeconds(s string) (time.Duration, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 9 {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > 1<<33 {
		return 0, false
	}
	var f int64
	if frac != "" {
		f, err = strconv.ParseInt(frac, 10, 64)
		if err != nil || f < 0 {
			return 0, false
		}
		for i := len(frac); i < 9; i++ {
			f *= 10
		}
	}
	d := time.Duration(w)*time.Second + time.Duration(f)
	if neg {
		d = -d
	}
	return d, true
}

// fracPrecision is the unit of the last printed digit of "hh:mm:ss.ffff".
func ntFracPrecision(s string) time.Duration {
	i := strings.LastIndexByte(s, '.')
	if i < 0 {
		return time.Second
	}
	p := time.Second
	for n := len(s) - i - 1; n > 0 && p > time.Nanosecond; n-- {
		p /= 10
	}
	return p
}

// tsharkRow is one packet-list row.
type tsharkRow struct {
	frame            int64
	date, clock      string // time column: optional date, then time or seconds
	src, dst         netip.AddrPort
	srcText, dstText string
	arrow            bool
	info             string // from "Request:"/"Status:" on
}

// parseTsharkRow reads a packet-list row whose Info is a SIP request or
// status. A cheap byte check comes first: most lines of a paste are not
// rows.
func parseTsharkRow(line []byte) (tsharkRow, bool) {
	var r tsharkRow
	i := bytes.Index(line, []byte("Request: "))
	if j := bytes.Index(line, []byte("Status: ")); j >= 0 && (i < 0 || j < i) {
		i = j
	}
	if i <= 0 {
		return r, false
	}
	r.info = strings.TrimSpace(string(line[i:]))
	r.info = strings.TrimSuffix(r.info, "|")
	// The columns before Info, split on blanks and markdown pipes.
	var f [12]string
	n := 0
	for _, tok := range bytes.FieldsFunc(line[:i], func(c rune) bool {
		return c == ' ' || c == '\t' || c == '|'
	}) {
		if n == len(f) {
			return r, false
		}
		f[n] = string(tok)
		n++
	}
	// From the end: length, protocol, destination, optional arrow, source.
	if n < 5 {
		return r, false
	}
	if _, err := strconv.Atoi(f[n-1]); err != nil {
		return r, false
	}
	if !strings.HasPrefix(f[n-2], "SIP") {
		return r, false
	}
	k := n - 3
	r.dst, r.dstText, k = tsharkAddrColumns(f[:], k)
	if k < 1 {
		return r, false
	}
	if f[k] == "->" || f[k] == "→" {
		r.arrow = true
		k--
	}
	if k < 1 {
		return r, false
	}
	r.src, r.srcText, k = tsharkAddrColumns(f[:], k)
	k++ // k is now the number of columns before the source
	if k < 1 {
		return r, false
	}
	// Front: frame number, then one or two time tokens.
	frame, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || frame < 0 {
		return r, false
	}
	r.frame = frame
	switch k {
	case 2:
		r.clock = f[1]
	case 3:
		r.date, r.clock = f[1], f[2]
	default:
		return r, false
	}
	return r, true
}

// tsharkAddrColumns reads the address ending at column k: an address, or
// an address and a port column when the columns were customised
// ("%us","%uS": "127.0.0.11 5060"). It returns the index of the column
// before it.
func tsharkAddrColumns(f []string, k int) (netip.AddrPort, string, int) {
	if k >= 1 && tsharkIsPort(f[k]) {
		if a, err := netip.ParseAddr(f[k-1]); err == nil {
			p, _ := strconv.Atoi(f[k])
			return netip.AddrPortFrom(a, uint16(p)), f[k-1] + ":" + f[k], k - 2
		}
	}
	return parseTsharkAddr(f[k]), f[k], k - 1
}

func tsharkIsPort(s string) bool {
	if len(s) == 0 || len(s) > 5 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !ntIsDigit(s[i]) {
			return false
		}
	}
	p, _ := strconv.Atoi(s)
	return p <= 65535
}

// parseTsharkAddr reads an address column: an IP, or ip:port / [v6]:port
// when the columns were customised. Names give the zero value.
func parseTsharkAddr(s string) netip.AddrPort {
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.AddrPortFrom(a, 0)
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap
	}
	return netip.AddrPort{}
}

// isTsharkHeaderRow reports the column-title row "No. Time Source ...".
func isTsharkHeaderRow(line []byte) bool {
	t := bytes.TrimLeft(line, " \t|")
	return bytes.HasPrefix(t, []byte("No.")) && bytes.Contains(t, []byte("Source")) && bytes.Contains(t, []byte("Info"))
}

// parseTsharkInfo reads one SIP PDU of the Info column:
//
//	Request: REGISTER sip:example.net  (1 binding)
//	Request: INVITE sip:bob@10.0.0.1:5060;transport=UDP, in-dialog
//	Status: 200 OK (REGISTER)  (1 binding)
//	Status: 401 Unauthorized
func parseTsharkInfo(s string) (TextSummary, bool) {
	var m TextSummary
	switch {
	case strings.HasPrefix(s, "Request: "):
		rest := strings.TrimSpace(s[len("Request: "):])
		method, rest, _ := strings.Cut(rest, " ")
		if !ntIsToken(method) {
			return m, false
		}
		uri, _, _ := strings.Cut(strings.TrimSpace(rest), " ")
		uri = strings.TrimSuffix(uri, ",") // ", in-dialog"
		if uri == "" {
			return m, false
		}
		m.Method, m.RequestURI = method, uri
		return m, true
	case strings.HasPrefix(s, "Status: "):
		rest := strings.TrimSpace(s[len("Status: "):])
		code, reason, _ := strings.Cut(rest, " ")
		c, err := strconv.Atoi(code)
		if err != nil || c < 100 || c > 699 {
			return m, false
		}
		m.Status = c
		reason = strings.TrimSpace(reason)
		// Binding notes come last: "(1 binding)", "(removed 2 bindings)".
		if i := strings.LastIndex(reason, "("); i >= 0 && strings.Contains(reason[i:], "binding") {
			reason = strings.TrimSpace(reason[:i])
		}
		// Then the method the response answers: "OK (REGISTER)".
		if strings.HasSuffix(reason, ")") {
			if i := strings.LastIndex(reason, "("); i >= 0 {
				if meth := reason[i+1 : len(reason)-1]; ntIsToken(meth) && strings.ToUpper(meth) == meth {
					m.CSeqMethod = meth
					reason = strings.TrimSpace(reason[:i])
				}
			}
		}
		m.Reason = reason
		return m, true
	}
	return m, false
}

// isSIPToken reports an RFC 3261 §25.1 token made of letters (methods).
func ntIsToken(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_' || c == '.' || c == '!' || c == '%' || c == '*' || c == '+' || c == '`' || c == '\'' || c == '~' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// isSIPStartLine reports a request line "METHOD uri SIP/2.0" or a status
// line "SIP/2.0 NNN ..." (RFC 3261 §7.1, §7.2).
func ntIsStartLine(l []byte) bool {
	if bytes.HasPrefix(l, []byte("SIP/2.0 ")) {
		return len(l) >= 11 && ntIsDigit(l[8]) && ntIsDigit(l[9]) && ntIsDigit(l[10])
	}
	if !bytes.HasSuffix(l, []byte(" SIP/2.0")) {
		return false
	}
	sp := bytes.IndexByte(l, ' ')
	return sp > 0 && l[0] >= 'A' && l[0] <= 'Z' && ntIsToken(string(l[:sp]))
}

func ntIsDigit(c byte) bool { return c >= '0' && c <= '9' }

// ntBlock collects the lines of one message for the network tool
// ingesters (tshark, ngrep, sngrep, Wireshark text).
type ntBlock struct {
	m     *TextMessage
	text  []byte
	lines []int
	ends  []int // end offset in text of each line
}

func (b *ntBlock) empty() bool { return b.m == nil }

// begin starts a message whose envelope is m. Text and Lines go out with
// the message, so they are new for each one (sized for a typical SIP
// message); ends stays with the block.
func (b *ntBlock) begin(m *TextMessage) {
	b.m, b.text, b.lines, b.ends = m, make([]byte, 0, 1024), make([]int, 0, 24), b.ends[:0]
}

// add appends log line n to the message.
func (b *ntBlock) add(n int, line []byte) {
	b.text = append(append(b.text, line...), '\n')
	b.lines = append(b.lines, n)
	b.ends = append(b.ends, len(b.text))
}

// flush emits the message, without the blank lines that follow it in
// the paste (they separate packets), and returns whether it emitted.
// An envelope without any line is a problem: the tool printed a packet
// header and nothing we can read.
func (b *ntBlock) flush(out TextSink) bool {
	if b.m == nil {
		return false
	}
	m := b.m
	k := len(b.lines)
	for k > 0 && ntBlankLine(b.text, b.ends, k-1) {
		k--
	}
	b.m = nil
	if k == 0 {
		out.Problem(m.Line, "packet header with no SIP text under it")
		return false
	}
	m.Text = b.text[:b.ends[k-1]]
	m.Lines = b.lines[:k]
	out.Emit(m)
	b.text, b.lines, b.ends = nil, nil, b.ends[:0]
	return true
}

// ntBlankLine reports whether the i-th line (ends[i] its end offset) holds
// only blanks.
func ntBlankLine(text []byte, ends []int, i int) bool {
	start := 0
	if i > 0 {
		start = ends[i-1]
	}
	return len(bytes.TrimSpace(text[start:ends[i]])) == 0
}
