package capture

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// readTextSource reads data as a text input with a read buffer of size
// bytes, with the ingester's takeLines (take) or with every line handed
// over by Line alone, and returns the messages and problems in order.
func readTextSource(data []byte, size int, take bool) []string {
	var out []string
	s, err := newTextSource("-", bufio.NewReaderSize(bytes.NewReader(data), size), nil)
	if err != nil {
		return []string{err.Error()}
	}
	if !take {
		s.taker = nil
	}
	s.problem = func(line int, msg string) { out = append(out, fmt.Sprintf("problem L%d %s", line, msg)) }
	// the text each message reached the repair with, not only what the
	// repair made of it (which forgives a stray CR, say)
	emit := s.rep.emit
	s.rep.emit = func(line int, payload []byte, truncated bool) []byte {
		m := s.cur
		out = append(out, fmt.Sprintf("text L%d %q lines=%v body=%d", m.Line, m.Text, m.Lines, m.BodyLine))
		return emit(line, payload, truncated)
	}
	for m := s.nextMsg(); m != nil; m = s.nextMsg() {
		d := m.datagram()
		p := d.Payload
		d.Payload = nil
		out = append(out, fmt.Sprintf("%+v %q", d, p))
	}
	return append(out, fmt.Sprintf("%s, %d lines", s.format.Name, s.lines()))
}

// checkTaker fails t when reading data with takeLines differs in
// anything from reading it line by line.
func checkTaker(t *testing.T, name string, data []byte, sizes ...int) {
	t.Helper()
	for _, size := range sizes {
		want := readTextSource(data, size, false)
		if got := readTextSource(data, size, true); !reflect.DeepEqual(got, want) {
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Fatalf("%s (buffer %d): item %d\ntaken    %s\nby line  %s", name, size, i, got[i], want[i])
				}
			}
			t.Fatalf("%s (buffer %d): %d items taken, %d by line", name, size, len(got), len(want))
		}
	}
}

// ccsipTakerSeeds are CUBE logs with lines takeLines must leave to Line:
// envelopes, indented and folded lines, prompts, `--More--`, text to
// normalise, CRLF and CR-only ends, a partial tag.
var ccsipTakerSeeds = []string{
	"000001: Mar  5 09:00:00.000: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:\nReceived:\nINVITE sip:1@h SIP/2.0\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\nFrom: <sip:2@h>;tag=1\nTo: <sip:1@h>\nCall-ID: c1\nCSeq: 1 INVITE\nContent-Length: 0\n\n000002: Mar  5 09:00:00.001: //1/ABC/CCAPI/x:\n   y\n",
	"000001: Mar  5 09:00:00.000: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:\r\nSent:\r\nSIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.1:5060\r\n ;branch=z9hG4bK1\r\nFrom: <sip:2@h>;tag=1\r\nTo: <sip:1@h>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 3\r\n\r\nv=0\r\nRouter#\r\nMar  5 09:00:01.000: x\r\n",
	"Mar  5 09:00:00.000: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:\rReceived:\rOPTIONS sip:1@h SIP/2.0\rVia: x\rCall-ID: &lt;c&gt;\r",
	"    000001: Mar  5 09:00:00.000: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:\n    Received:\n    BYE sip:1@h SIP/2.0\n    Via: x\n --More-- Call-ID: y\n    CSeq: 2 BYE\n\n",
	"000001: Mar  5 09:00:00.000: //-1/xxxxxxxxxxxx/SIP/\nMsg/ccsipDisplayMsg:\nSent:\nINVITE sip:1@h SIP/2.0\nVia: a#012Call-ID: b\nISDN Se0/0/0:23 Q931: x\nVia: c\nLog Buffer (100 bytes):\nCSeq: 1 INVITE\nSent:\nAck sip:x SIP/2.0\n> quoted\n`code`\nVia: <b>z</b>\nVia: y",
}

// pastSample puts text after a CUBE log's first detectLines lines, which
// detection reads and which are handed over line by line: takeLines
// reads only what comes after them.
func pastSample(text string) []byte {
	var b bytes.Buffer
	b.WriteString("000001: Mar  5 08:59:59.000: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:\nReceived:\nOPTIONS sip:1@h SIP/2.0\n")
	for i := 0; i < detectLines; i++ {
		fmt.Fprintf(&b, "X-Pad-%d: %d\n", i, i)
	}
	b.WriteString(text)
	return b.Bytes()
}

