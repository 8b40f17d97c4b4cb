package decode

import (
	"bytes"
	"testing"
)

// refSameContact is sameContact without its shortcut for equal bytes.
func refSameContact(a []byte, b string) bool {
	ua, ok1 := ParseURI(a)
	ub, ok2 := ParseURI([]byte(b))
	if !ok1 || !ok2 {
		return string(a) == b
	}
	return bytes.Equal(ua.User, ub.User) && bytes.EqualFold(ua.Host, ub.Host) && ua.Port == ub.Port
}

var sameContactSeeds = []string{
	"sip:102392@10.20.9.89:5060", "sip:102392@10.20.9.89:5060;transport=udp", "sip:102392@10.20.9.89",
	"sip:102392@10.20.9.89:5061", "SIP:102392@10.20.9.89:5060", "sip:a@EXAMPLE.com", "sip:a@example.com",
	"sips:a@b", "tel:+1234", "sip:", "", "<sip:a@b>", "sip:a@[2001:db8::1]:5060", "sip:a@b:99999", "*",
}

// TestSameContact: every pair of the seeds, each with itself included,
// as the comparison without the shortcut says.
func TestSameContact(t *testing.T) {
	for _, a := range sameContactSeeds {
		for _, b := range sameContactSeeds {
			if got, want := sameContact([]byte(a), b), refSameContact([]byte(a), b); got != want {
				t.Errorf("sameContact(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}

func FuzzSameContact(f *testing.F) {
	for _, s := range sameContactSeeds {
		f.Add(s, s)
		f.Add(s, "sip:102392@10.20.9.89:5060")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, p := range [][2]string{{a, b}, {a, a}, {b, b}} {
			if got, want := sameContact([]byte(p[0]), p[1]), refSameContact([]byte(p[0]), p[1]); got != want {
				t.Fatalf("sameContact(%q, %q) = %v, want %v", p[0], p[1], got, want)
			}
		}
	})
}
