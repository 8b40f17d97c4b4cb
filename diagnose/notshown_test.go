package diagnose

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/rules"
)

// manyFindings: causes root findings of the realm rule on one account and
// symptoms findings of the loop it explains, one frame each.
func manyFindings(causes, symptoms int) []rules.Finding {
	var fs []rules.Finding
	for i := range causes + symptoms {
		r := ruleRealm
		if i >= causes {
			r = ruleLoop
		}
		fs = append(fs, rules.Finding{Rule: r, Subject: "sip:trunk@itsp.example", At: ref(int64(i+1), float64(i)),
			Message: fmt.Sprintf("finding %d", i), Confidence: rules.High, Affected: 1})
	}
	return fs
}

// A diagnosis lists at most FindingsShown causes and as many symptoms, the
// earliest, and counts the rest; its score still counts every finding, and
// every renderer says that some are not shown.
func TestFindingsNotShown(t *testing.T) {
	_, tr := fixture()
	r := Build(manyFindings(100, 30), tr, nil, Options{})
	if len(r.Diagnoses) != 1 {
		t.Fatalf("%d diagnoses, want 1", len(r.Diagnoses))
	}
	d := r.Diagnoses[0]
	causes, symptoms := 0, 0
	for _, f := range d.Findings {
		if f.Role == "cause" {
			causes++
		} else {
			symptoms++
		}
	}
	if causes != FindingsShown || symptoms != FindingsShown || d.FindingsNotShown != 130-2*FindingsShown {
		t.Errorf("%d causes, %d symptoms listed, %d not shown; want %d, %d, %d",
			causes, symptoms, d.FindingsNotShown, FindingsShown, FindingsShown, 130-2*FindingsShown)
	}
	if d.Findings[0].Message != "finding 0" || d.Findings[FindingsShown-1].Message != fmt.Sprintf("finding %d", FindingsShown-1) {
		t.Errorf("not the earliest causes: %q … %q", d.Findings[0].Message, d.Findings[FindingsShown-1].Message)
	}
	if want := score(rules.Critical, rules.High, 130); d.Score != float64(int(want*100+0.5))/100 {
		t.Errorf("score %v, want %v (every finding counted)", d.Score, want)
	}
	for name, write := range map[string]func(*bytes.Buffer){
		"text":     func(b *bytes.Buffer) { WriteText(b, r, TextOptions{}) },
		"markdown": func(b *bytes.Buffer) { WriteMarkdown(b, r, MarkdownOptions{}) },
		"html":     func(b *bytes.Buffer) { WriteHTML(b, r, HTMLOptions{}) },
		"json":     func(b *bytes.Buffer) { WriteJSON(b, r) },
	} {
		var b bytes.Buffer
		write(&b)
		want := "80 more findings like these"
		if name == "json" {
			want = `"findings_not_shown": 80`
		}
		if !strings.Contains(b.String(), want) {
			t.Errorf("%s report does not say %q", name, want)
		}
	}

	// Up to the limit nothing is left out, and JSON has no such field.
	r = Build(manyFindings(FindingsShown, FindingsShown), tr, nil, Options{})
	var b bytes.Buffer
	WriteJSON(&b, r)
	if d := r.Diagnoses[0]; len(d.Findings) != 2*FindingsShown || strings.Contains(b.String(), "findings_not_shown") {
		t.Errorf("at the limit: %d findings listed, JSON %v", len(d.Findings), strings.Contains(b.String(), "findings_not_shown"))
	}
}
