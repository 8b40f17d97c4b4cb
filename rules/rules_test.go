package rules

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The catalogue's own invariants: stable, documented, one file per rule.
func TestCatalogue(t *testing.T) {
	id := regexp.MustCompile(`^[A-Z]{3,4}\d{3}$`)
	slug := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	seen := map[string]bool{}
	for i, r := range All {
		if !id.MatchString(r.ID) || !slug.MatchString(r.Name) {
			t.Errorf("%s/%s: bad ID or slug", r.ID, r.Name)
		}
		if i > 0 && All[i-1].ID >= r.ID {
			t.Errorf("All is not sorted by ID at %s", r.ID)
		}
		if seen[r.ID] || seen[r.Name] {
			t.Errorf("duplicate %s/%s", r.ID, r.Name)
		}
		seen[r.ID], seen[r.Name] = true, true
		if r.Title == "" || len(r.Doc) < 100 || len(r.Fix) < 50 || len(r.Refs) == 0 || r.Run == nil || r.Severity == 0 {
			t.Errorf("%s: title, doc, fix, refs, severity and Run are all required", r.ID)
		}
		for _, e := range r.Explains {
			if !id.MatchString(e) || e == r.ID {
				t.Errorf("%s explains %q", r.ID, e)
			}
		}
		for _, th := range r.Thresholds {
			if th.Name == "" || th.Default == "" || th.Doc == "" {
				t.Errorf("%s: threshold %+v lacks name, default or doc", r.ID, th)
			}
		}
		// One file per rule, named after its category and slug.
		cat := strings.ToLower(r.ID[:len(r.ID)-3])
		file := cat + "_" + strings.TrimPrefix(strings.ReplaceAll(r.Name, "-", "_"), cat+"_") + ".go"
		if _, err := os.Stat(file); err != nil {
			t.Errorf("%s: want its code in %s", r.ID, file)
		}
	}
}

func TestSelect(t *testing.T) {
	// The full list and the AUTH glob follow All, which grows with the
	// catalogue.
	var all, auth []string
	for _, r := range All {
		all = append(all, r.ID)
		if strings.HasPrefix(r.ID, "AUTH") {
			auth = append(auth, r.ID)
		}
	}
	for _, tc := range []struct {
		patterns []string
		want     string
	}{
		{nil, strings.Join(all, ",")},
		{[]string{"AUTH*"}, strings.Join(auth, ",")},
		{[]string{"auth004"}, "AUTH004"},
		{[]string{"missing-refresh", "AUTH001"}, "AUTH001,REG001"},
		{[]string{"*-loop"}, "AUTH004"},
	} {
		rs, err := Select(tc.patterns)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range rs {
			ids = append(ids, r.ID)
		}
		if got := strings.Join(ids, ","); got != tc.want {
			t.Errorf("Select(%v) = %s, want %s", tc.patterns, got, tc.want)
		}
	}
	if _, err := Select([]string{"NOPE*"}); err == nil {
		t.Error("a pattern matching nothing must be an error")
	}
}

func TestThresholds(t *testing.T) {
	r, err := NewRunner(All, map[string]string{"lockout-burst.window": "2m", "AUTH005.burst": "3"})
	if err != nil || r == nil {
		t.Fatalf("valid overrides rejected: %v", err)
	}
	p := &Pass{Rule: LockoutBurst, overrides: map[string]string{"window": "90", "burst": "3"}}
	if d, _ := p.Duration("window"); d != 90*time.Second {
		t.Errorf("a bare number is seconds: got %v", d)
	}
	for _, bad := range []map[string]string{
		{"AUTH005.burst": "-1"},
		{"AUTH005.window": "soon"},
		{"AUTH005.nope": "1"},
		{"NOPE001.burst": "1"},
		{"burst": "1"},
	} {
		if _, err := NewRunner(All, bad); err == nil {
			t.Errorf("override %v accepted", bad)
		}
	}
}

func TestSecondsAndMedian(t *testing.T) {
	for d, want := range map[time.Duration]string{
		32 * time.Second:        "32 s",
		5500 * time.Millisecond: "5.5 s",
		250 * time.Millisecond:  "250 ms",
		300 * time.Microsecond:  "0.3 ms",
	} {
		if got := seconds(d); got != want {
			t.Errorf("seconds(%v) = %q, want %q", d, got, want)
		}
	}
	if m := median([]time.Duration{5, 1, 3}); m != 3 {
		t.Errorf("median = %v", m)
	}
}

// diagnose climbs from a symptom's explainer to that rule's explainer until
// it reaches a root: a cycle in Explains would never end.
func TestExplainsAcyclic(t *testing.T) {
	explains := map[string][]string{}
	for _, r := range All {
		explains[r.ID] = r.Explains
	}
	const (
		unseen = iota
		onPath
		done
	)
	state := map[string]int{}
	var visit func(id string, path []string)
	visit = func(id string, path []string) {
		switch state[id] {
		case onPath:
			t.Errorf("Explains has a cycle: %s -> %s", strings.Join(path, " -> "), id)
			return
		case done:
			return
		}
		state[id] = onPath
		for _, e := range explains[id] {
			visit(e, append(path, id))
		}
		state[id] = done
	}
	for _, r := range All {
		visit(r.ID, nil)
	}
}
