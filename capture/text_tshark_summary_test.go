package capture

import (
	"bufio"
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// ntIngest feeds text line by line (LF or CRLF, CR dropped, as the
// framework's normalisation does) to a new ingester of format name.
func ntIngest(t testing.TB, name string, text []byte) *recordSink {
	t.Helper()
	f := ntFormat(t, name)
	g := f.New()
	s := &recordSink{}
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		g.Line(n, bytes.TrimSuffix(sc.Bytes(), []byte("\r")), s)
	}
	g.End(s)
	return s
}

func ntFormat(t testing.TB, name string) *TextFormat {
	for _, f := range TextFormats() {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("format %q not registered", name)
	return nil
}

// ntSampleLines is what the framework's detector sees: the non-blank lines.
func ntSampleLines(text []byte) [][]byte {
	var out [][]byte
	for _, l := range bytes.Split(text, []byte("\n")) {
		l = bytes.TrimSuffix(l, []byte("\r"))
		if len(bytes.TrimSpace(l)) > 0 && len(out) < 200 {
			out = append(out, l)
		}
	}
	return out
}

func ntReadSample(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "samples", "text", rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ntCorpus returns the path of a corpus file, skipping when the shared
// corpus is not next to the repository.
func ntCorpus(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir(t), rel))
	if err != nil {
		t.Skip("corpus not available: ", err)
	}
	return b
}

func TestTsharkRowVariants(t *testing.T) {
	cases := []struct {
		line           string
		frame          int64
		src, dst       string
		arrow          bool
		info, date, ck string
	}{
		{"    1   0.000000   127.0.0.11 → 127.0.0.1    SIP 555 Request: REGISTER sip:sip.example.net  (1 binding) | ",
			1, "127.0.0.11:0", "127.0.0.1:0", true, "Request: REGISTER sip:sip.example.net  (1 binding)", "", "0.000000"},
		{"  2 0.001190027 192.168.160.46 -> 192.168.160.248 SIP 900 Status: 407 Proxy Authentication Required |",
			2, "192.168.160.46:0", "192.168.160.248:0", true, "Status: 407 Proxy Authentication Required", "", "0.001190027"},
		{"   1430 35.702637783   10.213.0.154          10.255.150.110        SIP      793    Request: REGISTER sip:10.255.150.110;transport=UDP  (1 binding) | ",
			1430, "10.213.0.154:0", "10.255.150.110:0", false, "Request: REGISTER sip:10.255.150.110;transport=UDP  (1 binding)", "", "35.702637783"},
		{"|150| 128.039580531 | 192.168.1.19     |     192.168.1.61        |  SIP    |  546 |   Status: 401 Unauthorized | ",
			150, "192.168.1.19:0", "192.168.1.61:0", false, "Status: 401 Unauthorized", "", "128.039580531"},
		{"12\t-17.455802\t10.10.10.60\t10.10.10.48\tSIP\t520\tRequest: REGISTER sip:10.10.10.48  (1 binding) | ",
			12, "10.10.10.60:0", "10.10.10.48:0", false, "Request: REGISTER sip:10.10.10.48  (1 binding)", "", "-17.455802"},
		{"    1 2026-11-22 09:19:59.461683   127.0.0.13 → 127.0.0.1    SIP 414 Request: REGISTER sip:sip.example.net  (1 binding) | ",
			1, "127.0.0.13:0", "127.0.0.1:0", true, "Request: REGISTER sip:sip.example.net  (1 binding)", "2026-11-22", "09:19:59.461683"},
		{"    1\t  0.000000\t  127.0.0.13\t→\t127.0.0.1   \tSIP\t414\tRequest: REGISTER sip:sip.example.net  (1 binding) | ",
			1, "127.0.0.13:0", "127.0.0.1:0", true, "Request: REGISTER sip:sip.example.net  (1 binding)", "", "0.000000"},
		{"    1   0.000000   127.0.0.11 5060 127.0.0.1    5060 SIP 555 Request: REGISTER sip:sip.example.net  (1 binding) | ",
			1, "127.0.0.11:5060", "127.0.0.1:5060", false, "Request: REGISTER sip:sip.example.net  (1 binding)", "", "0.000000"},
		{"  2 0.1 10.0.0.1:5062 → [2001:db8::2]:5060 SIP 500 Status: 200 OK |",
			2, "10.0.0.1:5062", "[2001:db8::2]:5060", true, "Status: 200 OK", "", "0.1"},
		{"  7 0.5 2001:db8::1 → 2001:db8::2 SIP/SDP 900 Request: INVITE sip:bob@[2001:db8::2] |",
			7, "[2001:db8::1]:0", "[2001:db8::2]:0", true, "Request: INVITE sip:bob@[2001:db8::2]", "", "0.5"},
	}
	for _, c := range cases {
		r, ok := parseTsharkRow([]byte(c.line))
		if !ok {
			t.Errorf("not a row: %q", c.line)
			continue
		}
		if r.frame != c.frame || r.src.String() != c.src || r.dst.String() != c.dst || r.arrow != c.arrow ||
			strings.TrimSpace(r.info) != c.info || r.date != c.date || r.clock != c.ck {
			t.Errorf("%q:\n got frame %d %s -> %s arrow %v info %q time %q %q", c.line, r.frame, r.src, r.dst, r.arrow, r.info, r.date, r.clock)
		}
	}
	for _, l := range []string{
		"No.     Time           Source                Destination           Protocol Length Info",
		"   17 1.5 10.0.0.1 → 10.0.0.2 UDP 60 Source port: 58029  Destination port: sip",
		"Status: 200 OK",
		"the server answered Status: 401 in frame 2",
		"  3 0.1 10.0.0.1 → 10.0.0.2 RTP 214 PT=ITU-T G.711 PCMU",
	} {
		if _, ok := parseTsharkRow([]byte(l)); ok {
			t.Errorf("read as a SIP row: %q", l)
		}
	}
}

