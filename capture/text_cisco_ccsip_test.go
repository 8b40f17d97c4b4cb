package capture

import (
	"bufio"
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// ciscoFeed runs one ingester over text, line by line, numbering from 1,
// with the little normalisation the framework does before Line (CR and
// the HTML colon entity and typographic quotes the corpus holds).
func ciscoFeed(ing TextIngester, text string) *recordSink {
	s := &recordSink{}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.NewReplacer("&colon;", ":", "\u201c", `"`, "\u201d", `"`, "\u2033", `"`).Replace(text)
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		n++
		ing.Line(n, sc.Bytes(), s)
	}
	ing.End(s)
	return s
}

// firstLine is the first line of a message's Text.
func firstLine(m *TextMessage) string {
	t := string(m.Text)
	if i := strings.IndexByte(t, '\n'); i >= 0 {
		return t[:i]
	}
	return t
}

// ciscoLines lists the log line of each Text line.
func ciscoLines(m *TextMessage) []int {
	if m.Lines != nil {
		return m.Lines
	}
	n := bytes.Count(m.Text, []byte("\n"))
	out := make([]int, n)
	for i := range out {
		out[i] = m.BodyLine + i
	}
	return out
}

// ciscoSummary renders a message in one line for table tests:
// "line dir first-line".
func ciscoSummary(m *TextMessage) string {
	return fmt.Sprintf("%d %s %s", m.Line, m.Dir, firstLine(m))
}

func ciscoSummaries(s *recordSink) []string {
	var out []string
	for _, m := range s.msgs {
		out = append(out, ciscoSummary(m))
	}
	return out
}

func ciscoCheck(t *testing.T, s *recordSink, want ...string) {
	t.Helper()
	got := ciscoSummaries(s)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("messages:\n%s\nwant:\n%s\nproblems: %v", strings.Join(got, "\n"), strings.Join(want, "\n"), s.problems)
	}
}

func TestCCSIPClassicWithInterleavedDebugs(t *testing.T) {
	log := `007592: Apr  7 07:28:56.046: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:
Received:
REGISTER sip:cube.example.net SIP/2.0
Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK1
Call-ID: a@192.0.2.10
CSeq: 1 REGISTER
Content-Length: 0

007649: Apr  7 07:28:56.050://-1/286BC7C68020/SIP/Info/info/2048/sipSPIGetCallConfig: Peer tag 3001 matched
007872: Apr  7 07:28:56.061: //89/286BC7C68020/CCAPI/ccCallSetupRequest:
   Destination=, Calling IE Present=TRUE, Mode=0,
008239: Apr  7 07:28:56.079: //89/286BC7C68020/SIP/Msg/ccsipDisplayMsg:
Sent: 
SIP/2.0 401 Unauthorized
Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK1
Content-Length: 0
%SYS-5-CONFIG_I: Configured from console by console
Content-Type: not part of any message
`
	s := ciscoFeed(newCCSIPIngester(), log)
	ciscoCheck(t, s,
		"1 received REGISTER sip:cube.example.net SIP/2.0",
		"12 sent SIP/2.0 401 Unauthorized")
	m := s.msgs[0]
	if m.Seq != 7592 || m.BodyLine != 3 || m.Lines != nil {
		t.Errorf("seq %d bodyline %d lines %v", m.Seq, m.BodyLine, m.Lines)
	}
	if got := string(m.Text); !strings.HasSuffix(got, "Content-Length: 0\n") {
		t.Errorf("trailing blank lines kept: %q", got)
	}
	want := time.Date(ciscoNoYear, 4, 7, 7, 28, 56, 46e6, time.UTC)
	if !m.Stamp.Time.Equal(want) || !m.Stamp.NoYear || m.Stamp.Precision != time.Millisecond || m.Stamp.Unreliable {
		t.Errorf("stamp %+v", m.Stamp)
	}
	if strings.Contains(string(s.msgs[1].Text), "SYS-5") {
		t.Errorf("%%FAC line kept in message: %q", s.msgs[1].Text)
	}
	if len(s.problems) != 0 {
		t.Errorf("problems: %v", s.problems)
	}
}

