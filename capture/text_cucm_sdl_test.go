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

func TestCUCMSDLUDPAndFallback(t *testing.T) {
	log := `00012345.001 |09:15:02.120 |AppInfo  |//SIP/SIPUdp/wait_SdlDataInd: Incoming SIP UDP message size 372 from 192.0.2.44:[5060]:
[2001,NET]
REGISTER sip:cucm.example.com SIP/2.0
Via: SIP/2.0/UDP 192.0.2.44:5060;branch=z9hG4bK77
Content-Length: 0
 
00012345.002 |09:15:02.122 |AppInfo  |//SIP/SIPHandler/ccbId=0/scbId=0/SIP_PROCESS_ENQUEUE: <SIP Message>
00012346.001 |09:15:02.125 |AppInfo  |//SIP/SIPUdp/wait_SdlSPISignal: Outgoing SIP UDP message to 192.0.2.44:[5060]:
[2002,NET]
SIP/2.0 401 Unauthorized
Content-Length: 0
00012347.001 |09:15:02.200 |AppInfo  |SIPTcp - wait_SdlSPISignal: Outgoing SIP TCP message to x.x.x.x on port 5061 index 9 
[2003,NET]
OPTIONS sip:x.x.x.x:5061 SIP/2.0
Content-Length: 0
00012348.001 |09:15:03.000 |AppInfo  |SIPTcp - wait_SdlSPISignal: Outgoing SIP TCP message to 10.0.0.1 on port 5060 index 9 
00012349.001 |09:15:03.100 |SdlSig   |SIPNotifyInd |restart0 |SIPHandler(1,100,72,1) |
SIP/2.0 200 OK
CSeq: 1 OPTIONS
`
	s := ciscoFeed(&cucmSDLIngester{}, log)
	ciscoCheck(t, s, "1 received REGISTER sip:cucm.example.com SIP/2.0", "8 sent SIP/2.0 401 Unauthorized",
		"12 sent OPTIONS sip:x.x.x.x:5061 SIP/2.0", "18 unknown SIP/2.0 200 OK")
	a := s.msgs[0]
	if a.Peer != netip.MustParseAddrPort("192.0.2.44:5060") || a.Transport != UDP || a.Seq != 12345001 || a.BodyLine != 3 {
		t.Errorf("%+v", a)
	}
	if !a.Stamp.Time.Equal(ciscoNoDate.Add(9*time.Hour+15*time.Minute+2*time.Second+120*time.Millisecond)) || !a.Stamp.NoDate || a.Stamp.Precision != time.Millisecond {
		t.Errorf("stamp %+v", a.Stamp)
	}
	if strings.HasSuffix(string(a.Text), " \n") {
		t.Errorf("trailing space line kept: %q", a.Text)
	}
	if c := s.msgs[2]; c.PeerHost != "x.x.x.x" || c.Peer.IsValid() || c.Transport != TransportUnknown {
		t.Errorf("masked: %+v", c)
	}
	if len(s.problems) != 1 || !strings.HasPrefix(s.problems[0], "16: ") {
		t.Errorf("problems %v", s.problems)
	}
}

func TestCUCMSDLDetect(t *testing.T) {
	lines := func(s string) [][]byte { return bytes.Split([]byte(s), []byte("\n")) }
	if got := detectCUCMSDL(lines("01382866.006 |12:52:49.858 |AppInfo |SIPTcp - wait_SdlReadRsp: Incoming SIP TCP message from 10.106.97.135 on port 53696 index 65 with 1695 bytes:")); got != 100 {
		t.Errorf("announcement: %d", got)
	}
	if got := detectCUCMSDL(lines("00012345.002 |09:15:02.122 |AppInfo  |//SIP/SIPHandler/ccbId=0")); got != 50 {
		t.Errorf("sdl only: %d", got)
	}
	if got := detectCUCMSDL(lines("007592: Apr  7 07:28:56.046: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:")); got != 0 {
		t.Errorf("ios: %d", got)
	}
}

