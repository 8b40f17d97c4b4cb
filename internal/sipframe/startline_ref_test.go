package sipframe

import "testing"

// refIsStartLine is IsStartLine written byte by byte, as it was before
// the word-at-a-time skips: the fuzz target below holds them equal.
func refIsStartLine(b []byte) bool {
	if refHasVersionPrefix(b) {
		return refIsStatusRest(b[len(sipVersion):])
	}
	return refIsRequestLine(b)
}

func refHasVersionPrefix(b []byte) bool {
	if len(b) < len(sipVersion) {
		return false
	}
	for i := 0; i < len(sipVersion); i++ {
		if lower(b[i]) != lower(sipVersion[i]) {
			return false
		}
	}
	return true
}

func refIsStatusRest(b []byte) bool {
	if len(b) < 4 || b[0] != ' ' {
		return false
	}
	for _, c := range b[1:4] {
		if c < '0' || c > '9' {
			return false
		}
	}
	if len(b) == 4 {
		return true
	}
	switch b[4] {
	case '\r', '\n':
		return true
	case ' ':
		for _, c := range b[5:] {
			if c == '\r' || c == '\n' {
				return true
			}
			if isCTL(c) && c != '\t' {
				return false
			}
		}
		return true
	}
	return false
}

func refIsRequestLine(b []byte) bool {
	i := 0
	for i < len(b) && isTokenChar(b[i]) {
		i++
	}
	if i == 0 || i >= len(b) || b[i] != ' ' {
		return false
	}
	i++
	uriStart := i
	for i < len(b) && b[i] != ' ' && !isCTL(b[i]) {
		i++
	}
	if i == uriStart || i >= len(b) || b[i] != ' ' {
		return false
	}
	i++
	rest := b[i:]
	if !refHasVersionPrefix(rest) {
		return false
	}
	rest = rest[len(sipVersion):]
	return len(rest) == 0 || rest[0] == '\r' || rest[0] == '\n'
}

func TestIsStartLineMatchesReference(t *testing.T) {
	for _, s := range []string{
		"INVITE sip:bob@biloxi.example.com:5060;transport=udp SIP/2.0\r\n",
		"INVITE sip:bob@biloxi.example.com\x7f;transport=udp SIP/2.0\r\n",
		"INVITE sip:bob@biloxi.example.com\x1f;transport=udp SIP/2.0\r\n",
		"INVITE sip:bob@biloxi.example.com\xff\x80;transport=udp SIP/2.0\r\n",
		"SIP/2.0 407 Proxy Authentication Required\r\n",
		"SIP/2.0 407 Proxy Authentication\x7fRequired\r\n",
		"SIP/2.0 407 Proxy Authentication\tRequired\r\n",
		"SIP/2.0 407 Proxy Authentication\x00Required\r\n",
		"SIP/2.0 200 \xc3\xa9t\xc3\xa9 tr\xc3\xa8s bien\r\n",
		"sIp/2.0 200 OK\r\n", "SIP/2.0\x00200 OK", "SIP/2.0", "SIP/2.00 200 OK",
		"SIP\x0f2.0 200 OK\r\n", "SIP/2\x0e0 200 OK\r\n", "SIP/2.0 200",
		"REGISTER sip:a.example.com SIP\x0f2.0\r\n", "REGISTER sip:a.example.com sIP/2.0",
	} {
		if got, want := IsStartLine([]byte(s)), refIsStartLine([]byte(s)); got != want {
			t.Errorf("IsStartLine(%q) = %v, reference %v", s, got, want)
		}
	}
}

func FuzzIsStartLineMatchesReference(f *testing.F) {
	f.Add([]byte("INVITE sip:bob@biloxi.example.com:5060 SIP/2.0\r\n"))
	f.Add([]byte("SIP/2.0 407 Proxy Authentication Required\r\n"))
	f.Add([]byte("SIP/2.0 200 OK"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := IsStartLine(b), refIsStartLine(b); got != want {
			t.Fatalf("IsStartLine(%q) = %v, reference %v", b, got, want)
		}
		checkRests(t, b)
	})
}

// checkRests holds IsStatusRest and IsRequestRest to what they promise:
// the reference answer for the whole line with the version or a method
// in front.
func checkRests(t *testing.T, b []byte) {
	t.Helper()
	if got, want := IsStatusRest(b), refIsStartLine(append([]byte("SIP/2.0"), b...)); got != want {
		t.Fatalf("IsStatusRest(%q) = %v, reference %v", b, got, want)
	}
	if got, want := IsRequestRest(b), refIsStartLine(append([]byte("INVITE "), b...)); got != want {
		t.Fatalf("IsRequestRest(%q) = %v, reference %v", b, got, want)
	}
}

func TestRestsMatchReference(t *testing.T) {
	for _, s := range []string{
		"sip:bob@biloxi.example.com:5060;transport=udp SIP/2.0\r\n", "sip:a\x7fb SIP/2.0\r\n", "sip:a\x00b SIP/2.0\r\n",
		"sip:a\xffb SIP/2.0\r\n", "sip:a SIP/2.0", "sip:a SIP/2.0 ", "sip:a sip/2.0\n", "sip:a SIP/2.1\r\n", " sip:a SIP/2.0\r\n",
		"sip:a  SIP/2.0\r\n", "sip:a", "", " ", "sip:abcdefghijklmnopqrstuvwxyz0123456789", "sip:abcdefghijklmnopq\tSIP/2.0\r\n",
		" 200 OK\r\n", " 200 OK", " 200", " 200\r\n", " 20 OK", " 2000 OK", " 200 O\x01K", " 200 O\tK", " 200 O\x7fK",
		"  200 OK", " 407 Proxy Authentication Required\r\n", " 407 Proxy Authentication\x1fRequired\r\n", " abc", " 200 \xe2\x80\x9cOK\r\n",
	} {
		checkRests(t, []byte(s))
	}
}
