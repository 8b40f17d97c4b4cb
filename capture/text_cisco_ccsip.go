package capture

import (
	"bytes"
	"net/netip"
	"strconv"
	"sync/atomic"
	"time"
)

// Cisco IOS / IOS-XE `debug ccsip messages` (CUBE, SIP gateways, CME,
// SRST, Webex local gateways), TEXT-FORMATS.md §1. Each message is
//
//	007592: Apr  7 07:28:56.046: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:
//	Received:
//	INVITE sip:1000@10.106.117.5:5060 SIP/2.0
//	...
//
// and it ends at the next IOS debug line, whatever produced it (other
// ccsip debugs, CCAPI, ISDN, %FAC-SEV-MNEM events), at a CLI prompt or at
// a `--More--`-free end of the paste. The same ingester reads
// `show voip trace` (text_cisco_voiptrace.go), whose messages have the
// same envelope with `CUBE_VT` in the tag.

func init() {
	registerTextFormat(&TextFormat{
		Name:     "cisco-ccsip",
		Title:    "Cisco IOS debug ccsip messages",
		Detect:   detectCiscoCCSIP,
		New:      func() TextIngester { return newCCSIPIngester() },
		Priority: 1,
	})
}

var (
	ccsipDisplayMsg = []byte("ccsipDisplayMsg")
	ccsipCubeVT     = []byte("CUBE_VT/")
	ccsipEsc012     = []byte("#012")
)

// detectCiscoCCSIP: the ccsipDisplayMsg tag is printed by nothing else.
// With CUBE_VT it is a voip trace, which that format claims with a higher
// score.
func detectCiscoCCSIP(sample [][]byte) int {
	tag, debug := false, false
	for _, l := range sample {
		if bytes.Contains(l, ccsipDisplayMsg) {
			if bytes.Contains(l, ccsipCubeVT) {
				return 80
			}
			tag = true
		}
		if i := bytes.Index(l, []byte("//")); i >= 0 && !debug {
			path, ok := ccsipTagPath(l[i:])
			debug = ok && bytes.HasPrefix(path, []byte("SIP/"))
		}
	}
	switch {
	case tag:
		return 100
	case debug:
		return 90 // other ccsip debugs: the messages come after the sample
	}
	if ccsipDirThenStart(sample) {
		return 40 // "Sent:"/"Received:" then a start line: an IOS paste without its tags
	}
	return 0
}

// ccsipDirThenStart reports a "Sent:"/"Received:" line directly followed
// by a SIP start line, blank lines aside.
func ccsipDirThenStart(sample [][]byte) bool {
	dir := false
	for _, l := range sample {
		t := bytes.TrimSpace(l)
		if len(t) == 0 {
			continue
		}
		if dir && ciscoIsStartLine(t) {
			return true
		}
		_, rest, ok := ccsipDirection(t)
		dir = ok && len(rest) == 0
	}
	return false
}

type ccsipState uint8

const (
	ccsipIdle     ccsipState = iota
	ccsipAfterTag            // a ccsipDisplayMsg tag: Sent:/Received: or the start line comes next
	ccsipAfterDir            // a Sent:/Received: line: the start line comes next
	ccsipInMsg               // reading the lines of a message
)

// ccsipEnvelope is what the lines around a message say about it.
type ccsipEnvelope struct {
	line        int
	stamp       TextStamp
	seq         int64
	dir         TextDirection
	local, peer netip.AddrPort
	transport   Transport
	truncated   bool
}

type ccsipIngester struct {
	state ccsipState
	env   ccsipEnvelope
	text  ciscoText

	// stamped: the last line held only an IOS prefix (a doc wrapped the
	// tag onto the next line); stampEnv is what it said.
	stamped  bool
	stampEnv ccsipEnvelope
	// partial is the start of a tag path wrapped before its end
	// ("//-1/xxxxxxxxxxxx/SIP/" then "Msg/ccsipDisplayMsg:").
	partial    [24]byte
	partialLen int
	partialEnv ccsipEnvelope
	hasPartial bool

	// held is the last Sent message, kept until the next one is emitted
	// so that a transport debug line printed after it can give its peer.
	held *TextMessage
	// nextPeer comes from a transport debug line printed before the
	// Sent message it belongs to.
	nextPeer     netip.AddrPort
	nextPeerLine int

	// coverStamp is the call's time from a voip trace Cover Buffer
	// ("  Timestamp      = *Aug 30 21:21:45.583"), given to the first
	// message after it when that message has no stamp of its own (17.12
	// prints bare Sent:/Received: lines).
	coverStamp TextStamp

	// indent is the indent of a paste indented as a whole, learned from
	// its first indented IOS debug line; 0 otherwise.
	indent int

	stamps iosStampCache // the last IOS stamp read

	// atLogStart: nothing but preamble since the start of the input, a
	// CLI prompt or a `show logging` "Log Buffer" line, so SIP lines with
	// no envelope are the end of a message the buffer cut.
	atLogStart bool
}

func newCCSIPIngester() *ccsipIngester {
	x := &ccsipIngester{atLogStart: true}
	x.text.recycle = true // emit and flushHeld release what is no longer held
	return x
}

// Line reads one log line. rsyslog `#012` escapes (a whole
// ccsipDisplayMsg as one syslog message) are split by the framework; the
// tag handling splits them too, in case they reach an ingester as they are.
func (x *ccsipIngester) Line(n int, line []byte, out TextSink) {
	if x.indent > 0 {
		// a paste indented as a whole (a Markdown code block): the
		// indent goes, a folded line keeps what it has beyond it
		i := 0
		for i < x.indent && i < len(line) && line[i] == ' ' {
			i++
		}
		line = line[i:]
	}
	x.line(n, line, out)
}

// escaped feeds the parts of a line holding `#012` escapes one by one.
func (x *ccsipIngester) escaped(n int, line []byte, out TextSink) {
	for {
		j := bytes.Index(line, ccsipEsc012)
		if j < 0 {
			break
		}
		if part := ciscoTrimEsc015(line[:j]); len(part) > 0 || x.state == ccsipInMsg {
			x.line(n, part, out)
		}
		line = line[j+len(ccsipEsc012):]
	}
	if line = ciscoTrimEsc015(line); len(line) > 0 {
		x.line(n, line, out)
	}
}

func (x *ccsipIngester) End(out TextSink) {
	x.finish(out)
	x.flushHeld(out)
	if x.hasPartial {
		out.Problem(x.partialEnv.line, "Cisco ccsip: the log ends inside a ccsipDisplayMsg header: the message after it was cut off")
	}
}

func (x *ccsipIngester) line(n int, l []byte, out TextSink) {
	if len(l) == 0 {
		x.blank(n)
		return
	}
	c := l[0]
	if isASCIILetter(c) && !x.hasPartial && !ccsipLetterSpecial(l) {
		x.content(n, l, out)
		return
	}
	x.special(n, l, out)
}

