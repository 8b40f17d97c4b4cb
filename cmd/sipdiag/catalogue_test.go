package main

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sipdiag/sipdiag/internal/golden"
	"github.com/sipdiag/sipdiag/rules"
)

// TestCatalogueGolden holds `sipdiag rules` (text, Markdown, JSON) and
// `sipdiag explain ID` (text, Markdown) for every rule to the files under
// testdata/catalogue, so a change to a rule's title, doc, fix, references
// or thresholds shows up as a reviewed diff (go test ./cmd/sipdiag -update
// rewrites them).
func TestCatalogueGolden(t *testing.T) {
	type run struct {
		file string
		args []string
	}
	runs := []run{
		{"rules.txt", []string{"rules"}},
		{"rules.md", []string{"--format", "markdown", "rules"}},
		{"rules.json", []string{"--format", "json", "rules"}},
	}
	for _, r := range rules.All {
		runs = append(runs,
			run{filepath.Join("explain", r.ID+".txt"), []string{"explain", r.ID}},
			run{filepath.Join("explain", r.ID+".md"), []string{"--format", "markdown", "explain", r.ID}})
	}
	for _, r := range runs {
		code, out, stderr := runCLI(t, nil, r.args...)
		if code != exitOK || stderr != "" {
			t.Errorf("%v: exit %d, stderr %q", r.args, code, stderr)
			continue
		}
		if filepath.Ext(r.file) == ".txt" && filepath.Dir(r.file) == "explain" {
			// explain rewraps prose to a terminal's 100 columns, whatever
			// the line breaks in the rule's source.
			for i, line := range strings.Split(out, "\n") {
				if n := utf8.RuneCountInString(line); n > 100 && strings.Contains(strings.TrimSpace(line), " ") {
					t.Errorf("%s line %d is %d columns wide: %q", r.file, i+1, n, line)
				}
			}
		}
		golden.Check(t, filepath.Join("testdata", "catalogue", r.file), []byte(out),
			"go test ./cmd/sipdiag -run TestCatalogueGolden -update")
	}
}
