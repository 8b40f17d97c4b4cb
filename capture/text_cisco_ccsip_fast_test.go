package capture

import (
	"bytes"
	"testing"
)

// ccsipLetterSpecialFull is the definition ccsipLetterSpecial's shortcut
// must match.
func ccsipLetterSpecialFull(l []byte) bool {
	return len(l) >= 4 && l[3] == ' ' && ciscoMonth(l[:3]) > 0 ||
		bytes.HasPrefix(l, ccsipSent) || bytes.HasPrefix(l, ccsipReceived) ||
		bytes.HasPrefix(l, ccsipISDN) || bytes.HasPrefix(l, ccsipLogBuffer) || ciscoPromptLen(l) > 0
}

var letterSpecialCases = []string{
	"Via: SIP/2.0/UDP h", "v=0", "a=rtpmap:0 PCMU/8000", "Sent:", "Sent: INVITE sip:a@b SIP/2.0", "Received:",
	"Received: SIP UDP message from 1.2.3.4:5060 to 5.6.7.8:5060", "Sentx:", "Receivedx: y", "Mar  5 09:00:00.000: x",
	"Mar 5", "ISDN Se0/0/0:23 Q931: x", "Log Buffer (100000 bytes):", "Router#", "CUBE#sh log", "gw(config)#",
	"Router>", "INVITE sip:a@b SIP/2.0", "Content-Length: 0", "X_Y-Z(1): v", "Max-Forwards: 70", "S", "Sent",
	"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl#", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk#",
	"a#", "Ab#x", "Ab#1", "Subject: issue #5",
}

func TestCCSIPLetterSpecialShortcut(t *testing.T) {
	for _, s := range letterSpecialCases {
		if got, want := ccsipLetterSpecial([]byte(s)), ccsipLetterSpecialFull([]byte(s)); got != want {
			t.Errorf("ccsipLetterSpecial(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzCCSIPLetterSpecial(f *testing.F) {
	for _, s := range letterSpecialCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) == 0 || !isASCIILetter(s[0]) {
			return // only lines starting with a letter are asked about
		}
		if got, want := ccsipLetterSpecial([]byte(s)), ccsipLetterSpecialFull([]byte(s)); got != want {
			t.Errorf("ccsipLetterSpecial(%q) = %v, want %v", s, got, want)
		}
	})
}