func TestCCSIPHeaderVariants(t *testing.T) {
	cases := []struct {
		name, header string
		seq          int64
		stamp        TextStamp
	}{
		{"seq and msec", "000123: Mar 17 17:11:09.936: //460/3CBC3A000000/SIP/Msg/ccsipDisplayMsg:", 123,
			TextStamp{Time: time.Date(ciscoNoYear, 3, 17, 17, 11, 9, 936e6, time.UTC), NoYear: true, Precision: time.Millisecond}},
		{"clock not set", "*Mar  1 00:10:32.213: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:", 0,
			TextStamp{Time: time.Date(ciscoNoYear, 3, 1, 0, 10, 32, 213e6, time.UTC), NoYear: true, Precision: time.Millisecond, Unreliable: true}},
		{"ntp lost, zone", ".Jul 10 15:58:56.590 EDT: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:", 0,
			TextStamp{Time: time.Date(ciscoNoYear, 7, 10, 19, 58, 56, 590e6, time.UTC), NoYear: true, Precision: time.Millisecond, Unreliable: true}},
		{"year, usec", "Dec 12 2011 10:31:22.527123 UTC: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:", 0,
			TextStamp{Time: time.Date(2011, 12, 12, 10, 31, 22, 527123e3, time.UTC), Precision: time.Microsecond}},
		{"no msec", "Sep  6 14:12:56: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:", 0,
			TextStamp{Time: time.Date(ciscoNoYear, 9, 6, 14, 12, 56, 0, time.UTC), NoYear: true, Precision: time.Second}},
		{"space colon", "125670: *Jul 21 12:09:48.231 : //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:", 125670,
			TextStamp{Time: time.Date(ciscoNoYear, 7, 21, 12, 9, 48, 231e6, time.UTC), NoYear: true, Precision: time.Millisecond, Unreliable: true}},
		{"uptime weeks", "1w1d: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:", 0,
			TextStamp{Time: ciscoNoDate.Add(8 * 24 * time.Hour), NoDate: true, Precision: 24 * time.Hour}},
		{"uptime days", "2d03h: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:", 0,
			TextStamp{Time: ciscoNoDate.Add(51 * time.Hour), NoDate: true, Precision: time.Hour}},
		{"uptime clock", "00:11:29: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:", 0,
			TextStamp{Time: ciscoNoDate.Add(11*time.Minute + 29*time.Second), NoDate: true, Precision: time.Second}},
		{"seq and uptime", "000042: 00:00:31: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:", 42,
			TextStamp{Time: ciscoNoDate.Add(31 * time.Second), NoDate: true, Precision: time.Second}},
		{"no stamp", "//-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:", 0, TextStamp{}},
		{"slash lost", "/-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:", 0, TextStamp{}},
		{"syslog collector", "Sep  6 09:13:00 RouterName 82: Sep  6 14:12:56.872: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:", 82,
			TextStamp{Time: time.Date(ciscoNoYear, 9, 6, 14, 12, 56, 872e6, time.UTC), NoYear: true, Precision: time.Millisecond}},
		{"syslog PRI", "<189>123: *Mar  1 18:46:11.123: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:", 123,
			TextStamp{Time: time.Date(ciscoNoYear, 3, 1, 18, 46, 11, 123e6, time.UTC), NoYear: true, Precision: time.Millisecond, Unreliable: true}},
		{"ISO collector, no device stamp", "2024-03-05T10:00:01+01:00 cube1 77: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:", 77,
			TextStamp{Time: time.Date(2024, 3, 5, 9, 0, 1, 0, time.UTC), Precision: time.Second}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := ciscoFeed(newCCSIPIngester(), c.header+"\nSent:\nOPTIONS sip:x@192.0.2.1 SIP/2.0\nCSeq: 1 OPTIONS\n")
			if len(s.msgs) != 1 {
				t.Fatalf("%d messages, problems %v", len(s.msgs), s.problems)
			}
			m := s.msgs[0]
			if m.Seq != c.seq || m.Dir != DirSent || m.Line != 1 || m.BodyLine != 3 {
				t.Errorf("seq %d dir %s line %d body %d", m.Seq, m.Dir, m.Line, m.BodyLine)
			}
			got, want := m.Stamp, c.stamp
			if !got.Time.Equal(want.Time) || got.NoYear != want.NoYear || got.NoDate != want.NoDate ||
				got.Precision != want.Precision || got.Unreliable != want.Unreliable {
				t.Errorf("stamp %+v (%s), want %+v (%s)", got, got.Time, want, want.Time)
			}
		})
	}
}