func TestTsharkInfo(t *testing.T) {
	cases := []struct {
		info string
		want TextSummary
	}{
		{"Request: REGISTER sip:sip.example.net  (1 binding)", TextSummary{Method: "REGISTER", RequestURI: "sip:sip.example.net"}},
		{"Request: INVITE sip:nlys@10.213.0.154:52210;transport=UDP, in-dialog", TextSummary{Method: "INVITE", RequestURI: "sip:nlys@10.213.0.154:52210;transport=UDP"}},
		{"Request: REGISTER sip:example.net  (remove 1 binding)", TextSummary{Method: "REGISTER", RequestURI: "sip:example.net"}},
		{"Status: 401 Unauthorized", TextSummary{Status: 401, Reason: "Unauthorized"}},
		{"Status: 200 OK (REGISTER)  (1 binding)", TextSummary{Status: 200, Reason: "OK", CSeqMethod: "REGISTER"}},
		{"Status: 200 Answering (INVITE)", TextSummary{Status: 200, Reason: "Answering", CSeqMethod: "INVITE"}},
		{"Status: 200 OK  (1 binding)", TextSummary{Status: 200, Reason: "OK"}},
		{"Status: 100 trying -- your call is important to us", TextSummary{Status: 100, Reason: "trying -- your call is important to us"}},
		{"Status: 503 Service Unavailable (see Reason)", TextSummary{Status: 503, Reason: "Service Unavailable (see Reason)"}},
	}
	for _, c := range cases {
		got, ok := parseTsharkInfo(c.info)
		if !ok || got != c.want {
			t.Errorf("%q: got %+v %v, want %+v", c.info, got, ok, c.want)
		}
	}
	for _, bad := range []string{"Status: 99 Odd", "Status: OK", "Request: ", "Request: INVITE", "Continuation"} {
		if _, ok := parseTsharkInfo(bad); ok {
			t.Errorf("%q read as SIP", bad)
		}
	}
}

func TestTsharkTwoPDUsInOneFrame(t *testing.T) {
	s := ntIngest(t, "tshark-summary", []byte(
		"  5 1.000 10.0.0.1 → 10.0.0.2 SIP 900 Request: BYE sip:a@10.0.0.2 | Status: 200 OK (INVITE) | \n"))
	if len(s.msgs) != 2 || s.msgs[0].Summary.Method != "BYE" || s.msgs[1].Summary.Status != 200 {
		t.Fatalf("got %d messages, problems %v", len(s.msgs), s.problems)
	}
	for _, m := range s.msgs {
		if m.Seq != 5 || m.Line != 1 || m.Summary.Src.Addr().String() != "10.0.0.1" {
			t.Errorf("envelope %+v", m)
		}
	}
}