// takeLines (windowLineTaker) adds the lines of the message in progress
// that line would add as they are — blank lines and lines starting with
// a letter that are not envelope (ccsipLetterSpecial) — straight from the
// reader's window, all at once (addRun).
func (x *ccsipIngester) takeLines(r *lineReader) {
	if x.state != ccsipInMsg || x.indent > 0 || x.hasPartial {
		return
	}
	if run := r.takeRun(ccsipMessageLine); run.lines > 0 {
		x.text.addRun(run.n, run.text, run.lines, run.keep, run.keepLines)
	}
}

// ccsipMessageLine: line, when a message is open, is one line adds to it
// as it is (keep in takeLines counts on its being empty or starting with
// a letter, not blank).
func ccsipMessageLine(l []byte) bool {
	return len(l) == 0 || isASCIILetter(l[0]) && !ccsipLetterSpecial(l)
}

// ccsipLetterSpecial spots, among lines starting with a letter (most
// message lines), the few that are envelope or terminal output: an IOS
// timestamp without sequence number, Sent:/Received:, ISDN debugs, the
// `show logging` buffer line and CLI prompts.
func ccsipLetterSpecial(l []byte) bool {
	if len(l) >= 4 && l[3] == ' ' && ciscoMonth(l[:3]) > 0 {
		return true
	}
	switch l[0] {
	case 'S':
		if bytes.HasPrefix(l, ccsipSent) {
			return true
		}
	case 'R':
		if bytes.HasPrefix(l, ccsipReceived) {
			return true
		}
	case 'I':
		if bytes.HasPrefix(l, ccsipISDN) {
			return true
		}
	case 'L':
		if bytes.HasPrefix(l, ccsipLogBuffer) {
			return true
		}
	}
	// a prompt ends in a '#' within its first 64 bytes: one search rules
	// it out for nearly every line, without reading the line's first word
	// byte by byte
	if bytes.IndexByte(l[:min(len(l), 64)], '#') < 0 {
		return false
	}
	return ciscoPromptLen(l) > 0
}

var (
	ccsipSent      = []byte("Sent:")
	ccsipReceived  = []byte("Received:")
	ccsipISDN      = []byte("ISDN ")
	ccsipLogBuffer = []byte("Log Buffer (")
	ccsipMore      = []byte("--More--")
)

// ciscoPromptLen returns the length of an IOS privileged-mode CLI prompt
// at the start of l ("Router#", "CUBE#sh log", "gw(config)#"), 0 if none.
// A SIP header name stops at ':', an SDP line at '=', a start line at ' ';
// an IOS host name has no dots. User-mode prompts ("Router>") are not
// taken: debugs need enable mode, and a wrapped "...;lr>" looks like one.
func ciscoPromptLen(l []byte) int {
	i := 0
	for i < len(l) && i < 64 {
		c := l[i]
		if ciscoHostChar[c] {
			i++
			continue
		}
		if c == '#' && i > 0 && isASCIILetter(l[0]) &&
			(i+1 == len(l) || l[i+1] == ' ' || isASCIILetter(l[i+1])) {
			return i + 1
		}
		return 0
	}
	return 0
}

// ciscoHostChar: the characters of an IOS prompt before its '#' or '>'.
var ciscoHostChar = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = isASCIILetter(byte(c)) || isDigitByte(byte(c)) || c == '_' || c == '-' || c == '(' || c == ')'
	}
	return
}()

// special handles every line that is not plainly a message line.
func (x *ccsipIngester) special(n int, l []byte, out TextSink) {
	c := l[0]
	switch {
	case c == ' ' || c == '\t':
		t := ciscoTrimLeft(l)
		if len(t) == 0 {
			x.blank(n)
			return
		}
		if bytes.HasPrefix(t, ccsipMore) {
			x.more(n, t, out)
			return
		}
		if x.indent == 0 && len(l)-len(t) <= 8 && !isASCIILetter(t[0]) && t[0] != '/' {
			if _, rest, ok := parseIOSPrefixCached(t, &x.stamps); ok && len(rest) > 0 && bytes.Contains(rest, ccsipDisplayMsg) {
				x.indent = len(l) - len(t)
				x.line(n, t, out)
				return
			}
		}
		if t[0] == '/' || x.hasPartial {
			if x.tagLine(n, t, ccsipEnvelope{}, false, out) {
				return
			}
		}
		if x.state == ccsipIdle && bytes.HasPrefix(t, ccsipCoverTimestamp) {
			x.coverStamp = ciscoCoverStamp(t[len(ccsipCoverTimestamp):])
			return
		}
		x.content(n, l, out) // a folded header line (RFC 3261 §7.3.1) or a CCAPI continuation
		return
	case c == '-':
		if bytes.HasPrefix(l, ccsipMore) {
			x.more(n, l, out)
			return
		}
		if ciscoIsRule(l) {
			x.terminate(out) // the voip trace's "---- Cover Buffer ----" and its closing rule
			return
		}
	case c >= '0' && c <= '9', c == '*', c == '.', c == '<', isASCIILetter(c) && len(l) >= 4 && l[3] == ' ':
		if x.state == ccsipIdle && !x.hasPartial && len(l) > 48 &&
			indexAnchored(l, "ccsipDisplayMsg", 11) < 0 && indexAnchored(l, "SendMessage:", 4) < 0 {
			// between messages, most lines are other debugs ("debug ccsip
			// all", CCAPI): nothing to read in them, not even their stamp
			// (the searches go by a 'y' and an 'M', rarer there than the
			// stamp's colons)
			x.stamped = false
			return
		}
		if p, rest, ok := parseIOSPrefixCached(l, &x.stamps); ok {
			x.prefixed(n, p, rest, out)
			return
		}
	case c == '/' || x.hasPartial:
		if x.tagLine(n, l, ccsipEnvelope{}, false, out) {
			return
		}
	case c == '%':
		if ciscoIsSyslogEvent(l) {
			x.terminate(out)
			return
		}
	}
	if isASCIILetter(c) {
		if dir, rest, ok := ccsipDirection(l); ok {
			x.direction(n, dir, rest, out)
			return
		}
		if bytes.HasPrefix(l, ccsipISDN) {
			x.terminate(out)
			return
		}
		if bytes.HasPrefix(l, ccsipLogBuffer) || ciscoPromptLen(l) > 0 {
			x.terminate(out)
			x.atLogStart = true // `show logging` or a new paste follows
			return
		}
	}
	x.content(n, l, out)
}

var ccsipCoverTimestamp = []byte("Timestamp ")

