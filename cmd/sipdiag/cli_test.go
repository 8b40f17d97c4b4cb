package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/diagnose"
)

const loopSample = "../../samples/auth-retry-loop/register-401-loop.pcap"

func runCLI(t *testing.T, stdin []byte, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"sipdiag"}, args...), bytes.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"diagnoses found", []string{loopSample}, exitDiagnoses},
		{"fail-on none", []string{"--fail-on", "none", loopSample}, exitOK},
		{"only a rule that does not fire", []string{"--rules", "REG001", loopSample}, exitOK},
		{"no arguments", nil, exitUsage},
		{"unknown flag", []string{"--bogus", loopSample}, exitUsage},
		{"bad format", []string{"--format", "xml", loopSample}, exitUsage},
		{"bad fail-on", []string{"--fail-on", "loud", loopSample}, exitUsage},
		{"bad color", []string{"--color", "purple", loopSample}, exitUsage},
		{"unknown rule", []string{"--rules", "NOPE999", loopSample}, exitUsage},
		{"bad threshold", []string{"--threshold", "AUTH005.burst=many", loopSample}, exitUsage},
		{"unknown threshold", []string{"--threshold", "AUTH005.nope=1", loopSample}, exitUsage},
		{"missing file", []string{"does-not-exist.pcap"}, exitUnreadable},
		{"rules", []string{"rules"}, exitOK},
		{"explain", []string{"explain", "AUTH001"}, exitOK},
		{"explain by slug", []string{"explain", "missing-refresh"}, exitOK},
		{"explain unknown", []string{"explain", "XYZ"}, exitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, nil, tc.args...)
			if code != tc.want {
				t.Errorf("exit %d, want %d (stderr: %s)", code, tc.want, stderr)
			}
		})
	}
}

// The paste case: `pbpaste | sipdiag` with no file argument reads stdin.
func TestNoArgumentReadsPipedStdin(t *testing.T) {
	log := "REGISTER sip:sip.example.net SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1\r\n" +
		"From: <sip:alice@sip.example.net>;tag=1\r\nTo: <sip:alice@sip.example.net>\r\nCall-ID: c1\r\n" +
		"CSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n"
	code, out, stderr := runCLI(t, []byte(log), "--format", "json")
	if code == exitUsage || code == exitUnreadable {
		t.Fatalf("exit %d, stderr: %s", code, stderr)
	}
	var r diagnose.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Inputs) != 1 || r.Inputs[0].Name != "-" || !strings.HasPrefix(r.Inputs[0].Format, "text") || r.Inputs[0].Messages != 1 {
		t.Errorf("inputs = %+v, want stdin read as a text log with 1 message", r.Inputs)
	}
}

func TestThresholdOverrideChangesVerdict(t *testing.T) {
	// The sample has 15 cycles; demanding 16 silences AUTH004 (its AUTH003
	// rejections are left out, so only the threshold decides).
	code, out, _ := runCLI(t, nil, "--rules", "AUTH004", "--threshold", "AUTH004.min-cycles=16", loopSample)
	if code != exitOK || !strings.Contains(out, "No diagnosis") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestStdinAndGarbage(t *testing.T) {
	data, err := os.ReadFile(loopSample)
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, data, "-")
	if code != exitDiagnoses || !strings.Contains(out, "AUTH004") {
		t.Errorf("stdin: exit %d, stderr %s, out:\n%s", code, stderr, out)
	}
	code, _, stderr = runCLI(t, []byte("this is not a capture\x00\x01\x02"), "-")
	if code != exitUnreadable || stderr == "" {
		t.Errorf("garbage: exit %d, stderr %q", code, stderr)
	}
}

// A capture cut in the middle still yields the diagnoses of what was read,
// plus a problem record saying where it stopped.
func TestTruncatedCapture(t *testing.T) {
	data, err := os.ReadFile(loopSample)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.pcap")
	if err := os.WriteFile(cut, data[:len(data)*3/4+7], 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, nil, "--format", "json", cut)
	if code != exitDiagnoses {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r diagnose.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Diagnoses) == 0 || r.Diagnoses[0].Rules[0] != "AUTH004" {
		t.Errorf("want the AUTH004 diagnosis of the part that was read, got %+v", r.Diagnoses)
	}
	if r.ProblemsTotal == 0 || len(r.Problems) == 0 || r.Problems[0].At.Input == "" {
		t.Errorf("want a problem record locating the cut, got %+v", r.Problems)
	}
}

func TestJSONContract(t *testing.T) {
	_, out, _ := runCLI(t, nil, "--format", "json", loopSample)
	var raw map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"schema_version", "inputs", "diagnoses", "summary", "problems"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("missing top-level %q", k)
		}
	}
	if raw["schema_version"] != float64(1) {
		t.Errorf("schema_version = %v", raw["schema_version"])
	}
	d := raw["diagnoses"].([]any)[0].(map[string]any)
	for _, k := range []string{"rank", "title", "severity", "confidence", "subject", "fix", "findings"} {
		if _, ok := d[k]; !ok {
			t.Errorf("diagnosis misses %q", k)
		}
	}
	f := d["findings"].([]any)[0].(map[string]any)
	for _, k := range []string{"rule", "name", "message", "at", "evidence", "filter"} {
		if _, ok := f[k]; !ok {
			t.Errorf("finding misses %q", k)
		}
	}
	at := f["at"].(map[string]any)
	for _, k := range []string{"input", "frame", "line", "time"} {
		if _, ok := at[k]; !ok {
			t.Errorf("at misses %q", k)
		}
	}
	if !strings.HasPrefix(f["filter"].(string), `sip.Call-ID == "`) {
		t.Errorf("filter = %v", f["filter"])
	}
	sum := raw["summary"].(map[string]any)
	for _, k := range []string{"messages", "transactions", "dialogs", "registrations", "span"} {
		if _, ok := sum[k]; !ok {
			t.Errorf("summary misses %q", k)
		}
	}
}