func TestTsharkTimes(t *testing.T) {
	s := ntIngest(t, "tshark-summary", []byte(
		"  1 0.250000 10.0.0.1 -> 10.0.0.2 SIP 500 Request: OPTIONS sip:10.0.0.2 |\n"+
			"  2 1.5 10.0.0.2 -> 10.0.0.1 SIP 500 Status: 200 OK |\n"+
			"  3 2024-01-01 10:00:00.123456 10.0.0.1 -> 10.0.0.2 SIP 500 Request: OPTIONS sip:10.0.0.2 |\n"+
			"  4 10:00:01.5 10.0.0.1 -> 10.0.0.2 SIP 500 Request: OPTIONS sip:10.0.0.2 |\n"+
			"  5 1700000000.000001 10.0.0.1 -> 10.0.0.2 SIP 500 Request: OPTIONS sip:10.0.0.2 |\n"))
	if len(s.msgs) != 5 {
		t.Fatalf("got %d messages: %v", len(s.msgs), s.problems)
	}
	st := func(i int) TextStamp { return s.msgs[i].Stamp }
	if !st(0).NoDate || st(1).Time.Sub(st(0).Time) != 1250*time.Millisecond || st(0).Precision != time.Microsecond || st(1).Precision != 100*time.Millisecond {
		t.Errorf("relative: %+v %+v", st(0), st(1))
	}
	if st(2).NoDate || !st(2).Time.Equal(time.Date(2024, 1, 1, 10, 0, 0, 123456000, time.UTC)) {
		t.Errorf("absolute: %+v", st(2))
	}
	if !st(3).NoDate || st(3).Time.Hour() != 10 || st(3).Time.Second() != 1 {
		t.Errorf("time of day: %+v", st(3))
	}
	if st(4).NoDate || st(4).Time.Unix() != 1700000000 {
		t.Errorf("epoch: %+v", st(4))
	}
}

// The packet list and the raw text of two of its messages, as pasted in a
// ticket (after the SIPSorcery issue in the corpus): rows become summaries,
// the raw messages ordinary messages.
func TestTsharkRowsThenRawMessages(t *testing.T) {
	text := "No.\tTime\tSource\tDestination\tProtocol\tLength\tInfo\n" +
		"12\t-17.455802\t10.0.0.60\t10.0.0.48\tSIP\t520\tRequest: REGISTER sip:10.0.0.48  (1 binding) | \n" +
		"13\t-17.448670\t10.0.0.48\t10.0.0.60\tSIP\t571\tStatus: 401 Unauthorized | \n" +
		"\n" +
		"REGISTER sip:10.0.0.48 SIP/2.0\n" +
		"Via: SIP/2.0/UDP 10.0.0.60:5060;branch=z9hG4bK22\n" +
		"CSeq: 1 REGISTER\n" +
		"Content-Length: 0\n" +
		"\n" +
		"SIP/2.0 401 Unauthorized\n" +
		"CSeq: 1 REGISTER\n"
	s := ntIngest(t, "tshark-summary", []byte(text))
	if len(s.msgs) != 4 {
		t.Fatalf("got %d messages, want 2 summaries and 2 raw messages; problems %v", len(s.msgs), s.problems)
	}
	req, resp := s.msgs[2], s.msgs[3]
	if req.Summary != nil || req.Line != 5 || string(req.Text) != "REGISTER sip:10.0.0.48 SIP/2.0\nVia: SIP/2.0/UDP 10.0.0.60:5060;branch=z9hG4bK22\nCSeq: 1 REGISTER\nContent-Length: 0\n" ||
		len(req.Lines) != 4 || req.Lines[3] != 8 {
		t.Errorf("raw request: line %d lines %v text %q", req.Line, req.Lines, req.Text)
	}
	if resp.Summary != nil || resp.Line != 10 || string(resp.Text) != "SIP/2.0 401 Unauthorized\nCSeq: 1 REGISTER\n" {
		t.Errorf("raw response: line %d lines %v text %q", resp.Line, resp.Lines, resp.Text)
	}
}

func TestTsharkSummaryDetect(t *testing.T) {
	for _, c := range []struct {
		text string
		min  int
	}{
		{"  1 0.0 10.0.0.1 → 10.0.0.2 SIP 555 Request: REGISTER sip:x |\n", 100},
		{"|150| 128.03 | 192.168.1.19 | 192.168.1.61 | SIP | 546 | Status: 401 Unauthorized |\n|151| 128.06 | 192.168.1.61 | 192.168.1.19 | SIP | 387 | Request: ACK sip:702@192.168.1.19 |\n", 80},
		{"REGISTER sip:x SIP/2.0\nVia: SIP/2.0/UDP a\n", 0},
	} {
		got := detectTsharkSummary(ntSampleLines([]byte(c.text)))
		if (c.min == 0 && got != 0) || got < c.min {
			t.Errorf("%q: score %d, want >= %d", c.text, got, c.min)
		}
	}
}