func TestCCSIPWrappedTagAndDoubleSpacing(t *testing.T) {
	log := "*Jan 18 03:34:57.559: \n   //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:\n\nReceived: \n\nSIP/2.0 200 OK\n\nVia: SIP/2.0/UDP 14.1.16.25:5060;\n   branch=z9hG4bK94C0B\n\nContent-Length: 0\n\n" +
		"*Jan 18 03:34:57.595: \n   //-1/xxxxxxxxxxxx/SIP/\n   Msg/ccsipDisplayMsg:\n\nSent: \n\nACK sip:172.18.110.76:5060 SIP/2.0\n\nContent-Length: 0\n"
	s := ciscoFeed(newCCSIPIngester(), log)
	ciscoCheck(t, s, "1 received SIP/2.0 200 OK", "13 sent ACK sip:172.18.110.76:5060 SIP/2.0")
	if !s.msgs[1].Stamp.Time.Equal(time.Date(ciscoNoYear, 1, 18, 3, 34, 57, 595e6, time.UTC)) {
		t.Errorf("stamp of the wrapped tag: %s", s.msgs[1].Stamp.Time)
	}
	if got := string(s.msgs[0].Text); got != "SIP/2.0 200 OK\n\nVia: SIP/2.0/UDP 14.1.16.25:5060;\n   branch=z9hG4bK94C0B\n\nContent-Length: 0\n" {
		t.Errorf("text %q", got)
	}
}

func TestCCSIPCollapsedOnTagLine(t *testing.T) {
	log := "125749: *Jul 21 12:09:48.238 : //2058481/FED4647C9552/SIP/Msg/ccsipDisplayMsg: Sent: INVITE sip:+15551230000@192.0.2.7:5060 SIP/2.0 Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK11 CSeq: 101 INVITE Content-Length: 0\n" +
		"125757: *Jul 21 12:10:00.218 : //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg: Received: CANCEL sip:+15551230000@XX.XX.XX.XX:5061 SIP/2.0 Via:SIP/2.0/TLS XXX.XXX.XX.XX:8934 Content-Length:0\n"
	s := ciscoFeed(newCCSIPIngester(), log)
	if len(s.msgs) != 2 || s.msgs[0].Dir != DirSent || s.msgs[1].Dir != DirReceived {
		t.Fatalf("%v %v", ciscoSummaries(s), s.problems)
	}
	if !strings.HasPrefix(string(s.msgs[0].Text), "INVITE sip:+15551230000@192.0.2.7:5060 SIP/2.0 Via:") || s.msgs[0].BodyLine != 1 {
		t.Errorf("%q line %d", s.msgs[0].Text, s.msgs[0].BodyLine)
	}
}

func TestCCSIPVoipTraceAddresses(t *testing.T) {
	log := "0: *Aug 30 21:21:45.583: //1/1CE915CE8002/CUBE_VT/SIP/Msg/ccsipDisplayMsg:\n" +
		"Received: SIP UDP message from 8.41.17.71:5099 to 8.44.25.45:5060 \n" +
		"INVITE sip:8888@CUBE.com SIP/2.0\nCSeq: 1 INVITE\n\n" +
		"2: *Aug 30 21:21:45.583: //1/1CE915CE8002/CUBE_VT/SIP/FSM/SPI-State-Change: Current State: STATE_NONE\n" +
		"7: *Aug 30 21:21:45.600: //1/1CE915CE8002/CUBE_VT/SIP/Msg/ccsipDisplayMsg:\n" +
		"Sent: SIP TCP message from 8.44.25.45:5060 to 8.41.17.71:5099\n" +
		"SIP/2.0 100 Trying\nCSeq: 1 INVITE\n"
	s := ciscoFeed(newCCSIPIngester(), log)
	ciscoCheck(t, s, "1 received INVITE sip:8888@CUBE.com SIP/2.0", "7 sent SIP/2.0 100 Trying")
	a, b := s.msgs[0], s.msgs[1]
	if a.Peer != netip.MustParseAddrPort("8.41.17.71:5099") || a.Local != netip.MustParseAddrPort("8.44.25.45:5060") || a.Transport != UDP {
		t.Errorf("received: peer %s local %s %s", a.Peer, a.Local, a.Transport)
	}
	if b.Peer != netip.MustParseAddrPort("8.41.17.71:5099") || b.Local != netip.MustParseAddrPort("8.44.25.45:5060") || b.Transport != TCP || b.Seq != 7 {
		t.Errorf("sent: peer %s local %s %s seq %d", b.Peer, b.Local, b.Transport, b.Seq)
	}
}

