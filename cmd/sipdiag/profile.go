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
//
// SIPDIAG_MEMPROFILE=FILE writes an allocation profile at the end of the
// run (`go tool pprof -sample_index=alloc_space sipdiag FILE`): what a run
// allocates is written to memory the caches have not seen.
func startProfile() (stop func()) {
	stopMem := memProfile(os.Getenv("SIPDIAG_MEMPROFILE"))
	stopCPU := cpuProfile(os.Getenv("SIPDIAG_CPUPROFILE"))
	return func() {
		stopCPU()
		stopMem()
	}
}

func cpuProfile(name string) (stop func()) {
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

func memProfile(name string) (stop func()) {
	if name == "" {
		return func() {}
	}
	return func() {
		f, err := os.Create(name)
		if err == nil {
			err = pprof.Lookup("allocs").WriteTo(f, 0)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "sipdiag: SIPDIAG_MEMPROFILE: %v\n", err)
		}
	}
}
