package capture

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestFreeSWITCHCorpus(t *testing.T) {
	for _, c := range []struct {
		file string
		want []string
		prob int
	}{
		// Starts in the SDP of a message whose envelope is not in the
		// excerpt; FS log lines after the ACK give its date.
		{"text-formats/freeswitch_siptrace/1.txt", []string{"8 sent XX.XX.XX.XXX2:5064 UDP ACK sip:atpsh-6017041e-58ff-271f94@XX.XX.XX.XXX2:5064 SIP/2.0"}, 1},
		// fs_cli paste double-spaced, excerpt cut in the SDP.
		{"text-formats/freeswitch_siptrace/2.txt", []string{"9 received 172.17.0.2:33597 TCP INVITE sip:drachtio@104.131.19.169:5038 SIP/2.0 [truncated]"}, 0},
		// WebSocket; the 2203-byte body is not in the excerpt.
		{"text-formats/freeswitch_siptrace/3.txt", []string{"1 received 192.168.0.100:51173 WS INVITE sip:200@192.168.0.222 SIP/2.0 [truncated]"}, 0},
		// drachtio: its own date before the sofia stamp, no separator.
		{"text/gh-issue_drachtio-srf-17_sofia-log_register-401-metaswitch.txt", []string{"7 received 192.168.1.1:5060 UDP SIP/2.0 401 Unauthorized"}, 0},
		{"text/fail2ban_freeswitch-sofia-log-samples.txt", nil, 0},
	} {
		text := slCorpus(t, c.file)
		s := slFeed(&freeswitchIngester{}, text)
		slCheck(t, s, slLines(text))
		slWant(t, s, c.want...)
		if len(s.problems) != c.prob {
			t.Errorf("%s: problems %q", c.file, s.problems)
		}
		if c.file == "text-formats/freeswitch_siptrace/1.txt" {
			if st := s.msgs[0].Stamp; st.NoDate || !st.Time.Equal(time.Date(2021, 4, 2, 17, 28, 37, 346923000, time.UTC)) || st.Precision != time.Microsecond {
				t.Errorf("stamp %+v", st)
			}
		}
	}
}

func TestFreeSWITCHOldSofia(t *testing.T) {
	text := `2010-03-01 23:59:58.000001 [DEBUG] sofia.c:1 before
   send 103 bytes to udp/[10.0.0.2]:5060 at 00:00:01.000002:
   ------------------------------------------------------------------------
   REGISTER sip:example.com SIP/2.0
   Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1
   Content-Length: 0
   
   ------------------------------------------------------------------------
freeswitch@pbx> sofia status
   recv 4000 bytes from tcp/[2001:db8::2]:5060 at 00:00:02.5:
   ------------------------------------------------------------------------
   SIP/2.0 200 OK
   Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK1
   *** message truncated at 2047 ***
   ------------------------------------------------------------------------
`
	s := slFeed(&freeswitchIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s,
		"2 sent 10.0.0.2:5060 UDP REGISTER sip:example.com SIP/2.0",
		"10 received [2001:db8::2]:5060 TCP SIP/2.0 200 OK [truncated]")
	if got := string(s.msgs[0].Text); got != "REGISTER sip:example.com SIP/2.0\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\nContent-Length: 0\n\n" {
		t.Errorf("text %q", got)
	}
	// The stamp is after midnight, the log line before it: next day.
	if st := s.msgs[0].Stamp; !st.Time.Equal(time.Date(2010, 3, 2, 0, 0, 1, 2000, time.UTC)) {
		t.Errorf("stamp %v", st.Time)
	}
}