func TestRedactionAndColour(t *testing.T) {
	_, out, _ := runCLI(t, nil, "--color", "never", loopSample)
	if !strings.Contains(out, `nonce="<redacted>"`) || strings.Contains(out, "\x1b[") {
		t.Errorf("want redacted nonces and no ANSI codes:\n%s", out)
	}
	_, out, _ = runCLI(t, nil, "--no-redact", "--color", "always", loopSample)
	if strings.Contains(out, "<redacted>") || !strings.Contains(out, "\x1b[") {
		t.Errorf("--no-redact --color always: want raw nonces and ANSI codes")
	}
	// auto: a bytes.Buffer is no terminal, so no colour.
	_, out, _ = runCLI(t, nil, loopSample)
	if strings.Contains(out, "\x1b[") {
		t.Errorf("--color auto coloured a non-terminal")
	}
}

func TestExplainShowsThresholds(t *testing.T) {
	_, out, _ := runCLI(t, nil, "explain", "AUTH005")
	for _, s := range []string{"lockout-burst", "burst", "window", "60s", "Fix:", "References:"} {
		if !strings.Contains(out, s) {
			t.Errorf("explain AUTH005 lacks %q:\n%s", s, out)
		}
	}
	_, out, _ = runCLI(t, nil, "rules")
	for _, id := range []string{"AUTH001", "AUTH004", "AUTH005", "REG001"} {
		if !strings.Contains(out, id) {
			t.Errorf("rules lacks %s", id)
		}
	}
}

// When the capture ends before a deadline, REG001 stays silent and says
// why instead of guessing.
func TestUndecidedWhenCaptureEndsEarly(t *testing.T) {
	code, out, _ := runCLI(t, nil, "--format", "json", "../../samples/missing-refresh/capture-ends-early.pcap")
	var r diagnose.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if code != exitOK || len(r.Diagnoses) != 0 {
		t.Fatalf("exit %d, diagnoses %+v", code, r.Diagnoses)
	}
	if len(r.Undecided) != 1 || r.Undecided[0].Rule != "REG001" || !strings.Contains(r.Undecided[0].Message, "cannot be told") {
		t.Errorf("undecided = %+v", r.Undecided)
	}
}

func TestColorWanted(t *testing.T) {
	tty, err := os.Open(os.DevNull) // a file, but not a terminal
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	for _, tc := range []struct {
		mode, noColor, term string
		want                bool
	}{
		{"always", "1", "dumb", true}, // an explicit choice beats the environment
		{"never", "", "xterm", false},
		{"auto", "1", "xterm", false}, // NO_COLOR (no-color.org)
		{"auto", "", "dumb", false},
		{"auto", "", "xterm", false}, // /dev/null is no terminal
	} {
		t.Setenv("NO_COLOR", tc.noColor)
		t.Setenv("TERM", tc.term)
		got, err := colorWanted(tc.mode, tty)
		if err != nil || got != tc.want {
			t.Errorf("colorWanted(%q, NO_COLOR=%q TERM=%q) = %v, %v; want %v", tc.mode, tc.noColor, tc.term, got, err, tc.want)
		}
	}
	if _, err := colorWanted("sometimes", tty); err == nil {
		t.Error("unknown mode accepted")
	}
}

// failingWriter stands for a full disk or a closed pipe.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

// A report that cannot be written is exit 3 with the reason on stderr,
// in every format.
func TestReportWriteFailure(t *testing.T) {
	for _, format := range []string{"text", "json", "markdown", "html"} {
		var errb bytes.Buffer
		code := run([]string{"sipdiag", "--format", format, loopSample}, bytes.NewReader(nil), failingWriter{}, &errb)
		if code != exitUnreadable || !strings.Contains(errb.String(), "writing the report") {
			t.Errorf("%s: exit %d, stderr %q", format, code, errb.String())
		}
	}
}

// A report written with --no-redact says so in every format, the text one
// included, since any of them may be pasted into a ticket.
func TestNoRedactWarns(t *testing.T) {
	for _, format := range []string{"text", "markdown", "html"} {
		_, out, _ := runCLI(t, nil, "--no-redact", "--format", format, loopSample)
		if !strings.Contains(out, "NOT redacted") {
			t.Errorf("%s report with --no-redact does not warn:\n%s", format, out)
		}
		_, out, _ = runCLI(t, nil, "--format", format, loopSample)
		if strings.Contains(out, "NOT redacted") {
			t.Errorf("%s report warns although redacted", format)
		}
	}
}
