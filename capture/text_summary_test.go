package capture

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// builtMsg is a message made by summaryBuilder, read back.
type builtMsg struct {
	start, via, from, to, callID, cseq string
	auth, challenge                    string
	raw                                []byte
}

func (m builtMsg) branch() string {
	_, b, _ := strings.Cut(m.via, ";branch=")
	return b
}

func readBuilt(t testing.TB, raw []byte) builtMsg {
	t.Helper()
	if !bytes.HasSuffix(raw, []byte("\r\n\r\n")) {
		t.Fatalf("message does not end with an empty line: %q", raw)
	}
	lines := strings.Split(strings.TrimSuffix(string(raw), "\r\n\r\n"), "\r\n")
	m := builtMsg{start: lines[0], raw: raw}
	for _, l := range lines[1:] {
		name, value, ok := strings.Cut(l, ": ")
		if !ok {
			t.Fatalf("not a header: %q", l)
		}
		switch name {
		case "Via":
			m.via = value
		case "From":
			m.from = value
		case "To":
			m.to = value
		case "Call-ID":
			m.callID = value
		case "CSeq":
			m.cseq = value
		case "Authorization", "Proxy-Authorization":
			m.auth = l
		case "WWW-Authenticate", "Proxy-Authenticate":
			m.challenge = l
		}
	}
	return m
}

// buildAll ingests a packet list and builds every message, as the
// framework does for one input.
func buildAll(t testing.TB, text string) []builtMsg {
	t.Helper()
	s := ntIngest(t, "tshark-summary", []byte(text))
	if len(s.problems) > 0 {
		t.Fatalf("problems: %v", s.problems)
	}
	b := newSummaryBuilder()
	var out []builtMsg
	for _, m := range s.msgs {
		raw := b.build(m)
		if raw == nil {
			t.Fatalf("line %d: no message built", m.Line)
		}
		out = append(out, readBuilt(t, raw))
	}
	return out
}

func TestSummaryRegisterLoop(t *testing.T) {
	msgs := buildAll(t, string(ntReadSample(t, "tshark-summary/register-401-loop.txt")))
	if len(msgs) != 32 {
		t.Fatalf("%d messages", len(msgs))
	}
	callID := msgs[0].callID
	for i := 0; i < len(msgs); i += 2 {
		req, resp := msgs[i], msgs[i+1]
		seq := itoa(i/2 + 1)
		if req.start != "REGISTER sip:sip.example.net SIP/2.0" || req.callID != callID || req.cseq != seq+" REGISTER" {
			t.Errorf("request %d: %q %q %q", i, req.start, req.callID, req.cseq)
		}
		if (i > 0) != (req.auth != "") {
			t.Errorf("request %d: credentials %q", i, req.auth)
		}
		if i > 0 && !strings.HasPrefix(req.auth, `Authorization: Digest username="(not in summary)", realm="(not in summary)"`) {
			t.Errorf("request %d: credentials %q", i, req.auth)
		}
		if resp.start != "SIP/2.0 401 Unauthorized" || resp.callID != callID || resp.cseq != req.cseq || resp.branch() != req.branch() ||
			resp.challenge != `WWW-Authenticate: Digest realm="(not in summary)", nonce="(not in summary)"` {
			t.Errorf("response %d: %+v", i+1, resp)
		}
		if i > 0 && req.branch() == msgs[i-2].branch() {
			t.Errorf("request %d reuses the branch of the previous one", i)
		}
		// A REGISTER's To and From are the UA's unknown account.
		if req.to != "<sip:ua-127.0.0.11@not-in-summary.invalid>" || !strings.HasPrefix(req.from, req.to+";tag=") {
			t.Errorf("request %d: From %q To %q", i, req.from, req.to)
		}
	}
}