func TestFreeSWITCHDumpAndSplice(t *testing.T) {
	text := "dump started at Tue Mar  2 10:00:00 2021\n" +
		"sent 40 bytes to tcp/[10.0.0.2]:5060 at 10:00:01.000000:\n" +
		"OPTIONS sip:x SIP/2.0\nCSeq: 1 OPTIONS\n\v\n" +
		"recv 40 bytes from tcp/[10.0.0.2]:5060 at 10:00:01.100000:\n" +
		"------------------------------------------------------------------------\n" +
		"SIP/2.0 484 Address Incomplete3558828a-4b5c-11eb-9f00-0242ac110002 2021-03-02 10:00:01.100100 [DEBUG] sofia.c:1 x\n" +
		"CSeq: 1 OPTIONS\n"
	s := slFeed(&freeswitchIngester{}, text)
	slCheck(t, s, slLines(text))
	slWant(t, s,
		"2 sent 10.0.0.2:5060 TCP OPTIONS sip:x SIP/2.0",
		"6 received 10.0.0.2:5060 TCP SIP/2.0 484 Address Incomplete")
	if st := s.msgs[0].Stamp; !st.Time.Equal(time.Date(2021, 3, 2, 10, 0, 1, 0, time.UTC)) || st.NoDate {
		t.Errorf("stamp %+v", st)
	}
	if got := string(s.msgs[1].Text); !strings.HasSuffix(got, "Incomplete\nCSeq: 1 OPTIONS\n") {
		t.Errorf("spliced text %q", got)
	}
}

func TestFreeSWITCHDetect(t *testing.T) {
	for _, l := range []string{"recv 1003 bytes from udp/[1.2.3.4]:5060 at 07:36:14.784706:",
		"2021-09-07 07:36:14.784843 recv 1003 bytes from udp/[BW_SBC]:5060 at 07:36:14.784706:",
		"   send 414 bytes to tls/[::1]:5061 at 17:28:37.346923:"} {
		if detectFreeSWITCH([][]byte{[]byte(l)}) != 100 {
			t.Errorf("%q not detected", l)
		}
	}
}

func FuzzTextFreeSWITCH(f *testing.F) {
	slFuzz(f, func() TextIngester { return &freeswitchIngester{} }, append(slSampleSeeds("freeswitch"),
		"recv 10 bytes from udp/[1.2.3.4]:5060 at 07:36:14.784706:\n-------------------------\nOPTIONS sip:a SIP/2.0\n\v\n",
		"   send 1 bytes to tls/[::1]:5061 at 17:28:37.346923:\n   ----------------------\n   SIP/2.0 200 OK\n   *** message truncated at 1 ***\n")...)
}

// sofiaEnvelopeRE is TEXT-FORMATS.md §4's pattern for the stamp line,
// which parseSofiaEnvelope reads by hand.
var sofiaEnvelopeRE = regexp.MustCompile(`^\s*(?:[0-9a-f-]{36}\s+)?(?:\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\s+)?(recv|send|sent)\s+(\d+)\s+bytes\s+(?:from|to)\s+([A-Za-z0-9]+)/\[([^\]]*)\]:(\d+)(?:/\d+)?(?:;comp=sigcomp)?\s+at\s+(\d{2}:\d{2}:\d{2}(?:[.,]\d+)?):\s*$`)

func TestSofiaEnvelopeParser(t *testing.T) {
	for _, l := range []string{
		"recv 1003 bytes from udp/[1.2.3.4]:5060 at 07:36:14.784706:",
		"   send 414 bytes to tls/[::1]:5061 at 17:28:37.346923:",
		"2021-09-07 07:36:14.784843 recv 1003 bytes from udp/[BW_SBC]:5060 at 07:36:14.784706:",
		"3558828a-4b5c-11eb-9f00-0242ac110002 2021-09-07 07:36:14.784843 sent 1 bytes to tcp/[10.0.0.1]:5060/6 at 07:36:14.784706:  ",
		"recv 10 bytes from udp/[10.0.0.1]:5060;comp=sigcomp at 07:36:14.784706:",
		"recv 10 bytes from udp/[10.0.0.1]:5060 at 07:36:14.784706",
		"recv 10 bytes from udp/10.0.0.1:5060 at 07:36:14.784706:",
		"recv ten bytes from udp/[10.0.0.1]:5060 at 07:36:14.784706:",
		"recv 10 bytes from udp/[10.0.0.1]:5060 at 07:36:14.784706: x",
	} {
		_, got := parseSofiaEnvelope([]byte(l))
		if want := sofiaEnvelopeRE.MatchString(l); got != want {
			t.Errorf("%q: parsed %v, pattern says %v", l, got, want)
		}
	}
}
