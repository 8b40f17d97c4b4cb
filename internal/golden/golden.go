package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files from what the code produces now")

// Updating reports whether the tests run with -update, for goldens that
// are not compared byte for byte (patterns, files merged with others'
// edits) and so are written by the test itself.
func Updating() bool { return *update }

// Check compares got with the file at path. Under -update it writes got
// to path (creating its folder) instead. accept names the command that
// rewrites this golden; it goes into the failure message so that whoever
// sees the failure knows how to accept an intended change.
func Check(t testing.TB, path string, got []byte, accept string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%v (%s writes it)", err, accept)
		return
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the code produces now (%s to accept; review the diff)\n%s",
			path, accept, diff(want, got))
	}
}
