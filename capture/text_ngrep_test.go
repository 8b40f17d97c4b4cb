package capture

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestNgrepHeaders(t *testing.T) {
	cases := []struct {
		line, stamp, src, dst, rest string
		tr                          Transport
	}{
		{"U 2013/07/19 22:17:34.920749 0.0.0.0:5060 -> 66.151.32.200:5060", "2013/07/19 22:17:34.920749", "0.0.0.0:5060", "66.151.32.200:5060", "", UDP},
		{"U UA_ipaddr:40410 -> kamailio_pvtipaddr:5060", "", "UA_ipaddr:40410", "kamailio_pvtipaddr:5060", "", UDP},
		{"T +0.000721 127.0.0.1:5060 -> 127.0.0.11:38962 [AP] #6", "+0.000721", "127.0.0.1:5060", "127.0.0.11:38962", "", TCP},
		{"U 127.0.0.12:5060 -> 127.0.0.1:5060 #12 REGISTER sip:x SIP/2.0..Via: a..", "", "127.0.0.12:5060", "127.0.0.1:5060", "REGISTER sip:x SIP/2.0..Via: a..", UDP},
		{"U 2001:db8::1:5060 -> 2001:db8::2:5062", "", "2001:db8::1:5060", "2001:db8::2:5062", "", UDP},
	}
	for _, c := range cases {
		h, ok := parseNgrepHeader([]byte(c.line))
		if !ok || h.stamp != c.stamp || h.src != c.src || h.dst != c.dst || h.rest != c.rest || h.transport != c.tr {
			t.Errorf("%q: %+v %v", c.line, h, ok)
		}
	}
	for _, l := range []string{"U", "Via: SIP/2.0/UDP a:1 -> b:2", "T 1 2 3 4 a:1 -> b:2", "U a:1 -> b", "#"} {
		if _, ok := parseNgrepHeader([]byte(l)); ok {
			t.Errorf("%q read as a header", l)
		}
	}
	ap, ok := ntAddrPort("2001:db8::1:5060")
	if !ok || ap.String() != "[2001:db8::1]:5060" {
		t.Errorf("bare v6: %v %v", ap, ok)
	}
}

func TestNgrepSkipsICMP(t *testing.T) {
	// -q: no '#' lines between packets.
	s := ntIngest(t, "ngrep", []byte("U 10.0.0.1:5060 -> 10.0.0.2:5060\nOPTIONS sip:x SIP/2.0.\nContent-Length: 0.\n.\n\nI 10.0.0.2 -> 10.0.0.1 3:3\n  E..$...@.........OPTIONS sip:x SIP/2.0..\n\nU 10.0.0.1:5060 -> 10.0.0.2:5060\nOPTIONS sip:x SIP/2.0.\nContent-Length: 0.\n.\n"))
	if len(s.msgs) != 2 || string(s.msgs[0].Text) != "OPTIONS sip:x SIP/2.0\nContent-Length: 0\n" || s.msgs[1].Line != 9 {
		t.Fatalf("%d messages, problems %v", len(s.msgs), s.problems)
	}
}

func TestNgrepSplitDots(t *testing.T) {
	g := &ngrepIngester{}
	g.block.begin(&TextMessage{Line: 1})
	g.splitDots(1, []byte("INVITE sip:a SIP/2.0..Subject: end....v=0..s=x...a=y..."))
	got := strings.Split(string(g.block.text), "\n")
	want := []string{"INVITE sip:a SIP/2.0", "Subject: end", "", "v=0", "s=x.", "a=y.", ""}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// ntByTimeAndAddrs indexes messages by time and addresses, the same in
// every tool's output of one capture.
func ntByTimeAndAddrs(t testing.TB, msgs []*TextMessage) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, x := range msgs {
		if x.Stamp.Time.IsZero() || x.Dir != DirSent {
			t.Fatalf("line %d: stamp %v dir %v", x.Line, x.Stamp, x.Dir)
		}
		k := fmt.Sprintf("%s %s %s", x.Stamp.Time.Format(time.RFC3339Nano), x.Local, x.Peer)
		m[k] = string(x.Text)
	}
	return m
}

