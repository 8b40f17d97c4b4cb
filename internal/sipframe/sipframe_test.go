package sipframe

import (
	"errors"
	"testing"
)

func TestIsStartLine(t *testing.T) {
	cases := []struct {
		in   string
		want bool
	}{
		{"REGISTER sip:example.com SIP/2.0\r\nVia: x\r\n", true},
		{"REGIStER sip:example.com SIP/2.0\r\n", true},
		{"INVITE sip:bob@b.example SIP/2.0\n", true},
		{"INVITE sip:bob@b.example sip/2.0\r\n", true},
		{"X-CUSTOM.1 sip:a SIP/2.0", true}, // cut right after the version
		{"SIP/2.0 200 OK\r\n", true},
		{"SIP/2.0 401\r\n", true},
		{"SIP/2.0 100", true},
		{"SIP/2.0 20 OK\r\n", false},
		{"SIP/2.0 2000 OK\r\n", false},
		{"SIP/2.1 200 OK\r\n", false},
		{"HTTP/1.1 200 OK\r\n", false},
		{"GET / HTTP/1.1\r\n", false},
		{"INVITE sip:a SIP/2.0x\r\n", false},
		{"INVITE  sip:a SIP/2.0\r\n", false},
		{"INVITE sip:a  SIP/2.0\r\n", false},
		{"INVITE sip:a\r\n", false},
		{" INVITE sip:a SIP/2.0\r\n", false},
		{"IN(VITE sip:a SIP/2.0\r\n", false},
		{"", false},
		{"S", false},
		{"\x00\x01REGISTER sip:a SIP/2.0\r\n", false},
		{"REGISTER sip:a%s\x00b SIP/2.0\r\n", false}, // fuzzed: NUL in the URI
		{"SIP/2.0 401 Unauthori%s\x00\r\n", false},   // fuzzed: NUL in the reason
		{"SIP/2.0 200 O\tK\r\n", true},
	}
	for _, c := range cases {
		if got := IsStartLine([]byte(c.in)); got != c.want {
			t.Errorf("IsStartLine(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestLen(t *testing.T) {
	const req = "INVITE sip:b SIP/2.0\r\n"
	cases := []struct {
		name string
		in   string
		n    int
		ok   bool
		err  error
	}{
		{"no body", req + "Content-Length: 0\r\n\r\n", len(req) + 21, true, nil},
		{"body", req + "Content-Length: 4\r\n\r\nabcdEXTRA", len(req) + 21 + 4, true, nil},
		{"need body", req + "Content-Length: 10\r\n\r\nabcd", 0, false, nil},
		{"need headers", req + "Content-Length: 10\r\n", 0, false, nil},
		{"compact l", req + "l: 3\r\n\r\nxyzw", len(req) + 8 + 3, true, nil},
		{"compact L upper", req + "L:3\r\n\r\nxyz", len(req) + 7 + 3, true, nil},
		{"odd case and spaces", req + "content-LENGTH \t:  2 \r\n\r\nhi", len(req) + 25 + 2, true, nil},
		{"folded value", req + "Content-Length:\r\n  2\r\n\r\nhi", len(req) + 24 + 2, true, nil},
		{"bare LF", "SIP/2.0 200 OK\nContent-Length: 2\n\nhi!", 15 + 18 + 1 + 2, true, nil},
		{"duplicate same", req + "l: 1\r\nContent-Length: 1\r\n\r\nx", len(req) + 6 + 19 + 2 + 1, true, nil},
		{"duplicate differ", req + "l: 1\r\nContent-Length: 2\r\n\r\nxx", len(req) + 6 + 19 + 2, true, ErrBadContentLength},
		{"missing", req + "Via: x\r\n\r\nbody", len(req) + 10, true, ErrNoContentLength},
		{"not a number", req + "Content-Length: 1a\r\n\r\n", len(req) + 22, true, ErrBadContentLength},
		{"two numbers", req + "Content-Length: 1 2\r\n\r\n", len(req) + 23, true, ErrBadContentLength},
		{"empty", req + "Content-Length: \r\n\r\n", len(req) + 20, true, ErrBadContentLength},
		{"negative", req + "Content-Length: -1\r\n\r\n", len(req) + 22, true, ErrBadContentLength},
		{"huge", req + "Content-Length: 99999999999999999999\r\n\r\n", len(req) + 40, true, ErrBadContentLength},
		{"name is a prefix", req + "Content-Lengthy: 5\r\n\r\n", len(req) + 22, true, ErrNoContentLength},
		{"in the body is ignored", req + "l: 0\r\n\r\nContent-Length: 5\r\n", len(req) + 8, true, nil},
	}
	for _, c := range cases {
		n, ok, err := Len([]byte(c.in))
		if n != c.n || ok != c.ok || !errors.Is(err, c.err) {
			t.Errorf("%s: Len = (%d, %v, %v), want (%d, %v, %v)", c.name, n, ok, err, c.n, c.ok, c.err)
		}
	}
}

func TestLenTwoMessages(t *testing.T) {
	one := "OPTIONS sip:a SIP/2.0\r\nl: 2\r\n\r\nhi"
	two := "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"
	b := []byte(one + two)
	n, ok, err := Len(b)
	if err != nil || !ok || n != len(one) {
		t.Fatalf("first: (%d, %v, %v)", n, ok, err)
	}
	n, ok, err = Len(b[n:])
	if err != nil || !ok || n != len(two) {
		t.Fatalf("second: (%d, %v, %v)", n, ok, err)
	}
}

func TestIsStartLineDoesNotAllocate(t *testing.T) {
	b := []byte("REGISTER sip:example.com SIP/2.0\r\n")
	if a := testing.AllocsPerRun(100, func() { IsStartLine(b) }); a != 0 {
		t.Fatalf("IsStartLine allocates %v times", a)
	}
}

func BenchmarkIsStartLine(b *testing.B) {
	msg := []byte("REGISTER sip:registrar.biloxi.example.com SIP/2.0\r\nVia: SIP/2.0/UDP bobspc\r\n")
	for b.Loop() {
		IsStartLine(msg)
	}
}

func BenchmarkLen(b *testing.B) {
	msg := []byte("REGISTER sip:registrar.biloxi.example.com SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP bobspc.biloxi.example.com:5060;branch=z9hG4bKnashds7\r\n" +
		"Max-Forwards: 70\r\nTo: Bob <sip:bob@biloxi.example.com>\r\n" +
		"From: Bob <sip:bob@biloxi.example.com>;tag=456248\r\nCall-ID: 843817637684230@998sdasdh09\r\n" +
		"CSeq: 1826 REGISTER\r\nContact: <sip:bob@192.0.2.4>\r\nExpires: 7200\r\nContent-Length: 0\r\n\r\n")
	for b.Loop() {
		Len(msg)
	}
}
