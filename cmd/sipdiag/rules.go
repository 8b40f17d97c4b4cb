package main

import (
	"fmt"
	"io"

	"github.com/sipdiag/sipdiag/diagnose"
	"github.com/sipdiag/sipdiag/rules"
)

// listRules prints the catalogue: a table (text), the README's Markdown
// table (--format markdown) or the full metadata (--format json).
func listRules(w, errw io.Writer, o options) int {
	var err error
	switch o.out.format {
	case "text":
		err = diagnose.WriteRuleList(w, rules.All)
	case "markdown":
		err = diagnose.WriteRuleTable(w, rules.All)
	case "json":
		err = diagnose.WriteRulesJSON(w, rules.All)
	default:
		fmt.Fprintf(errw, "sipdiag: `rules` prints text, markdown or json, not %q\n", o.out.format)
		return exitUsage
	}
	if err != nil {
		return exitUnreadable
	}
	return exitOK
}

func explain(w, errw io.Writer, id string, o options) int {
	r := rules.Lookup(id)
	if r == nil {
		fmt.Fprintf(errw, "sipdiag: no rule %q (see `sipdiag rules`)\n", id)
		return exitUsage
	}
	var err error
	switch o.out.format {
	case "text", "markdown":
		err = diagnose.WriteExplain(w, r, o.out.format == "markdown")
	case "json":
		err = diagnose.WriteRulesJSON(w, []*rules.Rule{r})
	default:
		fmt.Fprintf(errw, "sipdiag: `explain` prints text, markdown or json, not %q\n", o.out.format)
		return exitUsage
	}
	if err != nil {
		return exitUnreadable
	}
	return exitOK
}
