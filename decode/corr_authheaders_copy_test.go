package decode

import (
	"testing"
	"unsafe"
)

// TestExchangeOfACopyIsApart: exchange called on a copy of a boxed
// challenge (which carries room without its box) returns a new
// exchange, not memory after the copy.
func TestExchangeOfACopyIsApart(t *testing.T) {
	ch := challengeOf([]byte(authFieldsSeeds[1]), true)
	var probe struct {
		ch    AuthChallenge
		guard [unsafe.Sizeof(challengeBox{}) - unsafe.Sizeof(AuthChallenge{})]byte // where a box's exchange would be
	}
	probe.ch = *ch
	a := probe.ch.exchange()
	lo := uintptr(unsafe.Pointer(&probe))
	if p := uintptr(unsafe.Pointer(a)); p >= lo && p < lo+unsafe.Sizeof(probe) {
		t.Fatalf("exchange of a copy returned memory inside the probe (after the copy)")
	}
	if *a != (AuthExchange{}) {
		t.Errorf("exchange of a copy = %+v, want a zero one", *a)
	}
	if b, q := ch.exchange(), uintptr(unsafe.Pointer(ch)); uintptr(unsafe.Pointer(b)) != q+unsafe.Offsetof(challengeBox{}.ex) {
		t.Errorf("the original's exchange is not in its box")
	}
}
