package capture

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

const isn = 1000

// tcpFrames builds one direction of a TCP connection: a SYN, then the
// given segments at byte offsets into the stream.
type seg struct {
	off  int
	data string
	fin  bool
}

func tcpCapture(t *testing.T, segs []seg, syn bool) []byte {
	var frames [][]byte
	if syn {
		frames = append(frames, withEth(tcp4(t, addrA, addrB, 40000, 5060, isn, true, false, nil)))
	}
	for _, s := range segs {
		frames = append(frames, withEth(tcp4(t, addrA, addrB, 40000, 5060, uint32(isn+1+s.off), false, s.fin, []byte(s.data))))
	}
	return pcapBytes(t, layers.LinkTypeEthernet, recs(frames...))
}

func TestTCPFraming(t *testing.T) {
	m1, m2, m3 := string(sipReq("REGISTER", 1)), string(sipResp(401, "REGISTER")), string(sipReq("REGISTER", 2))
	all := m1 + m2 + m3
	third := len(m1) / 3
	cases := []struct {
		name      string
		segs      []seg
		syn       bool
		wantFrame []int64
		problems  int
	}{
		{"three messages in one segment", []seg{{0, all, false}}, true, []int64{2, 2, 2}, 0},
		{"one message over three segments", []seg{{0, m1[:third], false}, {third, m1[third : 2*third], false}, {2 * third, m1[2*third:], false}}, true, []int64{4}, 0},
		{"out of order", []seg{{third, m1[third:], false}, {0, m1[:third], false}}, true, []int64{3}, 0},
		{"retransmitted", []seg{{0, m1[:third], false}, {0, m1[:third], false}, {third, m1[third:], false}, {third, m1[third:], false}, {0, m1, false}}, true, []int64{4}, 0},
		{"overlapping retransmission", []seg{{0, m1[:third+5], false}, {third, m1[third:] + m2, false}}, true, []int64{3, 3}, 0},
		{"message boundary inside segment", []seg{{0, m1 + m2[:10], false}, {len(m1) + 10, m2[10:] + m3, false}}, true, []int64{2, 3, 3}, 0},
		{"no SYN seen", []seg{{0, m1, false}, {len(m1), m2, false}}, false, []int64{1, 2}, 0},
		{"joined mid-message", []seg{{0, m1[20:] + m2, false}}, false, []int64{1}, 0},
		{"keepalives between messages", []seg{{0, "\r\n\r\n" + m1, false}, {4 + len(m1), "\r\n", false}, {6 + len(m1), m2, false}}, true, []int64{2, 4}, 0},
		{"gap in SIP stream", []seg{{0, m1, false}, {len(m1) + 10, m2[10:] + m3, false}, {0, "", true}}, true, []int64{2, 4}, 1},
		{"closed inside a message", []seg{{0, m1 + m2[:30], true}}, true, []int64{2}, 1},
		{"retransmitted after FIN", []seg{{0, m1, true}, {0, m1, false}}, true, []int64{2}, 0},
		{"missing Content-Length", []seg{{0, "OPTIONS sip:a SIP/2.0\r\nCSeq: 1 OPTIONS\r\n\r\n" + m1, false}}, true, []int64{2, 2}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			gs, r := readAllFrom(t, tcpCapture(t, c.segs, c.syn))
			if len(gs) != len(c.wantFrame) {
				t.Fatalf("got %d messages, want %d: %+v", len(gs), len(c.wantFrame), gs)
			}
			for i, g := range gs {
				if g.Frame != c.wantFrame[i] {
					t.Errorf("message %d completes in frame %d, want %d", i, g.Frame, c.wantFrame[i])
				}
				if g.Transport != TCP || g.Src.String() != addrA+":40000" || g.Dst.String() != addrB+":5060" {
					t.Errorf("message %d: %s %s -> %s", i, g.Transport, g.Src, g.Dst)
				}
				if !strings.HasPrefix(g.Text, "OPTIONS") && !strings.HasPrefix(g.Text, "REGISTER") && !strings.HasPrefix(g.Text, "SIP/2.0") {
					t.Errorf("message %d: %q", i, g.Text)
				}
			}
			if r.ProblemCount() != int64(c.problems) {
				t.Errorf("problems %+v, want %d", r.Problems(), c.problems)
			}
		})
	}
	// the framed messages are exactly the ones sent
	gs, _ := readAllFrom(t, tcpCapture(t, []seg{{0, all[:50], false}, {50, all[50:], false}}, true))
	if len(gs) != 3 || gs[0].Text != m1 || gs[1].Text != m2 || gs[2].Text != m3 {
		t.Errorf("framing changed the messages: %+v", gs)
	}
}

func TestTCPNotSIPIsQuiet(t *testing.T) {
	tls := "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + strings.Repeat("\x00", 200)
	http := "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n"
	gs, r := readAllFrom(t, tcpCapture(t, []seg{{0, tls, false}, {len(tls), string(sipReq("INVITE", 1)), false}}, true))
	if len(gs) != 0 || r.ProblemCount() != 0 {
		t.Errorf("TLS stream: %d messages, problems %+v", len(gs), r.Problems())
	}
	gs, r = readAllFrom(t, tcpCapture(t, []seg{{0, http, false}}, true))
	if len(gs) != 0 || r.ProblemCount() != 0 {
		t.Errorf("HTTP stream: %d messages, problems %+v", len(gs), r.Problems())
	}
}

func TestTCPIdleStreamsAreEvicted(t *testing.T) {
	m1 := string(sipReq("REGISTER", 1))
	data := pcapBytes(t, layers.LinkTypeEthernet, recs(
		withEth(tcp4(t, addrA, addrB, 40000, 5060, isn, false, false, []byte(m1[:40]))),
		withEth(udp4(t, addrA, addrB, 9, 9, []byte("later"))),
	))
	r, err := Open([]string{"-"}, strings.NewReader(string(data)), Options{StreamIdle: 1})
	if err != nil {
		t.Fatal(err)
	}
	drain(t, r)
	// one millisecond between frames is longer than the 1ns idle time: the
	// stream holding half a message is dropped at frame 2 with a Problem
	if r.ProblemCount() != 1 || !strings.Contains(r.Problems()[0].Message, "idle") || r.Problems()[0].Frame != 2 {
		t.Errorf("problems %+v", r.Problems())
	}
	if n := len(r.inputs[0].streams); n != 0 {
		t.Errorf("%d streams still held", n)
	}
}

func TestManyStreamsStayBounded(t *testing.T) {
	// 3000 short connections one second apart, none closed: with a 10 s
	// idle time only the last few may still be held
	m := string(sipReq("OPTIONS", 1))
	var rs []rec
	for i := 0; i < 3000; i++ {
		f := withEth(tcp4(t, addrA, addrB, uint16(10000+i), 5060, 7, false, false, []byte(m)))
		rs = append(rs, rec{t0.Add(time.Duration(i) * time.Second), f})
	}
	r, err := Open([]string{"-"}, bytes.NewReader(pcapBytes(t, layers.LinkTypeEthernet, rs)), Options{StreamIdle: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	peak := 0
	for n := 0; ; n++ {
		if _, err := r.Next(); err != nil {
			break
		}
		peak = max(peak, len(r.inputs[0].streams))
	}
	if peak > 20 {
		t.Errorf("%d streams held at once, want at most ~%d", peak, 13)
	}
	if r.Inputs()[0].Messages != 3000 {
		t.Errorf("%d messages", r.Inputs()[0].Messages)
	}
}
