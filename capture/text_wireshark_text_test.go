package capture

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The dissected header lines are the message's own lines: the tree of a
// capture reads back as the payload sngrep saved from the same capture.
func TestWiresharkTextMatchesSngrep(t *testing.T) {
	for _, c := range []struct {
		ws, sn string
		n      int
	}{
		{"register-401-loop", "register-401-loop", 32},
		{"call-sip-only", "call", 32}, // SDP bodies: "Name (x): value" read back as "x=value"
		{"wrong-realm-raw-text", "wrong-realm", 4},
	} {
		ws := ntIngest(t, "wireshark-text", ntReadSample(t, "wireshark-text/"+c.ws+".txt"))
		sn := ntIngest(t, "sngrep", ntReadSample(t, "sngrep/"+c.sn+".txt"))
		if len(ws.problems) > 0 {
			t.Errorf("%s: problems %v", c.ws, ws.problems)
		}
		ntSameMessages(t, c.ws, ws.msgs, sn.msgs, c.n)
		ntCheckMessages(t, ws.msgs)
	}
}

func TestWiresharkTextEnvelope(t *testing.T) {
	text := ntReadSample(t, "wireshark-text/invite-407-403-loop-with-rows.txt")
	s := ntIngest(t, "wireshark-text", text)
	if len(s.msgs) != 32 || len(s.problems) > 0 {
		t.Fatalf("%d messages, problems %v", len(s.msgs), s.problems)
	}
	if got := detectWiresharkText(ntSampleLines(text)); got != 100 {
		t.Errorf("detect %d", got)
	}
	// The packet-list row printed above each tree (-P) must not count.
	if got := detectTsharkSummary(ntSampleLines(text)); got >= 100 {
		t.Errorf("tshark-summary scores %d on a dissection", got)
	}
	m := s.msgs[4]
	if m.Seq != 5 || m.Line != bytes.Count(text[:bytes.Index(text, []byte("\nFrame 5:"))+1], []byte("\n"))+1 ||
		m.Transport != UDP || m.Local.String() != "127.0.0.13:5060" || m.Peer.String() != "127.0.0.1:5060" ||
		m.Stamp.Precision != time.Nanosecond || !bytes.HasPrefix(m.Text, []byte("INVITE sip:bob@sip.example.net SIP/2.0\n")) ||
		!bytes.Contains(m.Text, []byte("\n\nv=0\no=")) {
		t.Errorf("frame 5: %+v\n%s", m, m.Text)
	}
}

func TestWiresharkTextOldVersions(t *testing.T) {
	text := "Frame 3 (600 bytes on wire, 600 bytes captured)\n" +
		"    Arrival Time: Jan  5, 2009 10:00:01.250000000\n" +
		"Internet Protocol, Src: 10.0.0.1 (10.0.0.1), Dst: pbx.example.com (10.0.0.2)\n" +
		"User Datagram Protocol, Src Port: sip (5060), Dst Port: 5062 (5062)\n" +
		"Session Initiation Protocol\n" +
		"    Status-Line: SIP/2.0 200 OK\n" +
		"        Status-Code: 200\n" +
		"    Message Header\n" +
		"        Via: SIP/2.0/UDP 10.0.0.2:5062;branch=z9hG4bK1\n" +
		"        CSeq: 1 OPTIONS\n" +
		"            Sequence Number: 1\n" +
		"        Content-Length: 0\n"
	s := ntIngest(t, "wireshark-text", []byte(text))
	if len(s.msgs) != 1 {
		t.Fatalf("%d messages, problems %v", len(s.msgs), s.problems)
	}
	m := s.msgs[0]
	if m.Local.String() != "10.0.0.1:5060" || m.Peer.String() != "10.0.0.2:5062" ||
		string(m.Text) != "SIP/2.0 200 OK\nVia: SIP/2.0/UDP 10.0.0.2:5062;branch=z9hG4bK1\nCSeq: 1 OPTIONS\nContent-Length: 0\n" ||
		!m.Stamp.Time.Equal(time.Date(2009, 1, 5, 10, 0, 1, 250e6, time.UTC)) {
		t.Errorf("%+v\n%q", m, m.Text)
	}
}