// ntSameMessages checks that two tools printed the same messages of one
// capture: same times, addresses and SIP text.
func ntSameMessages(t *testing.T, what string, a, b []*TextMessage, n int) {
	t.Helper()
	if len(a) != n || len(b) != n {
		t.Fatalf("%s: %d and %d messages, want %d", what, len(a), len(b), n)
	}
	ma, mb := ntByTimeAndAddrs(t, a), ntByTimeAndAddrs(t, b)
	var keys []string
	for k := range ma {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if ma[k] != mb[k] {
			t.Errorf("%s: message %s differs:\n%s\n----\n%s", what, k, ma[k], mb[k])
			return
		}
	}
	if len(ma) != len(mb) {
		t.Errorf("%s: %d and %d distinct messages", what, len(ma), len(mb))
	}
}

func TestNgrepBylineMatchesSngrep(t *testing.T) {
	ng := ntIngest(t, "ngrep", ntReadSample(t, "ngrep/register-401-loop.txt"))
	sn := ntIngest(t, "sngrep", ntReadSample(t, "sngrep/register-401-loop.txt"))
	if len(ng.problems)+len(sn.problems) > 0 {
		t.Fatalf("problems %v %v", ng.problems, sn.problems)
	}
	ntSameMessages(t, "register-401-loop", ng.msgs, sn.msgs, 32)
	m := ng.msgs[0]
	if m.Line != 4 || m.Transport != UDP || m.Local.String() != "127.0.0.11:5060" || m.Peer.String() != "127.0.0.1:5060" ||
		m.Stamp.Precision != time.Microsecond || m.Lines[0] != 5 || !bytes.HasSuffix(m.Text, []byte("Content-Length: 0\n")) {
		t.Errorf("first message %+v\n%s", m, m.Text)
	}
}

func TestNgrepSingleLineMatchesSngrep(t *testing.T) {
	ng := ntIngest(t, "ngrep", ntReadSample(t, "ngrep/call-single.txt"))
	sn := ntIngest(t, "sngrep", ntReadSample(t, "sngrep/call.txt"))
	ntSameMessages(t, "call", ng.msgs, sn.msgs, 32)
}

func TestNgrepNormalModeMatchesSngrep(t *testing.T) {
	ng := ntIngest(t, "ngrep", ntReadSample(t, "ngrep/one-typo-normal.txt"))
	sn := ntIngest(t, "sngrep", ntReadSample(t, "sngrep/one-typo.txt"))
	if len(ng.msgs) != 6 {
		t.Fatalf("%d messages, problems %v", len(ng.msgs), ng.problems)
	}
	// Normal mode prints no time: compare in order.
	for i := range ng.msgs {
		if string(ng.msgs[i].Text) != string(sn.msgs[i].Text) || ng.msgs[i].Local != sn.msgs[i].Local {
			t.Errorf("message %d:\n%s\n----\n%s", i, ng.msgs[i].Text, sn.msgs[i].Text)
		}
	}
}

func TestNgrepDeltaTimesAndTCP(t *testing.T) {
	s := ntIngest(t, "ngrep", ntReadSample(t, "ngrep/register-tcp-delta.txt"))
	if len(s.msgs) != 16 || len(s.problems) > 0 {
		t.Fatalf("%d messages, problems %v", len(s.msgs), s.problems)
	}
	first, last := s.msgs[0], s.msgs[len(s.msgs)-1]
	// The capture spans 62 s (the first delta ngrep prints is garbage, the
	// intervals are right).
	if span := last.Stamp.Time.Sub(first.Stamp.Time); span < 60*time.Second || span > 64*time.Second || !first.Stamp.NoDate {
		t.Errorf("span %v, stamp %+v", span, first.Stamp)
	}
	// The input ends with "###exit": the '#' of the last packets read and
	// ngrep's goodbye, none of it SIP.
	if !bytes.HasSuffix(last.Text, []byte("Content-Length: 0\n")) {
		t.Errorf("last message ends with %q", last.Text[max(0, len(last.Text)-40):])
	}
	if first.Transport != TCP || first.Local.Port() == 5060 {
		t.Errorf("first %+v", first)
	}
}

