package diagnose

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"
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
	md := mdWriter{b: &b, r: r, opt: opt, multi: len(r.Inputs) > 1, drawn: map[string]int{}}
	md.report()
	_, err := io.WriteString(w, b.String())
	return err
}

type mdWriter struct {
	b     *strings.Builder
	r     *Report
	opt   MarkdownOptions
	multi bool
	drawn map[string]int // Call-ID → rank of the diagnosis it was drawn under
}

func (m *mdWriter) f(format string, args ...any) { fmt.Fprintf(m.b, format, args...) }

func (m *mdWriter) report() {
	r := m.r
	m.f("# sipdiag report\n\n")
	m.f("**%s** — %s.\n", headline(r), seenLine(r))
	for i := range r.Diagnoses {
		m.diagnosis(&r.Diagnoses[i])
	}
	var others []*Flow
	for i := range r.Flows {
		if _, ok := m.drawn[r.Flows[i].CallID]; !ok && len(r.Flows[i].Diagnoses) == 0 {
			others = append(others, &r.Flows[i])
		}
	}
	if len(others) > 0 {
		m.f("\n## Other flows\n")
		for _, fl := range others {
			m.ladder(fl)
		}
	}
	m.inputs()
	m.undecided()
	m.f("\n---\n%s\n", redactionNote(r))
}

// headline is the one-line verdict shared by every renderer.
func headline(r *Report) string {
	n := len(r.Diagnoses)
	if n == 0 {
		return "No diagnosis: nothing in this capture matches a known failure"
	}
	var parts []string
	for _, c := range []struct {
		n    int
		name string
	}{{r.Summary.Critical, "critical"}, {r.Summary.Warning, "warning"}, {r.Summary.Info, "info"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.name))
		}
	}
	return fmt.Sprintf("%d %s (%s)", n, plural(n, "diagnosis", "diagnoses"), strings.Join(parts, ", "))
}

// seenLine says what was read, in one sentence fragment.
func seenLine(r *Report) string {
	var names []string
	for _, in := range r.Inputs {
		names = append(names, in.Name)
	}
	s := fmt.Sprintf("%d SIP messages in %s", r.Summary.Messages, strings.Join(names, ", "))
	if sp := r.Summary.Span; sp.First != "" {
		s += fmt.Sprintf(", %s – %s (%s)", humanTime(sp.First), humanTime(sp.Last),
			time.Duration(sp.Seconds*float64(time.Second)).Round(time.Millisecond))
	}
	return s
}

func humanTime(rfc string) string {
	t, err := time.Parse(time.RFC3339Nano, rfc)
	if err != nil {
		return rfc
	}
	return t.Format("2006-01-02 15:04:05.000 UTC")
}

func redactionNote(r *Report) string {
	var parts []string
	if r.Redacted {
		parts = append(parts, "digest nonces, responses, opaque values and configuration passwords are redacted")
	} else {
		parts = append(parts, "**secrets are NOT redacted** (--no-redact): do not share this report")
	}
	if r.PseudonymisedNumbers {
		parts = append(parts, "phone numbers are replaced by num-N")
	}
	if r.PseudonymisedHosts {
		parts = append(parts, "IP addresses are replaced by ip-N")
	}
	s := strings.Join(parts, "; ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
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
			flow := ""
			if e.Src != "" || e.Dst != "" {
				flow = e.Src + " → " + e.Dst
			}
			m.f("| %s | %s | %s | %s | %s | %s |\n", f.Rule, cell(location(e.At, m.multi)), clock(e.At.Time),
				cell(flow), cell(e.Summary), codeCell(e.Note))
		}
	}
	m.f("\n**Wireshark:**\n\n")
	filters := diagnosisFilters(d)
	for _, flt := range filters {
		m.f("- `%s`\n", strings.ReplaceAll(flt, "`", "'"))
	}
	if len(filters) == 0 {
		m.f("- (no Call-ID or frame numbers to filter on)\n")
	}
	shown, more := 0, 0
	for i := range m.r.Flows {
		fl := &m.r.Flows[i]
		if !slices.Contains(fl.Diagnoses, d.Rank) {
			continue
		}
		if rank, ok := m.drawn[fl.CallID]; ok {
			m.f("\nLadder of Call-ID %s: see diagnosis %d.\n", mdCode(fl.CallID), rank)
			continue
		}
		if shown == m.opt.MaxFlowsPerDiagnosis {
			more++
			continue
		}
		shown++
		m.drawn[fl.CallID] = d.Rank
		m.ladder(fl)
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
	s := r.Summary
	m.f("\nSeen: %d SIP messages, %d transactions (%d retransmissions), %d dialogs, %d registrations, %d auth exchanges",
		s.Messages, s.Transactions, s.Retransmits, s.Dialogs, s.Registrations, s.AuthExchanges)
	if s.Orphans > 0 {
		m.f(", %d responses without their request", s.Orphans)
	}
	if s.ICMPErrors > 0 {
		m.f(", %d ICMP unreachable", s.ICMPErrors)
	}
	m.f(".\n")
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
		const show = 10
		for i, p := range r.Problems {
			if i == show {
				m.f("  - … and %d more (all of them in `--format json`)\n", r.ProblemsTotal-show)
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

// diagnosisFilters are the Wireshark filters of a whole diagnosis: its
// flows by Call-ID, and the frames of its evidence in the input of its
// first finding.
func diagnosisFilters(d *Diagnosis) []string {
	var ids []string
	frames := map[int64]bool{}
	for _, f := range d.Findings {
		for _, id := range f.CallIDs {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		if f.At.Input == d.Findings[0].At.Input {
			for _, n := range f.Frames {
				frames[n] = true
			}
		}
	}
	var out []string
	if len(ids) > 0 {
		out = append(out, Filter(ids))
	}
	var list []int64
	for n := range frames {
		list = append(list, n)
	}
	sort.Slice(list, func(i, j int) bool { return list[i] < list[j] })
	if flt := FrameFilter(list); flt != "" {
		out = append(out, flt)
	}
	return out
}
