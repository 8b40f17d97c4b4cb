package capture

import (
	"bytes"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/klauspost/compress/gzip"
)

const bareOptions = "Hello, here is the trace:\n\n" +
	"OPTIONS sip:b@198.51.100.2 SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\nFrom: <sip:a@192.0.2.1>;tag=1\nTo: <sip:b@198.51.100.2>\nCall-ID: x1\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n" +
	"SIP/2.0 200 OK\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\nFrom: <sip:a@192.0.2.1>;tag=1\nTo: <sip:b@198.51.100.2>;tag=2\nCall-ID: x1\nCSeq: 1 OPTIONS\nContent-Length: 0\n"

func TestOpenText(t *testing.T) {
	gs, r := readAllFrom(t, []byte(bareOptions))
	if len(gs) != 2 {
		t.Fatalf("%d messages", len(gs))
	}
	if gs[0].Line != 3 || gs[1].Line != 11 || gs[0].Frame != 0 || gs[0].Kind != KindSIP {
		t.Errorf("lines %d %d frame %d", gs[0].Line, gs[1].Line, gs[0].Frame)
	}
	if !strings.HasPrefix(gs[0].Text, "OPTIONS sip:b@198.51.100.2 SIP/2.0\r\nVia:") || !strings.HasSuffix(gs[0].Text, "\r\n\r\n") {
		t.Errorf("payload %q", gs[0].Text)
	}
	if gs[0].Transport != UDP || gs[0].Src.IsValid() || gs[0].Dst.IsValid() {
		t.Errorf("transport %v src %v dst %v: bare SIP must stay unoriented", gs[0].Transport, gs[0].Src, gs[0].Dst)
	}
	in := r.Inputs()[0]
	if in.Format != "text/bare" || in.Messages != 2 || in.Lines != 17 || in.Problems != 1 {
		t.Errorf("input %+v", in)
	}
	if p := r.Problems(); len(p) != 1 || p[0].Line != 1 || p[0].Frame != 0 {
		t.Errorf("problems %+v", p)
	}
}

func TestOpenTextCompressed(t *testing.T) {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(bareOptions))
	w.Close()
	gs, r := readAllFrom(t, b.Bytes())
	if len(gs) != 2 || r.Inputs()[0].Format != "text/bare+gzip" {
		t.Errorf("%d messages, format %s", len(gs), r.Inputs()[0].Format)
	}
}

func TestOpenTextLatin1AndCROnly(t *testing.T) {
	text := strings.ReplaceAll(bareOptions, "\n", "\r")
	text = strings.Replace(text, "Hello,", "Bonjour \xe0 vous,", 1)
	gs, _ := readAllFrom(t, []byte(text))
	if len(gs) != 2 || gs[1].Line != 11 {
		t.Errorf("%d messages", len(gs))
	}
}

func TestInputFormatOption(t *testing.T) {
	p := writeTemp(t, "trace.log", []byte(bareOptions))
	r, err := Open([]string{p}, nil, Options{InputFormat: "BARE"})
	if err != nil {
		t.Fatal(err)
	}
	if gs := drain(t, r); len(gs) != 2 || r.Inputs()[0].Format != "text/bare" {
		t.Errorf("%d messages as %s", len(gs), r.Inputs()[0].Format)
	}
	r.Close()
	_, err = Open([]string{p}, nil, Options{InputFormat: "cisco-log"})
	if err == nil || !strings.Contains(err.Error(), `unknown input format "cisco-log"`) || !strings.Contains(err.Error(), "bare") {
		t.Errorf("unknown format: %v", err)
	}
	// a forced format reads what detection would refuse
	junk := writeTemp(t, "junk.txt", []byte("hello\nINVITE sip:a@b SIP/2.0\x01\n"))
	if _, err := Open([]string{junk}, nil, Options{InputFormat: "bare"}); err != nil {
		t.Errorf("forced: %v", err)
	}
}

func TestTextWithoutSIP(t *testing.T) {
	_, err := Open([]string{"-"}, strings.NewReader("just some words\nand more\n"), Options{})
	var fe *FormatError
	if !errors.As(err, &fe) || !strings.Contains(fe.Hint, "--input-format") {
		t.Errorf("err %v", err)
	}
}