// ciscoCoverStamp reads the value of a Cover Buffer's Timestamp line:
// "     = *Aug 30 21:21:45.583".
func ciscoCoverStamp(b []byte) TextStamp {
	b = ciscoTrimLeft(b)
	if len(b) == 0 || b[0] != '=' {
		return TextStamp{}
	}
	b = ciscoTrimLeft(b[1:])
	mark := len(b) > 0 && (b[0] == '*' || b[0] == '.')
	if mark {
		b = b[1:]
	}
	st, _, ok := ciscoIOSTime(b, 0)
	if !ok {
		return TextStamp{}
	}
	st.Unreliable = mark
	return st
}

// more strips a `--More--` pager prompt; what the terminal printed after
// it on the same line is a line of its own.
func (x *ccsipIngester) more(n int, l []byte, out TextSink) {
	rest := l[len(ccsipMore):]
	for len(rest) > 0 && (rest[0] == ' ' || rest[0] == '\b' || rest[0] == '\t') {
		rest = rest[1:]
	}
	if len(rest) > 0 {
		x.line(n, rest, out)
	}
}

// blank: inside a message a blank line is kept (it may separate the
// headers from the body; the framework undoes double spacing).
func (x *ccsipIngester) blank(n int) {
	if x.state == ccsipInMsg {
		x.text.add(n, nil)
	}
}

// content is a line that belongs to a SIP message, if one is open.
func (x *ccsipIngester) content(n int, l []byte, out TextSink) {
	switch x.state {
	case ccsipInMsg:
		x.text.add(n, l)
	case ccsipAfterTag, ccsipAfterDir:
		x.open(n, l)
	default:
		if x.hasPartial || x.stamped {
			x.hasPartial, x.stamped = false, false
		}
		if ciscoIsStartLine(l) {
			x.env = ccsipEnvelope{line: n}
			x.open(n, l)
			return
		}
		if x.atLogStart && ciscoLooksLikeSIPLine(l) {
			// the end of a message whose start the log buffer lost
			x.env = ccsipEnvelope{line: n, truncated: true}
			x.open(n, l)
		}
	}
}

// open starts a message whose first line is l, with the envelope read so far.
func (x *ccsipIngester) open(n int, l []byte) {
	if x.env.line == 0 {
		x.env.line = n
	}
	if x.env.dir == DirSent && !x.env.peer.IsValid() && x.nextPeer.IsValid() && x.env.line-x.nextPeerLine <= 12 {
		x.env.peer = x.nextPeer
	}
	x.nextPeer = netip.AddrPort{}
	if x.env.stamp.Time.IsZero() && !x.coverStamp.Time.IsZero() {
		x.env.stamp = x.coverStamp
	}
	x.coverStamp = TextStamp{}
	x.text.reset()
	x.text.add(n, l)
	x.state = ccsipInMsg
	x.atLogStart = false
	x.stamped, x.hasPartial = false, false
}

// terminate ends the message in progress at a line that is not part of it.
func (x *ccsipIngester) terminate(out TextSink) {
	x.finish(out)
	x.stamped, x.hasPartial = false, false
}

// finish emits the message in progress, or records a tag that no message
// followed.
func (x *ccsipIngester) finish(out TextSink) {
	switch x.state {
	case ccsipInMsg:
		m := x.text.message()
		if m != nil {
			m.Line = x.env.line
			m.Stamp = x.env.stamp
			m.Seq = x.env.seq
			m.Dir = x.env.dir
			m.Local, m.Peer = x.env.local, x.env.peer
			m.Transport = x.env.transport
			m.Truncated = x.env.truncated
			x.emit(m, out)
		}
	case ccsipAfterTag, ccsipAfterDir:
		out.Problem(x.env.line, "Cisco ccsip: a message header with no SIP message after it")
	}
	x.state = ccsipIdle
	x.env = ccsipEnvelope{}
}

// emit hands m over, holding a Sent message without peer back until the
// next one in case a transport debug line names its peer.
func (x *ccsipIngester) emit(m *TextMessage, out TextSink) {
	x.flushHeld(out)
	if m.Dir == DirSent && !m.Peer.IsValid() {
		x.held = m
		return
	}
	out.Emit(m)
	x.text.release() // nothing held: every message cut so far is gone
}

func (x *ccsipIngester) flushHeld(out TextSink) {
	if x.held != nil {
		out.Emit(x.held)
		x.held = nil
		x.text.release()
	}
}

// prefixed handles a line that starts with an IOS debug prefix (sequence
// number and/or timestamp): it always ends the message in progress.
func (x *ccsipIngester) prefixed(n int, p ccsipPrefix, rest []byte, out TextSink) {
	x.terminate(out)
	x.atLogStart = false
	env := ccsipEnvelope{line: n, stamp: p.stamp, seq: p.seq}
	rest = ciscoTrimLeft(rest)
	if len(rest) == 0 {
		x.stamped, x.stampEnv = true, env // the tag is on the next line
		return
	}
	if rest[0] == '/' {
		x.tagLine(n, rest, env, true, out)
	}
	// anything else is another debug line (%FAC-SEV-MNEM, CCAPI, binary data)
}

// tagLine reads a `//callid/GUID/path` debug tag. known says env comes
// from this line's own prefix; otherwise a prefix alone on the line before
// is used. It reports false when t is not a tag (a human annotation such
// as "//CUBE receives INVITE": it still ends the message in progress).
func (x *ccsipIngester) tagLine(n int, t []byte, env ccsipEnvelope, known bool, out TextSink) bool {
	if x.hasPartial && !known {
		path := append(x.partial[:x.partialLen:x.partialLen], ciscoTrimLeft(t)...)
		x.hasPartial = false
		if rest, ok := ccsipMsgTag(path); ok {
			x.startTag(x.partialEnv, rest, n, out)
			return true
		}
		if t[0] != '/' {
			return false
		}
	}
	path, ok := ccsipTagPath(t)
	if !ok {
		if len(t) > 2 && t[1] == '/' && !known {
			x.terminate(out) // a "//comment" annotation
			return true
		}
		return false
	}
	if !known {
		if x.stamped {
			env = x.stampEnv
		} else {
			env = ccsipEnvelope{line: n}
		}
	}
	x.terminate(out)
	if rest, ok := ccsipMsgTag(path); ok {
		x.startTag(env, rest, n, out)
		return true
	}
	if len(path) < len(ccsipMsgPath) && bytes.HasPrefix(ccsipMsgPath, path) && len(path) <= len(x.partial) {
		// wrapped in the middle of the tag: the rest is on the next line
		x.partialLen = copy(x.partial[:], path)
		x.partialEnv, x.hasPartial = env, true
		return true
	}
	if addr, tr, ok := ccsipTransportPeer(path); ok {
		x.transportPeer(n, addr, tr, out)
	}
	return true // another ccsip/CCAPI debug (sipDisplayBinaryData included): not a message
}

var (
	ccsipMsgPath = []byte("SIP/Msg/ccsipDisplayMsg")
	ccsipColon   = []byte("&colon;")
)

