package diagnose

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sipdiag/sipdiag/decode"
	"github.com/sipdiag/sipdiag/rules"
)

// Options control how a report is built.
type Options struct {
	// Redact says what to hide: secrets (the CLI's default), and on
	// request numbers and hosts. The report keeps its Redactor, so flows
	// added later get the same pseudonyms.
	Redact RedactOptions
}

// pseudonymiseNames returns inputs with the addresses and numbers in their
// names pseudonymised as everywhere else in the report, when that was
// asked for: captures are often named after the host they were taken on
// or for ("trunk-212.32.250.134.pcap"), and the name shows in the
// headline, the inputs list and every file:line location.
func pseudonymiseNames(inputs []Input, red *Redactor) []Input {
	if !red.opt.Hosts && !red.opt.Numbers {
		return inputs
	}
	out := append([]Input(nil), inputs...)
	for i := range out {
		out[i].Name = red.String(out[i].Name)
	}
	return out
}

// Build groups findings by subject, merges each root cause with the
// symptoms it explains, scores and orders the diagnoses.
func Build(findings []rules.Finding, tr *decode.Trace, inputs []Input, opt Options) *Report {
	red := NewRedactor(opt.Redact)
	inputs = pseudonymiseNames(inputs, red)
	r := &Report{
		SchemaVersion:        SchemaVersion,
		Inputs:               inputs,
		Redacted:             opt.Redact.Secrets,
		PseudonymisedNumbers: opt.Redact.Numbers,
		PseudonymisedHosts:   opt.Redact.Hosts,
		Diagnoses:            []Diagnosis{},
		Problems:             []Problem{},
		Undecided:            []Undecided{},
		red:                  red,
	}
	if r.Inputs == nil {
		r.Inputs = []Input{}
	}
	b := builder{inputs: inputs, red: red}
	for _, d := range group(findings) {
		r.Diagnoses = append(r.Diagnoses, b.diagnosis(d))
	}
	sort.SliceStable(r.Diagnoses, func(i, j int) bool { return less(&r.Diagnoses[i], &r.Diagnoses[j]) })
	for i := range r.Diagnoses {
		r.Diagnoses[i].Rank = i + 1
		switch r.Diagnoses[i].Severity {
		case "critical":
			r.Summary.Critical++
		case "warning":
			r.Summary.Warning++
		default:
			r.Summary.Info++
		}
	}
	if tr != nil {
		r.Summary.Messages = tr.Messages
		r.Summary.Transactions = tr.Transactions
		r.Summary.Dialogs = tr.Dialogs
		r.Summary.Registrations = int64(len(tr.Registrations)) + tr.RegistrationsForgotten
		r.Summary.AuthExchanges = tr.AuthExchanges
		r.Summary.Retransmits = tr.Retransmits
		r.Summary.Orphans = tr.Orphans
		r.Summary.ICMPErrors = tr.ICMPErrors
		r.Summary.Span = Span{First: stamp(tr.Span.First), Last: stamp(tr.Span.Last)}
		if tr.Span.First != 0 {
			r.Summary.Span.Seconds = math.Round(tr.Span.Duration().Seconds()*1000) / 1000
		}
		// What the capture layer found (a file cut short, truncated
		// frames) comes before what decoding found.
		for _, ps := range [][]decode.Problem{tr.InputProblems, tr.Problems} {
			for _, p := range ps {
				r.Problems = append(r.Problems, Problem{At: b.location(p.At), Message: b.text(p.Message)})
			}
		}
		r.ProblemsTotal = tr.InputProblemCount + tr.ProblemCount
	}
	return r
}

// AddUndecided records what rules could not tell from the capture.
func (r *Report) AddUndecided(us []rules.Undecided) {
	for _, u := range us {
		r.Undecided = append(r.Undecided, Undecided{Rule: u.Rule.ID, Name: u.Rule.Name, Message: r.red.String(u.Message)})
	}
}

// AddInputNotes says, for each input whose messages were rebuilt from
// one-line packet summaries (a pasted tshark packet list), that the
// header-level checks could not run on them: the summaries carry method,
// status, addresses and times, nothing else.
func (r *Report) AddInputNotes() {
	for _, in := range r.Inputs {
		if in.Summaries == 0 {
			continue
		}
		r.Undecided = append(r.Undecided, Undecided{Rule: "CAP001", Name: "capture-incomplete",
			Message: fmt.Sprintf("%s: %d of its %d SIP messages were rebuilt from one-line packet summaries, which carry no headers: "+
				"header-level checks (realms, usernames, nonces, expiries, Contact, Via, Reason, Warning) could not run on them; "+
				"transaction-level rules (retry loops, lockouts, no response, rejections by status) did. "+
				"Export the full packets (tshark -V, or the pcap) for a complete diagnosis", in.Name, in.Summaries, in.Messages)})
	}
}

// diagnosisGroup is one root rule on one subject with its symptoms.
type diagnosisGroup struct {
	subject  string
	roots    []rules.Finding
	symptoms []rules.Finding
}