func TestCCSIPTerminalPaste(t *testing.T) {
	log := `CUBE#terminal length 0
CUBE#sh log
Syslog logging: enabled (0 messages dropped, 3 messages rate-limited, 0 flushes, 0 overruns, xml disabled, filtering disabled)
    Console logging: disabled
    Buffer logging:  level debugging, 2214 messages logged, xml disabled,
Log Buffer (8192 bytes):
Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bKcut
CSeq: 7 REGISTER
Content-Length: 0

000812: Mar  3 10:00:01.100: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:
Sent:
REGISTER sip:itsp.example.com SIP/2.0
Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK2
 --More-- 
CSeq: 8 REGISTER
Content-Length: 0

CUBE#
`
	s := ciscoFeed(newCCSIPIngester(), log)
	ciscoCheck(t, s, "7 unknown Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bKcut",
		"11 sent REGISTER sip:itsp.example.com SIP/2.0")
	if !s.msgs[0].Truncated || s.msgs[1].Truncated {
		t.Errorf("truncated flags %v %v", s.msgs[0].Truncated, s.msgs[1].Truncated)
	}
	m := s.msgs[1]
	if got := string(m.Text); strings.Contains(got, "More") || !strings.Contains(got, "CSeq: 8 REGISTER\nContent-Length: 0\n") {
		t.Errorf("text %q", got)
	}
	if want := []int{13, 14, 16, 17}; fmt.Sprint(m.Lines) != fmt.Sprint(want) {
		t.Errorf("lines %v, want %v", m.Lines, want)
	}
}

func TestCCSIPMoreWithTextOnTheSameLine(t *testing.T) {
	log := "//-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:\nReceived:\nSIP/2.0 200 OK\n --More-- \b\b\b\b\b\b\b\b\b         \b\b\b\b\b\b\b\b\bCSeq: 1 BYE\n"
	s := ciscoFeed(newCCSIPIngester(), log)
	if len(s.msgs) != 1 || string(s.msgs[0].Text) != "SIP/2.0 200 OK\nCSeq: 1 BYE\n" {
		t.Fatalf("%v", s.msgs)
	}
}

func TestCCSIPSyslogEscapedNewlines(t *testing.T) {
	log := "Sep  6 09:13:00 cube1 82: Sep  6 14:12:56.872: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:#012Received:#012SIP/2.0 401 Unauthorized#015#012Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK2#012Content-Length: 0#012#012\n" +
		"Sep  6 09:13:01 cube1 83: Sep  6 14:12:57.001: %SIP-3-REG_INTERNAL: Registration failed.\n"
	s := ciscoFeed(newCCSIPIngester(), log)
	ciscoCheck(t, s, "1 received SIP/2.0 401 Unauthorized")
	m := s.msgs[0]
	if string(m.Text) != "SIP/2.0 401 Unauthorized\nVia: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK2\nContent-Length: 0\n" || fmt.Sprint(m.Lines) != "[1 1 1]" {
		t.Errorf("text %q lines %v", m.Text, m.Lines)
	}
	if m.Seq != 82 {
		t.Errorf("seq %d", m.Seq)
	}
}

func TestCCSIPTransportPeer(t *testing.T) {
	log := `*Mar  1 00:10:32.201: //-1/xxxxxxxxxxxx/SIP/Transport/sipSPITransportSendMessage: msg=0x64082D50, addr=172.18.194.183, port=5060, sentBytes=512, useTLS=0
*Mar  1 00:10:32.205: //4/6C3D02258003/SIP/Msg/ccsipDisplayMsg:
Sent:
INVITE sip:100@172.18.194.183 SIP/2.0
Content-Length: 0

*Mar  1 00:10:32.300: //4/6C3D02258003/SIP/Msg/ccsipDisplayMsg:
Sent:
ACK sip:100@172.18.194.183 SIP/2.0
Content-Length: 0

*Mar  1 00:10:32.301: //-1/xxxxxxxxxxxx/SIP/Transport/sipTransportPostSendMessage: Posting send for msg=0x640844E0, addr=172.18.194.184, port=5070, connId=1 for TCP
*Mar  1 00:10:33.000: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:
Received:
BYE sip:200@198.51.100.1 SIP/2.0
`
	s := ciscoFeed(newCCSIPIngester(), log)
	ciscoCheck(t, s, "2 sent INVITE sip:100@172.18.194.183 SIP/2.0", "7 sent ACK sip:100@172.18.194.183 SIP/2.0",
		"13 received BYE sip:200@198.51.100.1 SIP/2.0")
	if s.msgs[0].Peer != netip.MustParseAddrPort("172.18.194.183:5060") {
		t.Errorf("peer before: %s", s.msgs[0].Peer)
	}
	if s.msgs[1].Peer != netip.MustParseAddrPort("172.18.194.184:5070") || s.msgs[1].Transport != TCP {
		t.Errorf("peer after: %s %s", s.msgs[1].Peer, s.msgs[1].Transport)
	}
	if s.msgs[2].Peer.IsValid() {
		t.Errorf("received message given a peer")
	}
}

