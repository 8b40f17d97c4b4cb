package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps what Check reports instead of
// failing the test that runs it.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, strings.TrimSpace(fmt.Sprintf(format, args...)))
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.txt")
	if err := os.WriteFile(path, []byte("a\nb\nc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	same := &recorder{TB: t}
	Check(same, path, []byte("a\nb\nc\n"), "go test -update")
	if len(same.errors) != 0 {
		t.Errorf("equal output reported: %q", same.errors)
	}

	changed := &recorder{TB: t}
	Check(changed, path, []byte("a\nB\nc\n"), "go test -update")
	if len(changed.errors) != 1 {
		t.Fatalf("changed output: %d reports, want 1", len(changed.errors))
	}
	for _, want := range []string{"first difference at line 2", ">   2  b", ">   2  B", "go test -update to accept"} {
		if !strings.Contains(changed.errors[0], want) {
			t.Errorf("report lacks %q:\n%s", want, changed.errors[0])
		}
	}

	missing := &recorder{TB: t}
	Check(missing, filepath.Join(dir, "absent.txt"), []byte("x"), "go test -update")
	if len(missing.errors) != 1 || !strings.Contains(missing.errors[0], "go test -update writes it") {
		t.Errorf("missing golden: %q", missing.errors)
	}
}

func TestCheckUpdateWrites(t *testing.T) {
	defer func(old bool) { *update = old }(*update)
	*update = true
	path := filepath.Join(t.TempDir(), "new", "golden.txt")
	Check(t, path, []byte("fresh\n"), "go test -update")
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "fresh\n" {
		t.Errorf("after -update: %q, %v", got, err)
	}
}

func TestDiffShapes(t *testing.T) {
	for _, c := range []struct{ want, got, has string }{
		{"a\nb\n", "a\nb\nc\n", "first difference at line 3 (golden has 2 lines, output 3)"},
		{"", "x\n", "first difference at line 1 (golden has 0 lines, output 1)"},
		{"a\nb", "a\nc", ">   2  c"},
	} {
		if d := diff([]byte(c.want), []byte(c.got)); !strings.Contains(d, c.has) {
			t.Errorf("diff(%q, %q) lacks %q:\n%s", c.want, c.got, c.has, d)
		}
	}
}
