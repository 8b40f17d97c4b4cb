package rules

import (
	"fmt"
	"net/netip"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/sipdiag/sipdiag/decode"
)

// Severity ranks how bad a diagnosis is for the service.
type Severity uint8

const (
	Info Severity = iota + 1
	Warning
	Critical
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Critical:
		return "critical"
	}
	return "none"
}

// ParseSeverity reads "info", "warning", "critical" (and "none", which is
// above every severity: nothing fails).
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "info":
		return Info, nil
	case "warning":
		return Warning, nil
	case "critical":
		return Critical, nil
	case "none", "never":
		return Critical + 1, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want info, warning, critical or none)", s)
}

// Confidence says how sure a finding is, given what the capture shows.
type Confidence uint8

const (
	Low Confidence = iota + 1
	Medium
	High
)

func (c Confidence) String() string {
	switch c {
	case Low:
		return "low"
	case Medium:
		return "medium"
	case High:
		return "high"
	}
	return "unknown"
}

// Threshold is a named number a rule decides with. Defaults cite where the
// number comes from; `--threshold RULE.name=value` overrides them.
type Threshold struct {
	Name    string // kebab-case, unique within the rule
	Default string // an integer or a Go duration ("60s")
	Doc     string // what it means and where the default comes from
}

// Rule is one diagnosis: its metadata is data, its logic the Run function,
// which registers observers on the Pass before the capture is read.
type Rule struct {
	ID         string // category + 3 digits, stable forever
	Name       string // kebab-case slug
	Severity   Severity
	Title      string // one line: what is wrong
	Doc        string // why this fails and what the trace shows
	Fix        string // what to change
	Refs       []string
	Thresholds []Threshold
	// Explains lists rules whose findings on the same subject are symptoms
	// of this one; diagnose merges them under this rule's diagnosis.
	Explains []string
	Run      func(*Pass) error
}

// Evidence is one message a finding rests on.
type Evidence struct {
	At       decode.Ref
	Src, Dst netip.AddrPort
	Summary  string // start line in short: "REGISTER sip:example.com", "401 Unauthorized"
	Note     string // the quoted header values and what they show
}

// Finding is one thing a rule saw.
type Finding struct {
	Rule       *Rule
	Subject    string // the account (AOR), Call-ID or peer the finding is about
	At         decode.Ref
	Message    string
	Evidence   []Evidence
	Confidence Confidence
	CallIDs    []string // flows to isolate in Wireshark
	Affected   int      // how many attempts/messages it covers (for scoring)
}

// Undecided is what a rule could not tell because of the capture itself
// (it ended before a deadline, a direction is missing): said in the
// summary instead of guessed.
type Undecided struct {
	Rule    *Rule
	Message string
}

// Pass is what a rule's Run sees: observer registration, its thresholds,
// and Report.
type Pass struct {
	Rule      *Rule
	runner    *Runner
	overrides map[string]string
}

// OnTransaction registers f for every completed transaction.
func (p *Pass) OnTransaction(f func(*decode.Transaction)) {
	p.runner.obs.Transaction = append(p.runner.obs.Transaction, f)
}

// OnAuth registers f for every settled digest exchange.
func (p *Pass) OnAuth(f func(*decode.AuthExchange)) {
	p.runner.obs.Auth = append(p.runner.obs.Auth, f)
}

// OnRegistration registers f for every REGISTER outcome.
func (p *Pass) OnRegistration(f func(*decode.RegistrationEvent)) {
	p.runner.obs.Registration = append(p.runner.obs.Registration, f)
}

// AtEnd registers f to run once the whole input has been correlated.
func (p *Pass) AtEnd(f func(*decode.Trace)) {
	p.runner.ends = append(p.runner.ends, f)
}

// Report records a finding of this rule.
func (p *Pass) Report(f Finding) {
	f.Rule = p.Rule
	if f.Confidence == 0 {
		f.Confidence = High
	}
	if f.Affected == 0 {
		f.Affected = 1
	}
	p.runner.findings = append(p.runner.findings, f)
}

func (p *Pass) threshold(name string) (Threshold, string, error) {
	for _, th := range p.Rule.Thresholds {
		if th.Name == name {
			if v, ok := p.overrides[name]; ok {
				return th, v, nil
			}
			return th, th.Default, nil
		}
	}
	return Threshold{}, "", fmt.Errorf("%s has no threshold %q", p.Rule.ID, name)
}

// Undecided records what this rule could not tell from the capture.
func (p *Pass) Undecided(message string) {
	p.runner.notes = append(p.runner.notes, Undecided{Rule: p.Rule, Message: message})
}

// Int reads an integer threshold.
func (p *Pass) Int(name string) (int, error) {
	_, v, err := p.threshold(name)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s.%s: %q is not a non-negative integer", p.Rule.ID, name, v)
	}
	return n, nil
}

// Duration reads a duration threshold ("60s"; a bare number is seconds).
func (p *Pass) Duration(name string) (time.Duration, error) {
	_, v, err := p.threshold(name)
	if err != nil {
		return 0, err
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s.%s: %q is not a duration", p.Rule.ID, name, v)
	}
	return d, nil
}

// Lookup finds a rule by ID or slug, case-insensitively.
func Lookup(idOrName string) *Rule {
	for _, r := range All {
		if strings.EqualFold(r.ID, idOrName) || strings.EqualFold(r.Name, idOrName) {
			return r
		}
	}
	return nil
}

// Select returns the rules matching any pattern: an ID, a slug or a glob
// over either ("AUTH*", "*-loop"). No patterns selects All.
func Select(patterns []string) ([]*Rule, error) {
	if len(patterns) == 0 {
		return All, nil
	}
	var out []*Rule
	for _, r := range All {
		for _, pat := range patterns {
			if matchRule(r, pat) {
				out = append(out, r)
				break
			}
		}
	}
	for _, pat := range patterns {
		found := false
		for _, r := range All {
			if matchRule(r, pat) {
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("no rule matches %q (see `sipdiag rules`)", pat)
		}
	}
	return out, nil
}

func matchRule(r *Rule, pat string) bool {
	p := strings.ToUpper(pat)
	if ok, _ := path.Match(p, r.ID); ok {
		return true
	}
	ok, _ := path.Match(strings.ToLower(pat), r.Name)
	return ok
}