func TestCCSIPDirectionWithoutTagAndAnnotations(t *testing.T) {
	log := `------------------ Cover Buffer ---------------
Search-key       = 808808:6666:4
  Timestamp      = Apr 27 09:54:54.491
-----------------------------------------------
//CUBE receives INVITE message from the client
Received: 
INVITE sip:6666@CUBE.com SIP/2.0
Content-Length: 0

//CUBE reponds with 100 TRYING
Sent: 
SIP/2.0 100 Trying
Content-Length: 0

//If CUBE doesn't receive any response from the server after retransmission of INVITE messages, 
then CUBE replies back with '408 Request Timeout' to the client.

Sent: 
SIP/2.0 408 Request Timeout
Content-Length: 0
`
	s := ciscoFeed(newCCSIPIngester(), log)
	ciscoCheck(t, s, "6 received INVITE sip:6666@CUBE.com SIP/2.0", "11 sent SIP/2.0 100 Trying", "18 sent SIP/2.0 408 Request Timeout")
	if len(s.problems) != 0 {
		t.Errorf("problems %v", s.problems)
	}
}

func TestCCSIPTagWithoutMessageIsAProblem(t *testing.T) {
	s := ciscoFeed(newCCSIPIngester(), "000001: Mar  3 10:00:01.100: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:\nSent:\n000002: Mar  3 10:00:01.101: %SYS-5-CONFIG_I: x\n")
	if len(s.msgs) != 0 || len(s.problems) != 1 || !strings.HasPrefix(s.problems[0], "1: ") {
		t.Errorf("msgs %v problems %v", ciscoSummaries(s), s.problems)
	}
}

func TestCCSIPBinaryDataSkipped(t *testing.T) {
	log := `001738: Oct  9 15:37:24.577: //-1/xxxxxxxxxxxx/SIP/Msg/sipDisplayBinaryData&colon;
 Sending: Binary Message Body
001739: Oct  9 15:37:24.577: Content-Type: audio/telephone-event 07 00 07 D0

001756: Oct  9 15:37:24.577: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg&colon;
Sent:
NOTIFY sip:9999@192.168.106.66:5060 SIP/2.0
Content-Length: 4
`
	s := ciscoFeed(newCCSIPIngester(), log)
	ciscoCheck(t, s, "5 sent NOTIFY sip:9999@192.168.106.66:5060 SIP/2.0")
}

func TestCCSIPDetect(t *testing.T) {
	lines := func(s string) [][]byte { return bytes.Split([]byte(s), []byte("\n")) }
	if got := detectCiscoCCSIP(lines("x\n001: Mar  1 00:00:00.000: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:\nSent:")); got != 100 {
		t.Errorf("tag: %d", got)
	}
	if got := detectCiscoCCSIP(lines("0: *Aug 30 21:21:45.583: //1/1CE915CE8002/CUBE_VT/SIP/Msg/ccsipDisplayMsg:")); got >= 100 {
		t.Errorf("voip trace claimed at %d", got)
	}
	if got := detectCiscoCCSIP(lines("Sent: \nINVITE sip:a@b SIP/2.0\n")); got == 0 || got >= 100 {
		t.Errorf("weak hint: %d", got)
	}
	if got := detectCiscoCCSIP(lines("007649: Apr  7 07:28:56.050://-1/286BC7C68020/SIP/Info/info/2048/sipSPIGetCallConfig: Peer tag 3001 matched")); got != 90 {
		t.Errorf("ccsip debug without a message: %d", got)
	}
	if got := detectCiscoCCSIP(lines("INVITE sip:a@b SIP/2.0\nVia: x\n")); got != 0 {
		t.Errorf("bare SIP: %d", got)
	}
}