// ccsipMsgTag reports whether a tag path is the message display, and
// returns what follows its colon (a collapsed message, when the web
// flattened it).
func ccsipMsgTag(path []byte) ([]byte, bool) {
	if !bytes.HasPrefix(path, ccsipMsgPath) {
		return nil, false
	}
	rest := path[len(ccsipMsgPath):]
	switch {
	case len(rest) > 0 && rest[0] == ':':
		rest = rest[1:]
	case bytes.HasPrefix(rest, ccsipColon):
		rest = rest[len(ccsipColon):]
	case len(rest) == 0:
	default:
		return nil, false
	}
	return ciscoTrimLeft(rest), true
}

// startTag opens the envelope of a message at its ccsipDisplayMsg tag.
func (x *ccsipIngester) startTag(env ccsipEnvelope, rest []byte, n int, out TextSink) {
	x.env = env
	x.state = ccsipAfterTag
	x.atLogStart = false
	switch {
	case len(rest) == 0:
	case bytes.Contains(rest, ccsipEsc012):
		x.escaped(n, rest, out) // rsyslog: "#012Received:#012INVITE ...#012Via: ..."
	default:
		x.line(n, rest, out) // "Received: INVITE sip:... SIP/2.0 Via: ..." on the tag line
	}
}

// ccsipTagPath parses `/{1,3}-?callid/GUID/` (and the voip trace's
// `CUBE_VT/`) and returns the path after it ("SIP/Msg/ccsipDisplayMsg:").
// Docs lose a slash now and then ("/-1/xxxxxxxxxxxx/...").
func ccsipTagPath(t []byte) ([]byte, bool) {
	i := 0
	for i < len(t) && i < 3 && t[i] == '/' {
		i++
	}
	if i == 0 {
		return nil, false
	}
	if i < len(t) && t[i] == '-' {
		i++
	}
	d := i
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == d || i >= len(t) || t[i] != '/' {
		return nil, false
	}
	i++
	g := i
	for i < len(t) && isHexOrX(t[i]) {
		i++
	}
	if i-g != 12 || i >= len(t) || t[i] != '/' {
		return nil, false
	}
	i++
	return bytes.TrimPrefix(t[i:], ccsipCubeVT), true
}

func isHexOrX(c byte) bool { return hexOrX[c] }

// hexOrX: the bytes of a tag's GUID, hex digits or the x of a masked one
// ("xxxxxxxxxxxx"), looked up instead of five comparisons per byte.
var hexOrX = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		t[c] = b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F' || b == 'x' || b == 'X'
	}
	return
}()

var (
	ccsipAddrEq = []byte("addr=")
	ccsipPortEq = []byte("port=")
)

// ccsipTransportPeer reads the address of a transport debug line:
// `sipSPITransportSendMessage: msg=0x64082D50, addr=172.18.194.183, port=5060, ...`
// or `sipTransportPostSendMessage: Posting send for msg=0x..., addr=A, port=P, connId=1 for TCP`.
func ccsipTransportPeer(path []byte) (netip.AddrPort, Transport, bool) {
	if !ccsipIsSend(path) {
		return netip.AddrPort{}, TransportUnknown, false
	}
	a := indexAnchored(path, "addr=", 4)
	p := indexAnchored(path, "port=", 4)
	if a < 0 || p < 0 {
		return netip.AddrPort{}, TransportUnknown, false
	}
	field := ciscoField(path[a+len(ccsipAddrEq):])
	addr, ok := parseIPv4(field) // what netip.ParseAddr reads, without the string
	if !ok {
		var err error
		if addr, err = netip.ParseAddr(string(field)); err != nil {
			return netip.AddrPort{}, TransportUnknown, false
		}
	}
	port, ok := ccsipPort(ciscoField(path[p+len(ccsipPortEq):]))
	if !ok {
		return netip.AddrPort{}, TransportUnknown, false
	}
	tr := TransportUnknown
	switch {
	case indexAnchored(path, "for ", 0) < 0:
	case bytes.Contains(path, []byte("for TCP")):
		tr = TCP
	case bytes.Contains(path, []byte("for TLS")):
		tr = TLS
	case bytes.Contains(path, []byte("for UDP")):
		tr = UDP
	}
	return netip.AddrPortFrom(addr.Unmap(), uint16(port)), tr, true
}

// ccsipIsSend: path holds "TransportSendMessage:" or
// "TransportPostSendMessage:", found through its 'M' (a debug line's
// colons are many: the stamp alone has four).
func ccsipIsSend(path []byte) bool {
	for i := 0; i < len(path); {
		k := indexAnchored(path[i:], "SendMessage:", 4)
		if k < 0 {
			return false
		}
		k += i
		if bytes.HasSuffix(path[:k], ccsipTransport) || bytes.HasSuffix(path[:k], ccsipTransportPost) {
			return true
		}
		i = k + 1
	}
	return false
}

var (
	ccsipTransport     = []byte("Transport")
	ccsipTransportPost = []byte("TransportPost")
)

// indexAnchored is bytes.Index(b, pat), found through the occurrences of
// pat[k], a byte that is rare where pat is looked for: bytes.Index starts
// from pat's first byte, often a common letter in a debug line.
func indexAnchored(b []byte, pat string, k int) int {
	c := pat[k]
	for i := k; i < len(b); {
		j := bytes.IndexByte(b[i:], c)
		if j < 0 {
			return -1
		}
		j += i
		if s := j - k; s+len(pat) <= len(b) && string(b[s:s+len(pat)]) == pat {
			return s
		}
		i = j + 1
	}
	return -1
}

// ccsipPort reads a port as strconv.ParseUint(b, 10, 16) does, the usual
// short run of digits without the string conversion.
func ccsipPort(b []byte) (uint16, bool) {
	if v, ok := smallDecimal(b); ok {
		return uint16(v), v <= 0xffff
	}
	v, err := strconv.ParseUint(string(b), 10, 16)
	return uint16(v), err == nil
}

// ciscoField returns b up to the first comma, space or end.
func ciscoField(b []byte) []byte {
	for i, c := range b {
		if c == ',' || c == ' ' || c == ';' {
			return b[:i]
		}
	}
	return b
}

// transportPeer gives the address of a transport debug line to the Sent
// message it belongs to: the one just emitted (debug printed after the
// message), else the next one (printed before).
func (x *ccsipIngester) transportPeer(n int, addr netip.AddrPort, tr Transport, out TextSink) {
	if x.held != nil && !x.held.Peer.IsValid() && n-x.held.Line <= 200 {
		x.held.Peer = addr
		if x.held.Transport == TransportUnknown {
			x.held.Transport = tr
		}
		x.flushHeld(out)
		return
	}
	x.nextPeer, x.nextPeerLine = addr, n
}

