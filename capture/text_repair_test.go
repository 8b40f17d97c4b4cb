package capture

import (
	"fmt"
	"strings"
	"testing"
)

type repaired struct {
	line      int
	msg       string
	truncated bool
}

// repairText runs the repair on a Text given with LF line ends; messages
// come back with CRLF shown as "\n" for readability, after checking that
// every line end is CRLF.
func repairText(t *testing.T, text string, envelopeTruncated bool) (out []repaired, problems []string) {
	t.Helper()
	var r repairer
	r = repairer{
		problem: func(line int, msg string) { problems = append(problems, fmt.Sprintf("L%d %s", line, msg)) },
		emit: func(line int, p []byte, truncated bool) []byte {
			// the view read while writing is the view of what was written
			if got, want := viewString(r.view), viewString(viewOf(p)); got != want {
				t.Errorf("view while writing %s, of the message %s", got, want)
			}
			s := string(p)
			if strings.Count(s, "\n") != strings.Count(s, "\r\n") {
				t.Errorf("bare LF in %q", s)
			}
			out = append(out, repaired{line, strings.ReplaceAll(s, "\r\n", "\n"), truncated})
			return p
		},
	}
	r.repair(&TextMessage{Line: 10, BodyLine: 11, Text: []byte(text), Truncated: envelopeTruncated})
	return out, problems
}

