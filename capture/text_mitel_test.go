package capture

import (
	"testing"
	"time"
)

func TestMitelCorpus(t *testing.T) {
	// A PDF copy: headers wrapped after "(UDP_CH", prose bullets between
	// messages; it starts inside a REGISTER whose header is cut off.
	text := slCorpus(t, "text-formats/mitel/1.txt")
	s := slFeed(&mitelIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s,
		"11 received 10.0.0.198:5060 UDP SIP/2.0 100 Trying",
		"22 received 10.0.0.198:5060 UDP SIP/2.0 200 OK")
	if len(s.problems) != 1 {
		t.Errorf("problems %q", s.problems)
	}
	if len(s.msgs) == 2 {
		if st := s.msgs[1].Stamp; !st.NoYear || !st.Time.Equal(time.Date(0, 4, 2, 15, 55, 35, 790258000, time.UTC)) {
			t.Errorf("stamp %+v", st)
		}
	}
}

func TestMitelThomson(t *testing.T) {
	text := "Recv from udp: 10.0.0.5:5060 00:00:00:01:066 (23 bytes)\nOPTIONS sip:a SIP/2.0\n"
	s := slFeed(&mitelIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s, "1 received 10.0.0.5:5060 UDP OPTIONS sip:a SIP/2.0")
	if st := s.msgs[0].Stamp; !st.NoDate || st.Time.Second() != 1 {
		t.Errorf("stamp %+v", st)
	}
}

func FuzzTextMitel(f *testing.F) {
	slFuzz(f, func() TextIngester { return &mitelIngester{} },
		"Apr 2 15:55:35.777764 Received UDP message from socket 7 (UDP_CH\n10.0.0.198:5060):\nSIP/2.0 100 Trying\n\u2022 prose\n",
		"Recv from udp: 10.0.0.5:5060 00:00:00:01:066 (23 bytes)\nOPTIONS sip:a SIP/2.0\n")
}
