package diagnose

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// MarkdownOptions control the Markdown renderer.
type MarkdownOptions struct {
	LadderWidth          int // width of the text ladders in fenced blocks (default 100)
	MaxFlowsPerDiagnosis int // ladders shown per diagnosis (default 5)
}

// WriteMarkdown renders a ticket-ready report: a summary line, the ranked
// diagnoses with cause, fix, an evidence table, the Wireshark filters and
// the ladder of each flow with a finding, then the inputs and what could
// not be judged.
func WriteMarkdown(w io.Writer, r *Report, opt MarkdownOptions) error {
	if opt.LadderWidth <= 0 {
		opt.LadderWidth = 100
	}
	if opt.MaxFlowsPerDiagnosis <= 0 {
		opt.MaxFlowsPerDiagnosis = 5
	}
	var b strings.Builder
	md := mdWriter{b: &b, r: r, opt: opt, multi: len(r.Inputs) > 1, place: newFlowPlacer(r, opt.MaxFlowsPerDiagnosis)}
	md.report()
	_, err := io.WriteString(w, b.String())
	return err
}

type mdWriter struct {
	b     *strings.Builder
	r     *Report
	opt   MarkdownOptions
	multi bool
	place *flowPlacer
}

func (m *mdWriter) f(format string, args ...any) { fmt.Fprintf(m.b, format, args...) }

func (m *mdWriter) report() {
	r := m.r
	m.f("# sipdiag report\n\n")
	m.f("**%s** — %s.\n", headline(r), seenLine(r))
	for i := range r.Diagnoses {
		m.diagnosis(&r.Diagnoses[i])
	}
	if others := m.place.others(); len(others) > 0 {
		m.f("\n## Other flows\n")
		for _, fl := range others {
			m.ladder(fl)
		}
	}
	m.inputs()
	m.undecided()
	m.f("\n---\n%s\n", redactionNote(r))
}

func (m *mdWriter) diagnosis(d *Diagnosis) {
	m.f("\n## %d. %s — %s\n\n", d.Rank, strings.ToUpper(d.Severity), mdText(d.Title))
	m.f("- **Subject:** %s\n", mdCode(d.Subject))
	m.f("- **Confidence:** %s\n", d.Confidence)
	var rs []string
	for _, f := range d.Findings {
		s := fmt.Sprintf("%s %s (%s)", f.Rule, f.Name, f.Role)
		if !slices.Contains(rs, s) {
			rs = append(rs, s)
		}
	}
	m.f("- **Rules:** %s\n\n", strings.Join(rs, ", "))
	m.f("**Cause.** %s\n\n", mdText(oneLine(d.Cause)))
	m.f("**Fix.** %s\n", mdText(oneLine(d.Fix)))
	for _, f := range d.Findings {
		if f.Role == "symptom" {
			m.f("\n**Symptom %s %s** (explained by the cause above): %s\n", f.Rule, f.Name, mdText(oneLine(f.Message)))
		}
	}
	m.f("\n| Rule | %s | Time | From → To | Message | Decisive header |\n|---|---|---|---|---|---|\n", m.whereHead())
	for _, f := range d.Findings {
		for _, e := range f.Evidence {
			m.f("| %s | %s | %s | %s | %s | %s |\n", f.Rule, cell(location(e.At, m.multi)), clock(e.At.Time),
				cell(e.fromTo()), cell(e.Summary), codeCell(e.Note))
		}
	}
	if d.FindingsNotShown > 0 {
		m.f("\n%s\n", mdText(notShown(d)))
	}
	m.f("\n**Wireshark:**\n\n")
	filters := diagnosisFilters(d)
	for _, flt := range filters {
		m.f("- `%s`\n", strings.ReplaceAll(flt, "`", "'"))
	}
	if len(filters) == 0 {
		m.f("- (no Call-ID or frame numbers to filter on)\n")
	}
	placed, more := m.place.under(d.Rank)
	for _, p := range placed {
		if p.drawnUnder > 0 {
			m.f("\nLadder of Call-ID %s: see diagnosis %d.\n", mdCode(p.flow.CallID), p.drawnUnder)
			continue
		}
		m.ladder(p.flow)
	}
	if more > 0 {
		m.f("\n%d more flows of this diagnosis are not drawn here (`sipdiag --ladder --call-id ID` draws one).\n", more)
	}
}

func (m *mdWriter) whereHead() string {
	for _, in := range m.r.Inputs {
		if strings.Contains(in.Format, "text") || strings.Contains(in.Format, "log") {
			return "Frame/line"
		}
	}
	return "Frame"
}

func (m *mdWriter) ladder(fl *Flow) {
	m.f("\n```text\n")
	ladderText(m.b, fl, LadderOptions{Width: m.opt.LadderWidth, Multi: m.multi})
	m.f("```\n")
}

func (m *mdWriter) inputs() {
	r := m.r
	m.f("\n## Inputs\n\n| File | Format | Read | SIP messages | Problems |\n|---|---|---|---|---|\n")
	for _, in := range r.Inputs {
		m.f("| %s | %s | %s | %d | %d |\n", cell(in.Name), cell(in.Format), in.ReadCount(), in.Messages, in.Problems)
	}
	m.f("\nSeen: %s.\n", countsLine(r.Summary))
}

func (m *mdWriter) undecided() {
	r := m.r
	if len(r.Undecided) == 0 && r.ProblemsTotal == 0 {
		m.f("\n## What could not be judged\n\nNothing: every rule could decide, and all input was readable.\n")
		return
	}
	m.f("\n## What could not be judged\n\n")
	for _, u := range r.Undecided {
		m.f("- **%s %s:** %s\n", u.Rule, u.Name, mdText(oneLine(u.Message)))
	}
	if r.ProblemsTotal > 0 {
		m.f("- **%d input problems** (malformed or unreadable input):\n", r.ProblemsTotal)
		for i, p := range r.Problems {
			if i == problemsShown {
				m.f("  - … and %d more (all of them in `--format json`)\n", r.ProblemsTotal-problemsShown)
				break
			}
			m.f("  - %s: %s\n", location(p.At, m.multi), mdText(oneLine(p.Message)))
		}
	}
}

// oneLine joins wrapped prose into one line (Markdown would do the same,
// but tables and list items need it).
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// mdText escapes what Markdown would read as markup in prose.
func mdText(s string) string { return mdEscaper.Replace(s) }

var mdEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`, "|", `\|`)

// mdCode puts s in a code span, with a longer fence when s holds backticks.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

func cell(s string) string { return mdText(oneLine(s)) }

// codeCell is a code span in a table cell: pipes must still be escaped.
func codeCell(s string) string {
	if s == "" {
		return ""
	}
	return strings.ReplaceAll(mdCode(oneLine(s)), "|", `\|`)
}