func TestRepair(t *testing.T) {
	cases := []struct {
		name, text string
		want       []string // messages
		truncated  []bool
		problems   []string
	}{
		{
			name: "a clean message gets CRLF and its blank line",
			text: "OPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\nFrom: <sip:c@d>;tag=1\nTo: <sip:a@b>\nCall-ID: x\nCSeq: 1 OPTIONS\nContent-Length: 0\n",
			want: []string{"OPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\nFrom: <sip:c@d>;tag=1\nTo: <sip:a@b>\nCall-ID: x\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n"},
		},
		{
			name: "folded headers joined (RFC 3261 §7.3.1), without a space inside a token",
			text: "INVITE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP 14.1.16.25:\n   5060;branch=z9hG4bK9\nFrom: <sip:5555@14.1.16.25>\n   ;tag=E54D\nCall-ID: 2DCA-80D3\n   -3585@h\nSubject: a long\n   subject\nContent-Disposition:\n   session\nContent-Length: 0\n",
			want: []string{"INVITE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP 14.1.16.25:5060;branch=z9hG4bK9\nFrom: <sip:5555@14.1.16.25>;tag=E54D\nCall-ID: 2DCA-80D3-3585@h\nSubject: a long subject\nContent-Disposition: session\nContent-Length: 0\n\n"},
		},
		{
			name:      "line wrapped by a mail client joined to the header above",
			text:      "REGISTER sip:b SIP/2.0\nContact: <sip:alice@10.0.0.1>;+sip.instance=\"<urn:uuid:1234\nabcd>\";expires=60 \nmore\nCSeq: 1 REGISTER\n",
			want:      []string{"REGISTER sip:b SIP/2.0\nContact: <sip:alice@10.0.0.1>;+sip.instance=\"<urn:uuid:1234 abcd>\";expires=60 more\nCSeq: 1 REGISTER\n\n"},
			problems:  []string{"L11 message cut in its headers (Via, From, To, Call-ID missing)"},
			truncated: []bool{true},
		},
		{
			name: "a name-addr wrapped after its '<' joins its URI (not a header named sip)",
			text: "INVITE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\nFrom: \"Alice Example\" <\nsip:alice@example.com>;tag=1\nTo: <\nSIPS:bob@example.com>\nCall-ID: x\nCSeq: 1 INVITE\nContent-Length: 0\n",
			want: []string{"INVITE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\nFrom: \"Alice Example\" <sip:alice@example.com>;tag=1\nTo: <SIPS:bob@example.com>\nCall-ID: x\nCSeq: 1 INVITE\nContent-Length: 0\n\n"},
		},
		{
			name: "collapsed message re-split before known headers and SDP fields",
			text: "INVITE sip:1@h SIP/2.0 Via:SIP/2.0/TLS 1.2.3.4:8934;branch=z9 From:\"A To: B\" <sip:2@h>;tag=1 To:<sip:1@h> Call-ID:c1 CSeq:100 INVITE Content-Type: application/sdp Content-Length: 24 v=0 o=- 1 1 IN IP4 h s=-\n",
			want: []string{"INVITE sip:1@h SIP/2.0\nVia:SIP/2.0/TLS 1.2.3.4:8934;branch=z9\nFrom:\"A To: B\" <sip:2@h>;tag=1\nTo:<sip:1@h>\nCall-ID:c1\nCSeq:100 INVITE\nContent-Type: application/sdp\nContent-Length: 24\n\nv=0\no=- 1 1 IN IP4 h\ns=-\n"},
		},
		{
			name: "collapsed status line keeps its reason phrase",
			text: "SIP/2.0 401 Unauthorized Via: SIP/2.0/UDP h;branch=z9 From: <sip:a@h>;tag=1 To: <sip:a@h>;tag=2 Call-ID: c CSeq: 1 REGISTER Content-Length: 0\n",
			want: []string{"SIP/2.0 401 Unauthorized\nVia: SIP/2.0/UDP h;branch=z9\nFrom: <sip:a@h>;tag=1\nTo: <sip:a@h>;tag=2\nCall-ID: c\nCSeq: 1 REGISTER\nContent-Length: 0\n\n"},
		},
		{
			name: "merged header lines split",
			text: "INVITE sip:a@b SIP/2.0\nExpires: 180 Allow-Events: telephone-event\nContent-Length: 0\n",
			want: []string{"INVITE sip:a@b SIP/2.0\nExpires: 180\nAllow-Events: telephone-event\nContent-Length: 0\n\n"},
		},
		{
			name: "double-spaced paste: one blank of each pair removed, a doubled blank is the real one",
			text: "\nINVITE sip:a@b SIP/2.0\n\nVia: SIP/2.0/UDP h;branch=z9\n\nFrom: <sip:c@d>;tag=1\n\nTo: <sip:a@b>\n\nCall-ID: x\n\nCSeq: 1 INVITE\n\nContent-Type: application/sdp\n\nContent-Length: 10\n\n \n\nv=0\n\ns=-\n\n",
			want: []string{"INVITE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9\nFrom: <sip:c@d>;tag=1\nTo: <sip:a@b>\nCall-ID: x\nCSeq: 1 INVITE\nContent-Type: application/sdp\nContent-Length: 10\n\nv=0\ns=-\n"},
		},
		{
			name: "missing blank line before the body",
			text: "SIP/2.0 200 OK\nContent-Type: application/sdp\nContent-Length: 10\nv=0\ns=-\n",
			want: []string{"SIP/2.0 200 OK\nContent-Type: application/sdp\nContent-Length: 10\n\nv=0\ns=-\n"},
		},
		{
			name:     "text after the body is cut at Content-Length and reported",
			text:     "SIP/2.0 200 OK\nContent-Type: text/plain\nContent-Length: 4\n\nabc\nRouter#show logging\n--More--\n",
			want:     []string{"SIP/2.0 200 OK\nContent-Type: text/plain\nContent-Length: 4\n\nabc\n"},
			problems: []string{"L16 2 line(s) after the message body (Content-Length 4) are not SIP: not read"},
		},
		{
			name: "SDP past a Content-Length shortened by sanitising is kept",
			text: "SIP/2.0 200 OK\nContent-Type: application/sdp\nContent-Length: 5\n\nv=0\nc=IN IP4 x.x.x.x\n",
			want: []string{"SIP/2.0 200 OK\nContent-Type: application/sdp\nContent-Length: 5\n\nv=0\nc=IN IP4 x.x.x.x\n"},
		},
		{
			name:      "body missing although Content-Length says there is one",
			text:      "INVITE sip:a@b SIP/2.0\nContent-Type: application/sdp\nContent-Length: 247\n",
			want:      []string{"INVITE sip:a@b SIP/2.0\nContent-Type: application/sdp\nContent-Length: 247\n\n"},
			truncated: []bool{true},
			problems:  []string{"L13 Content-Length 247 but the log holds no body: body missing or cut"},
		},
		{
			name:      "annotations dropped; [truncated] marks the message",
			text:      "INVITE sip:a@b SIP/2.0   <- EP initiate\n--- snip ---\nVia: SIP/2.0/UDP h;branch=z9\n...\n[truncated]\n",
			want:      []string{"INVITE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9\n\n"},
			truncated: []bool{true},
			problems:  []string{"L11 message cut in its headers (From, To, Call-ID, CSeq missing)"},
		},
		{
			name: "a comment after the request line is not a header",
			text: "BYE sip:a@b SIP/2.0 (the phone hangs up)\nContent-Length: 0\n",
			want: []string{"BYE sip:a@b SIP/2.0\nContent-Length: 0\n\n"},
		},
		{
			name: "sanitised hosts kept as they are",
			text: "REGISTER sip:x.x.x.x SIP/2.0\nVia: SIP/2.0/UDP ;branch=z9hG4bK1\nFrom: <>;tag=1\nTo: \"Bob\" ;tag=2\nContact: <sip:UA_ipaddr:5060>\nContent-Length: 0\n",
			want: []string{"REGISTER sip:x.x.x.x SIP/2.0\nVia: SIP/2.0/UDP ;branch=z9hG4bK1\nFrom: <>;tag=1\nTo: \"Bob\" ;tag=2\nContact: <sip:UA_ipaddr:5060>\nContent-Length: 0\n\n"},
		},
		{
			name: "two messages in one text are two messages",
			text: "SIP/2.0 100 Trying\nContent-Length: 0\n\nSIP/2.0 180 Ringing\nContent-Length: 0\n",
			want: []string{"SIP/2.0 100 Trying\nContent-Length: 0\n\n", "SIP/2.0 180 Ringing\nContent-Length: 0\n\n"},
		},
		{
			name:     "the log starts inside a message",
			text:     "a=rtpmap:0 PCMU/8000\n\nSIP/2.0 200 OK\nContent-Length: 0\n",
			want:     []string{"SIP/2.0 200 OK\nContent-Length: 0\n\n"},
			problems: []string{"L11 message cut at its start (the log begins inside it): 2 line(s) before the next start line not read"},
		},
		{
			name:     "no start line at all",
			text:     "m=audio 1 RTP/AVP 0\na=sendrecv\n",
			problems: []string{"L11 no SIP start line in the message at line 10: not read"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, problems := repairText(t, c.text, false)
			if len(got) != len(c.want) {
				t.Fatalf("%d messages, want %d: %+v", len(got), len(c.want), got)
			}
			for i := range got {
				if got[i].msg != c.want[i] {
					t.Errorf("message %d:\n got %q\nwant %q", i, got[i].msg, c.want[i])
				}
				wantTrunc := i < len(c.truncated) && c.truncated[i]
				if got[i].truncated != wantTrunc {
					t.Errorf("message %d truncated=%v", i, got[i].truncated)
				}
			}
			if strings.Join(problems, "|") != strings.Join(c.problems, "|") {
				t.Errorf("problems %q, want %q", problems, c.problems)
			}
		})
	}
}

func TestRepairLinesAndTruncation(t *testing.T) {
	// the second message starts at its own log line; the envelope's
	// truncation goes to the last message
	got, _ := repairText(t, "SIP/2.0 100 Trying\nContent-Length: 0\n\nSIP/2.0 180 Ringing\nContent-Length: 0\n", true)
	if len(got) != 2 || got[0].line != 10 || got[1].line != 14 {
		t.Fatalf("lines: %+v", got)
	}
	if got[0].truncated || !got[1].truncated {
		t.Errorf("truncated: %v %v", got[0].truncated, got[1].truncated)
	}
}

func viewString(v sipView) string {
	return fmt.Sprintf("%v %q %q %d via=%v %q %q %d %q %d %q route=%q callid=%q cseq=%q date=%q",
		v.request, v.method, v.uri, v.status, v.via.present, v.via.transport, v.via.host, v.via.port,
		v.via.received, v.via.rport, v.via.branch, v.route, v.callID, v.cseq, v.date)
}
