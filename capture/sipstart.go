package capture

import (
	"bytes"

	"github.com/sipdiag/sipdiag/internal/sipframe"
)

// junkWindow is how far into a datagram a start line is looked for when
// the datagram does not begin with one.
const junkWindow = 256

var sipVersion = []byte("SIP/2.0")

// findSIPStart returns where the SIP message in p starts: 0 for a datagram
// that begins with a start line, a positive offset when junk bytes come
// first (a Problem for the caller to record), or -1 when p is not SIP.
func findSIPStart(p []byte) int {
	if sipframe.IsStartLine(p) {
		start, _ := trimMethodPrefix(p, 0)
		return start
	}
	w := p
	if len(w) > junkWindow {
		w = w[:junkWindow]
	}
	v := bytes.Index(w, sipVersion)
	if v < 0 {
		return -1
	}
	if sipframe.IsStartLine(p[v:]) {
		return v // a status line after junk
	}
	// a request line: the version ends it, so the method starts between
	// the start of that line and the version. After junk only a known
	// method is believed: a fuzzed "%s\x00ISTER sip:..." is not SIP.
	ls := bytes.LastIndexByte(p[:v], '\n') + 1
	for s := ls; s < v; s++ {
		if sipframe.IsStartLine(p[s:]) {
			if start, known := trimMethodPrefix(p, s); known {
				return start
			}
			return -1
		}
	}
	return -1
}

// knownMethods are the methods of RFC 3261 and its extensions (RFC 3262,
// 3265/6665, 3311, 3428, 3515, 3903, 6086).
var knownMethods = [...]string{"INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS",
	"PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE"}

// trimMethodPrefix handles junk made of letters glued to the method, as in
// "xxREGISTER sip:...": the whole run is a valid token, but when it is not
// a known method and ends with one, the message starts at that method.
// known says the start line is a status line or has a known method.
func trimMethodPrefix(p []byte, s int) (start int, known bool) {
	if bytes.HasPrefix(p[s:], sipVersion) {
		return s, true // status line
	}
	sp := bytes.IndexByte(p[s:], ' ')
	if sp <= 0 {
		return s, false
	}
	method := p[s : s+sp]
	switch string(method) { // the common case, without folding case
	case "INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "PRACK",
		"SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE":
		return s, true
	}
	for _, m := range knownMethods {
		if len(method) == len(m) && equalFold(method, m) {
			return s, true
		}
	}
	for _, m := range knownMethods {
		if len(method) > len(m) && equalFold(method[len(method)-len(m):], m) {
			return s + len(method) - len(m), true
		}
	}
	return s, false
}

// equalFold compares ASCII b and s ignoring case.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c, d := b[i], s[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if 'a' <= d && d <= 'z' {
			d -= 'a' - 'A'
		}
		if c != d {
			return false
		}
	}
	return true
}
