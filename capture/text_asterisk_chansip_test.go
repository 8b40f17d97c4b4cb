package capture

import (
	"regexp"
	"testing"
	"time"
)

func TestAsteriskChanSIPCorpus(t *testing.T) {
	text := slCorpus(t, "text-formats/asterisk_chansip/1.txt")
	s := slFeed(&asteriskChanSIPIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s,
		"1 received 10.253.253.5:5060 UDP INVITE sip:9000@10.253.253.21:5060 SIP/2.0",
		"39 sent 10.253.253.5:5060 UDP SIP/2.0 100 Trying",
		"58 sent 10.253.253.5:5060 UDP SIP/2.0 200 OK",
		"86 received 10.253.253.5:5060 UDP ACK sip:9000@10.253.253.21:5060 SIP/2.0",
		"110 received 10.253.253.5:5060 UDP BYE sip:9000@10.253.253.21:5060 SIP/2.0",
		"128 sent 10.253.253.5:5060 UDP SIP/2.0 200 OK",
	)
}

func TestAsteriskChanSIPCorpusNewStyle(t *testing.T) {
	// Asterisk 12+ "Reliably Transmitting (no NAT) to a:p:" ... "---".
	text := slCorpus(t, "text/asterisk-docs_chan_sip-debug_subscribe-401-200.txt")
	s := slFeed(&asteriskChanSIPIngester{}, text)
	slCheck(t, s, slLines(text))
	if len(s.msgs) != 6 || len(s.problems) != 0 {
		t.Fatalf("%d messages, problems %q", len(s.msgs), s.problems)
	}
	if d := slDescribe(s.msgs[4]); d != "87 sent 10.24.17.254:37509 UDP NOTIFY sip:Alice@10.24.17.254:37509;transport=UDP SIP/2.0" {
		t.Errorf("NOTIFY: %s", d)
	}
	if got := string(s.msgs[4].Text[len(s.msgs[4].Text)-12:]); got != "/presence>\n\n" {
		t.Errorf("NOTIFY ends %q", got)
	}
}

func TestAsteriskChanSIPKeepalivesAndWrapping(t *testing.T) {
	// FreePBX paste wrapped by a mail client: three empty reads are NAT
	// keepalives, logger lines between messages are not message lines.
	text := slCorpus(t, "text/lkml-2020_chan_sip-debug_outbound-register-nonce-refresh.txt")
	s := slFeed(&asteriskChanSIPIngester{}, text)
	slCheck(t, s, slLines(text))
	if len(s.msgs) != 10 || len(s.problems) != 0 {
		t.Fatalf("%d messages, problems %q", len(s.msgs), s.problems)
	}
	if d := slDescribe(s.msgs[7]); d != "155 received 107.6.123.181:5060 UDP SIP/2.0 401 Unauthorized" {
		t.Errorf("401: %s", d)
	}
}

func TestAsteriskChanSIPConsoleStamps(t *testing.T) {
	text := `[Mar 30 13:35:51] <--- SIP read from TCP:[2001:db8::1]:5060 --->
[Mar 30 13:35:51] REGISTER sip:pbx SIP/2.0
[Mar 30 13:35:51] Via: SIP/2.0/TCP [2001:db8::1]:5060;branch=z9hG4bK1
[Mar 30 13:35:51] 
[Mar 30 13:35:51] <------------->
[Mar 30 13:35:51] --- (1 headers 0 lines) ---
[Mar 30 13:35:51] NOTICE[1234]: chan_sip.c:1 x
[Mar 30 13:35:52] <--- Transmitting (NAT) to [2001:db8::1]:5060 --->
[Mar 30 13:35:52] SIP/2.0 401 Unauthorized
[Mar 30 13:35:52] Via: SIP/2.0/TCP [2001:db8::1]:5060;branch=z9hG4bK1
[Mar 30 13:35:52] <--- SIP read from UDP:1.2.3.4:5060 --->
[Mar 30 13:35:52] jaK
[Mar 30 13:35:52] <------------->
Retransmitting #2 (no NAT) to 1.2.3.4:5062:
OPTIONS sip:x SIP/2.0
`
	s := slFeed(&asteriskChanSIPIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s,
		"1 received [2001:db8::1]:5060 TCP REGISTER sip:pbx SIP/2.0",
		"8 sent [2001:db8::1]:5060 TCP SIP/2.0 401 Unauthorized",
		"14 sent 1.2.3.4:5062 ? OPTIONS sip:x SIP/2.0 [truncated]")
	if st := s.msgs[1].Stamp; !st.NoYear || st.Time.Month() != time.March || st.Time.Second() != 52 {
		t.Errorf("stamp %+v", st)
	}
	if got := string(s.msgs[0].Text); got != "REGISTER sip:pbx SIP/2.0\nVia: SIP/2.0/TCP [2001:db8::1]:5060;branch=z9hG4bK1\n\n" {
		t.Errorf("text %q", got)
	}
}

