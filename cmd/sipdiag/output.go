package main

import (
	"fmt"
	"io"
	"os"
	"strconv"

	flag "github.com/spf13/pflag"

	"github.com/sipdiag/sipdiag/diagnose"
)

// outputFlags are the flags that choose and shape the report.
type outputFlags struct {
	format        string
	noRedact      bool
	redactNumbers bool
	redactHosts   bool
	ladder        string // "" (none), "diagnoses" or "all"
	callID        string
	width         int
}

var formats = []string{"text", "json", "markdown", "html"}

func addOutputFlags(fs *flag.FlagSet, o *outputFlags) {
	fs.StringVarP(&o.format, "format", "f", "text", "output format: text, json, markdown or html")
	fs.BoolVar(&o.noRedact, "no-redact", false, "show digest nonces, responses, opaque values and passwords instead of redacting them")
	fs.BoolVar(&o.redactNumbers, "redact-numbers", false, "also replace phone numbers by stable tokens (num-1, num-2, ...)")
	fs.BoolVar(&o.redactHosts, "redact-hosts", false, "also replace IP addresses by stable tokens (ip-1, ip-2, ...)")
	fs.StringVar(&o.ladder, "ladder", "", "draw the flows of the diagnoses as ladders (--ladder=all: every flow, up to 50)")
	fs.Lookup("ladder").NoOptDefVal = "diagnoses"
	fs.StringVar(&o.callID, "call-id", "", "draw only the flow with this Call-ID (implies --ladder)")
	fs.IntVar(&o.width, "width", 0, "width of text ladders (default: the terminal's, or $COLUMNS, or 100)")
}

func (o *outputFlags) check() error {
	known := false
	for _, f := range formats {
		known = known || o.format == f
	}
	if !known {
		return fmt.Errorf("unknown --format %q (want text, json, markdown or html)", o.format)
	}
	switch o.ladder {
	case "", "diagnoses", "all":
	default:
		return fmt.Errorf("--ladder=%q: want --ladder or --ladder=all", o.ladder)
	}
	if o.callID != "" && o.ladder == "" {
		o.ladder = "diagnoses"
	}
	if o.width < 0 {
		return fmt.Errorf("--width %d: want a positive number", o.width)
	}
	return nil
}

// wantFlows says whether a second pass must collect flows: Markdown and
// HTML always draw the flows of the diagnoses; text and JSON only on
// --ladder.
func (o *outputFlags) wantFlows() bool {
	return o.ladder != "" || o.format == "markdown" || o.format == "html"
}

func (o *outputFlags) redaction() diagnose.RedactOptions {
	return diagnose.RedactOptions{Secrets: !o.noRedact, Numbers: o.redactNumbers, Hosts: o.redactHosts}
}

// writeReport renders the report in the chosen format.
func writeReport(w io.Writer, r *diagnose.Report, o *outputFlags, useColor bool) error {
	switch o.format {
	case "json":
		return diagnose.WriteJSON(w, r)
	case "markdown":
		return diagnose.WriteMarkdown(w, r, diagnose.MarkdownOptions{})
	case "html":
		return diagnose.WriteHTML(w, r, diagnose.HTMLOptions{})
	}
	return diagnose.WriteText(w, r, diagnose.TextOptions{Color: useColor, Ladders: o.ladder != "", LadderWidth: o.ladderWidth(w)})
}

// ladderWidth: --width, else the terminal's width, else $COLUMNS, else 100.
func (o *outputFlags) ladderWidth(w io.Writer) int {
	if o.width > 0 {
		return o.width
	}
	if f, ok := w.(*os.File); ok {
		if n := terminalWidth(f); n > 0 {
			return n
		}
	}
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return 100
}
