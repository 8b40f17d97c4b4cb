package decode

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"
)

var (
	ua  = netip.MustParseAddrPort("10.0.0.5:5060")
	reg = netip.MustParseAddrPort("10.0.0.1:5060")
	t0  = time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC).UnixNano()
)

// step is one message fed to the correlator at t0 + at.
type step struct {
	at       time.Duration
	src, dst netip.AddrPort
	msg      string
}

type recorder struct {
	txns  []*Transaction
	regs  []RegistrationEvent
	auths []*AuthExchange
}

func correlate(t *testing.T, steps []step) (*Trace, *recorder) {
	t.Helper()
	rec := &recorder{}
	obs := &Observers{
		Transaction:  []func(*Transaction){func(x *Transaction) { rec.txns = append(rec.txns, x) }},
		Registration: []func(*RegistrationEvent){func(e *RegistrationEvent) { rec.regs = append(rec.regs, *e) }},
		Auth:         []func(*AuthExchange){func(a *AuthExchange) { rec.auths = append(rec.auths, a) }},
	}
	c := NewCorrelator(obs, Options{})
	feedSteps(t, c, steps)
	return c.Finish(), rec
}

// feedSteps scans each step's message (LF line ends made CRLF) and adds it
// to c as frame i+1 at t0 plus the step's time.
func feedSteps(t *testing.T, c *Correlator, steps []step) {
	t.Helper()
	var m Message
	for i, s := range steps {
		raw := strings.ReplaceAll(strings.TrimLeft(s.msg, "\n"), "\n", "\r\n")
		if err := m.Scan([]byte(raw)); err != nil {
			t.Fatalf("step %d: scan: %v", i, err)
		}
		c.Add(&m, Meta{Ref: Ref{Frame: int64(i + 1), Time: t0 + int64(s.at)}, Src: s.src, Dst: s.dst})
	}
}

func registerMsg(cseq int, branch, extra string) string {
	return fmt.Sprintf(`
REGISTER sip:example.com SIP/2.0
Via: SIP/2.0/UDP 10.0.0.5:5060;branch=%s;rport
From: <sip:alice@example.com>;tag=a1
To: <sip:alice@example.com>
Call-ID: reg-1@10.0.0.5
CSeq: %d REGISTER
Contact: <sip:alice@10.0.0.5:5060>
Expires: 3600
%sContent-Length: 0

`, branch, cseq, extra)
}

func response(status, branch string, cseq int, extra string) string {
	return fmt.Sprintf(`
SIP/2.0 %s
Via: SIP/2.0/UDP 10.0.0.5:5060;branch=%s;rport=5060;received=10.0.0.5
From: <sip:alice@example.com>;tag=a1
To: <sip:alice@example.com>;tag=r9
Call-ID: reg-1@10.0.0.5
CSeq: %d REGISTER
%sContent-Length: 0

`, status, branch, cseq, extra)
}

const challenge = "WWW-Authenticate: Digest realm=\"example.com\", nonce=\"n1\", algorithm=MD5, qop=\"auth\"\n"
const creds = "Authorization: Digest username=\"alice\", realm=\"example.com\", nonce=\"n1\", uri=\"sip:example.com\", response=\"0123\", algorithm=MD5\n"

