package capture

import (
	"regexp"
	"testing"
	"time"
)

func TestPJSUACorpus(t *testing.T) {
	for _, c := range []struct {
		file string
		want []string
		prob int
	}{
		{"text-formats/pjsua/1.txt", []string{
			"1 received 192.168.1.4:5060 TCP SIP/2.0 100 Trying",
			"16 received 192.168.1.4:5060 TCP SIP/2.0 180 Ringing",
			"29 received 192.168.1.4:5060 TCP SIP/2.0 200 OK"}, 0},
		// Starts inside a REGISTER whose envelope is cut off.
		{"text/gh-issue_pjproject-3308_pjsua-log_register-retransmit-no-response.txt", []string{
			"12 sent 91.121.209.194:5060 UDP REGISTER sip:sip.linphone.org SIP/2.0",
			"27 sent 91.121.209.194:5060 UDP REGISTER sip:sip.linphone.org SIP/2.0 [truncated]"}, 1},
		// An iOS app's own "[date]" stamps.
		{"text/gh-issue_pjproject-3850_pjsua-log_register-401-after-auth.txt", []string{
			"9 received 106.15.192.204:15060 UDP SIP/2.0 401 Unauthorized"}, 1},
	} {
		text := slCorpus(t, c.file)
		s := slFeed(&pjsuaIngester{}, text)
		slCheck(t, s, slLines(text))
		slWant(t, s, c.want...)
		if len(s.problems) != c.prob {
			t.Errorf("%s: problems %q", c.file, s.problems)
		}
	}
}

func TestPJSUAStampsAndSyslog(t *testing.T) {
	text := `07:26:02.267           pjsua_core.c  .RX 20 bytes Request msg OPTIONS/cseq=1 (rdata0x1) from UDP [2001:db8::1]:5060:
OPTIONS sip:a SIP/2.0
--end msg--
Mar  1 09:41:49 10.1.1.5 phoneapp[1033]: pjsip: 09:41:49.069 pjsua_core.c ....TX 60 bytes Request msg REGISTER/cseq=2 (tdta0x7f) to TLS avaya.example.com:5061:
Mar  1 09:41:49 10.1.1.5 phoneapp[1033]: pjsip: REGISTER sip:avaya.example.com SIP/2.0
Mar  1 09:41:49 10.1.1.5 phoneapp[1033]: pjsip: CSeq: 2 REGISTER
Mar  1 09:41:49 10.1.1.5 dhcpd[12]: renew
Mar  1 09:41:49 10.1.1.5 phoneapp[1033]: pjsip: 
Mar  1 09:41:49 10.1.1.5 phoneapp[1033]: pjsip: --end msg--
`
	s := slFeed(&pjsuaIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s,
		"1 received [2001:db8::1]:5060 UDP OPTIONS sip:a SIP/2.0",
		"4 sent avaya.example.com:5061 TLS REGISTER sip:avaya.example.com SIP/2.0")
	if st := s.msgs[1].Stamp; !st.NoDate || st.Precision != time.Millisecond || st.Time.Hour() != 9 || st.Time.Nanosecond() != 69e6 {
		t.Errorf("stamp %+v", st)
	}
}

func FuzzTextPJSUA(f *testing.F) {
	slFuzz(f, func() TextIngester { return &pjsuaIngester{} }, append(slSampleSeeds("pjsua"),
		"07:26:02.267 pjsua_core.c .RX 4 bytes Request msg X (rdata0x1) from UDP 1.2.3.4:5060:\nOPTIONS sip:a SIP/2.0\n--end msg--\n",
		"a]: b: 07:26:02.267 x .TX 4 bytes Response msg X (tdta0x1) to UDP [::1]:5060:\na]: b: SIP/2.0 200 OK\n")...)
}

// pjsuaEnvelopeRE is TEXT-FORMATS.md §12's pattern for the envelope, which
// parsePJSUAEnvelope reads by hand.
var pjsuaEnvelopeRE = regexp.MustCompile(`(?:^|[^0-9])\.*(RX|TX) (\d+) bytes (?:Request|Response) msg \S+ \((?:rdata|tdta)[0-9A-Fa-fx]*\) (?:from|to) ([A-Za-z0-9]+) (\[[^\]]*\]|[^:\s\[\]]+):(\d+):\s*$`)

func TestPJSUAEnvelopeParser(t *testing.T) {
	for _, l := range []string{
		"07:26:02.267           pjsua_core.c  .RX 427 bytes Response msg 100/INVITE/cseq=28371 (rdata0x55abb63e48) from TCP 192.168.1.4:5060:",
		"[2024-01-26 22:44:31.737]   Fri  RX 537 bytes Response msg 401/REGISTER/cseq=25163 (rdata0x144168c28) from UDP 106.15.192.204:15060:",
		"18:14:38.687 pjsua_core.c .TX 523 bytes Request msg REGISTER/cseq=55470 (tdta0x7f8338007a18) to UDP [2001:db8::1]:5060:  ",
		"x .TX 523 bytes Request msg REGISTER/cseq=55470 (tdta0x7f8338007a18) to UDP 1.2.3.4:5060",
		"x .TX 523 bytes Request msg REGISTER/cseq=55470 (tdta0x7f8338007a18) to UDP 1.2.3.4:5060: x",
		"x .QX 523 bytes Request msg REGISTER/cseq=55470 (tdta0x7f8338007a18) to UDP 1.2.3.4:5060:",
		"x .TX 523 bytes Request msg REGISTER/cseq=55470 (xdata0x7f) to UDP 1.2.3.4:5060:",
	} {
		_, got := parsePJSUAEnvelope([]byte(l))
		if want := pjsuaEnvelopeRE.MatchString(l); got != want {
			t.Errorf("%q: parsed %v, pattern says %v", l, got, want)
		}
	}
}
