package capture

import (
	"testing"
	"time"
)

func TestCiscoCECorpus(t *testing.T) {
	// A document's excerpt of one INVITE (middle lines elided, two pairs
	// of log lines glued together).
	text := slCorpus(t, "text-formats/cisco_ce_endpoint/1.txt")
	s := slFeed(&ciscoCEIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s, "1 sent 172.16.19.110:5060 TCP INVITE sip:8001@172.16.19.110 SIP/2.0")
	if len(s.msgs) == 1 {
		if got := string(s.msgs[0].Text); got != "INVITE sip:8001@172.16.19.110 SIP/2.0\nVia: SIP/2.0/TCP 172.16.19.116:5060;branch=z9hG4bKe04a77c1ce5008a9c69d4c621c705bb6;rport\nCall-ID: 280004cfb801730726ec1a9e9941d0d8\nCSeq: 100 INVITE\nContact: <sip:1000@172.16.19.116:55245;transport=tcp>;sip.cisco.multistream;x-cisco-multiple-screen=2\na=rtcp-fb:* ccm cisco-scr \na=sendrecv\na=sprop-simul:1 1 * \na=sprop-source:1 csi=3364746240\nm=video 2390 RTP/AVP 99 97 126 96 34 31 123\n" {
			t.Errorf("text %q", got)
		}
		if st := s.msgs[0].Stamp; !st.Time.Equal(time.Date(2017, 8, 24, 3, 25, 31, 709e6, time.UTC)) {
			t.Errorf("stamp %+v", st)
		}
	}
}

func FuzzTextCiscoCE(f *testing.F) {
	slFuzz(f, func() TextIngester { return &ciscoCEIngester{} },
		" SipPacket 0 SipPacket 0", // once cut a glued line before its start
		"2017-08-24T11:25:31.709+08:00 SX80 appl[1660]: 3939.20 SipPacket I: SIP Msg: Incoming <= OPTIONS, Remote: [::1]:5060, CallId: x\n2017-08-24T11:25:31.709+08:00 SX80 appl[1660]: 3939.20 SipPacket    OPTIONS sip:a SIP/2.0 2017-08-24T11:25:31.709+08:00 SX80 appl[1660]: 3939.20 SipPacket    Via: x\n")
}
