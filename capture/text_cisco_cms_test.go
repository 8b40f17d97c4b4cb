package capture

import "testing"

func TestCiscoCMSCorpus(t *testing.T) {
	// A document's excerpt: the envelope, a few headers, SDP lines (two
	// syslog lines glued into one), far fewer bytes than announced.
	text := slCorpus(t, "text-formats/cisco_cms/1.txt")
	s := slFeed(&ciscoCMSIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s, "1 sent 172.16.19.110:52560 TCP SIP/2.0 200 OK local=172.16.19.123:5060 [truncated]")
	if len(s.msgs) == 1 {
		if n := len(s.msgs[0].Lines); n != 13 {
			t.Errorf("%d lines %v:\n%s", n, s.msgs[0].Lines, s.msgs[0].Text)
		}
		if st := s.msgs[0].Stamp; !st.NoYear || st.Time.Hour() != 11 {
			t.Errorf("stamp %+v", st)
		}
	}
}

func TestCiscoCMSIncoming(t *testing.T) {
	text := `Aug 24 11:25:29 acano host:server:  INFO : SIP trace: connection 7: incoming SIP UDP data from 10.0.0.9:5060 to 10.0.0.1:5060, size 25:
Aug 24 11:25:29 acano host:server:  INFO : SIP trace: OPTIONS sip:x SIP/2.0
Aug 24 11:25:29 acano host:server:  INFO : SIP trace: 
Aug 24 11:25:29 acano host:server:  INFO : call 3: ended
`
	s := slFeed(&ciscoCMSIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s, "1 received 10.0.0.9:5060 UDP OPTIONS sip:x SIP/2.0 local=10.0.0.1:5060")
}

func FuzzTextCiscoCMS(f *testing.F) {
	slFuzz(f, func() TextIngester { return &ciscoCMSIngester{} },
		"Aug 24 11:25:29 a:  INFO : SIP trace: connection 7: incoming SIP UDP data from 10.0.0.9:5060 to 10.0.0.1:5060, size 25:\nAug 24 11:25:29 a:  INFO : SIP trace: OPTIONS sip:x SIP/2.0 Aug 24 11:25:29 a: SIP trace: Via: x\n")
}

// TestCiscoCMSGluedStamp: when a document glues two syslog lines into one,
// the second line's envelope takes the second line's stamp, not the first's.
func TestCiscoCMSGluedStamp(t *testing.T) {
	text := "Aug 24 11:25:29 acano host:server:  INFO : SIP trace: call 3: ended Aug 24 11:25:31 acano host:server:  INFO : SIP trace: connection 7: incoming SIP UDP data from 10.0.0.9:5060 to 10.0.0.1:5060, size 25:\n" +
		"Aug 24 11:25:31 acano host:server:  INFO : SIP trace: OPTIONS sip:x SIP/2.0\n" +
		"Aug 24 11:25:31 acano host:server:  INFO : SIP trace: \n"
	s := slFeed(&ciscoCMSIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s, "1 received 10.0.0.9:5060 UDP OPTIONS sip:x SIP/2.0 local=10.0.0.1:5060")
	if len(s.msgs) == 1 {
		if st := s.msgs[0].Stamp; st.Time.Second() != 31 {
			t.Errorf("stamp %v, want the glued line's 11:25:31", st.Time)
		}
	}
}
