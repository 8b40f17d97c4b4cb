package decode

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// An extension scan: a REGISTER for a new account every second, each
// challenged and never answered. The registrations that got nowhere are
// forgotten once quiet for regIdle, so the table holds only the last
// regIdle's worth, while the summary still counts every account once,
// also one that is probed again after it was forgotten. A granted account
// is kept to the end.
func TestIdleRegistrationsAreForgotten(t *testing.T) {
	c := NewCorrelator(nil, Options{})
	var m Message
	frame := int64(0)
	add := func(raw string, at int64, src, dst netip.AddrPort) {
		t.Helper()
		if err := m.Scan([]byte(strings.ReplaceAll(strings.TrimLeft(raw, "\n"), "\n", "\r\n"))); err != nil {
			t.Fatal(err)
		}
		frame++
		c.Add(&m, Meta{Ref: Ref{Frame: frame, Time: at}, Src: src, Dst: dst})
	}
	probe := func(i, account int) {
		b := fmt.Sprintf("z9hG4bK%d", i)
		at := t0 + int64(i)*int64(time.Second)
		user := fmt.Sprintf("sip:%d@example.com", account)
		swap := func(s string) string { return strings.ReplaceAll(s, "sip:alice@example.com", user) }
		add(swap(registerMsg(1, b, "")), at, ua, reg)
		add(swap(response("401 Unauthorized", b, 1, challenge)), at+int64(time.Millisecond), reg, ua)
	}
	const n = 2000
	for i := range n {
		probe(i, i)
	}
	// alice registers and is granted: kept to the end however quiet.
	at := t0 + n*int64(time.Second)
	add(registerMsg(1, "z9hG4bKa", ""), at, ua, reg)
	add(response("200 OK", "z9hG4bKa", 1, "Contact: <sip:alice@10.0.0.5:5060>;expires=3600\n"), at+1, reg, ua)
	if held := len(c.regs); held > 200 {
		t.Errorf("%d registrations held after %d one-second probes; want at most 200 (the last regIdle's worth: %v)", held, n, regIdle)
	}
	probe(n+1, 0) // account 0 again, long after it was forgotten
	for i := range 300 {
		probe(n+2+i, n+i) // more time passes, alice's grant with it
	}
	tr := c.Finish()
	if got, want := int64(len(tr.Registrations))+tr.RegistrationsForgotten, int64(n+300+1); got != want {
		t.Errorf("%d registrations kept + %d forgotten = %d; want %d (every account once, alice too)", len(tr.Registrations), tr.RegistrationsForgotten, got, want)
	}
	var alice bool
	for _, r := range tr.Registrations {
		alice = alice || (r.AOR == "sip:alice@example.com" && r.Grants == 1)
	}
	if !alice {
		t.Error("the granted registration was forgotten")
	}
}
