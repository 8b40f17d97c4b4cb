package rules

import (
	"fmt"
	"strings"

	"github.com/sipdiag/sipdiag/config"
	"github.com/sipdiag/sipdiag/decode"
)

// Runner wires a set of rules to the correlator and collects findings.
type Runner struct {
	obs      decode.Observers
	ends     []func(*decode.Trace)
	findings []Finding
	notes    []Undecided
	config   *config.Config  // the router's configuration (--config); nil when not given
	unseen   *answeredUnseen // shared by CAP001 and TXN001 (see Pass.answeredUnseen)
}

// NewRunner runs every rule's setup. overrides maps "ID.threshold" (ID or
// slug) to a value; an override naming no selected rule's threshold, or a
// value that does not parse, is an error.
func NewRunner(selected []*Rule, overrides map[string]string) (*Runner, error) {
	r := &Runner{}
	per := map[*Rule]map[string]string{}
	for key, val := range overrides {
		id, name, ok := strings.Cut(key, ".")
		rule := Lookup(id)
		if !ok || rule == nil {
			return nil, fmt.Errorf("threshold %q: want RULE.name=value, e.g. AUTH005.burst=5", key)
		}
		known := false
		for _, th := range rule.Thresholds {
			known = known || th.Name == name
		}
		if !known {
			return nil, fmt.Errorf("threshold %q: %s has no threshold %q (see `sipdiag explain %s`)", key, rule.ID, name, rule.ID)
		}
		if per[rule] == nil {
			per[rule] = map[string]string{}
		}
		per[rule][name] = val
	}
	for _, rule := range selected {
		p := &Pass{Rule: rule, runner: r, overrides: per[rule]}
		if err := rule.Run(p); err != nil {
			return nil, fmt.Errorf("%s: %w", rule.ID, err)
		}
	}
	return r, nil
}

// SetConfig gives the rules the configuration of the router the capture was
// taken on (`--config`). Call it before correlating: rules read it from
// their observers (Pass.Config), not in their setup. nil removes it.
func (r *Runner) SetConfig(c *config.Config) { r.config = c }

// Observers are the hooks to hand to decode.Correlate.
func (r *Runner) Observers() *decode.Observers { return &r.obs }

// Finish runs the end-of-input hooks and returns every finding.
func (r *Runner) Finish(tr *decode.Trace) []Finding {
	for _, f := range r.ends {
		f(tr)
	}
	return r.findings
}

// Undecided returns what rules could not tell from this capture (call
// after Finish).
func (r *Runner) Undecided() []Undecided { return r.notes }