func TestRegistrationWithChallenge(t *testing.T) {
	tr, rec := correlate(t, []step{
		{0, ua, reg, registerMsg(1, "z9hG4bK1", "")},
		{500 * time.Millisecond, ua, reg, registerMsg(1, "z9hG4bK1", "")}, // retransmission (Timer E)
		{600 * time.Millisecond, reg, ua, response("401 Unauthorized", "z9hG4bK1", 1, challenge)},
		{700 * time.Millisecond, ua, reg, registerMsg(2, "z9hG4bK2", creds)},
		{800 * time.Millisecond, reg, ua, response("200 OK", "z9hG4bK2", 2, "Contact: <sip:alice@10.0.0.5:5060>;expires=600\nExpires: 3600\n")},
	})
	if tr.Messages != 5 || tr.Transactions != 2 || tr.Retransmits != 1 {
		t.Errorf("messages %d transactions %d retransmits %d", tr.Messages, tr.Transactions, tr.Retransmits)
	}
	if len(rec.txns) != 2 || rec.txns[0].Sends != 2 || rec.txns[0].Status() != 401 || rec.txns[1].Status() != 200 {
		t.Fatalf("transactions: %+v", rec.txns)
	}
	if rec.txns[0].Final.Challenge == nil || rec.txns[0].Final.Challenge.Realm != "example.com" {
		t.Errorf("challenge not parsed: %+v", rec.txns[0].Final.Challenge)
	}
	if len(rec.auths) != 1 || rec.auths[0].Outcome != AuthAccepted || rec.auths[0].Answer != rec.txns[1] || rec.auths[0].Challenge != rec.txns[0] {
		t.Errorf("auth exchanges: %+v", rec.auths)
	}
	if len(rec.regs) != 2 || rec.regs[0].Kind != RegChallenged || rec.regs[1].Kind != RegGranted {
		t.Fatalf("registration events: %+v", rec.regs)
	}
	// The Contact's expires (600) beats the Expires header (RFC 3261 §10.2.4).
	if g := rec.txns[1].Final.Granted; g != 600 {
		t.Errorf("granted %d, want 600", g)
	}
	r := tr.Registrations[0]
	if r.AOR != "sip:alice@example.com" || r.Registrar != "example.com" || !r.Bound ||
		r.Deadline != t0+int64(800*time.Millisecond)+600e9 {
		t.Errorf("registration: %+v", r)
	}
	if tr.Span.First != t0 || tr.Span.Last != t0+int64(800*time.Millisecond) {
		t.Errorf("span %+v", tr.Span)
	}
}

func TestWrongPasswordChainsExchanges(t *testing.T) {
	steps := []step{{0, ua, reg, registerMsg(1, "z9hG4bK1", "")}, {time.Millisecond, reg, ua, response("401 Unauthorized", "z9hG4bK1", 1, challenge)}}
	for i := 2; i <= 4; i++ {
		b := fmt.Sprintf("z9hG4bK%d", i)
		steps = append(steps,
			step{time.Duration(i) * time.Second, ua, reg, registerMsg(i, b, creds)},
			step{time.Duration(i)*time.Second + time.Millisecond, reg, ua, response("401 Unauthorized", b, i, challenge)})
	}
	_, rec := correlate(t, steps)
	// Three rejected answers, and the last challenge left open when the capture ends.
	var rejected, open int
	for _, a := range rec.auths {
		switch {
		case a.Outcome == AuthRejected:
			rejected++
		case a.Outcome == AuthUnanswered && a.CaptureEnded:
			open++
		}
	}
	if rejected != 3 || open != 1 || len(rec.auths) != 4 {
		t.Errorf("rejected %d, open %d, total %d", rejected, open, len(rec.auths))
	}
}

func TestStaleIsNotRejection(t *testing.T) {
	_, rec := correlate(t, []step{
		{0, ua, reg, registerMsg(1, "z9hG4bK1", creds)},
		{time.Millisecond, reg, ua, response("401 Unauthorized", "z9hG4bK1", 1, strings.Replace(challenge, "qop", "stale=TRUE, qop", 1))},
	})
	if len(rec.auths) < 1 || rec.auths[0].Outcome != AuthStale || rec.auths[0].Challenge != nil {
		t.Errorf("want a preemptive exchange ending stale, got %+v", rec.auths[0])
	}
}

func TestTimeoutVersusCaptureEnd(t *testing.T) {
	// Timer F runs out while the capture goes on: timed out.
	_, rec := correlate(t, []step{
		{0, ua, reg, registerMsg(1, "z9hG4bK1", "")},
		{40 * time.Second, ua, reg, registerMsg(2, "z9hG4bK2", "")},
	})
	if len(rec.txns) != 2 || rec.txns[0].State != TimedOut || rec.txns[1].State != CaptureEnded {
		t.Fatalf("states: %v", []State{rec.txns[0].State, rec.txns[1].State})
	}
	if rec.regs[0].Kind != RegNoResponse {
		t.Errorf("registration event %v", rec.regs[0].Kind)
	}
}

