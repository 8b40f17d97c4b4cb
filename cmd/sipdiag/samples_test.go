package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/diagnose"
	"github.com/sipdiag/sipdiag/internal/golden"
)

// sampleInputs finds every capture under samples/ that has a .want file next
// to it (samples/<rule-slug>/<case>.<ext> + <case>.want).
func sampleInputs(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir("../../samples", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasSuffix(path, ".want") {
			return nil
		}
		if _, err := os.Stat(wantPath(path)); err == nil {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func wantPath(capture string) string {
	base := capture
	for _, ext := range []string{".gz", ".zst", ".pcapng", ".pcap", ".log", ".txt"} {
		base = strings.TrimSuffix(base, ext)
	}
	return base + ".want"
}

// findingLines runs the whole CLI over one input and lists every finding as
// "RULE slug frame N: message", in report order.
func findingLines(t *testing.T, path string) []string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args := []string{"sipdiag", "--format", "json", "--fail-on", "none"}
	// A CUBE log case may come with the router's configuration next to it
	// (<case>.config), as tickets carry both.
	if cfg := strings.TrimSuffix(wantPath(path), ".want") + ".config"; fileExists(cfg) {
		args = append(args, "--config", cfg)
	}
	code := run(append(args, path), nil, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("sipdiag %s: exit %d: %s", path, code, stderr.String())
	}
	var r diagnose.Report
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatalf("sipdiag %s: bad JSON: %v", path, err)
	}
	var lines []string
	for _, d := range r.Diagnoses {
		for _, f := range d.Findings {
			at := fmt.Sprintf("frame %d", f.At.Frame)
			if f.At.Line > 0 {
				at = fmt.Sprintf("line %d", f.At.Line)
			}
			lines = append(lines, fmt.Sprintf("%s %s %s: %s", f.Rule, f.Name, at, f.Message))
		}
	}
	return lines
}

// readWant returns the expectation lines (comments and blanks dropped) and
// the comment header to keep on -update.
func readWant(t *testing.T, path string) (want []string, header []string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(l, "#"):
			header = append(header, l)
		case strings.TrimSpace(l) != "":
			want = append(want, l)
		}
	}
	return want, header
}

// matches compares one finding with one .want line: exact text, or a
// /regex/ line matched against the finding.
func matches(want, got string) bool {
	if len(want) > 2 && strings.HasPrefix(want, "/") && strings.HasSuffix(want, "/") {
		re, err := regexp.Compile(want[1 : len(want)-1])
		return err == nil && re.MatchString(got)
	}
	return want == got
}

// TestSamples is the catalogue's test suite: every sample, all default rules,
// compared with its .want (an empty .want means nothing may fire).
func TestSamples(t *testing.T) {
	inputs := sampleInputs(t)
	if len(inputs) == 0 {
		t.Fatal("no samples with .want files found under samples/")
	}
	for _, in := range inputs {
		t.Run(strings.TrimPrefix(in, "../../samples/"), func(t *testing.T) {
			got := findingLines(t, in)
			want, header := readWant(t, wantPath(in))
			if golden.Updating() { // rewrite the .want from what sipdiag finds now
				content := strings.Join(append(header, got...), "\n") + "\n"
				if err := os.WriteFile(wantPath(in), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if len(got) != len(want) {
				t.Errorf("%d findings, want %d\ngot:\n  %s\nwant:\n  %s", len(got), len(want),
					strings.Join(got, "\n  "), strings.Join(want, "\n  "))
				return
			}
			for i := range want {
				if !matches(want[i], got[i]) {
					t.Errorf("finding %d:\n got: %s\nwant: %s", i+1, got[i], want[i])
				}
			}
		})
	}
}

// alsoCovers reads the rule slugs a sample is declared to cover besides
// its folder's, from a header line "# also covers: slug, slug — why": a
// capture made for one rule is often the exact near-miss of another (a 423
// refusal is REG003's, so REG004 must stay silent on it).
func alsoCovers(header []string) []string {
	var slugs []string
	for _, h := range header {
		rest, ok := strings.CutPrefix(h, "# also covers:")
		if !ok {
			continue
		}
		if i := strings.Index(rest, "—"); i >= 0 {
			rest = rest[:i]
		}
		for _, s := range strings.Split(rest, ",") {
			if s = strings.TrimSpace(s); s != "" {
				slugs = append(slugs, s)
			}
		}
	}
	return slugs
}

// TestEveryRuleHasSamples checks the catalogue promise: each rule has a
// sample that fires and a near-miss sample that must not, in its folder or
// declared with "# also covers:".
func TestEveryRuleHasSamples(t *testing.T) {
	fires := map[string]bool{}
	quiet := map[string]bool{}
	known := map[string]bool{"healthy": true}
	for _, r := range allRuleSlugs() {
		known[r] = true
	}
	for _, in := range sampleInputs(t) {
		want, header := readWant(t, wantPath(in))
		slugs := []string{filepath.Base(filepath.Dir(in))}
		for _, s := range alsoCovers(header) {
			if !known[s] {
				t.Errorf("%s: \"also covers\" names %q, which is no rule", wantPath(in), s)
			}
			slugs = append(slugs, s)
		}
		for _, slug := range slugs {
			hit := false
			for _, w := range want {
				if strings.Contains(w, " "+slug+" ") {
					hit = true
				}
			}
			if hit {
				fires[slug] = true
			} else {
				quiet[slug] = true
			}
		}
	}
	for _, r := range allRuleSlugs() {
		if !fires[r] {
			t.Errorf("rule %s has no sample that fires (samples/%s/*.want or \"# also covers: %s\")", r, r, r)
		}
		if !quiet[r] {
			t.Errorf("rule %s has no near-miss sample that must not fire", r)
		}
	}
	if !quiet["healthy"] {
		t.Error("no healthy samples under samples/healthy")
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
