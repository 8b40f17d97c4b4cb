package capture

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

// describeTextInput reads one input through Open and describes every
// Datagram, one line each, and every problem, for TestDumpTextFile. (The
// ".messages" goldens are written by readTextMessages, from the messages
// before they become Datagrams.)
func describeTextInput(t testing.TB, path string, opt Options) (format string, out []string) {
	t.Helper()
	r, err := Open([]string{path}, nil, opt)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer r.Close()
	for {
		d, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, describeDatagram(d))
		if os.Getenv("SIPDIAG_TEXT_PAYLOAD") != "" {
			out = append(out, string(d.Payload))
		}
	}
	for _, p := range r.Problems() {
		out = append(out, fmt.Sprintf("problem line %d: %s", p.Line, p.Message))
	}
	return r.Inputs()[0].Format, out
}

func describeDatagram(d *Datagram) string {
	first := string(d.Payload)
	if i := strings.Index(first, "\r\n"); i >= 0 {
		first = first[:i]
	}
	tm := "-"
	if !d.Time.IsZero() {
		tm = d.Time.Format("2006-01-02T15:04:05.000000Z07:00")
	}
	dir := "?"
	if d.Src.IsValid() || d.Dst.IsValid() {
		dir = "src->dst"
	}
	s := fmt.Sprintf("line %d %s %s %s -> %s %s %q", d.Line, tm, dir, addrOrDash(d.Src), addrOrDash(d.Dst), d.Transport, first)
	if d.Truncated {
		s += " truncated"
	}
	if d.Synthetic {
		s += " synthetic"
	}
	return s
}

func addrOrDash(a interface {
	IsValid() bool
	String() string
}) string {
	if !a.IsValid() {
		return "-"
	}
	return a.String()
}

func TestDumpTextFile(t *testing.T) {
	path := os.Getenv("SIPDIAG_TEXT_DUMP")
	if path == "" {
		t.Skip("set SIPDIAG_TEXT_DUMP=<file> to print what is read from it")
	}
	f, lines := describeTextInput(t, path, Options{InputFormat: os.Getenv("SIPDIAG_TEXT_FORMAT")})
	t.Logf("format %s", f)
	for _, l := range lines {
		t.Log(l)
	}
}