func TestTakeLinesSameAsLine(t *testing.T) {
	for i, seed := range ccsipTakerSeeds {
		checkTaker(t, fmt.Sprintf("seed %d", i), []byte(seed), 16, 64, 4096)
		checkTaker(t, fmt.Sprintf("seed %d after the sample", i), pastSample(seed), 16, 64, 4096)
	}
	data, _ := cubeDebugText(256 << 10)
	checkTaker(t, "generated CUBE log", data, 16, 4096, 64<<10)
	root := filepath.Join("..", "..", "shared", "corpus")
	for _, sub := range []string{"text", "text-formats"} {
		filepath.WalkDir(filepath.Join(root, sub), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".txt") {
				return nil
			}
			if b, err := os.ReadFile(p); err == nil {
				checkTaker(t, p, b, 16, 4096)
			}
			return nil
		})
	}
}

func FuzzTakeLines(f *testing.F) {
	for _, s := range ccsipTakerSeeds {
		f.Add(s, uint16(16))
	}
	f.Fuzz(func(t *testing.T, text string, size uint16) {
		checkTaker(t, "input", pastSample(text), 16+int(size%2048))
	})
}

// ciscoTextState is what a ciscoText holds of the message in progress.
func ciscoTextState(t *ciscoText) string {
	return fmt.Sprintf("%q keep=%d/%d first=%d last=%d count=%d explicit=%v lines=%v",
		t.slab[t.start:], t.keep-t.start, t.keepLines, t.first, t.last, t.count, t.explicit, t.lines)
}

// ciscoTextCounts is ciscoTextState without the text and line numbers,
// cheap enough to compare after every line.
func ciscoTextCounts(t *ciscoText) string {
	return fmt.Sprintf("len=%d keep=%d/%d first=%d last=%d count=%d explicit=%v lines=%d",
		len(t.slab)-t.start, t.keep-t.start, t.keepLines, t.first, t.last, t.count, t.explicit, len(t.lines))
}

// runAddRun adds the lines of text (split at "\n") to two ciscoTexts,
// one line at a time with add and in runs with addRun, cutting runs and
// skipping log lines where cuts says, and fails t when they differ.
func runAddRun(t *testing.T, text string, cuts []byte) {
	t.Helper()
	lines := strings.Split(text, "\n")
	var one, runs ciscoText
	// a message in progress already, at times in a full slab
	pre := strings.Repeat("p", len(cuts)*997%(ciscoSlabSize+3))
	one.add(1, []byte(pre))
	runs.add(1, []byte(pre))
	n := 2
	for k := 0; k < len(lines); {
		c := byte(0)
		if k < len(cuts) {
			c = cuts[k]
		}
		size := 1 + int(c%7)
		if k+size > len(lines) {
			size = len(lines) - k
		}
		n += int(c >> 6) // a gap in the log's line numbers before the run
		var run []byte
		keep, keepLines := 0, 0
		for i, l := range lines[k : k+size] {
			one.add(n+i, []byte(l))
			run = append(append(run, l...), '\n')
			if len(l) > 0 && (l[0] > ' ' || len(strings.TrimSpace(l)) > 0) {
				keep, keepLines = len(run), i+1
			}
		}
		runs.addRun(n, run, size, keep, keepLines)
		if a, b := ciscoTextCounts(&one), ciscoTextCounts(&runs); a != b {
			t.Fatalf("%q cut %v:\nadd    %s\naddRun %s", text, cuts, a, b)
		}
		n += size
		k += size
	}
	if a, b := ciscoTextState(&one), ciscoTextState(&runs); a != b {
		t.Fatalf("%q cut %v:\nadd    %s\naddRun %s", text, cuts, a, b)
	}
	a, b := one.message(), runs.message()
	if (a == nil) != (b == nil) || a != nil && fmt.Sprintf("%q %v %d", a.Text, a.Lines, a.BodyLine) != fmt.Sprintf("%q %v %d", b.Text, b.Lines, b.BodyLine) {
		t.Fatalf("%q: messages %+v and %+v", text, a, b)
	}
}

func TestCiscoTextAddRun(t *testing.T) {
	text := "INVITE sip:a@b SIP/2.0\nVia: x\n\n  \n\nv=0\n\n\n\t\n"
	for _, cuts := range [][]byte{nil, {0, 0, 0}, {6, 6}, {64, 1, 128, 2, 255}, bytes.Repeat([]byte{3}, 100)} {
		runAddRun(t, text, cuts)
		runAddRun(t, strings.Repeat(text, 2000), cuts) // past a slab
	}
}

func FuzzCiscoTextAddRun(f *testing.F) {
	f.Add("a\n\nb\n \n", []byte{1, 66, 3})
	f.Fuzz(func(t *testing.T, text string, cuts []byte) {
		runAddRun(t, text, cuts)
	})
}
