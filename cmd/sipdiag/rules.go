package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/sipdiag/sipdiag/rules"
)

func listRules(w io.Writer, _ options) int {
	fmt.Fprintf(w, "%-8s %-18s %-9s %s\n", "ID", "NAME", "SEVERITY", "TITLE")
	for _, r := range rules.All {
		fmt.Fprintf(w, "%-8s %-18s %-9s %s\n", r.ID, r.Name, r.Severity, r.Title)
	}
	return exitOK
}

func explain(w, errw io.Writer, id string) int {
	r := rules.Lookup(id)
	if r == nil {
		fmt.Fprintf(errw, "sipdiag: no rule %q (see `sipdiag rules`)\n", id)
		return exitUsage
	}
	fmt.Fprintf(w, "%s %s (%s)\n%s\n\n", r.ID, r.Name, r.Severity, r.Title)
	fmt.Fprintf(w, "%s\n\nFix:\n%s\n", r.Doc, indent(r.Fix))
	if len(r.Thresholds) > 0 {
		fmt.Fprintf(w, "\nThresholds (override with --threshold %s.NAME=VALUE):\n", r.ID)
		for _, t := range r.Thresholds {
			fmt.Fprintf(w, "  %-12s default %-5s %s\n", t.Name, t.Default, t.Doc)
		}
	}
	if len(r.Explains) > 0 {
		fmt.Fprintf(w, "\nExplains (merged as symptoms on the same subject): %s\n", strings.Join(r.Explains, ", "))
	}
	if len(r.Refs) > 0 {
		fmt.Fprintf(w, "\nReferences:\n")
		for _, ref := range r.Refs {
			fmt.Fprintf(w, "  - %s\n", ref)
		}
	}
	return exitOK
}

func indent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n")
}