func TestAsteriskChanSIPDetect(t *testing.T) {
	for _, l := range []string{"<--- SIP read from UDP:1.2.3.4:5060 --->", "Reliably Transmitting (NAT) to 107.6.123.181:5060:", "[Mar 30 13:35:51] <--- Transmitting (no NAT) to 1.2.3.4:5060 --->"} {
		if detectAsteriskChanSIP([][]byte{[]byte(l)}) != 100 {
			t.Errorf("%q not detected", l)
		}
	}
	if detectAsteriskChanSIP([][]byte{[]byte("<--- Transmitting SIP request (1 bytes) to UDP:1.2.3.4:5060 --->")}) != 0 {
		t.Error("PJSIP taken for chan_sip")
	}
}

func FuzzTextAsteriskChanSIP(f *testing.F) {
	slFuzz(f, func() TextIngester { return &asteriskChanSIPIngester{} }, append(slSampleSeeds("asterisk-chansip"),
		"<--- SIP read from UDP:1.2.3.4:5060 --->\nOPTIONS sip:a SIP/2.0\n<------------->\n",
		"[Mar 30 13:35:51] Reliably Transmitting (NAT) to x:1:\nSIP/2.0 200 OK\n---\n")...)
}

// chanSIPReadRE and chanSIPTransmitRE are TEXT-FORMATS.md §3's patterns,
// which parseChanSIPEnvelope reads by hand.
var (
	chanSIPReadRE     = regexp.MustCompile(`^<--- SIP read from (?:([A-Za-z0-9]+):)?(\[[^\]]*\]|[^:\s\[\]]+):(\d+) --->\s*$`)
	chanSIPTransmitRE = regexp.MustCompile(`^(<--- )?(?:Reliably )?(?:Re)?[Tt]ransmitting (?:#\d+ )?\((?:no NAT|NAT)\) to (\[[^\]]*\]|[^:\s\[\]]+):(\d+)(?::| --->)\s*$`)
)

func TestChanSIPEnvelopeParser(t *testing.T) {
	for _, l := range []string{
		"<--- SIP read from UDP:10.253.253.5:5060 --->",
		"<--- SIP read from 10.253.253.5:5060 --->",
		"<--- SIP read from pbx:5060 --->",
		"<--- SIP read from TLS:[2001:db8::1]:5061 --->  ",
		"<--- SIP read from UDP:10.253.253.5 --->",
		"<--- Transmitting (no NAT) to 10.253.253.5:5060 --->",
		"<--- Reliably Transmitting (NAT) to [::1]:5060 --->",
		"Reliably Transmitting (NAT) to 107.6.123.181:5060:",
		"Transmitting (no NAT) to sip.example.com:5060:",
		"Retransmitting #1 (NAT) to 107.6.123.181:5060:",
		"Retransmitting #x (NAT) to 107.6.123.181:5060:",
		"Transmitting (maybe NAT) to 1.2.3.4:5060:",
		"Transmitting (NAT) to 1.2.3.4:5060: more",
	} {
		_, _, got := parseChanSIPEnvelope([]byte(l), []byte(l))
		if want := chanSIPReadRE.MatchString(l) || chanSIPTransmitRE.MatchString(l); got != want {
			t.Errorf("%q: parsed %v, patterns say %v", l, got, want)
		}
	}
}