// testDatedFormat is a format with full dates, for the merge with pcaps:
// "@@ <RFC 3339 time> sent|recv" opens a message.
var testDatedFormat = &TextFormat{
	Name: "test-dated", Priority: 1000,
	Detect: func(sample [][]byte) int {
		for _, l := range sample {
			if bytes.HasPrefix(l, []byte("@@ ")) {
				return 100
			}
		}
		return 0
	},
	New: func() TextIngester { return &testDatedIngester{} },
}

type testDatedIngester struct{ m *TextMessage }

func (d *testDatedIngester) Line(n int, line []byte, out TextSink) {
	if f := strings.Fields(string(line)); len(f) == 3 && f[0] == "@@" {
		d.End(out)
		ts, _ := time.Parse(time.RFC3339Nano, f[1])
		d.m = &TextMessage{Line: n, BodyLine: n + 1, Stamp: TextStamp{Time: ts}, Dir: DirSent}
		if f[2] == "recv" {
			d.m.Dir = DirReceived
		}
		return
	}
	if d.m != nil {
		d.m.Text = append(append(d.m.Text, line...), '\n')
	}
}

func (d *testDatedIngester) End(out TextSink) {
	if d.m != nil {
		out.Emit(d.m)
		d.m = nil
	}
}

func withTestFormat(t *testing.T, f *TextFormat) {
	n := len(textFormats)
	registerTextFormat(f)
	t.Cleanup(func() { textFormats = textFormats[:n] })
}

func TestTextMergesWithPcapByTime(t *testing.T) {
	withTestFormat(t, testDatedFormat)
	// the pcap has OPTIONS at 0 and 2 ms, the log one at 1 ms
	pcap := pcapBytes(t, layers.LinkTypeEthernet, []rec{
		{t0, withEth(udp4(t, addrA, addrB, 5060, 5060, sipReq("OPTIONS", 10)))},
		{t0.Add(2 * time.Millisecond), withEth(udp4(t, addrA, addrB, 5060, 5060, sipReq("OPTIONS", 12)))},
	})
	log := "@@ " + t0.Add(time.Millisecond).Format(time.RFC3339Nano) + " sent\n" + string(sipReq("OPTIONS", 11))
	a := writeTemp(t, "a.pcap", pcap)
	r, err := Open([]string{a, "-"}, strings.NewReader(log), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var order []string
	for _, g := range drain(t, r) {
		order = append(order, strings.Fields(strings.Split(g.Text, "CSeq: ")[1])[0])
		if g.Input == 1 {
			if g.Line != 1 || g.Src != netip.MustParseAddrPort("192.0.2.1:5060") || g.Dst.IsValid() {
				t.Errorf("log message line %d %v -> %v", g.Line, g.Src, g.Dst)
			}
		}
	}
	if got := strings.Join(order, " "); got != "10 11 12" {
		t.Errorf("order %s", got)
	}
	if f := r.Inputs()[1].Format; f != "text/test-dated" {
		t.Errorf("format %s", f)
	}
}

func TestDatelessTextKeepsItsOrder(t *testing.T) {
	pcap := pcapBytes(t, layers.LinkTypeEthernet, recs(withEth(udp4(t, addrA, addrB, 5060, 5060, sipReq("OPTIONS", 10)))))
	a := writeTemp(t, "a.pcap", pcap)
	r, err := Open([]string{a, "-"}, strings.NewReader(bareOptions), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var inputs []int
	for _, g := range drain(t, r) {
		inputs = append(inputs, g.Input)
	}
	if len(inputs) != 3 || inputs[0] != 1 || inputs[1] != 1 || inputs[2] != 0 {
		t.Errorf("inputs in order %v", inputs)
	}
}

// An ingester that panics loses the line, not the run.
func TestIngesterPanicIsAProblem(t *testing.T) {
	withTestFormat(t, &TextFormat{Name: "test-panic", Priority: 1000,
		Detect: func(s [][]byte) int { return 1000 },
		New:    func() TextIngester { return panicky{} }})
	gs, r := readAllFrom(t, []byte("a\nb\n"))
	if len(gs) != 0 || r.ProblemCount() != 3 || r.Problems()[0].Line != 1 {
		t.Errorf("%d messages, problems %+v", len(gs), r.Problems())
	}
}

type panicky struct{}

func (panicky) Line(n int, line []byte, out TextSink) { panic("boom") }
func (panicky) End(out TextSink)                      { panic("boom") }
