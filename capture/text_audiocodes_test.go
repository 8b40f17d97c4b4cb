package capture

import (
	"testing"
	"time"
)

func TestAudioCodesCorpus(t *testing.T) {
	// Two envelopes whose SIP text is in syslog packets the excerpt does
	// not hold: no message, one problem each.
	text := slCorpus(t, "text-formats/audiocodes_syslog/1.txt")
	s := slFeed(&audiocodesIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s)
	if len(s.problems) != 2 {
		t.Errorf("problems %q", s.problems)
	}
}

func TestAudioCodesSplitPacket(t *testing.T) {
	text := "Dec 19 12:45:02 10.0.0.1 <133>[S=100] [SID=aa:1:5]  (N  10) ---- Incoming SIP Message from 52.114.75.24:9024 to SIPInterface #2 (Teams) TLS TO(#138) SocketID(204) ---- #012INVITE sip:+1555@sbc.example.com:5061;transport=tls SIP/2.0#012Via: SIP/2.0/TLS 52.114.75.24:9024;branch=z9hG4bK1#012CSeq: 1 INV [Time:19-12@12:45:02.514]\n" +
		"Dec 19 12:45:02 10.0.0.1 <133>[S=101] [SID=aa:1:5] ITE#012Content-Length: 0#012#012 [Time:19-12@12:45:02.515]\n" +
		"Dec 19 12:45:02 10.0.0.1 <133>[S=102] [SID=aa:1:5]  (N  11) AcSIPCall(#1): Handling INVITE [Time:19-12@12:45:02.516]\n"
	s := slFeed(&audiocodesIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s, "1 received 52.114.75.24:9024 TLS INVITE sip:+1555@sbc.example.com:5061;transport=tls SIP/2.0")
	if len(s.msgs) == 1 {
		if got, want := string(s.msgs[0].Text), "INVITE sip:+1555@sbc.example.com:5061;transport=tls SIP/2.0\nVia: SIP/2.0/TLS 52.114.75.24:9024;branch=z9hG4bK1\nCSeq: 1 INVITE\nContent-Length: 0\n\n"; got != want {
			t.Errorf("text %q\nwant %q", got, want)
		}
		if st := s.msgs[0].Stamp; !st.NoYear || !st.Time.Equal(time.Date(0, 12, 19, 12, 45, 2, 514e6, time.UTC)) {
			t.Errorf("stamp %+v", st)
		}
	}
}

func TestAudioCodesSyslogViewer(t *testing.T) {
	text := `14:32:52.028: 10.33.8.70: NOTICE: [S=9369] [SID=2ed1c8:96:5] (N 71) ---- Outgoing SIP Message to 10.1.1.1:5060 from SIPInterface #0 (SIPInterface_0) UDP TO(#1) SocketID(0) ----
SIP/2.0 401 Unauthorized
CSeq: 1 REGISTER

 [Time:30-03@14:32:52.027]
14:32:52.030: 10.33.8.70: NOTICE: [S=9370] [SID=2ed1c8:96:5] (N 72) SIPTransaction(#4)::SetState - New State = Completed [Time:30-03@14:32:52.029]
`
	s := slFeed(&audiocodesIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s, "1 sent 10.1.1.1:5060 UDP SIP/2.0 401 Unauthorized")
	if st := s.msgs[0].Stamp; !st.NoYear || st.Time.Month() != time.March || st.Time.Nanosecond() != 27e6 {
		t.Errorf("stamp %+v", st)
	}
}

func FuzzTextAudioCodes(f *testing.F) {
	slFuzz(f, func() TextIngester { return &audiocodesIngester{} }, append(slSampleSeeds("audiocodes"),
		"A SIP/2.0#012#012#0120", // blank lines packed in one log line once got line numbers past it
		"<133>[S=1] [SID=a:1:2] (N 1) ---- Incoming SIP Message from 1.2.3.4:5060 to SIPInterface #0 (x) UDP ---- #012OPTIONS sip:a SIP/2.0#012Via: x [Time:01-01@00:00:00.000]\n<133>[S=2] [SID=a:1:2] b#012 [Time:01-01@00:00:00.001]\n")...)
}

func TestAudioCodesSeq(t *testing.T) {
	text := "<133>[S=41] [SID=a:1:2] (N 1) ---- Incoming SIP Message from 1.2.3.4:5060 to SIPInterface #0 (x) UDP ---- #012OPTIONS sip:a SIP/2.0#012 [Time:01-01@00:00:00.000]\n" +
		"<133>[S=42] [SID=a:1:2] (N 2) ---- Outgoing SIP Message to 1.2.3.4:5060 from SIPInterface #0 (x) UDP ---- #012SIP/2.0 200 OK#012 [Time:01-01@00:00:00.000]\n"
	s := slFeed(&audiocodesIngester{}, text)
	if len(s.msgs) != 2 || s.msgs[0].Seq != 41 || s.msgs[1].Seq != 42 {
		t.Fatalf("messages %v", s.msgs)
	}
}
