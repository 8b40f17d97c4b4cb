package capture

import (
	"testing"
	"time"
)

func TestGenesysCorpus(t *testing.T) {
	text := slCorpus(t, "text-formats/genesys_sipserver/1.txt")
	s := slFeed(&genesysIngester{}, text)
	slCheck(t, s, slLines(text))
	// The excerpt stops after Expires, but that is the whole message (502 bytes with the final CRLF).
	slWant(t, s, "1 received 10.1.33.4:5060 UDP REGISTER sip:10.1.14.175:5060;transport=udp SIP/2.0")
	if st := s.msgs[0].Stamp; !st.NoDate || st.Precision != time.Millisecond || st.Time.Minute() != 39 {
		t.Errorf("stamp %+v", st)
	}
}

func TestGenesysSending(t *testing.T) {
	text := `16:45:04.700: some log line
16:45:04.720: Sending  [0,TCP] 30 bytes to sbc.example.com:5060 >>>>>
SIP/2.0 200 OK
CSeq: 1 X

16:45:04.721: Trc 04541 RequestRegister received
2019-08-21T16:45:05.001 SIPTR: Received [0,UDP] 23 bytes from [2001:db8::1]:5060 <<<<<
OPTIONS sip:a SIP/2.0
@16:45:05.0020 marker
`
	s := slFeed(&genesysIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s,
		"2 sent sbc.example.com:5060 TCP SIP/2.0 200 OK",
		"7 received [2001:db8::1]:5060 UDP OPTIONS sip:a SIP/2.0")
	if st := s.msgs[1].Stamp; st.NoDate || st.Time.Year() != 2019 {
		t.Errorf("stamp %+v", st)
	}
}

func FuzzTextGenesys(f *testing.F) {
	slFuzz(f, func() TextIngester { return &genesysIngester{} }, append(slSampleSeeds("genesys"),
		"13:39:18.897: SIPTR: Received [0,UDP] 5 bytes from 10.1.33.4:5060 <<<<<\nOPTIONS sip:a SIP/2.0\n13:39:18.898: x\n")...)
}

func TestGenesysDateFromHeader(t *testing.T) {
	text := `Application name: SIP_Server
Local Time:       2021-03-18T23:59:58.100
23:59:59.900: SIPTR: Received [0,UDP] 23 bytes from 10.1.33.4:5060 <<<<<
OPTIONS sip:a SIP/2.0
00:00:00.050: Sending  [0,UDP] 19 bytes to 10.1.33.4:5060 >>>>>
SIP/2.0 200 OK
`
	s := slFeed(&genesysIngester{}, text)
	slCheck(t, s, slLines(text))
	if len(s.msgs) != 2 {
		t.Fatalf("%d messages", len(s.msgs))
	}
	if st := s.msgs[0].Stamp; st.NoDate || !st.Time.Equal(time.Date(2021, 3, 18, 23, 59, 59, 900e6, time.UTC)) {
		t.Errorf("first stamp %+v", st)
	}
	if st := s.msgs[1].Stamp; st.NoDate || !st.Time.Equal(time.Date(2021, 3, 19, 0, 0, 0, 50e6, time.UTC)) {
		t.Errorf("second stamp %+v (after midnight)", st)
	}
}
