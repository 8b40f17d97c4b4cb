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

func TestVoipTraceDetect(t *testing.T) {
	lines := func(s string) [][]byte { return bytes.Split([]byte(s), []byte("\n")) }
	vt := lines("0: *Aug 30 21:21:45.583: //1/1CE915CE8002/CUBE_VT/SIP/Msg/ccsipDisplayMsg:\nReceived: ")
	if detectCiscoVoipTrace(vt) <= detectCiscoCCSIP(vt) {
		t.Errorf("voip trace %d, ccsip %d", detectCiscoVoipTrace(vt), detectCiscoCCSIP(vt))
	}
	if got := detectCiscoVoipTrace(lines("------------------ Cover Buffer ---------------\nSearch-key = 1:2:3")); got != 100 {
		t.Errorf("cover buffer: %d", got)
	}
	ios := lines("007592: Apr  7 07:28:56.046: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:")
	if detectCiscoVoipTrace(ios) != 0 {
		t.Errorf("debug ccsip claimed")
	}
}

// TestVoipTraceCorpus reads the two `show voip trace` pages of the corpus.
func TestVoipTraceCorpus(t *testing.T) {
	root := ciscoCorpusDir(t, "")
	cases := map[string][]string{
		"text-formats/cisco_voip_trace/1.txt":                {"14 received INVITE sip:8888@CUBE.com SIP/2.0"},
		"text/cisco-doc_cube-voip-trace_invite-received.txt": {"14 received INVITE sip:8888@CUBE.com SIP/2.0"},
		"text/cisco-doc_cube-voip-trace_invite-408-timeout.txt": {
			"16 received INVITE sip:6666@CUBE.com SIP/2.0",
			"29 sent SIP/2.0 100 Trying",
			"43 sent INVITE sip:6666@10.1.40.50:5083 SIP/2.0",
			"68 sent SIP/2.0 408 Request Timeout",
			"83 received ACK sip:6666@10.2.10.10:5060 SIP/2.0",
		},
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(root, name))
			if err != nil {
				t.Fatal(err)
			}
			s := ciscoFeed(newCCSIPIngester(), string(b))
			if got := ciscoSummaries(s); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if len(s.problems) != 0 {
				t.Errorf("problems %v", s.problems)
			}
			if strings.Contains(name, "received") {
				m := s.msgs[0]
				if m.Peer != netip.MustParseAddrPort("8.41.17.71:5099") || m.Local != netip.MustParseAddrPort("8.44.25.45:5060") || m.Transport != UDP || !m.Stamp.Unreliable {
					t.Errorf("envelope %+v", m)
				}
				if !strings.HasSuffix(string(m.Text), "a=sendrecv\n") {
					t.Errorf("text ends %q", m.Text[len(m.Text)-20:])
				}
			}
		})
	}
}

// TestVoipTraceBuffers: a message is not followed into the next call's
// Cover Buffer.
func TestVoipTraceBuffers(t *testing.T) {
	log := "CUBE#show voip trace all\n------------------ Cover Buffer ---------------\n  CallID         = 31\n-----------------------------------------------\n" +
		"Sent: \nACK sip:1@192.0.2.200:5060 SIP/2.0\nContent-Length: 0\n\n" +
		"------------------ Cover Buffer ---------------\nSearch-key       = 2001:9015:33\n  CallID         = 33\n-----------------------------------------------\n" +
		"Sent: \nINVITE sip:2@192.0.2.200:5060 SIP/2.0\nContent-Length: 0\n"
	s := ciscoFeed(newCCSIPIngester(), log)
	ciscoCheck(t, s, "5 sent ACK sip:1@192.0.2.200:5060 SIP/2.0", "13 sent INVITE sip:2@192.0.2.200:5060 SIP/2.0")
	if got := string(s.msgs[0].Text); got != "ACK sip:1@192.0.2.200:5060 SIP/2.0\nContent-Length: 0\n" {
		t.Errorf("text %q", got)
	}
}

// TestVoipTraceCoverStamp: without stamps of their own (17.12), the first
// message after a Cover Buffer takes the call's Timestamp.
func TestVoipTraceCoverStamp(t *testing.T) {
	log := "------------------ Cover Buffer ---------------\n  Timestamp      = *Apr 27 09:54:54.491\n  CallID         = 4\n-----------------------------------------------\n" +
		"Received: \nINVITE sip:6666@CUBE.com SIP/2.0\n\nSent: \nSIP/2.0 100 Trying\n"
	s := ciscoFeed(newCCSIPIngester(), log)
	if len(s.msgs) != 2 {
		t.Fatalf("%v", ciscoSummaries(s))
	}
	a, b := s.msgs[0].Stamp, s.msgs[1].Stamp
	if !a.Time.Equal(time.Date(ciscoNoYear, 4, 27, 9, 54, 54, 491e6, time.UTC)) || !a.Unreliable || !a.NoYear || a.Precision != time.Millisecond {
		t.Errorf("first %+v", a)
	}
	if !b.Time.IsZero() {
		t.Errorf("second given a stamp: %+v", b)
	}
}