func TestOrphanResponseAndRetransmittedFinal(t *testing.T) {
	tr, rec := correlate(t, []step{
		{0, reg, ua, response("503 Service Unavailable", "z9hG4bKx", 1, "Retry-After: 120\n")},
		{time.Second, reg, ua, response("503 Service Unavailable", "z9hG4bKx", 1, "Retry-After: 120\n")},
	})
	if tr.Orphans != 1 || len(rec.txns) != 1 || !rec.txns[0].Orphan || rec.txns[0].Final.RetryAfter != 120 || rec.txns[0].Final.Retransmits != 1 {
		t.Errorf("orphans %d, txns %+v", tr.Orphans, rec.txns)
	}
}

func TestDeregistration(t *testing.T) {
	_, rec := correlate(t, []step{
		{0, ua, reg, registerMsg(1, "z9hG4bK1", "")},
		{time.Millisecond, reg, ua, response("200 OK", "z9hG4bK1", 1, "Contact: <sip:alice@10.0.0.5:5060>;expires=60\n")},
		{time.Second, ua, reg, strings.Replace(registerMsg(2, "z9hG4bK2", ""), "Expires: 3600", "Expires: 0", 1)},
		{time.Second + time.Millisecond, reg, ua, response("200 OK", "z9hG4bK2", 2, "")},
	})
	if len(rec.regs) != 2 || rec.regs[0].Kind != RegGranted || rec.regs[1].Kind != RegDeregistered || rec.regs[1].Reg.Bound {
		t.Errorf("events: %v %v", rec.regs[0].Kind, rec.regs[1].Kind)
	}
}

// Memory must not grow with the input: finished transactions are evicted
// once their linger time has passed in capture time.
func TestFinishedTransactionsAreEvicted(t *testing.T) {
	c := NewCorrelator(nil, Options{})
	var m Message
	for i := 0; i < 2000; i++ {
		b := fmt.Sprintf("z9hG4bK%d", i)
		at := t0 + int64(i)*int64(time.Second)
		for j, raw := range []string{registerMsg(i+1, b, ""), response("200 OK", b, i+1, "Contact: <sip:alice@10.0.0.5:5060>;expires=60\n")} {
			if err := m.Scan([]byte(strings.ReplaceAll(strings.TrimLeft(raw, "\n"), "\n", "\r\n"))); err != nil {
				t.Fatal(err)
			}
			c.Add(&m, Meta{Ref: Ref{Frame: int64(2*i + j + 1), Time: at}, Src: ua, Dst: reg})
		}
	}
	if n := c.txns.len(); n > 40 {
		t.Errorf("%d transactions still held after 2000 s of one-per-second traffic; want only the last Linger's worth", n)
	}
}

