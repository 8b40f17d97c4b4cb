package capture

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// textCorpusCounts is how many SIP messages each real text example holds,
// counted by reading the file (a message cut by the excerpt still counts
// when its start line is there). 0 = the file holds no SIP message (log
// lines only): it must be refused with a FormatError or read as nothing.
var textCorpusCounts = map[string]int{
	// text/: whole traces from tickets and issues (MANIFEST.md T1–T27)
	"text/afterthenumber_cube-debug-ccsip_401-realm-mismatch.txt":                    1,  // 401 (line 1): tag then status line, no Sent:/Received:
	"text/asterisk-docs_chan_sip-debug_subscribe-401-200.txt":                        6,  // SUBSCRIBE read (line 1), 401 sent (27), SUBSCRIBE (43), 200 (70), NOTIFY sent 12+ style (87), 200 read (120)
	"text/asterisk-docs_pjsip-logger_invite-401-unknown-endpoint.txt":                6,  // INVITE in (line 1), 401 out (38), ACK in (48), INVITE in (58), 401 out (96), ACK in (106)
	"text/cisco-doc_cube-debug-ccsip_invite-503-dialpeer-busyout.txt":                2,  // INVITE received (line 3), 503 sent (51); CCAPI lines between
	"text/cisco-doc_cube-syslog_sip-trunk-registration.txt":                          0,  // two %SIP-3-REG_INTERNAL syslog lines, no message
	"text/cisco-doc_cube-voip-trace_invite-408-timeout.txt":                          5,  // INVITE, 100, INVITE, 408, ACK (lines 16, 29, 43, 68, 83): Received:/Sent: with no tag, // annotations
	"text/cisco-doc_cube-voip-trace_invite-received.txt":                             1,  // INVITE (line 14) with addresses on the Received: line
	"text/cisco-doc_ios-debug-ccsip_mwi-invite-100-excerpt.txt":                      2,  // INVITE sent (line 2), 100 received (35); uptime stamps, last tag cut by the excerpt
	"text/cisco-doc_lgw-webex_ccsip-singleline_pdd-cancel.txt":                       3,  // INVITE, INVITE, CANCEL, each collapsed onto its tag line
	"text/fail2ban_asterisk-security-log-samples.txt":                                0,  // NOTICE/SECURITY log lines only
	"text/fail2ban_freeswitch-sofia-log-samples.txt":                                 0,  // sofia_reg.c log lines only
	"text/gh-issue_browser-phone-335_asterisk-pjsip-log_no-matching-endpoint.txt":    0,  // log_failed_request NOTICE lines only
	"text/gh-issue_drachtio-srf-17_sofia-log_register-401-metaswitch.txt":            1,  // 401 received (line 7) after drachtio/sofia debug lines
	"text/gh-issue_flexisip-33_flexisip-debug_register-401-nonce.txt":                0,  // flexisip debug lines only
	"text/gh-issue_irontec-itsbc-1_sngrep-style_register-401-tcp.txt":                2,  // sngrep: REGISTER (line 1), 401 (17) cut in its Allow header, marked truncated
	"text/gh-issue_jssip-658_jssip-console_register-403-after-auth-wss.txt":          2,  // bare: 403 (line 4, after "received text message:") and REGISTER (line 19)
	"text/gh-issue_kamailio-ims-config-16_kamailio-log_register-403-auth-failed.txt": 0,  // kamailio syslog lines only
	"text/gh-issue_opensips-401_siptrace-dump_register-401-repeated.txt":             3,  // bare: three 401s after "|N|date|...| |" rows; the third cut in its Via
	"text/gh-issue_pjproject-3308_pjsua-log_register-retransmit-no-response.txt":     2,  // REGISTER TX (line 12), its retransmission (27) cut in To; lines 1-7, the end of an earlier message, are a problem
	"text/gh-issue_pjproject-3850_pjsua-log_register-401-after-auth.txt":             1,  // 401 RX (line 9) under an app's [date] stamps; lines 1-2, the end of the REGISTER, are a problem
	"text/gh-issue_pjsip-android-74_tcpdump-A_register-401.txt":                      2,  // bare: REGISTER and 401 after tcpdump -A packet bytes
	"text/gh-issue_sipdroid-15_register-100-401-no-auth-retry.txt":                   3,  // bare: REGISTER, 100, 401
	"text/gh-issue_sipsorcery-1114_wireshark-summary+msgs_register-401-401.txt":      6,  // tshark-summary: 4 packet-list rows (lines 2-5), then the raw REGISTER (7) and 401 (20, cut in To) of two of them
	"text/gh-issue_sipsorcery-370_register-401-tls.txt":                              2,  // bare: 401 and REGISTER after SIPSorcery log lines
	"text/gh-pr_creytiv-re-148_tcpdump-A_register-401-asterisk11.txt":                2,  // bare: REGISTER and 401 after tcpdump -A packet bytes
	"text/lkml-2020_chan_sip-debug_outbound-register-nonce-refresh.txt":              10, // REGISTER, 200, OPTIONS, 200, OPTIONS, 200, REGISTER, 401, REGISTER, 200 (lines 7 … 196); three empty keepalive reads are not messages
	"text/lkml-2020_tcpdump-vvv_cisco7960-register-401-200.txt":                      4,  // bare: REGISTER, 401, REGISTER, 200 inside tcpdump -vvv decodes

	// text-formats/: one example per format (TEXT-FORMATS.md)
	"text-formats/acme_sipmsg/1.txt":         2,  // REGISTER received (line 1), 404 sent (18); em-dash separators
	"text-formats/asterisk_chansip/1.txt":    6,  // INVITE read (line 1), 100 and 200 sent (39, 58), ACK and BYE read (86, 110), 200 sent (128)
	"text-formats/asterisk_pjsip/1.txt":      7,  // OPTIONS in, 404 out, INVITE out, 100, 407 in, ACK out, 403 in (lines 10, 24, 47, 78, 89, 104, 116)
	"text-formats/audiocodes_syslog/1.txt":   0,  // two envelopes (Incoming, Outgoing) whose SIP text is in packets the excerpt lacks: two problems, no message
	"text-formats/avaya/1.txt":               2,  // INVITE sent (line 1), 180 received (24)
	"text-formats/cisco_ccsip/1.txt":         2,  // INVITE received (line 1), 503 sent (49)
	"text-formats/cisco_ccsip/2.txt":         2,  // NOTIFY sent (line 5), 200 received (19); sipDisplayBinaryData skipped
	"text-formats/cisco_ccsip/3.txt":         3,  // INVITE, INVITE, CANCEL, collapsed onto their tag lines
	"text-formats/cisco_ccsip/4.txt":         3,  // INVITE (line 1), 200 OK (96), ACK (152): double-spaced, wrapped
	"text-formats/cisco_ce_endpoint/1.txt":   1,  // INVITE outgoing (line 1), middle elided by the document
	"text-formats/cisco_cms/1.txt":           1,  // 200 OK outgoing (line 1), cut by the document
	"text-formats/cisco_expressway/1.txt":    1,  // 408 sent (DEBUG line 2); the INFO line is its summary
	"text-formats/cisco_voip_trace/1.txt":    1,  // INVITE received (line 14)
	"text-formats/cucm_sdl/1.txt":            4,  // INVITE in, 180 out, INVITE out, 200 in (lines 1, 47, 66, 94)
	"text-formats/cucm_sdl/2.txt":            1,  // REFER in (line 1), double-spaced, body cut
	"text-formats/freeswitch_siptrace/1.txt": 1,  // ACK sent (line 8); lines 1-6, SDP of an earlier message, are a problem
	"text-formats/freeswitch_siptrace/2.txt": 1,  // INVITE received over TCP (line 9), double-spaced, SDP cut
	"text-formats/freeswitch_siptrace/3.txt": 1,  // INVITE received over WS (line 1), body not in the excerpt
	"text-formats/genesys_sipserver/1.txt":   1,  // REGISTER received (line 1), whole (502 bytes)
	"text-formats/mitel/1.txt":               2,  // 100 (line 11) and 200 (22) under wrapped headers; lines 1-8, the end of a REGISTER, are a problem
	"text-formats/ngrep/1.txt":               5,  // INVITE, 100, forwarded INVITE, 180, 200 (header lines 1, 30, 40, 71, 82); placeholder hosts
	"text-formats/pjsua/1.txt":               3,  // 100, 180, 200 received (lines 1, 16, 29)
	"text-formats/tshark_summary/1.txt":      16, // 16 markdown-table rows (no ports): each a summary
	"text-formats/tshark_summary/2.txt":      5,  // 5 GUI rows, each after its repeated column-title row
	"text-formats/wireshark_text/1.txt":      2,  // frames 1430 (REGISTER, line 4) and 1431 (200, line 61)
}

