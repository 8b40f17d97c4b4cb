package decode

import (
	"reflect"
	"testing"
)

// refParseStatusLine is parseStatusLine before its three-digit shortcut:
// the digit loop for every status code.
func refParseStatusLine(m *Message, line []byte) error {
	sp := statusVersionEnd(line)
	if sp < 0 {
		return ErrNotSIP
	}
	m.Version = line[:sp]
	rest := line[sp+1:]
	if len(rest) > 0 && rest[0] == ' ' {
		m.addDefect(DefectBadStartLine)
		rest = trimLeftLWS(rest)
	}
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	if n != 3 || (n < len(rest) && rest[n] != ' ') {
		return ErrNotSIP
	}
	code := int(rest[0]-'0')*100 + int(rest[1]-'0')*10 + int(rest[2]-'0')
	if code < 100 || code > 699 {
		return ErrNotSIP
	}
	m.StatusCode = code
	if n < len(rest) {
		m.ReasonPhrase = rest[n+1:]
	} else {
		m.ReasonPhrase = rest[n:]
	}
	if !equalFold(m.Version, "SIP/2.0") {
		m.addDefect(DefectBadVersion)
	}
	return nil
}

func sameStatusLine(t *testing.T, line []byte) {
	t.Helper()
	var got, want Message
	gerr, werr := got.parseStatusLine(line), refParseStatusLine(&want, line)
	if gerr != werr || !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: %+v %v, reference %+v %v", line, got, gerr, want, werr)
	}
}

var statusLineCases = []string{
	"SIP/2.0 200 OK", "SIP/2.0 100 Trying", "SIP/2.0 699 x", "SIP/2.0 700 x", "SIP/2.0 099 x",
	"SIP/2.0 20 OK", "SIP/2.0 2000 OK", "SIP/2.0 200", "SIP/2.0 200 ", "SIP/2.0 2/0 OK", "SIP/2.0 2:0 OK",
	"SIP/2.0 200\tOK", "SIP/2.0  200 OK", "SIP/2.0 /00 OK", "SIP/2.0 :00 OK", "SIP/2.0 20: OK", "SIP/2.0 4294967301 x",
}

func TestStatusLineCode(t *testing.T) {
	for _, c := range statusLineCases {
		sameStatusLine(t, []byte(c))
	}
}

func FuzzStatusLineCode(f *testing.F) {
	for _, c := range statusLineCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, line []byte) { sameStatusLine(t, line) })
}
