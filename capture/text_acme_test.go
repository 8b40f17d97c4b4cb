package capture

import (
	"strings"
	"testing"
	"time"
)

// acmeSample follows the layout of Wireshark's test/captures/sipmsg.log
// (written here, not copied): open/close records, a REGISTER pair, an
// internal 127.0.0.1 leg, an MBCD block to skip.
const acmeSample = `File opened.
Mar  6 13:34:22.599 UDP[3:0]10.0.1.194:5060 OPENED
Mar  6 13:34:49.416 On [6:0]10.0.2.185:5060 received from 10.0.2.150:5060
REGISTER sip:pbx.example.net SIP/2.0
Via: SIP/2.0/UDP 192.168.1.100:5060;branch=z9hG4bK26b7
CSeq: 144 REGISTER
Content-Length: 0


----------------------------------------
Mar  6 13:34:49.516 On [6:0]10.0.2.185:5060 sent to 10.0.2.150:5060
SIP/2.0 401 Unauthorized
Via: SIP/2.0/UDP 192.168.1.100:5060;received=10.0.2.150;branch=z9hG4bK26b7
CSeq: 144 REGISTER


----------------------------------------
Mar  6 13:39:06.122 On 127.0.0.1:2945 sent to 127.0.0.1:2944
  0000: ac 3e fd 01 00 07 89 d9 00 fc 10 00 00 00 02 00   .>..............
Transaction = 494041 {
}
----------------------------------------
Mar  6 13:39:06.127 On 127.0.0.1:5060 sent to 127.0.0.1:5070
SIP/2.0 100 Trying
CSeq: 2 INVITE


----------------------------------------
Jun  8 14:35:50.233 UDP[3:0]10.0.1.194:5060 CLOSED
File closed.
`

func TestAcmeSipmsg(t *testing.T) {
	s := slFeed(&acmeIngester{}, acmeSample)
	slCheck(t, s, slLines(acmeSample))
	slWant(t, s,
		"3 received 10.0.2.150:5060 UDP REGISTER sip:pbx.example.net SIP/2.0 local=10.0.2.185:5060",
		"11 sent 10.0.2.150:5060 UDP SIP/2.0 401 Unauthorized local=10.0.2.185:5060",
		"23 sent 127.0.0.1:5070 ? SIP/2.0 100 Trying local=127.0.0.1:5060")
	if len(s.problems) != 0 {
		t.Errorf("problems %q", s.problems)
	}
	if st := s.msgs[0].Stamp; !st.NoYear || st.Precision != time.Millisecond || !st.Time.Equal(time.Date(0, 3, 6, 13, 34, 49, 416e6, time.UTC)) {
		t.Errorf("stamp %+v", st)
	}
}

func TestAcmeCorpusBlog(t *testing.T) {
	// A blog copy: "mm:ss.mmm" stamps, smart quotes, em-dash separators
	// (normalised by the framework before the ingester; done by hand here).
	text := slCorpus(t, "text-formats/acme_sipmsg/1.txt")
	text = strings.NewReplacer("—", "-", "“", `"`, "″", `"`).Replace(text)
	s := slFeed(&acmeIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s,
		"1 received 72.12.135.2:56883 UDP REGISTER sip:acmepacket.local SIP/2.0 local=72.12.135.250:5060",
		"18 sent 72.12.135.2:56883 UDP SIP/2.0 404 Not Found local=72.12.135.250:5060")
	if st := s.msgs[1].Stamp; !st.NoDate || st.Time.Minute() != 14 || st.Time.Second() != 44 {
		t.Errorf("stamp %+v", st)
	}
}

func FuzzTextAcme(f *testing.F) {
	slFuzz(f, func() TextIngester { return &acmeIngester{} }, append(slSampleSeeds("acme"), acmeSample,
		"14:44.154 On [0:0]1.2.3.4:5060 received from 1.2.3.5:5060\nOPTIONS sip:a SIP/2.0\n----------\n")...)
}
