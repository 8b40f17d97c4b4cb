package decode

import (
	"strings"
	"testing"
)

// TestPlainSIPURIHostWords: the host after '@' is read eight bytes at a
// time; a byte that is no host byte at any place of the first, second or
// last (partial) word, or just after it, is found as the byte loop finds
// it (plainSIPURIChecked compares with the ParseURI reading).
func TestPlainSIPURIHostWords(t *testing.T) {
	for n := 1; n <= 20; n++ {
		host := strings.Repeat("h", n)
		for _, tail := range []string{"", ":5060", ";transport=udp", ">"} {
			plainSIPURIChecked(t, []byte("sip:u@"+host+tail))
		}
		for pos := 0; pos <= n; pos++ {
			for _, bad := range []string{" ", "@", "?", "\x00", "\xff", ":", ";", "%", "["} {
				plainSIPURIChecked(t, []byte("sip:u@"+host[:pos]+bad+host[pos:]))
			}
		}
	}
	if valid, decided := plainSIPURIValid([]byte("sip:100231@voice.example.com")); !valid || !decided {
		t.Errorf("plain URI: valid %v decided %v", valid, decided)
	}
}