// group makes diagnoses: per subject, a finding whose rule another present
// finding's rule Explains is a symptom of it; the rest are roots, one
// diagnosis per (subject, root rule).
func group(fs []rules.Finding) []*diagnosisGroup {
	bySubject := map[string][]rules.Finding{}
	var subjects []string
	for _, f := range fs {
		if _, ok := bySubject[f.Subject]; !ok {
			subjects = append(subjects, f.Subject)
		}
		bySubject[f.Subject] = append(bySubject[f.Subject], f)
	}
	sort.Strings(subjects)
	var out []*diagnosisGroup
	for _, s := range subjects {
		list := bySubject[s]
		sort.SliceStable(list, func(i, j int) bool { return findingLess(&list[i], &list[j]) })
		byRoot := map[string]*diagnosisGroup{}
		var order []string
		var symptoms []rules.Finding
		ruleSet := rulesOf(list)
		for _, f := range list {
			if explainer(f.Rule.ID, ruleSet) != "" {
				symptoms = append(symptoms, f)
				continue
			}
			g := byRoot[f.Rule.ID]
			if g == nil {
				g = &diagnosisGroup{subject: s}
				byRoot[f.Rule.ID] = g
				order = append(order, f.Rule.ID)
			}
			g.roots = append(g.roots, f)
		}
		for _, f := range symptoms {
			root := explainer(f.Rule.ID, ruleSet)
			for root != "" && byRoot[root] == nil { // explained by a symptom: climb
				root = explainer(root, ruleSet)
			}
			if g := byRoot[root]; g != nil {
				g.symptoms = append(g.symptoms, f)
			}
		}
		for _, id := range order {
			out = append(out, byRoot[id])
		}
	}
	return out
}

// rulesOf lists the rules of a subject's findings once each, in the order
// of each rule's first finding: what explainer looks through. Asking the
// findings themselves took a pass over all of them per finding, which a
// capture with tens of thousands of findings on one subject (one account
// challenged from as many addresses) made quadratic: minutes.
func rulesOf(list []rules.Finding) []*rules.Rule {
	var out []*rules.Rule
	for _, f := range list {
		if !slices.Contains(out, f.Rule) {
			out = append(out, f.Rule)
		}
	}
	return out
}

// explainer returns the ID of the first rule in present, other than id
// itself, that explains id; "" when none does.
func explainer(id string, present []*rules.Rule) string {
	for _, r := range present {
		if r.ID != id && slices.Contains(r.Explains, id) {
			return r.ID
		}
	}
	return ""
}

// FindingsShown is how many causes, and how many symptoms, a diagnosis
// lists at most; the rest are counted in Diagnosis.FindingsNotShown.
const FindingsShown = 25

type builder struct {
	inputs []Input
	red    *Redactor
}

func (b *builder) diagnosis(g *diagnosisGroup) Diagnosis {
	root := g.roots[0]
	d := Diagnosis{
		Title:   root.Rule.Title,
		Subject: b.text(g.subject),
		Fix:     root.Rule.Fix, // rule text, not capture data
		Cause:   b.text(root.Message),
	}
	sev, conf, affected := root.Rule.Severity, root.Confidence, 0
	seen := map[string]bool{}
	shown := map[string]int{}
	add := func(f rules.Finding, role string) {
		if f.Rule.Severity > sev {
			sev = f.Rule.Severity
		}
		if role == "cause" && f.Confidence > conf {
			conf = f.Confidence
		}
		affected += f.Affected
		if !seen[f.Rule.ID] {
			seen[f.Rule.ID] = true
			d.Rules = append(d.Rules, f.Rule.ID)
		}
		if shown[role] == FindingsShown {
			d.FindingsNotShown++
			return
		}
		shown[role]++
		d.Findings = append(d.Findings, b.finding(f, role))
	}
	for _, f := range g.roots {
		add(f, "cause")
	}
	for _, f := range g.symptoms {
		add(f, "symptom")
	}
	if len(g.roots) > 1 {
		d.Cause = fmt.Sprintf("%s (and %d more like it)", d.Cause, len(g.roots)-1)
	}
	d.Severity = sev.String()
	d.Confidence = conf.String()
	d.Score = math.Round(score(sev, conf, affected)*100) / 100
	return d
}

// score is severity × confidence × how much it affects: a critical,
// certain problem hitting 15 attempts outranks a warning seen once.
func score(sev rules.Severity, conf rules.Confidence, affected int) float64 {
	sw := map[rules.Severity]float64{rules.Info: 1, rules.Warning: 10, rules.Critical: 100}[sev]
	cw := map[rules.Confidence]float64{rules.Low: 0.3, rules.Medium: 0.6, rules.High: 1}[conf]
	return sw * cw * (1 + math.Log2(1+float64(affected)))
}

