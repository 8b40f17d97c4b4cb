// Command stages times sipdiag's pipeline stage by stage on one input: it
// runs the pipeline up to a stage and stops, so the difference between two
// stages is what the later one costs in wall time. Instruction counts
// (callgrind) say what a stage executes; this says how long it waits too,
// which for the correlator's hash tables is most of it. See
// bench/README.md.
//
//	go build -o /tmp/stages ./bench/stages
//	taskset -c 0 env GOMAXPROCS=1 /tmp/stages bench/out/sip-1000000.pcap
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/sipdiag/sipdiag/capture"
	"github.com/sipdiag/sipdiag/decode"
	"github.com/sipdiag/sipdiag/rules"
)

// stageNames in pipeline order; each runs every stage before it.
var stageNames = []string{"read", "scan", "validate", "correlate", "rules"}

func main() {
	runs := flag.Int("runs", 3, "runs of each stage; the fastest counts")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: stages [-runs N] FILE")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	// sipdiag's own collector settings (cmd/sipdiag tuneGC).
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(160 << 20)
	var prev time.Duration
	for stage := range stageNames {
		best := time.Duration(-1)
		var n int64
		for range *runs {
			took, msgs, err := runUpTo(flag.Arg(0), stage)
			if err != nil {
				fmt.Fprintln(os.Stderr, "stages:", err)
				os.Exit(1)
			}
			if best < 0 || took < best {
				best = took
			}
			n = msgs
		}
		fmt.Printf("%-10s %8d messages  %7.3f s  (+%.3f s)\n", stageNames[stage], n, best.Seconds(), (best - prev).Seconds())
		prev = best
	}
}

// runUpTo runs the pipeline over file up to and including stage (an index
// into stageNames) and returns its wall time and the messages it saw.
func runUpTo(file string, stage int) (time.Duration, int64, error) {
	start := time.Now()
	rd, err := capture.Open([]string{file}, nil, capture.Options{})
	if err != nil {
		return 0, 0, err
	}
	defer rd.Close()
	var n int64
	switch stageNames[stage] {
	case "read", "scan", "validate":
		var m decode.Message
		for {
			d, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return 0, 0, err
			}
			n++
			if stage >= 1 && m.Scan(d.Payload) == nil && stage >= 2 {
				m.Validate()
			}
		}
	case "correlate":
		tr, err := decode.Correlate(rd, nil, decode.Options{})
		if err != nil {
			return 0, 0, err
		}
		n = tr.Messages
	case "rules":
		runner, err := rules.NewRunner(rules.All, nil)
		if err != nil {
			return 0, 0, err
		}
		tr, err := decode.Correlate(rd, runner.Observers(), decode.Options{})
		if err != nil {
			return 0, 0, err
		}
		runner.Finish(tr)
		n = tr.Messages
	}
	return time.Since(start), n, nil
}