// Every row of the samples made by tshark is one message.
func TestTsharkSummarySamples(t *testing.T) {
	for _, name := range []string{"register-401-loop", "invite-407-403-loop", "ban-after-burst", "one-typo-absolute-time", "call",
		"register-challenge-refresh", "ban-after-burst-port-columns", "invite-407-403-loop-legacy-arrow"} {
		text := ntReadSample(t, "tshark-summary/"+name+".txt")
		rows := bytes.Count(text, []byte("\n"))
		s := ntIngest(t, "tshark-summary", text)
		if len(s.msgs) != rows || len(s.problems) != 0 {
			t.Errorf("%s: %d messages from %d rows, problems %v", name, len(s.msgs), rows, s.problems)
		}
		if got := detectTsharkSummary(ntSampleLines(text)); got < 80 {
			t.Errorf("%s: detect %d", name, got)
		}
		for _, m := range s.msgs {
			if m.Summary == nil || !m.Summary.Src.IsValid() || !m.Summary.Dst.IsValid() || m.Stamp.Time.IsZero() ||
				strings.Contains(name, "port-columns") != (m.Summary.Src.Port() == 5060) {
				t.Errorf("%s line %d: %+v", name, m.Line, m)
			}
		}
	}
}

func TestTsharkSummaryCorpus(t *testing.T) {
	for _, c := range []struct {
		file string
		want int
	}{
		{"text-formats/tshark_summary/1.txt", 16},
		{"text-formats/tshark_summary/2.txt", 5},
	} {
		text := ntCorpus(t, c.file)
		s := ntIngest(t, "tshark-summary", text)
		if len(s.msgs) != c.want || len(s.problems) != 0 {
			t.Errorf("%s: %d messages, want %d; problems %v", c.file, len(s.msgs), c.want, s.problems)
		}
	}
	// The SIPSorcery ticket: four rows, then the raw REGISTER and the
	// start of the 401 (cut inside its To header).
	s := ntIngest(t, "tshark-summary", ntCorpus(t, "text/gh-issue_sipsorcery-1114_wireshark-summary+msgs_register-401-401.txt"))
	if len(s.msgs) != 6 || s.msgs[4].Summary != nil || s.msgs[5].Summary != nil || len(s.problems) != 0 {
		t.Errorf("sipsorcery: %d messages, problems %v", len(s.msgs), s.problems)
	}
}

func FuzzTextTsharkSummary(f *testing.F) {
	for _, name := range []string{"register-401-loop", "one-typo-absolute-time"} {
		b, err := os.ReadFile(filepath.Join("..", "samples", "text", "tshark-summary", name+".txt"))
		if err == nil {
			f.Add(b[:min(len(b), 2048)])
		}
	}
	f.Add([]byte("|150| 128.03 | 192.168.1.19 | 192.168.1.61 | SIP | 546 | Status: 401 Unauthorized | \nREGISTER sip:x SIP/2.0\n\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		s := ntIngest(t, "tshark-summary", text)
		detectTsharkSummary(ntSampleLines(text))
		b := newSummaryBuilder()
		for _, m := range s.msgs {
			if m.Summary == nil {
				if len(m.Text) == 0 || len(m.Lines) != bytes.Count(m.Text, []byte("\n")) {
					t.Fatalf("raw message with text %q lines %v", m.Text, m.Lines)
				}
				continue
			}
			if out := b.build(m); out != nil && !bytes.HasSuffix(out, []byte("\r\n\r\n")) {
				t.Fatalf("built %q", out)
			}
		}
	})
}

var _ = netip.Addr{}

// BenchmarkTextNetworkTools measures each network tool ingester alone (no
// framework) over one of its samples, line by line as the framework
// feeds it.
func BenchmarkTextNetworkTools(b *testing.B) {
	for _, c := range []struct{ format, sample string }{
		{"ngrep", "ngrep/register-401-loop.txt"},
		{"sngrep", "sngrep/call.txt"},
		{"wireshark-text", "wireshark-text/call-sip-only.txt"},
		{"tshark-summary", "tshark-summary/call.txt"},
	} {
		text := ntReadSample(b, c.sample)
		lines := bytes.Split(text, []byte("\n"))
		f := ntFormat(b, c.format)
		b.Run(c.format, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				g := f.New()
				d := &countSink{}
				for n, l := range lines {
					g.Line(n+1, l, d)
				}
				g.End(d)
			}
		})
	}
	text := ntReadSample(b, "tshark-summary/call.txt")
	s := ntIngest(b, "tshark-summary", text)
	b.Run("summary-builder", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sb := newSummaryBuilder()
			for _, m := range s.msgs {
				sb.build(m)
			}
		}
	})
}
