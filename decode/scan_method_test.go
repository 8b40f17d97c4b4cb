package decode

import (
	"bytes"
	"testing"
)

// refMethodEnd is the two-pass definition: the first SP, with a token
// before it.
func refMethodEnd(line []byte) int {
	sp := bytes.IndexByte(line, ' ')
	if sp <= 0 || !isToken(line[:sp]) {
		return -1
	}
	return sp
}

var methodSeeds = []string{
	"INVITE sip:a@b SIP/2.0", "INVITE", " INVITE x", "IN VITE", "INV\tITE x", "INV@ITE x",
	"", " ", "A ", "ACK  sip:x SIP/2.0", "RE<GISTER x", "x\xff y",
}

func TestMethodEnd(t *testing.T) {
	for _, s := range methodSeeds {
		if got, want := methodEnd([]byte(s)), refMethodEnd([]byte(s)); got != want {
			t.Errorf("methodEnd(%q) = %d, want %d", s, got, want)
		}
	}
}

func FuzzMethodEnd(f *testing.F) {
	for _, s := range methodSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := methodEnd(b), refMethodEnd(b); got != want {
			t.Fatalf("methodEnd(%q) = %d, want %d", b, got, want)
		}
	})
}

var startLineSeeds = []string{
	"SIP/2.0 200 OK", "SIP/2.0  200 OK", "sip/2.0 200 OK", "SIP/2.0", "SIP/2.1 200 OK", "SIP/2 0 200",
	"INVITE sip:a@b SIP/2.0", "INVITE sip:a@b sip/2.0", "INVITE sip:a@b  SIP/2.0", "SIP/2.0",
	" SIP/2.0", "x SIP/2.0 ", "INVITE sip:a@b SIP/3.0", "", "a b",
}

func checkStartLineShortcuts(t *testing.T, b []byte) {
	t.Helper()
	if got, want := statusVersionEnd(b), bytes.IndexByte(b, ' '); got != want {
		t.Fatalf("statusVersionEnd(%q) = %d, want %d", b, got, want)
	}
	if got, want := requestVersionStart(b), bytes.LastIndexByte(b, ' '); got != want {
		t.Fatalf("requestVersionStart(%q) = %d, want %d", b, got, want)
	}
}

func TestStartLineShortcuts(t *testing.T) {
	for _, s := range startLineSeeds {
		checkStartLineShortcuts(t, []byte(s))
	}
}

func FuzzStartLineShortcuts(f *testing.F) {
	for _, s := range startLineSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkStartLineShortcuts(t, b) })
}