// tshark -z follow: chunks of both nodes, read back in order as the
// payloads other tools printed from the same capture.
func TestWiresharkFollow(t *testing.T) {
	for _, c := range []struct {
		follow, other, format string
		n                     int
		tr                    Transport
	}{
		{"one-typo-follow-udp", "sngrep/one-typo", "sngrep", 6, UDP},
		{"register-tcp-follow-tcp", "ngrep/register-tcp-delta", "ngrep", 16, TCP},
	} {
		text := ntReadSample(t, "wireshark-text/"+c.follow+".txt")
		if got := detectWiresharkText(ntSampleLines(text)); got != 100 {
			t.Errorf("%s: detect %d", c.follow, got)
		}
		fo := ntIngest(t, "wireshark-text", text)
		ot := ntIngest(t, c.format, ntReadSample(t, c.other+".txt"))
		if len(fo.msgs) != c.n || len(ot.msgs) != c.n || len(fo.problems) > 0 {
			t.Fatalf("%s: %d and %d messages, want %d; problems %v", c.follow, len(fo.msgs), len(ot.msgs), c.n, fo.problems)
		}
		ntCheckMessages(t, fo.msgs)
		for i := range fo.msgs {
			a, b := fo.msgs[i], ot.msgs[i]
			if string(a.Text) != string(b.Text) || a.Local != b.Local || a.Peer != b.Peer || a.Dir != DirSent || a.Transport != c.tr {
				t.Errorf("%s message %d: %v %v -> %v\n%s\n----\n%s", c.follow, i, a.Transport, a.Local, a.Peer, a.Text, b.Text)
			}
		}
	}
	// Anything but ASCII is not read, and says so.
	s := ntIngest(t, "wireshark-text", []byte("===================================================================\nFollow: udp,hex\nFilter: udp.stream eq 0\nNode 0: 10.0.0.1:5060\nNode 1: 10.0.0.2:5060\n00000000  52 45 47  REG\n===================================================================\n"))
	if len(s.msgs) != 0 || len(s.problems) != 1 {
		t.Errorf("hex follow: %d messages, problems %v", len(s.msgs), s.problems)
	}
}

func TestWiresharkTextCorpus(t *testing.T) {
	text := ntCorpus(t, "text-formats/wireshark_text/1.txt")
	s := ntIngest(t, "wireshark-text", text)
	if len(s.msgs) != 2 || len(s.problems) > 0 {
		t.Fatalf("%d messages, problems %v", len(s.msgs), s.problems)
	}
	reg := s.msgs[0]
	if reg.Seq != 1430 || reg.Local.String() != "10.213.0.154:52210" || !reg.Stamp.Time.IsZero() ||
		!bytes.HasPrefix(reg.Text, []byte("REGISTER sip:10.255.150.110;transport=UDP SIP/2.0\nVia: SIP/2.0/UDP 10.213.0.154:52210;")) ||
		!bytes.Contains(reg.Text, []byte("\nAuthorization: Digest username=\"nlys\",realm=\"asterisk\",")) ||
		bytes.Contains(reg.Text, []byte("Transport: UDP")) || !bytes.HasSuffix(reg.Text, []byte("Content-Length: 0\n")) {
		t.Errorf("REGISTER %+v\n%s", reg, reg.Text)
	}
	if got := detectWiresharkText(ntSampleLines(text)); got != 100 {
		t.Errorf("detect %d", got)
	}
}

func FuzzTextWiresharkText(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("..", "samples", "text", "wireshark-text", "wrong-realm-raw-text.txt")); err == nil {
		f.Add(b[:min(len(b), 4096)])
	}
	if b, err := os.ReadFile(filepath.Join("..", "samples", "text", "wireshark-text", "register-tcp-follow-tcp.txt")); err == nil {
		f.Add(b[:min(len(b), 2048)])
	}
	if b, err := os.ReadFile(filepath.Join("..", "samples", "text", "wireshark-text", "call-sip-only.txt")); err == nil {
		if i := bytes.Index(b, []byte("Message Body")); i > 0 {
			f.Add(b[max(0, i-2048):min(len(b), i+2048)])
		}
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		s := ntIngest(t, "wireshark-text", text)
		detectWiresharkText(ntSampleLines(text))
		ntCheckMessages(t, s.msgs)
	})
}
