package decode

import (
	"strings"
	"testing"
	"time"
	"unsafe"
)

// within reports whether s's bytes lie in the size bytes from p.
func within(s string, p unsafe.Pointer, size uintptr) bool {
	if len(s) == 0 {
		return false
	}
	a, b := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(p)
	return a >= b && a < b+size
}

// boxOf returns where t's txnBox starts, nil when t is not in one.
func boxOf(t *Transaction) unsafe.Pointer {
	if t.textUsed == 0 {
		return nil
	}
	return unsafe.Add(unsafe.Pointer(t), -int(unsafe.Offsetof(txnBox{}.Transaction)))
}

// TestLongLivedStringsOutsideBoxes: what outlives a transaction (its
// dialog, the registrar names, an orphan's Call-ID that rules keep as a
// key) does not hold strings in the transaction's txnBox, which would keep
// the whole box (and what it points to) alive.
func TestLongLivedStringsOutsideBoxes(t *testing.T) {
	var dialogs []*Dialog
	var txns []*Transaction
	var regs []*RegistrationEvent
	c := NewCorrelator(&Observers{
		Transaction:  []func(*Transaction){func(x *Transaction) { txns = append(txns, x) }},
		Dialog:       []func(*Dialog){func(d *Dialog) { dialogs = append(dialogs, d) }},
		Registration: []func(*RegistrationEvent){func(e *RegistrationEvent) { regs = append(regs, e) }},
	}, Options{})
	invite := func(first string) string {
		return first + `
Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKinv1
From: <sip:alice@example.com>;tag=a1
To: <sip:bob@example.com>` + map[bool]string{true: ";tag=b2", false: ""}[strings.HasPrefix(first, "SIP/")] + `
Call-ID: call-1@10.0.0.5
CSeq: 1 INVITE
Content-Length: 0

`
	}
	feedSteps(t, c, []step{
		{1 * time.Millisecond, ua, reg, invite("INVITE sip:bob@example.com SIP/2.0")},
		{2 * time.Millisecond, reg, ua, invite("SIP/2.0 200 OK")},
		{3 * time.Millisecond, ua, reg, registerMsg(1, "z9hG4bKr1", "")},
		{4 * time.Millisecond, reg, ua, response("200 OK", "z9hG4bKr1", 1, "Contact: <sip:alice@10.0.0.5:5060>;expires=60\n")},
		{5 * time.Millisecond, reg, ua, response("200 OK", "z9hG4bKnone", 7, "")}, // an orphan
	})
	if len(dialogs) != 1 || len(regs) != 1 || len(txns) != 3 {
		t.Fatalf("%d dialogs, %d registration events, %d transactions", len(dialogs), len(regs), len(txns))
	}
	size := unsafe.Sizeof(txnBox{})
	inv, register, orphan := txns[0], txns[1], txns[2]
	if boxOf(inv) == nil || boxOf(register) == nil {
		t.Fatal("requests are expected in boxes here")
	}
	d := dialogs[0]
	if d.CallID != "call-1@10.0.0.5" || d.FromTag != "a1" || d.ToTag != "b2" {
		t.Errorf("dialog %q %q %q", d.CallID, d.FromTag, d.ToTag)
	}
	for _, s := range []string{d.CallID, d.FromTag, d.ToTag} {
		if within(s, boxOf(inv), size) {
			t.Errorf("dialog string %q is in its INVITE's box", s)
		}
	}
	r := regs[0].Reg
	for _, s := range []string{r.AOR, r.Registrar, r.Contact} {
		if within(s, boxOf(register), size) {
			t.Errorf("registration string %q is in its REGISTER's box", s)
		}
	}
	for k, v := range c.strs.registrars {
		if within(k, boxOf(register), size) || within(v, boxOf(register), size) {
			t.Errorf("registrar name %q -> %q is in a REGISTER's box", k, v)
		}
	}
	if !orphan.Orphan || boxOf(orphan) != nil {
		t.Errorf("orphan %+v in a box", orphan)
	}
}
