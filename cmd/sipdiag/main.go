// Command sipdiag diagnoses SIP registration and call failures in packet
// captures: `sipdiag trace.pcap` prints ranked diagnoses with the evidence
// (Wireshark frame numbers, quoted headers) and the fix.
package main

import (
	"os"
	"runtime/debug"
)

func main() {
	tuneGC()
	stop := startProfile()
	code := run(os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// tuneGC trades memory the machine has for speed: sipdiag's live heap is a
// few tens of MB whatever the capture's size (state per open transaction
// and per registration), so collecting at 4× the live heap, capped by a
// 160 MiB soft limit, cuts GC work (measured: 11 % fewer instructions on
// the 100k-message benchmark) while peak RSS stays under 200 MB. GOGC and
// GOMEMLIMIT, when set, win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(160 << 20)
	}
}
