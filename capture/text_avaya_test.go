package capture

import (
	"strings"
	"testing"
	"time"
)

func TestAvayaMPPCorpus(t *testing.T) {
	text := slCorpus(t, "text-formats/avaya/1.txt")
	s := slFeed(&avayaMPPIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s,
		"1 sent 138.83.199.57:5060 TCP INVITE sip:[email protected] SIP/2.0",
		"24 received  TCP SIP/2.0 180 Ringing")
	if len(s.msgs) == 2 {
		inv := string(s.msgs[0].Text)
		if strings.Contains(inv, "^M") || strings.Contains(inv, "<-") || !strings.Contains(inv, "\n\nv=0\n") {
			t.Errorf("INVITE text %q", inv)
		}
		if st := s.msgs[0].Stamp; !st.Time.Equal(time.Date(2014, 6, 26, 13, 2, 39, 427e6, time.UTC)) || st.Precision != time.Millisecond {
			t.Errorf("stamp %+v", st)
		}
	}
}

func FuzzTextAvayaMPP(f *testing.F) {
	slFuzz(f, func() TextIngester { return &avayaMPPIngester{} },
		"@2014-06-26 13:02:39,427||FINEST|x|cUAInterface::SendToNetwork: To 1.2.3.4:5060[71:0] <^OPTIONS sip:a SIP/2.0^M <- x\nVia: y^M\n^M\n")
}