// ciscoCorpusDir is corpusDir/<sub>, skipping when it is absent.
func ciscoCorpusDir(t testing.TB, sub string) string {
	dir := filepath.Join(corpusDir(t), sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skip("corpus not present: ", dir)
	}
	return dir
}

// TestCCSIPCorpus reads the Cisco examples of the shared corpus with the
// ccsip ingester alone and checks each message's first line and direction.
func TestCCSIPCorpus(t *testing.T) {
	cases := map[string][]string{
		"text-formats/cisco_ccsip/1.txt":                                  {"1 received INVITE sip:1000@10.106.117.5:5060 SIP/2.0", "49 sent SIP/2.0 503 Service Unavailable"},
		"text-formats/cisco_ccsip/2.txt":                                  {"5 sent NOTIFY sip:9999@192.168.106.66:5060 SIP/2.0", "19 received SIP/2.0 200 Ok"},
		"text-formats/cisco_ccsip/3.txt":                                  {"1 received INVITE sip:+1XXXXXXXXXX@XX.XX.XX.XX:5061;transport=tls;dtg=sbc_lgu SIP/2.0 Via:SIP/2.0/TLS XXX.XXX.XX.XX:8934;branch=z9hG4bKBroadworksSSE.-XXX.X.XXX.XXV40413-0-100-1704852021-1689966652299- From:<sip:+1XXXXXXXXXX0@XXX.XXX.XX.XX;user=phone>;tag=1704852021-1689966652299- To:<sip:+1XXXXXXXXXX@XXXXXXXX.cisco-bcld.com;user=phone> Call-ID:SSE191052299210723-1072365917@XXX.XXX.XX.XX CSeq:100 INVITE Contact:<sip:XXX.XXX.XX.XX:8934;transport=tls> P-Asserted-Identity:<sip:+1XXXXXXXXXX@XX.XX.XXX.XXX;user=phone> Privacy:none P-Access-Network-Info:6307694336 Allow:ACK,BYE,CANCEL,INFO,INVITE,OPTIONS,PRACK,REFER,NOTIFY,UPDATE Recv-Info:x-broadworks-client-session-info,x-cisco-mute-status X-BroadWorks-Correlation-Info:64b1f41c-5b24-4865-9b00-c5a9acd0c1d8 Accept:application/media_control+xml,application/sdp,multipart/mixed Supported: Max-Forwards:69 Session-ID:7202892d00105000a000ac7e8ab6b729;remote=00000000000000000000000000000000 Content-Type:application/sdp Content-Length:2260"},
		"text-formats/cisco_ccsip/4.txt":                                  {"1 sent INVITE sip:tts@172.18.110.76:5060 SIP/2.0", "96 received SIP/2.0 200 OK", "152 sent ACK sip:172.18.110.76:5060 SIP/2.0"},
		"text/cisco-doc_cube-debug-ccsip_invite-503-dialpeer-busyout.txt": {"3 received INVITE sip:1000@10.106.117.5:5060 SIP/2.0", "51 sent SIP/2.0 503 Service Unavailable"},
		"text/cisco-doc_ios-debug-ccsip_mwi-invite-100-excerpt.txt":       {"2 sent INVITE sip:78002@csps-release.example1.com:5060 SIP/2.0", "35 received SIP/2.0 100 Trying"},
		"text/afterthenumber_cube-debug-ccsip_401-realm-mismatch.txt":     {"1 unknown SIP/2.0 401 Unauthorized"},
		"text/cisco-doc_cube-syslog_sip-trunk-registration.txt":           nil,
	}
	root := ciscoCorpusDir(t, "")
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(root, name))
			if err != nil {
				t.Fatal(err)
			}
			s := ciscoFeed(newCCSIPIngester(), string(b))
			got := ciscoSummaries(s)
			if name == "text-formats/cisco_ccsip/3.txt" {
				// three collapsed messages: check the count and directions
				if len(got) != 3 || s.msgs[1].Dir != DirSent || s.msgs[2].Dir != DirReceived || s.msgs[2].Line != 3 {
					t.Errorf("%v", got)
				}
				return
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("got\n%s\nwant\n%s\nproblems %v", strings.Join(got, "\n"), strings.Join(want, "\n"), s.problems)
			}
			if len(s.problems) != 0 {
				t.Errorf("problems %v", s.problems)
			}
		})
	}
}

