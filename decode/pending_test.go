package decode

import (
	"bytes"
	"net/netip"
	"testing"
)

// A pending challenge is found by its Call-ID and client exactly when
// their appendChallengeKey keys are equal, as when the key itself was kept
// and compared.
func TestPendingMatchesKeyEquality(t *testing.T) {
	clients := []netip.AddrPort{
		netip.MustParseAddrPort("192.0.2.1:5060"),
		netip.MustParseAddrPort("192.0.2.1:5061"),
		netip.MustParseAddrPort("[::ffff:192.0.2.1]:5060"), // the same key as 192.0.2.1:5060
		netip.MustParseAddrPort("[2001:db8::1]:5060"),
		netip.MustParseAddrPort("[fe80::1%eth0]:5060"), // the zone is not in the key
		netip.MustParseAddrPort("[fe80::1]:5060"),
		{},
	}
	callIDs := []string{"a@h", "a@h\x00", "b@h", ""}
	var ka, kb []byte
	for _, ca := range callIDs {
		for _, cla := range clients {
			pt := newPendingTable()
			ka = appendChallengeKey(ka[:0], ca, cla)
			pt.put(pt.hash(ka), &AuthExchange{CallID: ca, Client: cla})
			for _, cb := range callIDs {
				for _, clb := range clients {
					kb = appendChallengeKey(kb[:0], cb, clb)
					found := pt.get(pt.hash(kb), cb, clb) != nil
					if want := bytes.Equal(ka, kb); found != want {
						t.Errorf("%q %v vs %q %v: found %v, keys equal %v", ca, cla, cb, clb, found, want)
					}
				}
			}
		}
	}
}
