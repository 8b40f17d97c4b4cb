package diagnose

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
)

// What the text, Markdown and HTML reports say the same way: the verdict,
// what was read, the redaction note, the Wireshark filters of a diagnosis,
// and where each flow's ladder is drawn. The renderers only dress it.

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

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
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

// countsLine says what the correlation found, for the "Seen:" lines.
func countsLine(s Summary) string {
	line := fmt.Sprintf("%d SIP messages, %d transactions (%d retransmissions), %d dialogs, %d registrations, %d auth exchanges",
		s.Messages, s.Transactions, s.Retransmits, s.Dialogs, s.Registrations, s.AuthExchanges)
	if s.Orphans > 0 {
		line += fmt.Sprintf(", %d responses without their request", s.Orphans)
	}
	if s.ICMPErrors > 0 {
		line += fmt.Sprintf(", %d ICMP unreachable", s.ICMPErrors)
	}
	return line
}

// fromTo is an evidence message's "src → dst", empty when neither is known.
func (e Evidence) fromTo() string {
	if e.Src == "" && e.Dst == "" {
		return ""
	}
	return e.Src + " → " + e.Dst
}

// location cites a message for every renderer: "frame 7" (after the
// input's name when there are several), "file.log:18" for a text log.
func location(l Location, multi bool) string {
	var s string
	switch {
	case l.Frame > 0:
		s = fmt.Sprintf("frame %d", l.Frame)
	case l.Line > 0:
		// A text log is cited the way editors and grep -n do: file:line.
		if l.Input != "" && l.Input != "-" {
			return fmt.Sprintf("%s:%d", filepath.Base(l.Input), l.Line)
		}
		s = fmt.Sprintf("line %d", l.Line)
	default:
		return "-" // configuration evidence and the like: no place in an input
	}
	if multi && l.Input != "" {
		s = l.Input + ":" + s
	}
	return s
}

// clock is a message time as a reader scans it: 15:04:05.000 (UTC).
func clock(rfc string) string {
	if rfc == "" {
		return ""
	}
	tm, err := time.Parse(time.RFC3339Nano, rfc)
	if err != nil {
		return rfc
	}
	return tm.Format("15:04:05.000")
}

// problemsShown is how many input problems a report lists; JSON has them all.
const problemsShown = 10

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

// flowPlacer decides where the Markdown and HTML reports draw each flow:
// under the best-ranked diagnosis that names it (at most limit flows per
// diagnosis when limit > 0), a pointer to that drawing under the other
// diagnoses naming it, and the flows no diagnosis names at the end.
type flowPlacer struct {
	flows []Flow
	limit int
	drawn map[string]int // Call-ID → rank of the diagnosis it was drawn under
}

func newFlowPlacer(r *Report, limit int) *flowPlacer {
	return &flowPlacer{flows: r.Flows, limit: limit, drawn: map[string]int{}}
}

// placedFlow is a flow named by a diagnosis: drawn under it, or already
// drawn under diagnosis drawnUnder.
type placedFlow struct {
	flow       *Flow
	drawnUnder int // 0: draw it here
}

// under returns the flows diagnosis rank names, in report order, and how
// many more of them the limit leaves undrawn.
func (p *flowPlacer) under(rank int) (placed []placedFlow, more int) {
	shown := 0
	for i := range p.flows {
		fl := &p.flows[i]
		if !slices.Contains(fl.Diagnoses, rank) {
			continue
		}
		if r, ok := p.drawn[fl.CallID]; ok {
			placed = append(placed, placedFlow{flow: fl, drawnUnder: r})
			continue
		}
		if p.limit > 0 && shown == p.limit {
			more++
			continue
		}
		shown++
		p.drawn[fl.CallID] = rank
		placed = append(placed, placedFlow{flow: fl})
	}
	return placed, more
}

// others returns the flows no diagnosis names (--ladder=all, --call-id).
func (p *flowPlacer) others() []*Flow {
	var out []*Flow
	for i := range p.flows {
		if _, ok := p.drawn[p.flows[i].CallID]; !ok && len(p.flows[i].Diagnoses) == 0 {
			out = append(out, &p.flows[i])
		}
	}
	return out
}

// notShown says how many findings of d its report leaves out, and which
// it lists instead.
func notShown(d *Diagnosis) string {
	return fmt.Sprintf("… and %d more findings like these, not shown (a diagnosis lists its first %d causes and first %d symptoms)",
		d.FindingsNotShown, FindingsShown, FindingsShown)
}
