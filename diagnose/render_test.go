package diagnose

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/internal/golden"
	"github.com/sipdiag/sipdiag/ladder"
)

// fixtureFlows are the second-pass flows of the fixture's findings.
func fixtureFlows() []*ladder.Flow {
	reg := func(frame int64, sec float64, auth string) ladder.Message {
		text := "REGISTER sip:itsp.example SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK" + fmt.Sprint(frame) +
			"\r\nFrom: <sip:+4930123456@itsp.example>;tag=1\r\nTo: <sip:+4930123456@itsp.example>\r\nCall-ID: abc@10.0.0.5\r\nCSeq: " + fmt.Sprint(frame) + " REGISTER\r\n"
		if auth != "" {
			text += "Authorization: " + auth + "\r\n"
		}
		return ladder.Message{At: ref(frame, sec), Src: ua, Dst: itsp, Label: "REGISTER", CSeq: fmt.Sprint(frame) + " REGISTER", Text: text + "Content-Length: 0\r\n\r\n"}
	}
	chal := func(frame int64, sec float64) ladder.Message {
		return ladder.Message{At: ref(frame, sec), Src: itsp, Dst: ua, Label: "401 Unauthorized", CSeq: fmt.Sprint(frame-1) + " REGISTER",
			Text: "SIP/2.0 401 Unauthorized\r\nCall-ID: abc@10.0.0.5\r\nWWW-Authenticate: Digest realm=\"sip-2.ITSP_1\", nonce=\"8f2a1c\", opaque=\"op4que\"\r\n\r\n"}
	}
	auth := `Digest username="+4930123456", realm="ITSP", nonce="8f2a1c", response="deadbeef", cnonce="xyz", opaque="op4que"`
	loop := &ladder.Flow{CallID: "abc@10.0.0.5", Total: 7, Messages: []ladder.Message{
		reg(1, 0, ""), chal(2, 0.05), reg(3, 0.1, auth), chal(4, 0.15), reg(8, 11.0, auth), chal(9, 11.1),
	}}
	refresh := &ladder.Flow{CallID: "r1", Total: 1, Messages: []ladder.Message{
		{At: ref(20, 30), Src: itsp, Dst: ua, Label: "200 OK", CSeq: "7 REGISTER"},
	}}
	return []*ladder.Flow{loop, refresh}
}

// fixtureReport is the fixture built into a report with flows, as the CLI
// does for Markdown and HTML.
func fixtureReport(red RedactOptions) *Report {
	fs, tr := fixture()
	r := Build(fs, tr, []Input{{Name: "trace.pcap", Format: "pcap", Frames: 50, Messages: 42, Problems: 1}}, Options{Redact: red})
	r.AddFlows(fixtureFlows())
	return r
}

var renderers = []struct {
	name   string
	render func(*bytes.Buffer, *Report) error
}{
	{"text", func(b *bytes.Buffer, r *Report) error {
		return WriteText(b, r, TextOptions{Ladders: true, LadderWidth: 90})
	}},
	{"json", func(b *bytes.Buffer, r *Report) error { return WriteJSON(b, r) }},
	{"markdown", func(b *bytes.Buffer, r *Report) error { return WriteMarkdown(b, r, MarkdownOptions{}) }},
	{"html", func(b *bytes.Buffer, r *Report) error { return WriteHTML(b, r, HTMLOptions{}) }},
}

func TestRenderersWithFlowsGolden(t *testing.T) {
	for _, red := range []struct {
		suffix string
		opt    RedactOptions
	}{{"", RedactOptions{Secrets: true}}, {"-pseudonyms", RedactOptions{Secrets: true, Numbers: true, Hosts: true}}} {
		r := fixtureReport(red.opt)
		for _, rd := range renderers {
			var b bytes.Buffer
			if err := rd.render(&b, r); err != nil {
				t.Fatal(err)
			}
			ext := map[string]string{"text": "txt", "json": "json", "markdown": "md", "html": "html"}[rd.name]
			checkGolden(t, "flows"+red.suffix+"."+ext, b.Bytes())
		}
	}
}

