// Command gen writes a synthetic but realistic SIP capture for benchmarking
// sipdiag: thousands of accounts registering through a digest challenge and
// refreshing before expiry, authenticated calls, and a few accounts stuck in
// a wrong-password loop. See bench/README.md.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	cfg := config{start: time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC)}
	out := flag.String("o", "", "output file (required; - for stdout)")
	flag.StringVar(&cfg.format, "format", "pcap", `what to write: "pcap", or "ccsip" for the text a CUBE logs with "debug ccsip messages" (the registrar's view, with "debug ccsip all" lines between the messages)`)
	flag.IntVar(&cfg.messages, "messages", 1_000_000, "number of SIP messages to write")
	flag.IntVar(&cfg.aors, "aors", 5000, "number of accounts (addresses-of-record)")
	flag.Float64Var(&cfg.failFraction, "fail", 0.01, "fraction of accounts with a wrong password (401 loop)")
	flag.Float64Var(&cfg.rate, "rate", 280, "mean SIP messages per second; 280 makes 1 M messages span about an hour")
	flag.Uint64Var(&cfg.seed, "seed", 1, "random seed; the same flags and seed give the same file")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: gen -o FILE [-format pcap|ccsip] [-messages N] [-aors N] [-fail F] [-rate R] [-seed S]")
		os.Exit(2)
	}
	if err := writeCapture(*out, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func writeCapture(path string, cfg config) error {
	f := os.Stdout
	if path != "-" {
		var err error
		if f, err = os.Create(path); err != nil {
			return err
		}
	}
	began := time.Now()
	w := bufio.NewWriterSize(f, 1<<20)
	s, err := generate(w, cfg)
	if err == nil {
		err = w.Flush()
	}
	if path != "-" {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return err
	}
	s.print(os.Stderr)
	size := s.bytes
	if cfg.format != "ccsip" {
		size += 24 + 16*int64(s.messages) // pcap file and record headers
	}
	fmt.Fprintf(os.Stderr, "wrote %s (%.1f MB) in %s\n", path, float64(size)/1e6, time.Since(began).Round(time.Millisecond))
	return nil
}
