package diagnose

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/sipdiag/sipdiag/decode"
	"github.com/sipdiag/sipdiag/rules"
)

// explainerByFindings is how explainer answered before it was given the
// subject's rules once each: the first finding in the list whose rule is
// not id and explains it. group must come out the same with either.
func explainerByFindings(id string, list []rules.Finding) string {
	for _, f := range list {
		if f.Rule.ID == id {
			continue
		}
		for _, e := range f.Rule.Explains {
			if e == id {
				return f.Rule.ID
			}
		}
	}
	return ""
}

// For random mixes of the real rules (their real Explains, chains and
// all) over a few subjects, each rule asks explainer the same as the
// reference over the findings would answer.
func TestExplainerAsOverFindings(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for round := 0; round < 500; round++ {
		var list []rules.Finding
		for i := rng.IntN(12); i >= 0; i-- {
			r := rules.All[rng.IntN(len(rules.All))]
			list = append(list, rules.Finding{Rule: r, Subject: "s", At: decode.Ref{Frame: int64(i)}})
		}
		present := rulesOf(list)
		for _, r := range rules.All {
			if got, want := explainer(r.ID, present), explainerByFindings(r.ID, list); got != want {
				t.Fatalf("round %d, %s: explainer %q, over the findings %q", round, r.ID, got, want)
			}
		}
	}
}

// rulesOf keeps each rule once, in the order of its first finding.
func TestRulesOfOrder(t *testing.T) {
	a, b := rules.All[0], rules.All[1]
	list := []rules.Finding{{Rule: b}, {Rule: a}, {Rule: b}, {Rule: a}}
	if got := rulesOf(list); !reflect.DeepEqual(got, []*rules.Rule{b, a}) {
		t.Errorf("rulesOf = %v, want [%s %s]", got, b.ID, a.ID)
	}
}

// One subject with many findings of one rule, as a capture where one
// account is challenged from tens of thousands of addresses gives
// (grouping was quadratic in them).
func BenchmarkGroupOneSubjectManyFindings(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		fs := make([]rules.Finding, n)
		for i := range fs {
			fs[i] = rules.Finding{Rule: rules.All[0], Subject: "sip:alice@example.com", At: decode.Ref{Frame: int64(i + 1)}}
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				group(append([]rules.Finding(nil), fs...))
			}
		})
	}
}
