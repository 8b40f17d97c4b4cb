package capture

import (
	"net/netip"
	"testing"
)

// parseIPv4 must agree with netip.ParseAddr on every input it accepts and
// refuse everything netip refuses or reads as something other than IPv4.
func TestParseIPv4AgreesWithNetip(t *testing.T) {
	for _, s := range []string{
		"10.20.9.89", "0.0.0.0", "255.255.255.255", "1.2.3.4", "192.168.001.1",
		"01.2.3.4", "256.1.1.1", "1.2.3", "1.2.3.4.", ".1.2.3", "1..2.3", "1.2.3.4.5",
		"1.2.3.1000", "x.x.x.x", "", "1.2.3.-4", "::1", "::ffff:1.2.3.4", "1.2.3.4%eth0",
		"fe80::1", "10.0.0.10 ", "1.2.3.04", "0.0.0.00", "9.9.9.9a",
	} {
		got, ok := parseIPv4([]byte(s))
		want, err := netip.ParseAddr(s)
		wantOK := err == nil && want.Is4()
		if ok != wantOK || (ok && got != want) {
			t.Errorf("parseIPv4(%q) = %v, %v; netip: %v, %v", s, got, ok, want, err)
		}
	}
}

func FuzzParseIPv4(f *testing.F) {
	f.Add("10.0.0.1")
	f.Add("1.2.3.04")
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseIPv4([]byte(s))
		want, err := netip.ParseAddr(s)
		if wantOK := err == nil && want.Is4(); ok != wantOK || (ok && got != want) {
			t.Errorf("parseIPv4(%q) = %v, %v; netip: %v, %v", s, got, ok, want, err)
		}
	})
}
