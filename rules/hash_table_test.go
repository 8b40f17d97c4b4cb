package rules

import (
	"fmt"
	"net/netip"
	"testing"
)

// TestHashTable checks the table against a Go map through growth, with
// keys that are not uniform (small integers, as addrKey gives for IPv4)
// and a zero key, and that clear empties it.
func TestHashTable(t *testing.T) {
	var tb hashTable[int]
	want := map[uint64]int{}
	for i := range 5000 {
		k := uint64(i * 3) // 0 included
		*tb.put(k) += i
		want[k] += i
		if i%7 == 0 {
			*tb.put(k) += 1 // again: the same value, not a second one
			want[k]++
		}
	}
	if tb.len() != len(want) {
		t.Fatalf("len %d, want %d", tb.len(), len(want))
	}
	for k, v := range want {
		if p := tb.get(k); p == nil || *p != v {
			t.Fatalf("get(%d) = %v, want %d", k, p, v)
		}
	}
	for _, k := range []uint64{1, 2, 4, 15001, 1 << 63} {
		if p := tb.get(k); p != nil {
			t.Fatalf("get(%d) found %d, want absent", k, *p)
		}
	}
	tb.clear()
	if tb.len() != 0 || tb.get(0) != nil || tb.get(3) != nil {
		t.Fatalf("after clear: len %d, get(3) %v", tb.len(), tb.get(3))
	}
	*tb.put(3) = 9
	if p := tb.get(3); p == nil || *p != 9 {
		t.Fatalf("after clear and put: get(3) = %v", p)
	}
}

// TestHashSetAddresses checks that the same string said by two addresses
// is two entries, by no address a third, and that an IPv4-mapped IPv6
// address is the IPv4 address.
func TestHashSetAddresses(t *testing.T) {
	s := newHashSet(100)
	a := netip.MustParseAddr("192.0.2.1")
	s.add(a, "nonce")
	if !s.has(a, "nonce") || !s.has(netip.MustParseAddr("::ffff:192.0.2.1"), "nonce") {
		t.Fatal("added string not found for its address")
	}
	for _, other := range []netip.Addr{{}, netip.MustParseAddr("192.0.2.2"), netip.MustParseAddr("2001:db8::1")} {
		if s.has(other, "nonce") {
			t.Fatalf("found for %v, added for %v only", other, a)
		}
	}
	if s.has(a, "nonce2") {
		t.Fatal("found a string never added")
	}
	s.add(netip.Addr{}, "nonce")
	if !s.has(netip.Addr{}, "nonce") || s.len() != 2 {
		t.Fatalf("no-address entry: has %v, len %d", s.has(netip.Addr{}, "nonce"), s.len())
	}
}

// TestAddrPortKey checks that the addresses netip.AddrPort tells apart get
// distinct keys.
func TestAddrPortKey(t *testing.T) {
	aps := []netip.AddrPort{
		{},
		netip.MustParseAddrPort("[::]:0"),
		netip.MustParseAddrPort("0.0.0.0:0"),
		netip.MustParseAddrPort("192.0.2.1:5060"),
		netip.MustParseAddrPort("192.0.2.1:5061"),
		netip.MustParseAddrPort("192.0.2.2:5060"),
		netip.MustParseAddrPort("[::ffff:192.0.2.1]:5060"),
		netip.MustParseAddrPort("[fe80::1%eth0]:5060"),
		netip.MustParseAddrPort("[fe80::1%eth1]:5060"),
		netip.MustParseAddrPort("[fe80::1]:5060"),
	}
	seen := map[uint64]netip.AddrPort{}
	for _, ap := range aps {
		k := addrPortKey(ap)
		if other, dup := seen[k]; dup {
			t.Fatalf("%v and %v share key %#x", ap, other, k)
		}
		seen[k] = ap
		if addrPortKey(ap) != k {
			t.Fatalf("%v: key not stable", ap)
		}
	}
}

