package decode

import (
	"fmt"
	"hash/maphash"
	"strings"
	"testing"
)

// The cache answers what AOR answers, the first time and from the cache,
// for URIs that are their own AOR, those that are not and those whose AOR
// is empty, across the table growing and past its bound.
func TestAORCache(t *testing.T) {
	c := newAORCache(3000)
	uris := []string{"sip:alice@example.com", "sip:Bob@EXAMPLE.com:5060;transport=tcp", "<sip:carol@h>", "tel:+15551234", "", "sip:dave@h;user=phone", "x"}
	for i := 0; i < 4000; i++ {
		uris = append(uris, fmt.Sprintf("sip:u%d@Example.COM;tag=%d", i, i))
	}
	first := make([]string, len(uris)) // what the first round handed out
	for round := 0; round < 2; round++ {
		for i, u := range uris {
			want := ""
			if u != "" {
				want = AOR([]byte(u))
			}
			got := c.get([]byte(u))
			if got != want {
				t.Fatalf("round %d: %q -> %q, want %q", round, u, got, want)
			}
			if round == 0 {
				first[i] = got
			}
		}
	}
	// Strings held in slots stay intact when the table grows past them.
	for i, u := range uris {
		if want := AOR([]byte(u)); u != "" && first[i] != want {
			t.Fatalf("%q handed out %q, now reads %q", u, want, first[i])
		}
	}
	if c.n != 3000 {
		t.Errorf("%d cached, want the bound 3000", c.n)
	}
}

// A URI whose hash another URI holds gets its own AOR, not the other's.
func TestAORCacheSharedHash(t *testing.T) {
	c := newAORCache(10)
	a, b := []byte("sip:alice@example.com;transport=udp"), []byte("sip:bob@example.com")
	c.get(a)
	// Give a's entry b's hash and slot, as if the two hashes were equal.
	hb := maphash.Bytes(c.seed, b)
	for i, s := range c.slots {
		if s.s != "" {
			str := strings.Clone(s.s) // s.s is in the slot cleared next
			c.slots[i] = aorSlot{}
			c.insert(hb, str, s.raw, s.aorAt)
		}
	}
	if got := c.get(b); got != "sip:bob@example.com" {
		t.Errorf("b -> %q", got)
	}
	if got := c.get(a); got != "sip:alice@example.com" {
		t.Errorf("a -> %q", got)
	}
}
