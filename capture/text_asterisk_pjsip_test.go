package capture

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestAsteriskPJSIPCorpusConsole(t *testing.T) {
	text := slCorpus(t, "text-formats/asterisk_pjsip/1.txt")
	s := slFeed(&asteriskPJSIPIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s,
		"10 received 46.19.209.44:5060 UDP OPTIONS sip:s@31.97.210.100:5060 SIP/2.0",
		"24 sent 46.19.209.44:5060 UDP SIP/2.0 404 Not Found",
		"47 sent 192.76.120.10:5060 UDP INVITE sip:+50686951614@sip.telnyx.com:5060 SIP/2.0",
		"78 received 192.76.120.10:5060 UDP SIP/2.0 100 Telnyx Trying",
		"89 received 192.76.120.10:5060 UDP SIP/2.0 407 Proxy Authentication Required",
		"104 sent 192.76.120.10:5060 UDP ACK sip:+50686951614@sip.telnyx.com:5060 SIP/2.0",
		"116 received 192.76.120.10:5060 UDP SIP/2.0 403 Unverified origination number D51",
	)
	if len(s.problems) != 0 {
		t.Errorf("problems: %q", s.problems)
	}
	// The INVITE ends with its SDP, before the next envelope; the 404 keeps
	// one blank line after its headers and not the console lines after it.
	inv := string(s.msgs[2].Text)
	if !strings.HasSuffix(inv, "a=sendrecv\n\n") {
		t.Errorf("INVITE text ends %q", inv[len(inv)-20:])
	}
	if got := string(s.msgs[6].Text); strings.Contains(got, "==") || !strings.HasSuffix(got, "Content-Length: 0\n\n") {
		t.Errorf("403 text %q", got)
	}
	if s.msgs[0].BodyLine != 11 || s.msgs[0].Lines != nil {
		t.Errorf("OPTIONS body line %d, lines %v", s.msgs[0].BodyLine, s.msgs[0].Lines)
	}
}

func TestAsteriskPJSIPCorpusDocs(t *testing.T) {
	text := slCorpus(t, "text/asterisk-docs_pjsip-logger_invite-401-unknown-endpoint.txt")
	s := slFeed(&asteriskPJSIPIngester{}, text)
	slCheck(t, s, slLines(text))
	if len(s.msgs) != 6 || len(s.problems) != 0 {
		t.Fatalf("%d messages, problems %q", len(s.msgs), s.problems)
	}
	for _, m := range s.msgs {
		if m.Truncated {
			t.Errorf("message at line %d marked truncated", m.Line)
		}
	}
}

func TestAsteriskPJSIPLogFile(t *testing.T) {
	text := `[2026-01-08 20:28:01.123] VERBOSE[2152][C-00000003] res_pjsip_logger.c: <--- Transmitting SIP request (60 bytes) to TLS:[2001:db8::5]:5061 --->
REGISTER sip:example.com SIP/2.0
CSeq: 1 REGISTER
Content-Length: 0


[2026-01-08 20:28:01] NOTICE[2152]: res_pjsip_registrar.c:1 something
[Jan  8 20:28:02] VERBOSE[2152] res_pjsip_logger.c: <--- Received SIP response (900 bytes) from TLS:sbc.example.com:5061 --->
SIP/2.0 401 Unauthorized
CSeq: 1 REGISTER
`
	s := slFeed(&asteriskPJSIPIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s,
		"1 sent [2001:db8::5]:5061 TLS REGISTER sip:example.com SIP/2.0",
		"8 received sbc.example.com:5061 TLS SIP/2.0 401 Unauthorized [truncated]")
	st := s.msgs[0].Stamp
	if want := time.Date(2026, 1, 8, 20, 28, 1, 123e6, time.UTC); !st.Time.Equal(want) || st.Precision != time.Millisecond || st.NoYear {
		t.Errorf("stamp %+v", st)
	}
	if st := s.msgs[1].Stamp; !st.NoYear || st.Time.Month() != time.January || st.Time.Day() != 8 || st.Precision != time.Second {
		t.Errorf("stamp %+v", st)
	}
}

func TestAsteriskPJSIPDetect(t *testing.T) {
	if detectAsteriskPJSIP([][]byte{[]byte("<--- Received SIP request (1 bytes) from UDP:1.2.3.4:5060 --->")}) != 100 {
		t.Error("envelope not detected")
	}
	if detectAsteriskPJSIP([][]byte{[]byte("<--- SIP read from UDP:1.2.3.4:5060 --->")}) != 0 {
		t.Error("chan_sip taken for PJSIP")
	}
}

func FuzzTextAsteriskPJSIP(f *testing.F) {
	slFuzz(f, func() TextIngester { return &asteriskPJSIPIngester{} }, append(slSampleSeeds("asterisk-pjsip"),
		"<--- Received SIP request (10 bytes) from UDP:1.2.3.4:5060 --->\nOPTIONS sip:a SIP/2.0\n\n\n    -- x\n",
		"Via: a\nTo: b\n<--- Transmitting SIP response (3 bytes) to WSS:[::1]:1 --->\n")...)
}

// asteriskPJSIPEnvelopeRE is TEXT-FORMATS.md §2's pattern for the envelope,
// which parseAsteriskPJSIPEnvelope reads by hand.
var asteriskPJSIPEnvelopeRE = regexp.MustCompile(`<--- (Received|Transmitting) SIP (?:request|response) \((\d+) bytes\) (?:from|to) ([A-Za-z0-9]+):(\[[^\]]*\]|[^:\s\[\]]+):(\d+) --->\s*$`)

func TestAsteriskPJSIPEnvelopeParser(t *testing.T) {
	for _, l := range []string{
		"<--- Received SIP request (477 bytes) from UDP:46.19.209.44:5060 --->",
		"<--- Transmitting SIP response (951 bytes) to UDP:46.19.209.44:5060 --->  ",
		"<--- Transmitting SIP request (1 bytes) to WSS:[2001:db8::1]:8089 --->",
		"[2026-01-08 20:28:01] VERBOSE[2152][C-00000003] res_pjsip_logger.c: <--- Received SIP request (5 bytes) from TCP:pbx.example.com:5060 --->",
		"<--- Received SIP request (477 bytes) from UDP:46.19.209.44:5060 ---> x",
		"<--- Received SIP request (477 bytes) from UDP:46.19.209.44 --->",
		"<--- Received SIP request (bytes) from UDP:46.19.209.44:5060 --->",
		"<--- Received SIP reply (4 bytes) from UDP:46.19.209.44:5060 --->",
		"<--- Received SIP request (4 bytes) from :46.19.209.44:5060 --->",
	} {
		_, _, got := parseAsteriskPJSIPEnvelope([]byte(l))
		if want := asteriskPJSIPEnvelopeRE.MatchString(l); got != want {
			t.Errorf("%q: parsed %v, pattern says %v", l, got, want)
		}
	}
}