// ccsipBenchText builds n messages of `debug ccsip messages` output as a
// CUBE prints it, with `debug ccsip all` lines between them.
func ccsipBenchText(n int) []byte {
	var b bytes.Buffer
	at := time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC)
	seq := 1000
	for i := 0; i < n; i++ {
		at = at.Add(1700 * time.Microsecond)
		stamp := at.Format("Jan _2 15:04:05.000")
		if i%3 == 0 {
			seq++
			fmt.Fprintf(&b, "%06d: %s: //-1/xxxxxxxxxxxx/SIP/Info/info/4096/sipSPIGetCallConfig: Peer tag %d matched for incoming call\n", seq, stamp, i%100)
		}
		seq++
		dir, first := "Received:", "REGISTER sip:cube.example.net SIP/2.0"
		if i%2 == 1 {
			dir, first = "Sent: ", "SIP/2.0 401 Unauthorized"
		}
		fmt.Fprintf(&b, "%06d: %s: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:\n%s\n%s\n", seq, stamp, dir, first)
		fmt.Fprintf(&b, "Via: SIP/2.0/UDP 192.0.2.%d:5060;branch=z9hG4bK%08x\n", i%250+1, i)
		fmt.Fprintf(&b, "From: <sip:%d@cube.example.net>;tag=%X-1D14\nTo: <sip:%d@cube.example.net>\n", 2000+i%500, i, 2000+i%500)
		fmt.Fprintf(&b, "Date: %s\nCall-ID: %08X-EB9A11E5-81CCED66-DEC6DF88@192.0.2.%d\n", at.Format(time.RFC1123), i/2, i%250+1)
		b.WriteString("User-Agent: Cisco-SIPGateway/IOS-17.6.1a\nMax-Forwards: 70\nTimestamp: 1709629200\n")
		fmt.Fprintf(&b, "CSeq: %d REGISTER\nContact: <sip:%d@192.0.2.%d:5060>\nExpires: 3600\n", 101+i%7, 2000+i%500, i%250+1)
		if i%2 == 1 {
			b.WriteString(`WWW-Authenticate: Digest realm="cube.example.net",nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",algorithm=MD5` + "\n")
		}
		b.WriteString("Content-Length: 0\n\n")
		if i%4 == 3 {
			seq++
			fmt.Fprintf(&b, "%06d: %s: //-1/xxxxxxxxxxxx/SIP/State/sipSPIChangeState: 0x7F2B5A0C1D28 : State change from (STATE_NONE, SUBSTATE_NONE)  to (STATE_IDLE, SUBSTATE_NONE)\n", seq, stamp)
		}
	}
	return b.Bytes()
}

// BenchmarkIngestCCSIP measures the ccsip ingester alone (no reading,
// normalising or repair): lines are split beforehand.
func BenchmarkIngestCCSIP(b *testing.B) {
	text := ccsipBenchText(20000)
	lines := bytes.Split(text, []byte("\n"))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	sink := &countSink{}
	cpu0 := cpuTime()
	for b.Loop() {
		x := newCCSIPIngester()
		for i, l := range lines {
			x.Line(i+1, l, sink)
		}
		x.End(sink)
	}
	if sink.n == 0 {
		b.Fatal("no message read")
	}
	// on a shared machine wall time says little: report MB per CPU second too
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(len(text))*float64(b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
	}
}

// BenchmarkReadCCSIPText measures the whole text path on the same text:
// reading, normalising, detecting, the ccsip ingester, repair and
// orientation, up to the Datagrams the Reader hands out.
func BenchmarkReadCCSIPText(b *testing.B) {
	text := ccsipBenchText(20000)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	msgs := 0
	cpu0 := cpuTime()
	for b.Loop() {
		_, got := readToEnd(b, text)
		msgs += got
	}
	if msgs == 0 {
		b.Fatal("no message read")
	}
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(len(text))*float64(b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
	}
}

// ciscoFuzzSeeds adds the files of a samples/text directory and of the
// shared corpus as seeds.
func ciscoFuzzSeeds(f *testing.F, globs ...string) {
	for _, g := range globs {
		files, _ := filepath.Glob(g)
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil && len(b) < 64<<10 {
				f.Add(b)
			}
		}
	}
}