// A 2xx to INVITE opens a dialog (RFC 3261 §12.1); a BYE from either end
// closes it, the callee's with the tags the other way round (§15.1.1).
func TestDialogClosedByEitherBYE(t *testing.T) {
	msg := func(first, from, to, callID, cseq, branch string) []byte {
		s := first + "\r\nVia: SIP/2.0/UDP 10.0.0.5:5060;branch=" + branch +
			"\r\nFrom: " + from + "\r\nTo: " + to + "\r\nCall-ID: " + callID +
			"\r\nCSeq: " + cseq + "\r\nContent-Length: 0\r\n\r\n"
		return []byte(s)
	}
	alice, bob := "<sip:alice@example.com>;tag=a1", "<sip:bob@example.com>;tag=b2"
	var opened int
	c := NewCorrelator(&Observers{Dialog: []func(*Dialog){func(*Dialog) { opened++ }}}, Options{})
	var m Message
	add := func(i int, raw []byte) {
		t.Helper()
		if err := m.Scan(raw); err != nil {
			t.Fatal(err)
		}
		c.Add(&m, Meta{Ref: Ref{Frame: int64(i), Time: t0 + int64(i)*int64(time.Millisecond)}, Src: ua, Dst: reg})
	}
	for i, callID := range []string{"call-1", "call-2"} {
		add(10*i+1, msg("INVITE sip:bob@example.com SIP/2.0", alice, "<sip:bob@example.com>", callID, "1 INVITE", "z9hG4bKi"+callID))
		add(10*i+2, msg("SIP/2.0 200 OK", alice, bob, callID, "1 INVITE", "z9hG4bKi"+callID))
	}
	if opened != 2 || c.dialogs.len() != 2 {
		t.Fatalf("%d dialogs opened, %d held; want 2", opened, c.dialogs.len())
	}
	add(21, msg("BYE sip:bob@10.0.0.6 SIP/2.0", alice, bob, "call-1", "2 BYE", "z9hG4bKb1"))
	if c.dialogs.len() != 1 {
		t.Fatalf("the caller's BYE left %d dialogs", c.dialogs.len())
	}
	add(22, msg("BYE sip:bob@10.0.0.6 SIP/2.0", alice, bob, "call-9", "2 BYE", "z9hG4bKb9"))
	if c.dialogs.len() != 1 {
		t.Fatalf("a BYE outside any dialog left %d dialogs", c.dialogs.len())
	}
	add(23, msg("BYE sip:alice@10.0.0.5 SIP/2.0", bob, alice, "call-2", "1 BYE", "z9hG4bKb2"))
	if c.dialogs.len() != 0 {
		t.Fatalf("the callee's BYE left %d dialogs", c.dialogs.len())
	}
}

// A challenge nobody answers expires after Timer F; one followed by a new
// request without credentials (RFC 3261 §22.2) or by another challenge for
// the same UA and Call-ID is unanswered, with what came instead as Next;
// the last one is cut by the end of the capture.
func TestChallengeExpiresOrIsSuperseded(t *testing.T) {
	options := func(s string) string { return strings.ReplaceAll(s, "REGISTER", "OPTIONS") }
	ms := time.Millisecond
	_, rec := correlate(t, []step{
		{0, ua, reg, registerMsg(1, "z9hG4bK1", "")},
		{ms, reg, ua, response("401 Unauthorized", "z9hG4bK1", 1, challenge)},
		{40 * time.Second, ua, reg, registerMsg(2, "z9hG4bK2", "")},
		{40*time.Second + ms, reg, ua, response("401 Unauthorized", "z9hG4bK2", 2, challenge)},
		{41 * time.Second, ua, reg, registerMsg(3, "z9hG4bK3", "")},
		{41*time.Second + ms, reg, ua, response("401 Unauthorized", "z9hG4bK3", 3, challenge)},
		{42 * time.Second, ua, reg, options(registerMsg(4, "z9hG4bK4", ""))},
		{42*time.Second + ms, reg, ua, options(response("401 Unauthorized", "z9hG4bK4", 4, challenge))},
	})
	if len(rec.auths) != 4 {
		t.Fatalf("%d exchanges, want 4", len(rec.auths))
	}
	byCSeq := map[uint32]*Transaction{}
	for _, x := range rec.txns {
		byCSeq[x.CSeq] = x
	}
	for i, want := range []struct {
		challenge, next uint32 // CSeq of the challenged request and of what came instead (0: none)
		ended           bool
	}{{1, 0, false}, {2, 3, false}, {3, 4, false}, {4, 0, true}} {
		a := rec.auths[i]
		if a.Outcome != AuthUnanswered || a.Challenge != byCSeq[want.challenge] || a.CaptureEnded != want.ended ||
			(want.next == 0) != (a.Next == nil) || (a.Next != nil && a.Next != byCSeq[want.next]) {
			t.Errorf("exchange %d: %+v", i, a)
		}
	}
}