func TestSummaryInviteProxyAuth(t *testing.T) {
	msgs := buildAll(t, string(ntReadSample(t, "tshark-summary/invite-407-403-loop.txt")))
	// Rows 5-10: INVITE, 407, ACK, INVITE(auth), 403, ACK; rows 11-16 the
	// same again with a new Call-ID.
	inv, chal, ack, inv2, rej, ack2 := msgs[4], msgs[5], msgs[6], msgs[7], msgs[8], msgs[9]
	if !strings.HasPrefix(inv.start, "INVITE ") || inv.auth != "" || inv.to != "<sip:bob@sip.example.net>" || inv.from[:strings.Index(inv.from, ";")] != "<sip:ua-127.0.0.13@not-in-summary.invalid>" {
		t.Errorf("first INVITE %+v", inv)
	}
	if chal.challenge != `Proxy-Authenticate: Digest realm="(not in summary)", nonce="(not in summary)"` || chal.branch() != inv.branch() {
		t.Errorf("407 %+v", chal)
	}
	if !strings.HasPrefix(ack.start, "ACK ") || ack.branch() != inv.branch() || ack.cseq != "1 ACK" || ack.callID != inv.callID || ack.to != chal.to {
		t.Errorf("ACK to the 407 is not in the INVITE's transaction: %+v (INVITE %+v)", ack, inv)
	}
	if inv2.callID != inv.callID || inv2.cseq != "2 INVITE" || !strings.HasPrefix(inv2.auth, "Proxy-Authorization: Digest ") || inv2.branch() == inv.branch() {
		t.Errorf("retry %+v", inv2)
	}
	if rej.start != "SIP/2.0 403 Incorrect Authentication" || rej.branch() != inv2.branch() || rej.challenge != "" {
		t.Errorf("403 %+v", rej)
	}
	if ack2.branch() != inv2.branch() {
		t.Errorf("ACK to the 403 %+v", ack2)
	}
	next := msgs[10]
	if next.callID == inv.callID || next.auth != "" || next.from[:strings.Index(next.from, ";")] != inv.from[:strings.Index(inv.from, ";")] {
		t.Errorf("next call %+v: want a new Call-ID, no credentials, the same account", next)
	}
}

func TestSummaryLockoutThenFreshRequest(t *testing.T) {
	msgs := buildAll(t, string(ntReadSample(t, "tshark-summary/ban-after-burst.txt")))
	// Row 13 answers row 12's 401 (credentials) and gets a 403; row 15,
	// 44 s later, follows a 403 that is no challenge: no credentials.
	if msgs[12].auth == "" || msgs[13].start != "SIP/2.0 403 Forbidden - too many failed authentications" {
		t.Errorf("rows 13/14: %+v %+v", msgs[12], msgs[13])
	}
	if msgs[14].auth != "" || msgs[14].callID != msgs[0].callID || msgs[14].cseq != "8 REGISTER" {
		t.Errorf("row 15 %+v: want the registration's Call-ID, next CSeq, no credentials", msgs[14])
	}
}

func TestSummaryRetransmissionCancelAndOrphans(t *testing.T) {
	list := "" +
		"1 0.000 10.0.0.1 -> 10.0.0.2 SIP 500 Request: INVITE sip:bob@10.0.0.2 |\n" +
		"2 0.500 10.0.0.1 -> 10.0.0.2 SIP 500 Request: INVITE sip:bob@10.0.0.2 |\n" + // retransmission
		"3 0.600 10.0.0.2 -> 10.0.0.1 SIP 300 Status: 100 Trying |\n" +
		"4 5.000 10.0.0.1 -> 10.0.0.2 SIP 300 Request: CANCEL sip:bob@10.0.0.2 |\n" +
		"5 5.001 10.0.0.2 -> 10.0.0.1 SIP 300 Status: 200 OK |\n" + // to the CANCEL
		"6 5.002 10.0.0.2 -> 10.0.0.1 SIP 300 Status: 487 Request Terminated |\n" +
		"7 5.003 10.0.0.1 -> 10.0.0.2 SIP 300 Request: ACK sip:bob@10.0.0.2 |\n" +
		"8 5.600 10.0.0.2 -> 10.0.0.1 SIP 300 Status: 487 Request Terminated |\n" + // retransmitted final
		"9 9.000 10.0.0.2 -> 10.0.0.1 SIP 300 Status: 503 Service Unavailable (OPTIONS) |\n" // orphan
	msgs := buildAll(t, list)
	inv := msgs[0]
	if !bytes.Equal(msgs[1].raw, inv.raw) {
		t.Errorf("retransmission differs:\n%s\n%s", msgs[1].raw, inv.raw)
	}
	if msgs[2].branch() != inv.branch() {
		t.Errorf("100 %+v", msgs[2])
	}
	cancel := msgs[3]
	if cancel.branch() != inv.branch() || cancel.callID != inv.callID || cancel.cseq != "1 CANCEL" {
		t.Errorf("CANCEL %+v", cancel)
	}
	if msgs[4].cseq != "1 CANCEL" || msgs[5].cseq != "1 INVITE" || msgs[5].branch() != inv.branch() {
		t.Errorf("200/487: %+v %+v", msgs[4], msgs[5])
	}
	if msgs[6].branch() != inv.branch() || msgs[6].cseq != "1 ACK" {
		t.Errorf("ACK %+v", msgs[6])
	}
	if !bytes.Equal(msgs[7].raw, msgs[5].raw) {
		t.Errorf("retransmitted 487 differs:\n%s\n%s", msgs[7].raw, msgs[5].raw)
	}
	if msgs[8].cseq != "1 OPTIONS" || msgs[8].callID == inv.callID {
		t.Errorf("orphan %+v", msgs[8])
	}
	// An orphan response for an unknown method cannot be built.
	b := newSummaryBuilder()
	a, _ := netip.ParseAddrPort("10.0.0.2:0")
	c, _ := netip.ParseAddrPort("10.0.0.1:0")
	if raw := b.build(&TextMessage{Summary: &TextSummary{Src: a, Dst: c, Status: 200, Reason: "OK"}}); raw != nil {
		t.Errorf("built %q", raw)
	}
}

