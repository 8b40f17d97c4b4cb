package capture

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/internal/golden"
)

// TestTextSamples reads every text sample under samples/text (each file
// with a .want next to it) and compares what is read — one line per
// message: log line, time, direction, source -> destination, transport,
// start line, flags; then the problems — with the .messages golden next to
// the sample. Run with -update to rewrite the goldens, then read them.
func TestTextSamples(t *testing.T) {
	root := filepath.Join("..", "samples", "text")
	var inputs []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := filepath.Ext(path)
		if ext != ".txt" && ext != ".log" {
			return nil
		}
		if _, err := os.Stat(strings.TrimSuffix(path, ext) + ".want"); err == nil {
			inputs = append(inputs, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) == 0 {
		t.Fatal("no text samples with .want files under samples/text")
	}
	for _, in := range inputs {
		t.Run(strings.TrimPrefix(in, root+"/"), func(t *testing.T) {
			got := strings.Join(readTextMessages(t, in), "\n") + "\n"
			golden.Check(t, strings.TrimSuffix(in, filepath.Ext(in))+".messages", []byte(got), "go test ./capture -run TestTextSamples -update, then check the file")
		})
	}
}

// readTextMessages reads a text input through the framework and describes
// each message and problem, one line each.
func readTextMessages(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ts, err := newTextSource(path, bufio.NewReaderSize(f, readSize), nil)
	if err != nil {
		t.Fatal(err)
	}
	var problems []string
	ts.problem = func(line int, msg string) {
		problems = append(problems, fmt.Sprintf("problem L%d: %s", line, msg))
	}
	out := []string{"format " + ts.format.Name}
	for m := ts.nextMsg(); m != nil; m = ts.nextMsg() {
		out = append(out, describeTextMsg(m))
	}
	return append(out, problems...)
}

func describeTextMsg(m *textMsg) string {
	first := string(m.payload)
	if i := strings.Index(first, "\r\n"); i >= 0 {
		first = first[:i]
	}
	tm := "-"
	if !m.time.IsZero() {
		tm = m.time.Format("2006-01-02T15:04:05.000000Z07:00")
	}
	s := fmt.Sprintf("L%d %s %s %s -> %s %s %q", m.line, tm, m.dir, addrOrDash(m.src), addrOrDash(m.dst), m.transport, first)
	if m.peerHost != "" {
		s += " peer=" + m.peerHost
	}
	if m.truncated {
		s += " truncated"
	}
	if m.synthetic {
		s += " synthetic"
	}
	return s
}
