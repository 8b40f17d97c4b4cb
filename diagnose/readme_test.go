package diagnose

import (
	"os"
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/internal/golden"
)

const readmePath = "../README.md"

// The README's rule table and JSON field table are generated; when a rule
// or a report field is added, `go generate ./diagnose` (or go test
// ./diagnose -run TestREADMEGenerated -update) rewrites them.
func TestREADMEGenerated(t *testing.T) {
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	got, err := UpdateREADME(string(data))
	if err != nil {
		t.Fatal(err)
	}
	if got == string(data) {
		return
	}
	if golden.Updating() {
		// Re-read right before writing: others may edit other sections.
		data, err = os.ReadFile(readmePath)
		if err != nil {
			t.Fatal(err)
		}
		if got, err = UpdateREADME(string(data)); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(readmePath, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's generated tables are out of date: run `go generate ./diagnose`")
}

func TestRuleTableListsEveryRule(t *testing.T) {
	table := READMEBlocks()["rules"]
	for _, id := range []string{"AUTH001", "AUTH004", "AUTH005", "REG001"} {
		if !strings.Contains(table, "| "+id+" |") {
			t.Errorf("rule table lacks %s", id)
		}
	}
	fields := READMEBlocks()["json-fields"]
	for _, p := range []string{"`diagnoses[].findings[].frame_filter`", "`flows[].messages[].decisive`", "`summary.span.first`"} {
		if !strings.Contains(fields, p) {
			t.Errorf("field table lacks %s", p)
		}
	}
}