func TestNgrepBurstSample(t *testing.T) {
	s := ntIngest(t, "ngrep", ntReadSample(t, "ngrep/ban-after-burst-quiet.txt"))
	if len(s.msgs) != 16 || len(s.problems) > 0 {
		t.Fatalf("%d messages, problems %v", len(s.msgs), s.problems)
	}
	if got := detectNgrep(ntSampleLines(ntReadSample(t, "ngrep/ban-after-burst-quiet.txt"))); got != 100 {
		t.Errorf("detect %d", got)
	}
}

func TestNgrepCorpus(t *testing.T) {
	text := ntCorpus(t, "text-formats/ngrep/1.txt")
	s := ntIngest(t, "ngrep", text)
	if len(s.msgs) != 5 || len(s.problems) > 0 {
		t.Fatalf("%d messages, problems %v", len(s.msgs), s.problems)
	}
	if got := detectNgrep(ntSampleLines(text)); got != 100 {
		t.Errorf("detect %d", got)
	}
	inv := s.msgs[0]
	// Placeholders are no addresses: kept as the peer's name.
	if inv.Dir != DirUnknown || inv.PeerHost != "UA_ipaddr:40410 -> kamailio_pvtipaddr:5060" ||
		!bytes.HasPrefix(inv.Text, []byte("INVITE sip:666@kamailio_ipaddr SIP/2.0\nVia:")) ||
		!bytes.Contains(inv.Text, []byte("Content-Length: 286\n\nv=0\n")) || !bytes.HasSuffix(inv.Text, []byte("a=sendrecv\n")) {
		t.Errorf("INVITE %+v\n%s", inv, inv.Text)
	}
	if !bytes.HasPrefix(s.msgs[3].Text, []byte("SIP/2.0 180 Ringing\n")) || !bytes.HasSuffix(s.msgs[3].Text, []byte("Content-Length: 0\n")) {
		t.Errorf("180:\n%s", s.msgs[3].Text)
	}
	if m := s.msgs[2]; m.Dir != DirUnknown || m.Lines[0] != m.Line+1 {
		t.Errorf("third %+v", m)
	}
}

func FuzzTextNgrep(f *testing.F) {
	for _, name := range []string{"register-401-loop.txt", "call-single.txt", "one-typo-normal.txt", "register-tcp-delta.txt"} {
		if b, err := os.ReadFile(filepath.Join("..", "samples", "text", "ngrep", name)); err == nil {
			f.Add(b[:min(len(b), 2048)])
		}
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		s := ntIngest(t, "ngrep", text)
		detectNgrep(ntSampleLines(text))
		ntCheckMessages(t, s.msgs)
	})
}

// ntCheckMessages checks what every ingester promises about a message.
func ntCheckMessages(t *testing.T, msgs []*TextMessage) {
	t.Helper()
	for _, m := range msgs {
		if m.Summary != nil {
			continue
		}
		if len(m.Text) == 0 || m.Text[len(m.Text)-1] != '\n' || len(m.Lines) != bytes.Count(m.Text, []byte("\n")) {
			t.Fatalf("message at %d: text %q lines %v", m.Line, m.Text, m.Lines)
		}
		for i, l := range m.Lines {
			if l < m.Line || (i > 0 && l < m.Lines[i-1]) {
				t.Fatalf("message at %d: line numbers %v", m.Line, m.Lines)
			}
		}
	}
}
