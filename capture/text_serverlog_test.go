package capture

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// slFeed runs an ingester over text the way the framework does: one line
// at a time, without line ends, in a buffer that is overwritten after each
// call (the contract says the slice is only valid during the call).
func slFeed(ing TextIngester, text string) *recordSink {
	s := &recordSink{}
	buf := make([]byte, 0, 256)
	for i, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		buf = append(buf[:0], strings.TrimSuffix(l, "\r")...)
		ing.Line(i+1, buf, s)
		for j := range buf {
			buf[j] = '#'
		}
	}
	ing.End(s)
	return s
}

// slDescribe is one message in a line: where, which way, who, what.
func slDescribe(m *TextMessage) string {
	first, _, _ := strings.Cut(string(m.Text), "\n")
	peer := m.PeerHost
	if m.Peer.IsValid() {
		peer = m.Peer.String()
	}
	s := fmt.Sprintf("%d %s %s %s %s", m.Line, m.Dir, peer, m.Transport, first)
	if m.Local.IsValid() {
		s += " local=" + m.Local.String()
	}
	if m.Truncated {
		s += " [truncated]"
	}
	return s
}

// slCheck asserts what every emitted message must satisfy, whatever the
// input: used by the unit tests and the fuzz targets.
func slCheck(t testing.TB, s *recordSink, nLines int) {
	t.Helper()
	for _, m := range s.msgs {
		if m.Summary != nil {
			continue
		}
		if len(m.Text) == 0 || m.Text[len(m.Text)-1] != '\n' {
			t.Fatalf("message at line %d: text %q does not end in a newline", m.Line, m.Text)
		}
		if m.Line < 1 || m.Line > nLines {
			t.Fatalf("message line %d outside 1..%d", m.Line, nLines)
		}
		n := bytes.Count(m.Text, []byte("\n"))
		if m.Lines != nil {
			if len(m.Lines) != n {
				t.Fatalf("message at line %d: %d text lines but %d line numbers", m.Line, n, len(m.Lines))
			}
			for i, l := range m.Lines {
				if l < m.Line || l > nLines || (i > 0 && l < m.Lines[i-1]) {
					t.Fatalf("message at line %d: bad line numbers %v", m.Line, m.Lines)
				}
			}
		} else if m.BodyLine < m.Line || m.BodyLine+n-1 > nLines {
			t.Fatalf("message at line %d: body lines %d+%d outside the input (%d lines)", m.Line, m.BodyLine, n, nLines)
		}
	}
}

// slCorpus reads one file of ../shared/corpus (skipping when absent).
func slCorpus(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// slWant compares descriptions line by line.
func slWant(t *testing.T, s *recordSink, want ...string) {
	t.Helper()
	var got []string
	for _, m := range s.msgs {
		got = append(got, slDescribe(m))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("messages:\n%s\nwant:\n%s\nproblems: %q", strings.Join(got, "\n"), strings.Join(want, "\n"), s.problems)
	}
}

func slLines(text string) int { return strings.Count(strings.TrimSuffix(text, "\n"), "\n") + 1 }

// slFuzz is the body of the ingesters' fuzz targets: any input, no panic,
// every message well formed.
func slFuzz(f *testing.F, newIng func() TextIngester, seeds ...string) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s := slFeed(newIng(), text)
		slCheck(t, s, slLines(text))
	})
}

// slSampleSeeds reads the .log files of samples/text/<dir> as fuzz seeds.
func slSampleSeeds(dir string) []string {
	var out []string
	files, _ := filepath.Glob(filepath.Join("..", "samples", "text", dir, "*.log"))
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil && len(b) < 16<<10 {
			out = append(out, string(b))
		}
	}
	return out
}

// BenchmarkIngestServerLogs runs each server-log ingester alone over its
// samples repeated to about 4 MB (lines already split, as the framework
// hands them over).
func BenchmarkIngestServerLogs(b *testing.B) {
	for _, f := range []string{"asterisk-pjsip", "asterisk-chansip", "freeswitch", "pjsua", "genesys", "audiocodes", "acme", "sip-req"} {
		seeds := slSampleSeeds(f)
		if len(seeds) == 0 {
			continue
		}
		var format *TextFormat
		for _, tf := range TextFormats() {
			if tf.Name == f {
				format = tf
			}
		}
		one := strings.Join(seeds, "\n")
		text := strings.Repeat(one, 4<<20/len(one)+1)
		lines := bytes.Split([]byte(text), []byte("\n"))
		b.Run(f, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			sink := &countSink{}
			cpu0 := cpuTime()
			for b.Loop() {
				ing := format.New()
				for i, l := range lines {
					ing.Line(i+1, l, sink)
				}
				ing.End(sink)
			}
			if sink.n == 0 {
				b.Fatal("no message read")
			}
			// the machine is shared: wall time says little
			if cpu := cpuTime() - cpu0; cpu > 0 {
				b.ReportMetric(float64(len(text))*float64(b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
			}
		})
	}
}
