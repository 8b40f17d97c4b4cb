package rules

import (
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/decode"
)

// refSourceSeen is what uaSeen.note counts, by the strings and addresses
// themselves: the reference its keys must agree with.
type refSourceSeen struct {
	firstAnswered   string
	answered        map[string]bool
	challengers     map[netip.Addr]bool
	firstChallenger netip.Addr
}

func (s *refSourceSeen) note(t *decode.Transaction, challenged bool) {
	if t.Credentials != nil {
		switch subject := t.Subject(); {
		case s.firstAnswered == "":
			s.firstAnswered = subject
		case subject == s.firstAnswered:
		case s.answered == nil:
			s.answered = map[string]bool{s.firstAnswered: true, subject: true}
		case len(s.answered) < 64:
			s.answered[subject] = true
		}
	}
	if challenged {
		switch server := t.Server.Addr(); {
		case !s.firstChallenger.IsValid():
			s.firstChallenger = server
		case server != s.firstChallenger && s.challengers == nil:
			s.challengers = map[netip.Addr]bool{s.firstChallenger: true, server: true}
		case s.challengers != nil && len(s.challengers) < 64:
			s.challengers[server] = true
		}
	}
}

func (s *refSourceSeen) counts() (accounts, servers int) {
	switch {
	case s.answered != nil:
		accounts = len(s.answered)
	case s.firstAnswered != "":
		accounts = 1
	}
	switch {
	case s.challengers != nil:
		servers = len(s.challengers)
	case s.firstChallenger.IsValid():
		servers = 1
	}
	return accounts, servers
}

// TestUASeenCountsAsStrings holds uaSeen's accounts and servers, counted
// by 64-bit keys, to the counts by strings and addresses: empty accounts
// and invalid servers first or later, one account given as two strings,
// IPv4 against IPv4-mapped IPv6 and zones, repeats, and the cap of 64.
func TestUASeenCountsAsStrings(t *testing.T) {
	// The same account as another string, and a prefix sharing a
	// string's bytes: uaSeen.same must tell them by length and bytes.
	long := "sip:a@xy"
	subjects := []string{"", long[:7], long, strings.Clone(long[:7]), strings.Clone(long), "sip:b@x", "sip:a@y"}
	servers := []netip.Addr{{}, netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("::ffff:10.0.0.1"),
		netip.MustParseAddr("fe80::1"), netip.MustParseAddr("fe80::1%eth0"), netip.MustParseAddr("::"), netip.MustParseAddr("0.0.0.0")}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 400 {
		u, ref := newUASeen(), &refSourceSeen{}
		n := 1 + rng.IntN(8)
		if round%50 == 0 {
			n = 300 // past the caps
		}
		for i := range n {
			subject := subjects[rng.IntN(len(subjects))]
			server := servers[rng.IntN(len(servers))]
			if n == 300 {
				subject, server = subject+string(rune('a'+i%90)), netip.AddrFrom4([4]byte{10, 1, byte(i), 1})
			}
			tx := &decode.Transaction{Method: "INVITE", FromAOR: subject, Server: netip.AddrPortFrom(server, 5060)}
			if rng.IntN(2) == 0 {
				tx.Credentials = &decode.AuthCredentials{}
			}
			challenged := rng.IntN(2) == 0
			u.note(tx, challenged)
			ref.note(tx, challenged)
			wantA, wantS := ref.counts()
			if u.accounts() != wantA || u.servers() != wantS {
				t.Fatalf("round %d step %d: accounts %d servers %d, want %d %d", round, i, u.accounts(), u.servers(), wantA, wantS)
			}
		}
	}
}
