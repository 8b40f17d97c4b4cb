package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startProfile writes a CPU profile of the whole run to the file named by
// SIPDIAG_CPUPROFILE, for the speed work of bench/README.md (`go tool pprof
// sipdiag FILE`). It is an environment variable, not a flag, because it is
// for people measuring sipdiag, not for people diagnosing SIP.
func startProfile() (stop func()) {
	name := os.Getenv("SIPDIAG_CPUPROFILE")
	if name == "" {
		return func() {}
	}
	f, err := os.Create(name)
	if err != nil {
		fmt.Fprintf(os.Stderr, "sipdiag: SIPDIAG_CPUPROFILE: %v\n", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(os.Stderr, "sipdiag: SIPDIAG_CPUPROFILE: %v\n", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
