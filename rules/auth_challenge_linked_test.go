package rules

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sipdiag/sipdiag/decode"
)

// answerOf takes the correlator's pairing of an answer with its challenge
// (Transaction.AnsweredChallenge) for what comparing the nonces and
// Call-IDs would tell: fed real correlated transactions, it agrees with
// answerByNonce for every request paired, in and past the window, with
// the nonces equal, different or missing.
func TestAnswerOfPairedSameAsByNonce(t *testing.T) {
	msg := func(start, branch, callID string, cseq int, extra string) string {
		return strings.ReplaceAll(fmt.Sprintf(`%s
Via: SIP/2.0/UDP 10.0.0.5:5060;branch=%s
From: <sip:alice@example.com>;tag=a1
To: <sip:alice@example.com>
Call-ID: %s
CSeq: %d REGISTER
Contact: <sip:alice@10.0.0.5:5060>
%sContent-Length: 0

`, start, branch, callID, cseq, extra), "\n", "\r\n")
	}
	const challenge = "WWW-Authenticate: Digest realm=\"example.com\", nonce=\"%s\", algorithm=MD5\n"
	const creds = "Authorization: Digest username=\"alice\", realm=\"example.com\", %suri=\"sip:example.com\", response=\"0123\"\n"
	type step struct {
		at       time.Duration
		req      bool
		callID   string
		cseq     int
		extra    string
		response string
	}
	var steps []step
	n := 0
	for _, c := range []struct{ chNonce, crNonce string }{{"n1", "n1"}, {"n1", "n0"}, {"n1", ""}, {"", "n1"}, {"", ""}} {
		for _, after := range []time.Duration{100 * time.Millisecond, 5 * time.Second} {
			n++
			at := time.Duration(n) * 100 * time.Second
			id := fmt.Sprintf("c%d@10.0.0.5", n)
			crn := ""
			if c.crNonce != "" {
				crn = `nonce="` + c.crNonce + `", `
			}
			ch := fmt.Sprintf(challenge, c.chNonce)
			if c.chNonce == "" {
				ch = strings.Replace(ch, `nonce="", `, "", 1)
			}
			steps = append(steps,
				step{at, true, id, 1, "", ""},
				step{at + 10*time.Millisecond, false, id, 1, ch, "401 Unauthorized"},
				step{at + after, true, id, 2, fmt.Sprintf(creds, crn), ""},
				step{at + after + 10*time.Millisecond, false, id, 2, "", "200 OK"})
		}
	}
	var paired, agreed int
	obs := &decode.Observers{Transaction: []func(*decode.Transaction){func(x *decode.Transaction) {
		ch, agrees := x.AnsweredChallenge()
		if ch == nil {
			return
		}
		paired++
		if agrees {
			agreed++
		}
		at, nonce := ch.Final.At.Time, ch.Final.Challenge.Nonce
		for _, w := range []time.Duration{decode.TimerF, time.Second} {
			in1, late1 := answerOf(x, at, w, ch, nonce)
			in2, late2 := answerByNonce(x, at, w, ch.CallID, nonce)
			if in1 != in2 || late1 != late2 {
				t.Errorf("%s (window %s): paired says in time %v late %v, by nonce %v %v", x.CallID, w, in1, late1, in2, late2)
			}
		}
	}}}
	c := decode.NewCorrelator(obs, decode.Options{})
	var m decode.Message
	t0 := time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC).UnixNano()
	for i, s := range steps {
		branch := fmt.Sprintf("z9hG4bK%s-%d", s.callID, s.cseq)
		var raw, src, dst = "", txnUA, txnSrv
		if s.req {
			raw = msg("REGISTER sip:example.com SIP/2.0", branch, s.callID, s.cseq, s.extra)
		} else {
			raw = msg("SIP/2.0 "+s.response, branch, s.callID, s.cseq, s.extra)
			src, dst = dst, src
		}
		if err := m.Scan([]byte(raw)); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		c.Add(&m, decode.Meta{Ref: decode.Ref{Frame: int64(i + 1), Time: t0 + int64(s.at)}, Src: src, Dst: dst})
	}
	c.Finish()
	if paired != 10 || agreed != 8 {
		t.Errorf("%d answers paired with their challenge (want 10), %d with nonces agreeing (want 8)", paired, agreed)
	}
}