// ccsipDirection reads a `Sent:` / `Received:` line and what follows it.
func ccsipDirection(l []byte) (TextDirection, []byte, bool) {
	var d TextDirection
	switch {
	case bytes.HasPrefix(l, ccsipSent):
		d, l = DirSent, l[len(ccsipSent):]
	case bytes.HasPrefix(l, ccsipReceived):
		d, l = DirReceived, l[len(ccsipReceived):]
	default:
		return DirUnknown, nil, false
	}
	return d, bytes.TrimSpace(l), true
}

// direction handles a Sent:/Received: line: after a tag it completes the
// envelope, on its own (voip trace excerpts, pastes without tags) it opens
// one. What follows on the line is the 17.8+ voip trace address summary
// or the start of a message the web collapsed onto one line.
func (x *ccsipIngester) direction(n int, d TextDirection, rest []byte, out TextSink) {
	if x.state != ccsipAfterTag {
		x.terminate(out)
		x.env = ccsipEnvelope{line: n}
	}
	x.env.dir = d
	x.state = ccsipAfterDir
	x.atLogStart = false
	if len(rest) == 0 {
		return
	}
	if tr, from, to, ok := ciscoVTAddresses(rest); ok {
		x.env.transport = tr
		if d == DirReceived {
			x.env.peer, x.env.local = from, to
		} else {
			x.env.peer, x.env.local = to, from
		}
		return
	}
	x.open(n, rest)
}

// ciscoVTAddresses reads "SIP UDP message from 8.41.17.71:5099 to 8.44.25.45:5060".
func ciscoVTAddresses(b []byte) (Transport, netip.AddrPort, netip.AddrPort, bool) {
	var none netip.AddrPort
	if !bytes.HasPrefix(b, []byte("SIP ")) {
		return TransportUnknown, none, none, false
	}
	f := bytes.Fields(b)
	if len(f) < 7 || string(f[2]) != "message" || string(f[3]) != "from" || string(f[5]) != "to" {
		return TransportUnknown, none, none, false
	}
	from, err1 := netip.ParseAddrPort(string(f[4]))
	to, err2 := netip.ParseAddrPort(string(f[6]))
	if err1 != nil || err2 != nil {
		return TransportUnknown, none, none, false
	}
	return transportNamed(f[1]), from, to, true
}

// ciscoIsRule matches a line of 20 or more dashes, or dashes around a
// title ("------------------ Cover Buffer ---------------"): never a
// multipart boundary, which has a token after its two dashes.
func ciscoIsRule(l []byte) bool {
	if len(l) < 20 || !bytes.HasPrefix(l, []byte("----------")) {
		return false
	}
	return bytes.HasSuffix(bytes.TrimRight(l, " "), []byte("----------"))
}

// ciscoIsSyslogEvent matches `%FACILITY-SEVERITY-MNEMONIC:`.
func ciscoIsSyslogEvent(l []byte) bool {
	i := 1
	for i < len(l) && (l[i] >= 'A' && l[i] <= 'Z' || l[i] >= '0' && l[i] <= '9' || l[i] == '_') {
		i++
	}
	return i > 1 && i+2 < len(l) && l[i] == '-' && l[i+1] >= '0' && l[i+1] <= '7' && l[i+2] == '-'
}

// ciscoIsStartLine matches a SIP start line, also when the rest of a
// collapsed message follows it on the same line:
// `METHOD SP Request-URI SP SIP/2.0` or `SIP/2.0 SP 3DIGIT` (RFC 3261 §7.1, §7.2).
func ciscoIsStartLine(l []byte) bool {
	if len(l) >= 11 && bytes.HasPrefix(l, []byte("SIP/2.0 ")) {
		return isDigitByte(l[8]) && isDigitByte(l[9]) && isDigitByte(l[10]) && (len(l) == 11 || l[11] == ' ')
	}
	i := 0
	for i < len(l) && l[i] >= 'A' && l[i] <= 'Z' {
		i++
	}
	if i < 3 || i >= len(l) || l[i] != ' ' {
		return false
	}
	sp := bytes.IndexByte(l[i+1:], ' ')
	if sp <= 0 {
		return false
	}
	v := l[i+1+sp+1:]
	return bytes.HasPrefix(v, []byte("SIP/2.0")) && (len(v) == 7 || v[7] == ' ')
}

