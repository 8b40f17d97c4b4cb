package diagnose

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/fatih/color"
)

// TextOptions control the text renderer.
type TextOptions struct {
	Color bool // ANSI colour (the CLI decides: TTY, NO_COLOR, --color)
	Width int  // wrap width for prose (default 100)
	// Ladders prints Report.Flows as text ladders after the diagnoses,
	// LadderWidth wide (default: Width).
	Ladders     bool
	LadderWidth int
}

// WriteText renders the report for a human at a terminal: ranked diagnoses
// first, each with cause, fix and evidence, then what was seen.
func WriteText(w io.Writer, r *Report, opt TextOptions) error {
	if opt.Width <= 0 {
		opt.Width = 100
	}
	t := textWriter{w: w, opt: opt}
	t.paint = func(c *color.Color, s string) string {
		if !opt.Color {
			return s
		}
		c.EnableColor()
		return c.Sprint(s)
	}
	t.report(r)
	return t.err
}

type textWriter struct {
	w     io.Writer
	opt   TextOptions
	err   error
	paint func(*color.Color, string) string
}

var (
	colCritical = color.New(color.FgRed, color.Bold)
	colWarning  = color.New(color.FgYellow, color.Bold)
	colInfo     = color.New(color.FgCyan)
	colBold     = color.New(color.Bold)
	colDim      = color.New(color.Faint)
)

func (t *textWriter) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

func (t *textWriter) report(r *Report) {
	line := headline(r)
	if len(r.Diagnoses) == 0 {
		line += "."
	}
	t.printf("%s\n", t.paint(colBold, line))
	multi := len(r.Inputs) > 1
	for i := range r.Diagnoses {
		t.printf("\n")
		t.diagnosis(&r.Diagnoses[i], multi)
	}
	if t.opt.Ladders {
		t.ladders(r)
	}
	t.printf("\n")
	t.summary(r)
}

func (t *textWriter) ladders(r *Report) {
	w := t.opt.LadderWidth
	if w <= 0 {
		w = t.opt.Width
	}
	if len(r.Flows) == 0 {
		t.printf("\n%s no flow to draw (the findings name no Call-ID, or none was found)\n", t.paint(colBold, "Ladder:"))
		return
	}
	for i := range r.Flows {
		t.printf("\n%s ", t.paint(colBold, "Ladder:"))
		var b strings.Builder
		ladderText(&b, &r.Flows[i], LadderOptions{Width: w, Multi: len(r.Inputs) > 1})
		t.printf("%s", b.String())
	}
}

func (t *textWriter) severity(s string) string {
	label := strings.ToUpper(s)
	switch s {
	case "critical":
		return t.paint(colCritical, label)
	case "warning":
		return t.paint(colWarning, label)
	}
	return t.paint(colInfo, label)
}

func (t *textWriter) diagnosis(d *Diagnosis, multi bool) {
	t.printf("%d. %s  %s  [%s]\n", d.Rank, t.severity(d.Severity), t.paint(colBold, d.Title), strings.Join(d.Rules, ", "))
	t.printf("   subject:    %s\n", d.Subject)
	t.printf("   confidence: %s\n", d.Confidence)
	t.para("cause:", d.Cause)
	t.para("fix:", d.Fix)
	for _, f := range d.Findings {
		head := fmt.Sprintf("%s %s", f.Rule, f.Name)
		if f.Role == "symptom" {
			head += " (explained by the cause above)"
		}
		t.printf("   %s\n", t.paint(colBold, head))
		if f.Role == "symptom" || len(d.Findings) > 1 {
			t.wrap("     ", f.Message)
		}
		for _, e := range f.Evidence {
			t.evidence(e, multi)
		}
		if f.Filter != "" {
			t.printf("     %s %s\n", t.paint(colDim, "wireshark:"), f.Filter)
		}
		if f.FrameFilter != "" {
			t.printf("     %s %s\n", t.paint(colDim, "frames:   "), f.FrameFilter)
		}
	}
	if d.FindingsNotShown > 0 {
		t.wrap("   ", notShown(d))
	}
}

func (t *textWriter) evidence(e Evidence, multi bool) {
	t.printf("     %-10s %-12s %-45s %s\n", location(e.At, multi), clock(e.At.Time), e.fromTo(), e.Summary)
	if e.Note != "" {
		t.wrap("         ", e.Note)
	}
}

// para prints a labelled paragraph, wrapped and indented under the label.
func (t *textWriter) para(label, text string) {
	pad := "   " + fmt.Sprintf("%-12s", label)
	lines := wrapLines(text, t.opt.Width-len(pad))
	for i, l := range lines {
		if i == 0 {
			t.printf("%s%s\n", pad, l)
		} else {
			t.printf("%s%s\n", strings.Repeat(" ", len(pad)), l)
		}
	}
}

func (t *textWriter) wrap(indent, text string) {
	for _, l := range wrapLines(text, t.opt.Width-len(indent)) {
		t.printf("%s%s\n", indent, l)
	}
}

// wrapLines joins the text's lines into paragraphs and wraps them at width.
func wrapLines(text string, width int) []string {
	if width < 30 {
		width = 30
	}
	var out []string
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			if line != "" && len(line)+1+len(word) > width {
				out = append(out, line)
				line = word
				continue
			}
			if line != "" {
				line += " "
			}
			line += word
		}
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

func (t *textWriter) summary(r *Report) {
	s := r.Summary
	t.printf("%s %s\n", t.paint(colBold, "Seen:"), countsLine(s))
	if s.Span.First != "" {
		t.printf("%s %s – %s (%s)\n", t.paint(colBold, "Span:"), s.Span.First, s.Span.Last,
			time.Duration(s.Span.Seconds*float64(time.Second)).Round(time.Millisecond))
	}
	for _, in := range r.Inputs {
		t.printf("%s %s (%s): %s, %d SIP messages, %d problems\n", t.paint(colBold, "Input:"),
			in.Name, in.Format, in.ReadCount(), in.Messages, in.Problems)
	}
	for _, u := range r.Undecided {
		t.printf("%s %s %s: %s\n", t.paint(colBold, "Cannot tell:"), u.Rule, u.Name, u.Message)
	}
	if r.ProblemsTotal > 0 {
		t.printf("%s %d (input that is malformed or could not be read)\n", t.paint(colBold, "Problems:"), r.ProblemsTotal)
		multi := len(r.Inputs) > 1
		for i, p := range r.Problems {
			if i == problemsShown {
				t.printf("     … and %d more (all of them in --format json)\n", r.ProblemsTotal-problemsShown)
				break
			}
			t.printf("     %-10s %s\n", location(p.At, multi), p.Message)
		}
	}
	if r.Redacted {
		t.printf("%s\n", t.paint(colDim, "Digest nonces, responses, opaque values and configuration passwords are redacted (--no-redact shows them)."))
	} else {
		// The same warning as the Markdown and HTML footers: a text report
		// is as likely to be pasted into a ticket.
		t.printf("%s\n", t.paint(colCritical, "Secrets are NOT redacted (--no-redact): do not share this report."))
	}
	if r.PseudonymisedNumbers || r.PseudonymisedHosts {
		t.printf("%s\n", t.paint(colDim, "Identifiers are pseudonymised: the same token means the same number or address throughout."))
	}
}
