package capture

import "testing"

func TestSIPReqTrace(t *testing.T) {
	// Written from the format's description (no verbatim trace is known):
	// the proxy at 192.168.36.180:5060 relays between a phone and a gateway.
	text := `sip-req: INVITE sip:93831073@192.168.36.180 SIP/2.0 [192.168.6.21:50623->192.168.36.180:5060]
Header: Via:            SIP/2.0/UDP 192.168.6.21:50623
Header: CSeq:           1 INVITE
Header: Content-Length: 4
Body: v=0
sip-res: SIP/2.0 100 Trying [192.168.36.180:5060->192.168.6.21:50623]
Header: CSeq: 1 INVITE
proxy: routing to gateway
sip-req: INVITE sip:93831073@10.1.1.1 SIP/2.0 [192.168.36.180:5060->10.1.1.1:5060]
Header: CSeq: 1 INVITE
sip-res: SIP/2.0 407 Proxy Authentication Required [gw.example.com:5060->192.168.36.180:5060]
Header: CSeq: 1 INVITE
`
	s := slFeed(&sipreqIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s,
		"1 received 192.168.6.21:50623 UDP INVITE sip:93831073@192.168.36.180 SIP/2.0 local=192.168.36.180:5060",
		"6 sent 192.168.6.21:50623 ? SIP/2.0 100 Trying local=192.168.36.180:5060",
		"9 sent 10.1.1.1:5060 ? INVITE sip:93831073@10.1.1.1 SIP/2.0 local=192.168.36.180:5060",
		"11 received gw.example.com:5060 ? SIP/2.0 407 Proxy Authentication Required local=192.168.36.180:5060")
	if got, want := string(s.msgs[0].Text), "INVITE sip:93831073@192.168.36.180 SIP/2.0\nVia:            SIP/2.0/UDP 192.168.6.21:50623\nCSeq:           1 INVITE\nContent-Length: 4\n\nv=0\n"; got != want {
		t.Errorf("text %q", got)
	}
}

func TestSIPReqTwoParties(t *testing.T) {
	// Between two addresses only, which one wrote the trace is unknown.
	text := "sip-req: REGISTER sip:a SIP/2.0 [10.0.0.1:5060->10.0.0.2:5060]\nHeader: CSeq: 1 REGISTER\n" +
		"sip-res: SIP/2.0 401 Unauthorized [10.0.0.2:5060->10.0.0.1:5060]\nHeader: CSeq: 1 REGISTER\n"
	s := slFeed(&sipreqIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s, "1 unknown  ? REGISTER sip:a SIP/2.0", "3 unknown  ? SIP/2.0 401 Unauthorized")
}

func FuzzTextSIPReq(f *testing.F) {
	slFuzz(f, func() TextIngester { return &sipreqIngester{} }, append(slSampleSeeds("sip-req"),
		"sip-req: OPTIONS sip:a SIP/2.0 [1.2.3.4:5060->1.2.3.5:5060]\nHeader: Via: x\nBody: v=0\n",
		"sip-res: SIP/2.0 200 OK [[::1]:5060->[::2]:5060]\nHeader: CSeq: 1 X\nsip-res: SIP/2.0 200 OK [[::1]:5060->[::3]:5060]\n")...)
}