// ciscoLooksLikeSIPLine matches a header line (`Name:`) or an SDP line
// (`x=`): what the rest of a cut message is made of.
func ciscoLooksLikeSIPLine(l []byte) bool {
	if len(l) >= 2 && l[0] >= 'a' && l[0] <= 'z' && l[1] == '=' {
		return true
	}
	i := 0
	for i < len(l) && (isASCIILetter(l[i]) || l[i] >= '0' && l[i] <= '9' || l[i] == '-' || l[i] == '_' || l[i] == '.') {
		i++
	}
	return i > 0 && i < len(l) && l[i] == ':' && isASCIILetter(l[0])
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigitByte(c byte) bool   { return c >= '0' && c <= '9' }

// ciscoDedent undoes the indent of a paste indented as a whole (a
// Markdown code block, a quoted mail): the first indented line that is
// one of the format's own log lines (isLogLine) sets *indent, and from
// then on that many leading spaces go from every line.
func ciscoDedent(l []byte, indent *int, isLogLine func([]byte) bool) []byte {
	if *indent == 0 {
		if len(l) == 0 || l[0] != ' ' {
			return l
		}
		t := ciscoTrimLeft(l)
		if d := len(l) - len(t); d <= 8 && len(t) > 0 && isLogLine(t) {
			*indent = d
			return t
		}
		return l
	}
	i := 0
	for i < *indent && i < len(l) && l[i] == ' ' {
		i++
	}
	return l[i:]
}

func ciscoTrimLeft(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return b
}

// ciscoTrimEsc015 drops rsyslog's escaped carriage returns at the end of
// a line.
func ciscoTrimEsc015(b []byte) []byte {
	for bytes.HasSuffix(b, []byte("#015")) {
		b = b[:len(b)-4]
	}
	return b
}

// ccsipPrefix is what precedes the debug text on an IOS log line.
type ccsipPrefix struct {
	seq   int64
	stamp TextStamp
}

// parseIOSPrefix reads, in this order, each optional: a syslog PRI
// `<189>`, a syslog collector's own stamp and host (`Sep  6 09:13:00
// RouterName ` or `2023-09-06T09:13:00+02:00 RouterName `), the IOS
// sequence number `NNNNNN:` (or the voip trace index `N:`), the clock
// mark `*`/`.` and the IOS timestamp, then the ` : ` separator. ok is
// false when no sequence number nor timestamp is there.
func parseIOSPrefix(l []byte) (p ccsipPrefix, rest []byte, ok bool) {
	return parseIOSPrefixCached(l, nil)
}

// iosStampCache is the last IOS stamp read up to its colon
// ("Mar  5 09:00:00.007:"), as text and as read: the lines of a log come
// in bursts with the same stamp. What ciscoIOSTime returns depends on
// those bytes only, so the same bytes give the same stamp.
type iosStampCache struct {
	text [40]byte
	n    int
	st   TextStamp
	// frac, when not 0, is where the fraction of a second starts in
	// text, which ends with it and the colon ("Mar  5 09:00:00.|007:"):
	// a stamp that differs only in those digits (the next millisecond)
	// is the cached one moved within its second (fracHit).
	frac int
}

// stampFracStart returns where the fraction starts in a stamp text that
// ends with seconds, a '.' or ',', 1 to 9 digits and the colon
// ("09:00:00.007:"), 0 for any other stamp. ciscoClock reads such a
// fraction to its end, and nothing after it changes the stamp.
func stampFracStart(text []byte) int {
	e := len(text) - 1
	if e < 0 || text[e] != ':' {
		return 0
	}
	d := e
	for d > 0 && isDigitByte(text[d-1]) {
		d--
	}
	if n := e - d; n < 1 || n > 9 || d < 3 || text[d-1] != '.' && text[d-1] != ',' ||
		!isDigitByte(text[d-2]) || !isDigitByte(text[d-3]) {
		return 0
	}
	return d
}

// fracHit reports whether t (as long as the cached text) is the cached
// stamp with other digits in its fraction, and if so makes it the cached
// stamp: the same second, the fraction read as ciscoClock reads it.
func (c *iosStampCache) fracHit(t []byte) bool {
	if string(t[:c.frac]) != string(c.text[:c.frac]) || t[c.n-1] != ':' {
		return false
	}
	ns, scale := 0, int(time.Second)
	for _, d := range t[c.frac : c.n-1] {
		if !isDigitByte(d) {
			return false
		}
		scale /= 10
		ns += int(d-'0') * scale
	}
	copy(c.text[c.frac:c.n], t[c.frac:])
	c.st.Time = time.Unix(c.st.Time.Unix(), int64(ns)).UTC()
	return true
}

// parseIOSPrefixCached is parseIOSPrefix, taking a stamp equal to the
// last one from cache (when not nil) instead of reading it again.
func parseIOSPrefixCached(l []byte, cache *iosStampCache) (p ccsipPrefix, rest []byte, ok bool) {
	i := 0
	if len(l) > 2 && l[0] == '<' && isDigitByte(l[1]) {
		j := 1
		for j < len(l) && j < 5 && isDigitByte(l[j]) {
			j++
		}
		if j >= len(l) || l[j] != '>' {
			return p, l, false
		}
		i = j + 1
	}
	var collector TextStamp
	if j, st, ok := ciscoCollectorPrefix(l, i); ok {
		i, collector = j, st
	}
	hasSeq := false
	j := i
	for j < len(l) && isDigitByte(l[j]) && j-i < 18 {
		j++
	}
	if j > i && j < len(l) && l[j] == ':' && (j+1 == len(l) || l[j+1] == ' ') {
		// at most 18 digits: no overflow, the value strconv.ParseInt gives
		p.seq = 0
		for _, c := range l[i:j] {
			p.seq = p.seq*10 + int64(c-'0')
		}
		hasSeq = true
		i = j + 1
		for i < len(l) && l[i] == ' ' {
			i++
		}
	}
	mark := false
	if i < len(l) && (l[i] == '*' || l[i] == '.') {
		mark = true
		i++
	}
	var st TextStamp
	if cache != nil && cache.n > 0 && len(l)-i >= cache.n && string(l[i:i+cache.n]) == string(cache.text[:cache.n]) {
		st, i, ok = cache.st, i+cache.n, true
	} else if cache != nil && cache.frac > 0 && len(l)-i >= cache.n && cache.fracHit(l[i:i+cache.n]) {
		st, i, ok = cache.st, i+cache.n, true
	} else if st, j, ok = ciscoIOSTime(l, i); ok {
		k := j
		for k < len(l) && l[k] == ' ' {
			k++
		}
		if k < len(l) && l[k] == ':' {
			if cache != nil && k+1-i <= len(cache.text) && st.Time.Location() == time.UTC {
				cache.n = copy(cache.text[:], l[i:k+1])
				cache.st = st
				cache.frac = stampFracStart(cache.text[:cache.n])
			}
			i = k + 1
		} else if k == len(l) {
			i = k // a stamp alone, its colon lost in a wrap
		} else {
			ok = false
		}
	}
	if ok {
		st.Unreliable = mark
		p.stamp = st
	} else {
		if mark || !hasSeq {
			return ccsipPrefix{}, l, false
		}
		p.stamp = collector
	}
	return p, l[i:], true
}

// ciscoCollectorPrefix reads a syslog server's stamp and host name before
// the device's own text (TEXT-FORMATS.md §1 "Syslog server").
func ciscoCollectorPrefix(l []byte, i int) (int, TextStamp, bool) {
	var st TextStamp
	var j int
	if i < len(l) && isDigitByte(l[i]) {
		// ISO 8601: 2023-09-06T09:13:00+02:00 or with fraction; the
		// separators are looked at first, to pass an IOS sequence
		// number ("000004: ...") by without finding its end
		if i+10 >= len(l) || l[i+4] != '-' || l[i+7] != '-' || l[i+10] != 'T' {
			return i, st, false
		}
		e := i
		for e < len(l) && l[e] != ' ' {
			e++
		}
		if e-i < 19 {
			return i, st, false
		}
		t, err := time.Parse(time.RFC3339Nano, string(l[i:e]))
		if err != nil {
			return i, st, false
		}
		st = TextStamp{Time: t, Precision: time.Second}
		j = e
	} else {
		var ok bool
		st, j, ok = ciscoIOSTime(l, i)
		if !ok || st.NoDate || j >= len(l) || l[j] != ' ' {
			return i, st, false
		}
	}
	return ciscoCollectorHost(l, i, j, st)
}

// ciscoCollectorHost reads the host name after a collector's stamp st,
// which starts at i and ends at j: one space-separated name, which
// (unlike a time zone) is not followed by the IOS colon.
func ciscoCollectorHost(l []byte, i, j int, st TextStamp) (int, TextStamp, bool) {
	h := j
	for h < len(l) && l[h] == ' ' {
		h++
	}
	e := h
	for e < len(l) && l[e] != ' ' && l[e] != ':' {
		e++
	}
	if e == h || e >= len(l) || l[e] != ' ' {
		return i, st, false
	}
	for e < len(l) && l[e] == ' ' {
		e++
	}
	return e, st, true
}

// ciscoNoYear is the year given to stamps printed without one, and
// ciscoNoDate the day uptimes and times of day are counted from; the
// framework rebases both (TextStamp.NoYear/NoDate). 2000 is a leap year,
// so that "Feb 29" stays itself.
const ciscoNoYear = 2000

var ciscoNoDate = time.Date(ciscoNoYear, 1, 1, 0, 0, 0, 0, time.UTC)

// ciscoIOSTime reads an IOS `service timestamps` stamp at l[i:]:
// `Mon dd [yyyy] hh:mm:ss[.fff|.ffffff][ TZ]`, or an uptime `1w1d`,
// `2d03h`, `00:15:59`. It returns the index after it.
func ciscoIOSTime(l []byte, i int) (TextStamp, int, bool) {
	var st TextStamp
	if i+3 < len(l) && isASCIILetter(l[i]) {
		mon := ciscoMonth(l[i : i+3])
		if mon == 0 || l[i+3] != ' ' {
			return st, i, false
		}
		j := i + 3
		for j < len(l) && l[j] == ' ' {
			j++
		}
		day, j, ok := ciscoNum(l, j, 1, 2)
		if !ok || j >= len(l) || l[j] != ' ' {
			return st, i, false
		}
		for j < len(l) && l[j] == ' ' {
			j++
		}
		year := ciscoNoYear
		st.NoYear = true
		if y, k, ok := ciscoNum(l, j, 4, 4); ok && k < len(l) && l[k] == ' ' {
			year, st.NoYear = y, false
			j = k + 1
			for j < len(l) && l[j] == ' ' {
				j++
			}
		}
		h, m, s, ns, prec, k, ok := ciscoClock(l, j)
		if !ok || day < 1 || day > 31 {
			return st, i, false
		}
		j = k
		loc := time.UTC
		if j+2 < len(l) && l[j] == ' ' && l[j+1] >= 'A' && l[j+1] <= 'Z' {
			e := j + 1
			for e < len(l) && l[e] >= 'A' && l[e] <= 'Z' {
				e++
			}
			t := e
			for t < len(l) && l[t] == ' ' {
				t++
			}
			if e-j-1 >= 2 && e-j-1 <= 5 && (t == len(l) || l[t] == ':') {
				loc = ciscoZone(l[j+1 : e])
				j = e
			}
		}
		if loc == time.UTC {
			st.Time = ciscoUTC(year, mon, day, h, m, s, ns)
		} else {
			st.Time = time.Date(year, time.Month(mon), day, h, m, s, ns, loc)
		}
		st.Precision = prec
		return st, j, true
	}
	if h, m, s, ns, prec, k, ok := ciscoClock(l, i); ok {
		st.Time = ciscoNoDate.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
			time.Duration(s)*time.Second + time.Duration(ns))
		st.NoDate, st.Precision = true, prec
		return st, k, true
	}
	// uptime: two number+unit pairs, "1w1d", "2d03h", "1y2w"
	var d time.Duration
	j := i
	for pair := 0; pair < 2; pair++ {
		v, k, ok := ciscoNum(l, j, 1, 3)
		if !ok || k >= len(l) {
			return st, i, false
		}
		unit := ciscoUptimeUnit(l[k])
		if unit == 0 {
			return st, i, false
		}
		d += time.Duration(v) * unit
		st.Precision = unit
		j = k + 1
	}
	st.Time = ciscoNoDate.Add(d)
	st.NoDate = true
	return st, j, true
}

