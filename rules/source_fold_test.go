package rules

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/sipdiag/sipdiag/decode"
)

// TestNoSourceFoldWithoutAddress: a text log that gives no addresses has
// no source, so many accounts refused or rejected stay one finding each
// instead of one on "source invalid IP" (AUTH004 already behaved so).
func TestNoSourceFoldWithoutAddress(t *testing.T) {
	saved := synUA
	synUA = netip.AddrPort{}
	t.Cleanup(func() { synUA = saved })

	f := newSynFeeder(t, []*Rule{RegistrationRejected}, nil)
	for i := 0; i < 6; i++ {
		reg := &decode.Registration{AOR: fmt.Sprintf("sip:%d@pbx.example", 100+i), Registrar: "pbx.example"}
		refuse(f, reg, float64(i), int64(2*i+1), 404)
	}
	if fs := f.finish(60); len(fs) != 6 {
		t.Errorf("REG004: %d findings, want one per account: %v", len(fs), fs)
	}

	f = newSynFeeder(t, []*Rule{CredentialsRejected}, nil)
	for i := 0; i < 5; i++ {
		rejectedCycle(f, fmt.Sprintf("sip:%d@pbx.example", 100+i), fmt.Sprintf("c%d", i), float64(i), int64(10*i+1), fmt.Sprintf("nc%d", i), 401)
	}
	if fs := f.finish(60); len(fs) != 5 {
		t.Errorf("AUTH003: %d findings, want one per account: %v", len(fs), fs)
	}
}