func TestSummaryLateRequestIsNoRetry(t *testing.T) {
	msgs := buildAll(t, ""+
		"1 0.0 10.0.0.1 -> 10.0.0.2 SIP 500 Request: REGISTER sip:example.net |\n"+
		"2 0.1 10.0.0.2 -> 10.0.0.1 SIP 500 Status: 401 Unauthorized |\n"+
		"3 60.0 10.0.0.1 -> 10.0.0.2 SIP 500 Request: REGISTER sip:example.net |\n"+
		"4 60.1 10.0.0.2 -> 10.0.0.1 SIP 500 Status: 401 Unauthorized |\n"+
		"5 60.2 10.0.0.1 -> 10.0.0.2 SIP 500 Request: REGISTER sip:example.net |\n"+
		"6 60.3 10.0.0.2 -> 10.0.0.1 SIP 500 Status: 200 OK (REGISTER) |\n"+
		"7 61.0 10.0.0.3 -> 10.0.0.2 SIP 500 Request: REGISTER sip:example.net |\n")
	if msgs[2].auth != "" || msgs[2].callID != msgs[0].callID || msgs[2].cseq != "2 REGISTER" {
		t.Errorf("a REGISTER 60 s after the challenge is a new attempt: %+v", msgs[2])
	}
	if msgs[4].auth == "" || msgs[4].cseq != "3 REGISTER" || msgs[5].branch() != msgs[4].branch() {
		t.Errorf("retry %+v / %+v", msgs[4], msgs[5])
	}
	if msgs[6].callID == msgs[0].callID || msgs[6].to != "<sip:ua-10.0.0.3@not-in-summary.invalid>" {
		t.Errorf("another UA: %+v", msgs[6])
	}
}

// Open requests are forgotten after a while and the tables stay bounded.
func TestSummaryBuilderBounded(t *testing.T) {
	b := newSummaryBuilder()
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 2*summaryMaxOpen; i++ {
		src := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), 5060)
		dst := netip.MustParseAddrPort("10.255.0.1:5060")
		m := &TextMessage{Stamp: TextStamp{Time: base.Add(time.Duration(i) * time.Microsecond)},
			Summary: &TextSummary{Src: src, Dst: dst, Method: "OPTIONS", RequestURI: "sip:x"}}
		if b.build(m) == nil {
			t.Fatal("nil")
		}
	}
	if len(b.open) > summaryMaxOpen || len(b.flows) > summaryMaxFlows {
		t.Errorf("open %d flows %d", len(b.open), len(b.flows))
	}
	// Synthetic values are placeholders, never a realm or user a rule
	// could quote as a fact.
	for _, v := range []string{summaryUnknown, summaryAccountHost} {
		if !strings.Contains(v, "not-in-summary") && !strings.Contains(v, "not in summary") {
			t.Errorf("placeholder %q", v)
		}
	}
	if got := summarySentBy(netip.MustParseAddrPort("[2001:db8::1]:5060")); got != "[2001:db8::1]:5060" {
		t.Errorf("sent-by %q", got)
	}
	if got := summaryAccount(netip.MustParseAddrPort("[2001:db8::1]:0")); got != "ua-2001-db8--1" {
		t.Errorf("account %q", got)
	}
}