// TestKeySet checks the set against a Go map through growth, with keys
// that are not uniform and the zero key, which has no slot.
func TestKeySet(t *testing.T) {
	var s keySet
	want := map[uint64]bool{}
	if s.has(0) || s.has(5) || s.len() != 0 {
		t.Fatal("empty set has keys")
	}
	for i := range 5000 {
		k := uint64(i * 3) // 0 included
		s.add(k)
		want[k] = true
		if i%7 == 0 {
			s.add(k) // again: still one key
		}
	}
	s.add(1 << 63)
	want[1<<63] = true
	if s.len() != len(want) {
		t.Fatalf("len %d, want %d", s.len(), len(want))
	}
	for k := range want {
		if !s.has(k) {
			t.Fatalf("has(%d) false, added", k)
		}
	}
	for _, k := range []uint64{1, 2, 4, 15001, 1<<63 + 3} {
		if s.has(k) {
			t.Fatalf("has(%d) true, never added", k)
		}
	}
}

// TestPtrTable checks the table against a Go map through growth, with
// keys that are not uniform and the zero key, and that list keeps the
// order of adds.
func TestPtrTable(t *testing.T) {
	var tb ptrTable[int]
	want := map[uint64]*int{}
	for i := range 5000 {
		k := uint64(i * 3) // 0 included
		if tb.get(k) != nil {
			t.Fatalf("get(%d) found before add", k)
		}
		p := new(int)
		*p = i
		tb.add(k, p)
		want[k] = p
	}
	for k, p := range want {
		if got := tb.get(k); got != p {
			t.Fatalf("get(%d) = %p, want %p", k, got, p)
		}
	}
	for _, k := range []uint64{1, 2, 4, 15001, 1 << 63} {
		if p := tb.get(k); p != nil {
			t.Fatalf("get(%d) found %d, want absent", k, *p)
		}
	}
	for i, p := range tb.list {
		if *p != i {
			t.Fatalf("list[%d] = %d: not in the order added", i, *p)
		}
	}
}

// TestHashSetLimit checks that the logged adds keep exactly the strings an
// add straight into the table would: the first limit distinct ones, with
// strings added again counted once, whether or not the set is asked in
// between.
func TestHashSetLimit(t *testing.T) {
	for _, askEvery := range []int{0, 1, 7, 50} {
		const limit = 40
		s := newHashSet(limit)
		want := map[string]bool{}
		for i := range 300 {
			// 90 strings in all, three of them repeated before the
			// 40th distinct one.
			n := (i * 7) % 90
			if i%4 == 0 {
				n = (i / 4 * 13) % 90
			}
			str := fmt.Sprint("call-", n)
			if len(want) < limit {
				want[str] = true
			}
			s.add(netip.Addr{}, str)
			if askEvery > 0 && i%askEvery == 0 && s.has(netip.Addr{}, str) != want[str] {
				t.Fatalf("ask every %d: after add %d, has(%s) = %v, want %v", askEvery, i, str, !want[str], want[str])
			}
		}
		if s.len() != len(want) {
			t.Fatalf("ask every %d: len %d, want %d", askEvery, s.len(), len(want))
		}
		for i := range 90 {
			str := fmt.Sprint("call-", i)
			if s.has(netip.Addr{}, str) != want[str] {
				t.Fatalf("ask every %d: has(%s) = %v, want %v", askEvery, str, !want[str], want[str])
			}
		}
	}
}

// A set given Call-IDs by their correlator hash tells them apart as the
// strings would be told apart.
func TestHashSetCallID(t *testing.T) {
	s := newHashSet(10)
	a := txnRequest("INVITE", "a@h", 0, 1)
	s.addCallID(a)
	if !s.hasCallID(txnRequest("INVITE", "a@h", 5, 2)) {
		t.Error("the same Call-ID in another transaction is not found")
	}
	if s.hasCallID(txnRequest("INVITE", "b@h", 5, 3)) {
		t.Error("another Call-ID is found")
	}
}
