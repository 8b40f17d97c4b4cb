package capture

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestExpresswayMessages(t *testing.T) {
	log := `2024-02-01T10:00:00+01:00 vcsc tvcs: UTCTime="2024-02-01 09:00:00,125" Module="network.sip" Level="INFO":  Action="Received"  Local-ip="192.0.2.20"  Local-port="5061"  Src-ip="198.51.100.7"  Src-port="40002"  Detail="Receive Request Method=REGISTER"
2024-02-01T10:00:00+01:00 vcsc tvcs: UTCTime="2024-02-01 09:00:00,125" Module="network.sip" Level="DEBUG":  Action="Received"  Local-ip="192.0.2.20"  Local-port="5061"  Src-ip="198.51.100.7"  Src-port="40002"  Msg-Hash="1"
 SIPMSG:
 |REGISTER sip:example.com SIP/2.0
 Via: SIP/2.0/TLS 198.51.100.7:40002;branch=z9hG4bK1
 Content-Length: 0
 
  |
2012-06-13T11:20:01+02:00 vcs tvcs: UTCTime="2012-06-13 09:20:01,500" Module="network.sip" Level="DEBUG":  Dst-ip="203.0.113.9"  Dst-port="5060"
 SIPMSG:
 |SIP/2.0 401 Unauthorized
 Content-Length: 0
2012-06-13T11:20:02+02:00 vcs tvcs: Event="Registration Rejected"
`
	s := ciscoFeed(&expresswayIngester{}, log)
	ciscoCheck(t, s, "2 received REGISTER sip:example.com SIP/2.0", "9 sent SIP/2.0 401 Unauthorized")
	a, b := s.msgs[0], s.msgs[1]
	if a.Peer != netip.MustParseAddrPort("198.51.100.7:40002") || a.Local != netip.MustParseAddrPort("192.0.2.20:5061") || a.BodyLine != 4 {
		t.Errorf("%+v", a)
	}
	if string(a.Text) != "REGISTER sip:example.com SIP/2.0\nVia: SIP/2.0/TLS 198.51.100.7:40002;branch=z9hG4bK1\nContent-Length: 0\n" {
		t.Errorf("text %q", a.Text)
	}
	if !a.Stamp.Time.Equal(time.Date(2024, 2, 1, 9, 0, 0, 125e6, time.UTC)) || a.Stamp.NoYear || a.Stamp.Precision != time.Millisecond {
		t.Errorf("stamp %+v", a.Stamp)
	}
	if b.Peer != netip.MustParseAddrPort("203.0.113.9:5060") || b.Local.IsValid() {
		t.Errorf("old format: %+v", b)
	}
	if len(s.problems) != 0 {
		t.Errorf("problems %v", s.problems)
	}
}

func TestExpresswayDetect(t *testing.T) {
	lines := func(s string) [][]byte { return bytes.Split([]byte(s), []byte("\n")) }
	if got := detectExpressway(lines(`x tvcs: UTCTime="2016-04-19 07:09:13,982" Module="network.sip" Level="DEBUG":  Action="Sent"` + "\n SIPMSG:\n |SIP/2.0 200 OK")); got != 100 {
		t.Errorf("debug: %d", got)
	}
	if got := detectExpressway(lines("SIP/2.0 200 OK\nVia: x")); got != 0 {
		t.Errorf("bare: %d", got)
	}
}

func TestExpresswayCorpus(t *testing.T) {
	root := ciscoCorpusDir(t, "text-formats")
	b, err := os.ReadFile(filepath.Join(root, "cisco_expressway/1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	s := ciscoFeed(&expresswayIngester{}, string(b))
	ciscoCheck(t, s, "2 sent SIP/2.0 408 Request Timeout")
	m := s.msgs[0]
	if m.Peer != netip.MustParseAddrPort("64.100.0.10:7003") || m.Local != netip.MustParseAddrPort("10.0.30.2:27901") ||
		!strings.HasSuffix(string(m.Text), "Content-Length: 0\n") || m.BodyLine != 4 {
		t.Errorf("%+v", m)
	}
}

func FuzzTextExpressway(f *testing.F) {
	ciscoFuzzSeeds(f, "../samples/text/cisco-expressway/*.log", "../../shared/corpus/text-formats/cisco_expressway/*.txt")
	f.Fuzz(func(t *testing.T, data []byte) { ciscoFuzzCheck(t, &expresswayIngester{}, data) })
}

// TestExpresswayIndentedPaste: the corpus log indented as a whole reads
// the same.
func TestExpresswayIndentedPaste(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(ciscoCorpusDir(t, "text-formats"), "cisco_expressway/1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	plain := ciscoFeed(&expresswayIngester{}, string(b))
	indented := ciscoFeed(&expresswayIngester{}, "    "+strings.ReplaceAll(string(b), "\n", "\n    "))
	if len(plain.msgs) != 1 || len(indented.msgs) != 1 || string(plain.msgs[0].Text) != string(indented.msgs[0].Text) {
		t.Fatalf("%v / %v", ciscoSummaries(plain), ciscoSummaries(indented))
	}
}