// ciscoDay is a day of the calendar and its midnight, UTC, in Unix
// seconds.
type ciscoDay struct {
	year, month, day int
	midnight         int64
}

// ciscoLastDay is the day of the last stamp read: consecutive stamps of a
// log share it, so most stamps cost an addition instead of time.Date's
// calendar arithmetic. It is shared by every reader (atomic: inputs may
// be read at the same time) and replaced, never changed, on a new day.
var ciscoLastDay atomic.Pointer[ciscoDay]

// ciscoUTC is time.Date(year, month, day, h, m, s, ns, time.UTC), the same
// Time value (time.Date normalises out-of-range days the same way: the
// midnight comes from time.Date itself).
func ciscoUTC(year, month, day, h, m, s, ns int) time.Time {
	d := ciscoLastDay.Load()
	if d == nil || d.day != day || d.month != month || d.year != year {
		d = &ciscoDay{year: year, month: month, day: day,
			midnight: time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC).Unix()}
		ciscoLastDay.Store(d)
	}
	return time.Unix(d.midnight+int64(h*3600+m*60+s), int64(ns)).UTC()
}

func ciscoUptimeUnit(c byte) time.Duration {
	switch c {
	case 'y':
		return 365 * 24 * time.Hour
	case 'w':
		return 7 * 24 * time.Hour
	case 'd':
		return 24 * time.Hour
	case 'h':
		return time.Hour
	case 'm':
		return time.Minute
	}
	return 0
}

// ciscoClock reads hh:mm:ss with an optional fraction (any of '.' or ','
// then 1 to 9 digits).
func ciscoClock(l []byte, i int) (h, m, s, ns int, prec time.Duration, end int, ok bool) {
	h, j, ok1 := ciscoNum(l, i, 1, 2)
	if !ok1 || j >= len(l) || l[j] != ':' {
		return
	}
	m, j, ok1 = ciscoNum(l, j+1, 2, 2)
	if !ok1 || j >= len(l) || l[j] != ':' {
		return
	}
	s, j, ok1 = ciscoNum(l, j+1, 2, 2)
	if !ok1 || h > 23 || m > 59 || s > 60 {
		return
	}
	prec = time.Second
	if j+1 < len(l) && (l[j] == '.' || l[j] == ',') && isDigitByte(l[j+1]) {
		k := j + 1
		scale := int(time.Second)
		for k < len(l) && isDigitByte(l[k]) && k-j <= 9 {
			scale /= 10
			ns += int(l[k]-'0') * scale
			k++
		}
		prec = time.Duration(scale)
		j = k
	}
	return h, m, s, ns, prec, j, true
}

// ciscoNum reads min to max decimal digits at l[i:].
func ciscoNum(l []byte, i, min, max int) (int, int, bool) {
	v, j := 0, i
	for j < len(l) && j-i < max && isDigitByte(l[j]) {
		v = v*10 + int(l[j]-'0')
		j++
	}
	if j-i < min {
		return 0, i, false
	}
	return v, j, true
}

// ciscoMonth returns 1..12 for an English month abbreviation, 0 otherwise.
func ciscoMonth(b []byte) int {
	switch string(b) {
	case "Jan":
		return 1
	case "Feb":
		return 2
	case "Mar":
		return 3
	case "Apr":
		return 4
	case "May":
		return 5
	case "Jun":
		return 6
	case "Jul":
		return 7
	case "Aug":
		return 8
	case "Sep":
		return 9
	case "Oct":
		return 10
	case "Nov":
		return 11
	case "Dec":
		return 12
	}
	return 0
}

