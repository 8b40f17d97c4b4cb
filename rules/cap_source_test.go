package rules

import (
	"net/netip"
	"testing"
)

// TestSourceOfTellsSourcesApart checks the packed client of CAP001's
// recent requests: equal exactly when address and port are (an IPv4
// address and its IPv4-mapped IPv6 form are one source, as As16 has it).
func TestSourceOfTellsSourcesApart(t *testing.T) {
	same := [][2]string{
		{"192.0.2.1:5060", "192.0.2.1:5060"},
		{"192.0.2.1:5060", "[::ffff:192.0.2.1]:5060"},
		{"[2001:db8::1]:5060", "[2001:db8::1]:5060"},
	}
	for _, p := range same {
		if sourceOf(netip.MustParseAddrPort(p[0])) != sourceOf(netip.MustParseAddrPort(p[1])) {
			t.Errorf("%s and %s should be one source", p[0], p[1])
		}
	}
	differ := [][2]string{
		{"192.0.2.1:5060", "192.0.2.1:5061"},
		{"192.0.2.1:5060", "192.0.2.2:5060"},
		{"0.0.19.196:0", "0.0.0.0:5060"},
		{"[2001:db8::1]:5060", "[2001:db8::2]:5060"},
		{"[2001:db8::1]:5060", "[2001:db8::1]:5061"},
		{"[::]:5060", "0.0.0.0:5060"},
	}
	for _, p := range differ {
		if sourceOf(netip.MustParseAddrPort(p[0])) == sourceOf(netip.MustParseAddrPort(p[1])) {
			t.Errorf("%s and %s should be two sources", p[0], p[1])
		}
	}
}

// TestAddrKeyTellsAddressesApart checks AUTH002's UA key: one per address,
// an IPv4-mapped IPv6 address apart from its IPv4 form (as netip.Addr).
func TestAddrKeyTellsAddressesApart(t *testing.T) {
	addrs := []string{"192.0.2.1", "192.0.2.2", "0.0.0.0", "::ffff:192.0.2.1", "2001:db8::1", "2001:db8::2", "::", "fe80::1%eth0", "fe80::1"}
	seen := map[uint64]string{}
	for _, s := range addrs {
		k := addrKey(netip.MustParseAddr(s))
		if other, dup := seen[k]; dup {
			t.Errorf("%s and %s share key %x", s, other, k)
		}
		seen[k] = s
		if addrKey(netip.MustParseAddr(s)) != k {
			t.Errorf("%s: key not stable", s)
		}
	}
}