func (b *builder) finding(f rules.Finding, role string) Finding {
	out := Finding{
		Rule: f.Rule.ID, Name: f.Rule.Name, Role: role,
		Severity: f.Rule.Severity.String(), Confidence: f.Confidence.String(),
		Message: b.text(f.Message), At: b.location(f.At),
		Evidence: []Evidence{}, CallIDs: []string{},
	}
	for _, id := range f.CallIDs {
		out.CallIDs = append(out.CallIDs, b.text(id))
	}
	out.Filter = Filter(realCallIDs(out.CallIDs))
	frames := map[int64]bool{}
	if f.At.Frame > 0 {
		frames[f.At.Frame] = true
	}
	for _, e := range f.Evidence {
		ev := Evidence{At: b.location(e.At), Summary: b.text(e.Summary), Note: b.text(e.Note)}
		if e.Src.IsValid() {
			ev.Src = b.red.Addr(e.Src.String())
		}
		if e.Dst.IsValid() {
			ev.Dst = b.red.Addr(e.Dst.String())
		}
		out.Evidence = append(out.Evidence, ev)
		if e.At.Frame > 0 && e.At.Input == f.At.Input {
			frames[e.At.Frame] = true
		}
	}
	out.Frames = []int64{}
	for n := range frames {
		out.Frames = append(out.Frames, n)
	}
	sort.Slice(out.Frames, func(i, j int) bool { return out.Frames[i] < out.Frames[j] })
	out.FrameFilter = FrameFilter(out.Frames)
	return out
}

// FrameFilter is a Wireshark display filter selecting the given frames
// (the set membership operator, Wireshark ≥ 2.0).
func FrameFilter(frames []int64) string {
	if len(frames) == 0 {
		return ""
	}
	parts := make([]string, len(frames))
	for i, n := range frames {
		parts[i] = strconv.FormatInt(n, 10)
	}
	return "frame.number in {" + strings.Join(parts, " ") + "}"
}

// Filter is a Wireshark display filter selecting the given Call-IDs.
func Filter(callIDs []string) string {
	var parts []string
	for _, id := range callIDs {
		parts = append(parts, "sip.Call-ID == "+displayFilterString(id))
	}
	return strings.Join(parts, " || ")
}

// displayFilterString quotes s as a Wireshark display-filter string
// literal (wireshark-filter(4)): a backslash escapes '"' and '\';
// characters that do not print and bytes that are not UTF-8 are written
// byte by byte as \xhh; printable text stays as it is. A Call-ID may
// hold both '"' and '\' (RFC 3261 §25.1 "word"); Go's %q would also write
// \u escapes that older Wiresharks refuse.
func displayFilterString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteByte(s[i])
		case r == utf8.RuneError && size == 1, !unicode.IsPrint(r):
			for _, c := range []byte(s[i : i+size]) {
				fmt.Fprintf(&b, "\\x%02x", c)
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
	return b.String()
}

func (b *builder) text(s string) string { return b.red.String(s) }

func (b *builder) location(r decode.Ref) Location {
	l := Location{Frame: r.Frame, Line: int(r.Line), Time: stamp(r.Time)}
	if int(r.Input) < len(b.inputs) {
		l.Input = b.inputs[r.Input].Name
	}
	return l
}

func stamp(ns int64) string {
	if ns == 0 {
		return ""
	}
	return time.Unix(0, ns).UTC().Format("2006-01-02T15:04:05.000000Z07:00")
}

func severityRank(s string) int {
	switch s {
	case "critical":
		return 3
	case "warning":
		return 2
	}
	return 1
}

// less orders diagnoses: higher score, then higher severity, then the
// earliest evidence, then rule and subject, so equal input gives equal output.
func less(a, b *Diagnosis) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	if sa, sb := severityRank(a.Severity), severityRank(b.Severity); sa != sb {
		return sa > sb
	}
	la, lb := a.Findings[0].At, b.Findings[0].At
	if la.Time != lb.Time {
		return la.Time < lb.Time
	}
	if la.Frame != lb.Frame {
		return la.Frame < lb.Frame
	}
	if a.Rules[0] != b.Rules[0] {
		return a.Rules[0] < b.Rules[0]
	}
	return a.Subject < b.Subject
}

func findingLess(a, b *rules.Finding) bool {
	if a.At.Time != b.At.Time {
		return a.At.Time < b.At.Time
	}
	if a.At.Input != b.At.Input {
		return a.At.Input < b.At.Input
	}
	if a.At.Frame != b.At.Frame {
		return a.At.Frame < b.At.Frame
	}
	if a.Rule.ID != b.Rule.ID {
		return a.Rule.ID < b.Rule.ID
	}
	return a.Message < b.Message
}

// realCallIDs leaves out the Call-IDs sipdiag made up for messages rebuilt
// from packet summaries: they live under the reserved ".invalid" domain
// (RFC 2606 §2), and a Wireshark filter on them would match nothing.
func realCallIDs(ids []string) []string {
	var out []string
	for _, id := range ids {
		if !strings.HasSuffix(id, "@not-in-summary.invalid") {
			out = append(out, id)
		}
	}
	return out
}