// TestTextCorpus reads every real text example and checks the number of
// SIP messages against textCorpusCounts; a file missing from the table
// fails too, so that a new example gets counted.
func TestTextCorpus(t *testing.T) {
	root := corpusDir(t)
	var files []string
	for _, sub := range []string{"text", "text-formats"} {
		filepath.WalkDir(filepath.Join(root, sub), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".txt") {
				files = append(files, p)
			}
			return nil
		})
	}
	sort.Strings(files)
	if len(files) == 0 {
		t.Skip("no text examples in the corpus")
	}
	for _, f := range files {
		rel, _ := filepath.Rel(root, f)
		t.Run(rel, func(t *testing.T) {
			want, ok := textCorpusCounts[filepath.ToSlash(rel)]
			if !ok {
				t.Fatalf("no expected count for %s: count its messages by reading it and add a row", rel)
			}
			got, format, err := countTextMessages(f)
			var fe *FormatError
			switch {
			case errors.As(err, &fe) && want == 0:
				return
			case err != nil:
				t.Fatalf("%v", err)
			}
			if got != want {
				t.Errorf("read as %s: %d messages, want %d", format, got, want)
			}
		})
	}
}

func countTextMessages(path string) (n int, format string, err error) {
	r, err := Open([]string{path}, nil, Options{})
	if err != nil {
		return 0, "", err
	}
	defer r.Close()
	for {
		if _, err := r.Next(); err == io.EOF {
			break
		} else if err != nil {
			return n, "", err
		}
		n++
	}
	return n, r.Inputs()[0].Format, nil
}
