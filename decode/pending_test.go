package decode

import (
	"bytes"
	"hash/maphash"
	"net/netip"
	"testing"
)

// A pending challenge is found by its Call-ID and client exactly when
// their appendChallengeKey keys are equal, as when such a key was kept and
// compared.
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
	seed := maphash.MakeSeed()
	for _, ca := range callIDs {
		for _, cla := range clients {
			pt := newPendingTable()
			ka = appendChallengeKey(ka[:0], ca, cla)
			pt.put(pt.hash(maphash.String(seed, ca), cla), &AuthExchange{CallID: ca, Client: cla})
			for _, cb := range callIDs {
				for _, clb := range clients {
					kb = appendChallengeKey(kb[:0], cb, clb)
					found := pt.get(pt.hash(maphash.String(seed, cb), clb), cb, clb) != nil
					if want := bytes.Equal(ka, kb); found != want {
						t.Errorf("%q %v vs %q %v: found %v, keys equal %v", ca, cla, cb, clb, found, want)
					}
				}
			}
		}
	}
}

// appendChallengeKey is the identity of a pending challenge that the table
// must keep (a key the correlator once built and hashed): the Call-ID, then
// the client's 16-byte address form and port.
func appendChallengeKey(dst []byte, callID string, client netip.AddrPort) []byte {
	dst = append(dst, callID...)
	dst = append(dst, 0)
	a := client.Addr().As16()
	dst = append(dst, a[:]...)
	return append(dst, byte(client.Port()>>8), byte(client.Port()))
}