func TestCUCMSDLCorpus(t *testing.T) {
	root := ciscoCorpusDir(t, "text-formats")
	cases := map[string][]string{
		"cucm_sdl/1.txt": {"1 received INVITE sip:9876@eu91.voip.test SIP/2.0", "47 sent SIP/2.0 180 Ringing",
			"66 sent INVITE sip:1122334455@10.106.22.199:5060 SIP/2.0", "94 received SIP/2.0 200 OK"},
		"cucm_sdl/2.txt": {"1 received REFER sip:CUCMPUB15 SIP/2.0"},
	}
	peers := map[string][]string{
		"cucm_sdl/1.txt": {"10.106.97.135:53696", "10.106.97.135:53696", "10.241.242.99:5060", "10.106.22.199:5060"},
		"cucm_sdl/2.txt": {"invalid AddrPort"},
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(root, name))
			if err != nil {
				t.Fatal(err)
			}
			s := ciscoFeed(&cucmSDLIngester{}, string(b))
			if got := ciscoSummaries(s); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			for i, m := range s.msgs {
				if i < len(peers[name]) && m.Peer.String() != peers[name][i] {
					t.Errorf("message %d peer %s, want %s", i, m.Peer, peers[name][i])
				}
			}
			if len(s.problems) != 0 {
				t.Errorf("problems %v", s.problems)
			}
		})
	}
}

func FuzzTextCUCMSDL(f *testing.F) {
	ciscoFuzzSeeds(f, "../samples/text/cucm-sdl/*.log", "../../shared/corpus/text-formats/cucm_sdl/*.txt")
	f.Add([]byte("00012345.001 |09:15:02.120 |AppInfo  |//SIP/SIPUdp/wait_SdlDataInd: Incoming SIP UDP message size 372 from 192.0.2.44:[5060]:\n[2001,NET]\nREGISTER sip:a SIP/2.0\n"))
	f.Fuzz(func(t *testing.T, data []byte) { ciscoFuzzCheck(t, &cucmSDLIngester{}, data) })
}

// TestCUCMSDLRunTogether: SDL lines a paste ran together on one line are
// read one by one.
func TestCUCMSDLRunTogether(t *testing.T) {
	log := "01383048.001 |12:52:49.888 |AppInfo |SIPTcp - wait_SdlSPISignal: Outgoing SIP TCP message to 10.106.95.200 on port 5061 index 12 01383048.002 |12:52:49.888 |AppInfo |//SIP/Stack/Transport/0x0/sipConnectionManagerProcessConnCreated: gConnTab=0x0, addr=10.106.95.200, port=5061, connid=12, transport=TLS Over TCP\n" +
		"01383048.003 |12:52:49.889 |AppInfo |SIPTcp - wait_SdlSPISignal: Outgoing SIP TCP message to 10.106.95.200 on port 5061 index 12\n[105069,NET]\nINVITE sip:1@10.106.95.200:5061 SIP/2.0 Via: SIP/2.0/TLS 10.106.97.10:5061;branch=z9hG4bK1\nContent-Length: 0\n"
	s := ciscoFeed(&cucmSDLIngester{}, log)
	ciscoCheck(t, s, "2 sent INVITE sip:1@10.106.95.200:5061 SIP/2.0 Via: SIP/2.0/TLS 10.106.97.10:5061;branch=z9hG4bK1")
	if len(s.problems) != 1 || !strings.HasPrefix(s.problems[0], "1: ") {
		t.Errorf("the first announcement, followed by another SDL line, is a problem: %v", s.problems)
	}
	if s.msgs[0].Peer != netip.MustParseAddrPort("10.106.95.200:5061") {
		t.Errorf("peer %s", s.msgs[0].Peer)
	}
}

// TestCUCMSDLIndentedPaste: the corpus trace indented as a whole reads
// the same.
func TestCUCMSDLIndentedPaste(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(ciscoCorpusDir(t, "text-formats"), "cucm_sdl/1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	plain := ciscoFeed(&cucmSDLIngester{}, string(b))
	indented := ciscoFeed(&cucmSDLIngester{}, "    "+strings.ReplaceAll(string(b), "\n", "\n    "))
	if len(plain.msgs) != 4 || len(indented.msgs) != 4 {
		t.Fatalf("%d and %d messages", len(plain.msgs), len(indented.msgs))
	}
	for i := range plain.msgs {
		if string(plain.msgs[i].Text) != string(indented.msgs[i].Text) || plain.msgs[i].Peer != indented.msgs[i].Peer {
			t.Errorf("message %d differs:\n%s\n%s", i, plain.msgs[i].Text, indented.msgs[i].Text)
		}
	}
}
