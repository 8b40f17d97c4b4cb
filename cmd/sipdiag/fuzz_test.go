package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzPipeline feeds arbitrary bytes through the whole pipeline (capture,
// scanner, correlator, rules, report): whatever the input, sipdiag answers
// with an exit code, never a panic. Run it with an execution count
// (-fuzztime 300000x): with a duration, Go 1.26's engine was seen to stall
// after the seed corpus on this machine while each execution stayed fast.
func FuzzPipeline(f *testing.F) {
	seeds, _ := filepath.Glob("../../samples/*/*.pcap")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			// The first packets already reach every stage; small seeds
			// leave the mutator less dead weight to chew on.
			f.Add(data[:min(len(data), 2048)])
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
