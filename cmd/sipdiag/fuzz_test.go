package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzPipeline feeds arbitrary bytes through the whole pipeline (capture,
// scanner, correlator, rules, report): whatever the input, sipdiag answers
// with an exit code, never a panic.
func FuzzPipeline(f *testing.F) {
	seeds, _ := filepath.Glob("../../samples/*/*.pcap")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var out, errb bytes.Buffer
		code := run([]string{"sipdiag", "--format", "json", "-"}, bytes.NewReader(data), &out, &errb)
		if code < 0 || code > 3 {
			t.Fatalf("exit code %d", code)
		}
	})
}
