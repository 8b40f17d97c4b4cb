// Command sipdiag diagnoses SIP registration and call failures in packet
// captures: `sipdiag trace.pcap` prints ranked diagnoses with the evidence
// (Wireshark frame numbers, quoted headers) and the fix.
package main

import "os"

func main() {
	tuneGC()
	stop := startProfile()
	code := run(os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