// ciscoZone maps the time zone names `clock timezone` commonly sets to
// their offsets; an unknown name leaves the wall clock as printed.
func ciscoZone(b []byte) *time.Location {
	off, ok := ciscoZoneMinutes[string(b)]
	if !ok {
		return time.UTC
	}
	return time.FixedZone(string(b), off*60)
}

// ciscoZoneMinutes: offsets east of UTC, in minutes.
var ciscoZoneMinutes = map[string]int{
	"UTC": 0, "GMT": 0, "WET": 0, "BST": 60, "CET": 60, "CEST": 120, "MET": 60, "MEST": 120,
	"EET": 120, "EEST": 180, "MSK": 180, "IST": 330, "SGT": 480, "HKT": 480, "JST": 540, "KST": 540,
	"AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780, "EST": -300, "EDT": -240, "CST": -360,
	"CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480,
	"HST": -600,
}

// ciscoText gathers the lines of the message being read. Text of many
// messages shares one large buffer, so that reading costs no allocation
// per line and about one per 64 KiB of messages.
type ciscoText struct {
	slab  []byte
	start int // where the current message starts in slab
	// keep is the length of the text up to its last non-blank line, and
	// keepLines the number of lines then: trailing blank lines are cut.
	keep, keepLines int
	first, last     int
	count           int
	lines           []int // explicit line numbers once they stop being consecutive
	explicit        bool
	msgs            []TextMessage

	// Recycling, for an ingester that calls release: slabs and message
	// arrays used up since the last release wait in retired*, and go to
	// free* when the ingester says no message it emitted is kept any
	// longer. Without release everything is left to the garbage
	// collector, as before.
	recycle                 bool // the ingester calls release
	retiredSlabs, freeSlabs [][]byte
	retiredMsgs, freeMsgs   [][]TextMessage
}

const ciscoSlabSize = 64 << 10

func (t *ciscoText) reset() {
	t.slab = t.slab[:t.start]
	t.keep, t.keepLines, t.count = t.start, 0, 0
	t.lines, t.explicit = nil, false
}

// add appends one line (nil for a blank one) read at log line n.
func (t *ciscoText) add(n int, l []byte) {
	if need := len(l) + 1; len(t.slab)+need > cap(t.slab) {
		t.grow(need)
	}
	t.slab = append(t.slab, l...)
	t.slab = append(t.slab, '\n')
	t.numberFrom(n, 1)
	if len(l) > 0 && (l[0] > ' ' || len(bytes.TrimSpace(l)) > 0) {
		t.keep, t.keepLines = len(t.slab), t.count
	}
}

// addRun appends lines read at consecutive log lines from n on, given as
// they lie together in the log: each ends in "\n" and holds no CR before
// it. keep is the length of run up to the end of its last non-blank line
// and keepLines the number of lines then (0, 0 when all are blank). It
// is add called for each line (TestCiscoTextAddRun).
func (t *ciscoText) addRun(n int, run []byte, lines, keep, keepLines int) {
	if lines == 0 {
		return
	}
	if len(t.slab)+len(run) > cap(t.slab) {
		t.grow(len(run))
	}
	at := len(t.slab)
	t.slab = append(t.slab, run...)
	count := t.count
	t.numberFrom(n, lines)
	if keepLines > 0 {
		t.keep, t.keepLines = at+keep, count+keepLines
	}
}

// numberFrom numbers k lines just added, read at log lines n to n+k-1.
func (t *ciscoText) numberFrom(n, k int) {
	switch {
	case t.count == 0:
		t.first = n
	case !t.explicit && n != t.last+1:
		t.explicitLines()
	}
	if t.explicit {
		for i := 0; i < k; i++ {
			t.lines = append(t.lines, n+i)
		}
	}
	t.last = n + k - 1
	t.count += k
}

// explicitLines starts numbering the lines one by one: the next line
// does not follow the last one in the log.
func (t *ciscoText) explicitLines() {
	t.explicit = true
	t.lines = make([]int, 0, t.count+16)
	for i := 0; i < t.count; i++ {
		t.lines = append(t.lines, t.first+i)
	}
}

// grow moves the message in progress to a new slab with room for need
// more bytes.
func (t *ciscoText) grow(need int) {
	size := ciscoSlabSize
	if cur := len(t.slab) - t.start + need; cur*2 > size {
		size = cur * 2
	}
	var ns []byte
	if k := len(t.freeSlabs); k > 0 && cap(t.freeSlabs[k-1]) >= size {
		ns = t.freeSlabs[k-1][:0]
		t.freeSlabs[k-1] = nil
		t.freeSlabs = t.freeSlabs[:k-1]
	} else {
		ns = make([]byte, 0, size)
	}
	ns = append(ns, t.slab[t.start:]...)
	if t.recycle && cap(t.slab) > 0 {
		t.retiredSlabs = append(t.retiredSlabs, t.slab)
	}
	t.keep -= t.start
	t.slab, t.start = ns, 0
}

// release (with recycle set) says that no message returned by message so
// far is kept any longer (each was emitted, and the framework keeps nothing of an emitted
// message): the buffers they used can be written again. The message in
// progress lives in the current slab and message array, which stay.
func (t *ciscoText) release() {
	if len(t.retiredSlabs) > 0 {
		t.freeSlabs = append(t.freeSlabs, t.retiredSlabs...)
		clear(t.retiredSlabs)
		t.retiredSlabs = t.retiredSlabs[:0]
	}
	if n := len(t.retiredMsgs); n > 1 {
		// the last one is still being handed out
		t.freeMsgs = append(t.freeMsgs, t.retiredMsgs[:n-1]...)
		last := t.retiredMsgs[n-1]
		clear(t.retiredMsgs)
		t.retiredMsgs = append(t.retiredMsgs[:0], last)
	}
}

// message returns the gathered text as a new message (nil when it holds
// only blank lines) and starts the next one after it in the buffer.
func (t *ciscoText) message() *TextMessage {
	if t.keepLines == 0 {
		t.reset()
		return nil
	}
	if len(t.msgs) == 0 {
		if k := len(t.freeMsgs); k > 0 {
			t.msgs = t.freeMsgs[k-1]
			t.freeMsgs[k-1] = nil
			t.freeMsgs = t.freeMsgs[:k-1]
			clear(t.msgs)
		} else {
			t.msgs = make([]TextMessage, 64)
		}
		if t.recycle {
			t.retiredMsgs = append(t.retiredMsgs, t.msgs)
		}
	}
	m := &t.msgs[0]
	t.msgs = t.msgs[1:]
	m.Text = t.slab[t.start:t.keep:t.keep]
	if t.explicit {
		m.Lines = t.lines[:t.keepLines:t.keepLines]
	} else {
		m.BodyLine = t.first
	}
	t.slab = t.slab[:t.keep]
	t.start = t.keep
	t.reset()
	return m
}
