package diagnose

import (
	"fmt"
	"strings"

	"github.com/sipdiag/sipdiag/rules"
)

// The README carries two generated blocks, each between a begin and an
// end marker: the rule table (from rules.All) and the JSON field table
// (from the report types). `go generate ./diagnose` rewrites them; a test
// fails when they drift.

// READMEBlocks returns the generated README blocks by name.
func READMEBlocks() map[string]string {
	var rt strings.Builder
	WriteRuleTable(&rt, rules.All)
	var ft strings.Builder
	ft.WriteString("| field | type | meaning |\n|---|---|---|\n")
	for _, row := range FieldTable() {
		fmt.Fprintf(&ft, "| `%s` | %s | %s |\n", row.Path, row.Type, strings.ReplaceAll(row.Doc, "|", `\|`))
	}
	return map[string]string{"rules": rt.String(), "json-fields": ft.String()}
}

func beginMarker(name string) string {
	return "<!-- begin generated: " + name + " (go generate ./diagnose) -->\n"
}
func endMarker(name string) string { return "<!-- end generated: " + name + " -->" }

// UpdateREADME replaces the content of every generated block in readme.
func UpdateREADME(readme string) (string, error) {
	for name, body := range READMEBlocks() {
		begin, end := beginMarker(name), endMarker(name)
		i := strings.Index(readme, begin)
		if i < 0 {
			return readme, fmt.Errorf("README has no %q marker", strings.TrimSpace(begin))
		}
		j := strings.Index(readme[i:], end)
		if j < 0 {
			return readme, fmt.Errorf("README has no %q marker", end)
		}
		readme = readme[:i+len(begin)] + body + readme[i+j:]
	}
	return readme, nil
}
