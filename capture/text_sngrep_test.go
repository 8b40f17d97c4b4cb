package capture

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSngrepSamples(t *testing.T) {
	for _, c := range []struct {
		name string
		want int
	}{{"register-401-loop", 32}, {"call", 32}, {"one-typo", 6}, {"wrong-realm", 4}} {
		text := ntReadSample(t, "sngrep/"+c.name+".txt")
		s := ntIngest(t, "sngrep", text)
		if len(s.msgs) != c.want || len(s.problems) > 0 {
			t.Errorf("%s: %d messages, want %d; problems %v", c.name, len(s.msgs), c.want, s.problems)
		}
		if got := detectSngrep(ntSampleLines(text)); got != 100 {
			t.Errorf("%s: detect %d", c.name, got)
		}
		ntCheckMessages(t, s.msgs)
	}
	s := ntIngest(t, "sngrep", ntReadSample(t, "sngrep/wrong-realm.txt"))
	m := s.msgs[2]
	if m.Line != 29 || m.Local.String() != "127.0.0.13:5060" || m.Peer.String() != "127.0.0.1:5060" || m.Dir != DirSent ||
		m.Stamp.Precision != time.Microsecond || m.Stamp.NoYear || !bytes.Contains(m.Text, []byte("\nAuthorization: Digest username=\"carol\", realm=\"old.example.net\"")) {
		t.Errorf("third message %+v\n%s", m, m.Text)
	}
}

// The only sngrep-like paste in the corpus: a REGISTER over TCP and the
// start of its 401, cut inside the Allow header.
func TestSngrepCorpus(t *testing.T) {
	text := ntCorpus(t, "text/gh-issue_irontec-itsbc-1_sngrep-style_register-401-tcp.txt")
	s := ntIngest(t, "sngrep", text)
	if len(s.msgs) != 2 || len(s.problems) > 0 {
		t.Fatalf("%d messages, problems %v", len(s.msgs), s.problems)
	}
	if detectSngrep(ntSampleLines(text)) != 100 || detectNgrep(ntSampleLines(text)) != 0 {
		t.Errorf("detection")
	}
	if s.msgs[0].Truncated {
		t.Errorf("REGISTER marked truncated")
	}
	if r := s.msgs[1]; r.Line != 17 || r.Peer.String() != "10.10.1.230:11894" || !bytes.HasSuffix(r.Text, []byte("SUBSCRIBE, NOTIFY, INFO,\n")) || !r.Truncated {
		t.Errorf("401 %+v\n%s", r, r.Text)
	}
}

func FuzzTextSngrep(f *testing.F) {
	for _, name := range []string{"wrong-realm.txt", "call.txt"} {
		if b, err := os.ReadFile(filepath.Join("..", "samples", "text", "sngrep", name)); err == nil {
			f.Add(b[:min(len(b), 2048)])
		}
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		s := ntIngest(t, "sngrep", text)
		detectSngrep(ntSampleLines(text))
		ntCheckMessages(t, s.msgs)
	})
}