// ciscoFuzzCheck feeds data line by line to a new ingester and checks
// what comes out: every message has text ending in a newline, a line
// number within the input, and one line number per text line.
func ciscoFuzzCheck(t *testing.T, ing TextIngester, data []byte) {
	lines := bytes.Split(data, []byte("\n"))
	s := &recordSink{}
	for i, l := range lines {
		ing.Line(i+1, l, s)
	}
	ing.End(s)
	for _, m := range s.msgs {
		if len(m.Text) == 0 || m.Text[len(m.Text)-1] != '\n' {
			t.Fatalf("message at %d: text %q", m.Line, m.Text)
		}
		if m.Line < 1 || m.Line > len(lines) {
			t.Fatalf("message line %d of %d", m.Line, len(lines))
		}
		nums := ciscoLines(m)
		if len(nums) != bytes.Count(m.Text, []byte("\n")) {
			t.Fatalf("message at %d: %d line numbers for %d lines", m.Line, len(nums), bytes.Count(m.Text, []byte("\n")))
		}
		for _, n := range nums {
			if n < m.Line || n > len(lines) {
				t.Fatalf("message at %d: text line number %d", m.Line, n)
			}
		}
	}
}

func FuzzTextCiscoCCSIP(f *testing.F) {
	ciscoFuzzSeeds(f, "../samples/text/cisco-ccsip/*.log", "../samples/text/cisco-voip-trace/*.log",
		"../../shared/corpus/text-formats/cisco_ccsip/*.txt", "../../shared/corpus/text-formats/cisco_voip_trace/*.txt")
	f.Add([]byte("*Jan 18 03:34:57.595: \n   //-1/xxxxxxxxxxxx/SIP/\n   Msg/ccsipDisplayMsg:\n\nSent: \n\nACK sip:a SIP/2.0\n --More-- \b\bVia: x\n"))
	f.Fuzz(func(t *testing.T, data []byte) { ciscoFuzzCheck(t, newCCSIPIngester(), data) })
}

// TestCCSIPWrappedLinesAreNotPrompts: a header wrapped before "lr>" or
// "user=phone>" is not a CLI prompt and does not end the message.
func TestCCSIPWrappedLinesAreNotPrompts(t *testing.T) {
	log := "//-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:\nReceived:\nINVITE sip:1@192.0.2.9 SIP/2.0\nRecord-Route: <sip:192.0.2.200;\nlr>\nTo: <sip:1@192.0.2.9;\nuser=phone>\nCSeq: 1 INVITE\n"
	s := ciscoFeed(newCCSIPIngester(), log)
	if len(s.msgs) != 1 || bytes.Count(s.msgs[0].Text, []byte("\n")) != 6 {
		t.Fatalf("%v", ciscoSummaries(s))
	}
}

func TestCCSIPLogEndsInsideATag(t *testing.T) {
	s := ciscoFeed(newCCSIPIngester(), "00:11:29: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:\nReceived:\nSIP/2.0 100 Trying\nCSeq: 1 INVITE\n00:11:29: //-1/xxxxxxxxxxxx/SIP/Msg/ccs")
	if len(s.msgs) != 1 || len(s.problems) != 1 || !strings.HasPrefix(s.problems[0], "5: ") {
		t.Errorf("msgs %v problems %v", ciscoSummaries(s), s.problems)
	}
}

// TestCCSIPIndentedPaste: a paste indented as a whole (a Markdown code
// block) is read, and folded lines keep their extra indent.
func TestCCSIPIndentedPaste(t *testing.T) {
	log := "Here is the debug:\n\n    000812: Mar  3 10:00:01.100: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:\n    Sent:\n    REGISTER sip:itsp.example.com SIP/2.0\n    Via: SIP/2.0/UDP 198.51.100.1:5060;\n      branch=z9hG4bK2\n    Content-Length: 0\n\n" +
		"    000813: Mar  3 10:00:01.130: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:\n    Received:\n    SIP/2.0 200 OK\n    Content-Length: 0\n"
	s := ciscoFeed(newCCSIPIngester(), log)
	ciscoCheck(t, s, "3 sent REGISTER sip:itsp.example.com SIP/2.0", "10 received SIP/2.0 200 OK")
	if got := string(s.msgs[0].Text); got != "REGISTER sip:itsp.example.com SIP/2.0\nVia: SIP/2.0/UDP 198.51.100.1:5060;\n  branch=z9hG4bK2\nContent-Length: 0\n" {
		t.Errorf("text %q", got)
	}
}