func TestLadderGolden(t *testing.T) {
	r := fixtureReport(RedactOptions{Secrets: true})
	for _, w := range []int{40, 72, 120} {
		var b bytes.Buffer
		if err := WriteLadder(&b, &r.Flows[0], LadderOptions{Width: w}); err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
			// The header line may exceed the width with a long Call-ID; the
			// drawing must not once there is room for two columns.
			if i > 0 && w >= 40 && len([]rune(line)) > w {
				t.Errorf("width %d: line %d is %d wide: %q", w, i, len([]rune(line)), line)
			}
		}
		checkGolden(t, fmt.Sprintf("ladder-%d.txt", w), b.Bytes())
	}
}

func TestLadderMarksEvidenceAndCap(t *testing.T) {
	r := fixtureReport(RedactOptions{Secrets: true})
	f := r.Flows[0]
	if f.CallID != "abc@10.0.0.5" || len(f.Diagnoses) != 1 || f.Diagnoses[0] != 1 {
		t.Fatalf("flow %q diagnoses %v", f.CallID, f.Diagnoses)
	}
	var dec []int64
	for _, m := range f.Messages {
		if m.Decisive {
			dec = append(dec, m.At.Frame)
		}
	}
	if fmt.Sprint(dec) != "[2 3 9]" {
		t.Errorf("decisive frames %v, want the evidence frames [2 3 9]", dec)
	}
	if len(f.Hosts) != 2 || f.Hosts[0] != "10.0.0.5" || f.Messages[1].From != 1 || f.Messages[1].To != 0 {
		t.Errorf("columns %v, 401 from %d to %d", f.Hosts, f.Messages[1].From, f.Messages[1].To)
	}
	var b bytes.Buffer
	WriteLadder(&b, &f, LadderOptions{Width: 80})
	if !strings.Contains(b.String(), "1 more not shown (capped)") {
		t.Errorf("a capped flow must say so:\n%s", b.String())
	}
}

// checkGolden holds a renderer's output to testdata/name.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got, "go test ./diagnose -update")
}

// Any flow at any width draws without panicking: many columns, long and
// non-ASCII host names, self-addressed messages, unparsable times.
func TestLadderAnyShape(t *testing.T) {
	hosts := []string{"[2001:db8::1]:5060", "ü-host-with-a-very-long-name.example.net", "10.0.0.1", "x"}
	for n := 1; n <= len(hosts); n++ {
		f := Flow{CallID: "c", Hosts: hosts[:n], Total: 9}
		for i := 0; i < 2*n; i++ {
			f.Messages = append(f.Messages, FlowMessage{At: Location{Frame: int64(i + 1), Time: "not a time"},
				From: i % n, To: (i * 7) % n, Label: strings.Repeat("LABEL ", i), Decisive: i%2 == 0})
		}
		for w := 0; w <= 160; w += 7 {
			var b bytes.Buffer
			if err := WriteLadder(&b, &f, LadderOptions{Width: w, Multi: true}); err != nil || b.Len() == 0 {
				t.Fatalf("%d hosts, width %d: %v", n, w, err)
			}
			// Once the columns fit at their narrowest (gutter without the
			// time: marker, location, space), no drawn line is wider than asked.
			locW := len(location(f.Messages[0].At, true))
			for _, m := range f.Messages {
				locW = max(locW, len(location(m.At, true)))
			}
			if w > 0 && 2+locW+1+max(n-1, 0)*ladderMinGap+1+ladderTailRoom > w {
				continue
			}
			for i, line := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
				if i > 1 && !strings.HasPrefix(line, "  … ") && len([]rune(line)) > max(w, 100*btoi(w == 0)) {
					t.Errorf("%d hosts, width %d: line %d is %d wide: %q", n, w, i, len([]rune(line)), line)
				}
			}
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
