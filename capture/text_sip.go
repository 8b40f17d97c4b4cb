package capture

import "bytes"

// Small SIP recognisers for text logs. They are looser than decode's
// scanner on purpose: pasted text carries trailing annotations, collapsed
// lines and sanitised values, and the point here is only to find where
// messages and header lines begin.

// textStartLine reports whether line begins with a SIP start line (RFC
// 3261 §7.1 Request-Line, §7.2 Status-Line) and returns where that start
// line ends: after "SIP/2.0" for a request, after the status code for a
// response. Anything may follow after a space (a reason phrase, an
// annotation, the rest of a collapsed message).
func textStartLine(line []byte) (end int, ok bool) {
	if len(line) < 11 {
		return 0, false
	}
	if line[0] == 'S' && bytes.HasPrefix(line, sipVersion) {
		if len(line) < 11 || line[7] != ' ' || !isDigit(line[8]) || !isDigit(line[9]) || !isDigit(line[10]) {
			return 0, false
		}
		if len(line) > 11 && line[11] != ' ' && line[11] != '\t' {
			return 0, false
		}
		return 11, true
	}
	// METHOD: upper-case letters (the methods of every RFC), then SP
	i := 0
	for i < len(line) && i <= 20 && ('A' <= line[i] && line[i] <= 'Z' || line[i] == '-' && i > 0) {
		i++
	}
	if i < 3 || i >= len(line) || line[i] != ' ' {
		return 0, false
	}
	// Request-URI: no spaces, with a scheme
	u := i + 1
	j := u
	colon := false
	for j < len(line) && line[j] != ' ' && line[j] != '\t' {
		if line[j] == ':' {
			colon = true
		}
		j++
	}
	if j == u || !colon || j+8 > len(line) || line[j] != ' ' {
		return 0, false
	}
	if !bytes.Equal(line[j+1:j+8], sipVersion) {
		return 0, false
	}
	end = j + 8
	if end < len(line) && line[end] != ' ' && line[end] != '\t' {
		return 0, false
	}
	return end, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// headerColon returns the index of the colon when line begins with a
// header name (RFC 3261 §7.3: token, optional whitespace, ':'), or -1.
func headerColon(line []byte) int {
	if len(line) == 0 || !isLetter(line[0]) {
		return -1
	}
	i := 1
	for i < len(line) && headerNameChars[line[i]] {
		i++
	}
	j := i
	for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
		j++
	}
	if j < len(line) && line[j] == ':' {
		if j == i && j+1 < len(line) && line[j+1] != ' ' && line[j+1] != '\t' && isURIScheme(line[:i]) {
			// "sip:alice@example.com>;tag=1": the URI of a line wrapped
			// after its "<", not a header (no header is named sip, sips
			// or tel).
			return -1
		}
		return j
	}
	return -1
}

// isURIScheme: the URI schemes SIP headers carry (RFC 3261 §19.1, RFC 3966).
func isURIScheme(name []byte) bool {
	return len(name) <= 4 && (equalFold(name, "sip") || equalFold(name, "sips") || equalFold(name, "tel"))
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

var headerNameChars = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		t[c] = isLetter(b) || isDigit(b) || bytes.IndexByte([]byte("-_.!%*+~"), b) >= 0
	}
	return
}()

// isSDPLine: "x=" with a lower-case type letter (RFC 8866 §5).
func isSDPLine(line []byte) bool {
	return len(line) >= 2 && 'a' <= line[0] && line[0] <= 'z' && line[1] == '='
}

// startsBody: a line that can only be the first line of a body, so a
// message whose blank line before the body was lost can be mended: SDP's
// "v=0", a multipart boundary, an XML prolog.
func startsBody(line []byte) bool {
	return bytes.Equal(line, []byte("v=0")) || bytes.HasPrefix(line, []byte("<?xml")) ||
		len(line) > 2 && line[0] == '-' && line[1] == '-' && !bytes.ContainsAny(line, " \t")
}

// knownHeaders are header names a collapsed message is re-split before.
// Only names that are hard to mistake for a word in a value are here.
var knownHeaders = func() map[string]bool {
	m := map[string]bool{}
	for _, h := range []string{
		"via", "from", "to", "call-id", "cseq", "contact", "max-forwards", "content-type",
		"content-length", "allow", "supported", "user-agent", "server", "remote-party-id",
		"expires", "allow-events", "date", "min-se", "session-expires", "cisco-guid",
		"timestamp", "record-route", "route", "require", "proxy-require", "www-authenticate",
		"authorization", "proxy-authenticate", "proxy-authorization", "content-disposition",
		"session-id", "privacy", "accept", "accept-encoding", "accept-language", "subject",
		"event", "subscription-state", "refer-to", "referred-by", "diversion", "reason",
		"warning", "retry-after", "unsupported", "path", "service-route", "rseq", "rack",
		"min-expires", "content-encoding", "organization", "history-info", "alert-info",
		"call-info", "mime-version", "geolocation", "identity", "replaces", "security-client",
		"security-server", "security-verify", "authentication-info", "in-reply-to",
		"reply-to", "priority", "error-info", "content-language", "recv-info", "feature-caps",
	} {
		m[h] = true
	}
	return m
}()

// isKnownHeaderName: a name from knownHeaders, or a P- / X- extension
// header (RFC 3455, vendor headers), compared without case.
func isKnownHeaderName(name []byte) bool {
	if len(name) > 2 && name[1] == '-' && (name[0]|0x20 == 'p' || name[0]|0x20 == 'x') {
		return true
	}
	if len(name) > 24 {
		return false
	}
	var low [24]byte
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	return knownHeaders[string(low[:len(name)])]
}

// trimLeftWS, trimRightWS and trimWS remove spaces and tabs; they are the
// hot-path versions of bytes.Trim* with a cutset.
func trimLeftWS(b []byte) []byte {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return b[i:]
}

func trimRightWS(b []byte) []byte {
	n := len(b)
	for n > 0 && (b[n-1] == ' ' || b[n-1] == '\t') {
		n--
	}
	return b[:n]
}

func trimWS(b []byte) []byte { return trimRightWS(trimLeftWS(b)) }
