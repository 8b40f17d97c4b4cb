package decode

import (
	"reflect"
	"testing"
)

// sameViews fails t when the views Message parses from its own (trimmed)
// header values differ from the public parsers, which trim first, on the
// same values: the views skip that trim because Scan stores every value
// without LWS at either end.
func sameViews(t *testing.T, b []byte) {
	t.Helper()
	var m Message
	if m.Scan(b) != nil {
		return
	}
	m.Validate()
	// a view against its parser's reading of the header value v
	same := func(view string, v []byte, got any, gok bool, parser string, want any, wok bool) {
		t.Helper()
		if gok != wok || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s %q: view %+v %v, %s %+v %v", view, v, got, gok, parser, want, wok)
		}
	}
	// the same views filled one at a time, without Validate
	var lazy Message
	lazy.Scan(b)
	if v := m.Get(HFrom); v != nil {
		got, gok := m.From()
		want, wok := ParseNameAddr(v)
		same("From", v, got, gok, "ParseNameAddr", want, wok)
		got, gok = lazy.From()
		same("From without Validate", v, got, gok, "ParseNameAddr", want, wok)
	}
	if v := m.Get(HTo); v != nil {
		got, gok := m.To()
		want, wok := ParseNameAddr(v)
		same("To", v, got, gok, "ParseNameAddr", want, wok)
		got, gok = lazy.To()
		same("To without Validate", v, got, gok, "ParseNameAddr", want, wok)
	}
	if v := m.Get(HCSeq); v != nil {
		got, gok := m.CSeq()
		want, wok := ParseCSeq(v)
		same("CSeq", v, got, gok, "ParseCSeq", want, wok)
	}
	if v := m.Get(HVia); v != nil {
		got, gok := m.TopVia()
		want, wok := ParseVia(firstElement(v))
		same("Via", v, got, gok, "ParseVia", want, wok)
		got, gok = lazy.TopVia()
		same("Via without Validate", v, got, gok, "ParseVia", want, wok)
	}
	allOK := true
	m.Contacts(func(c Contact) bool {
		allOK = allOK && c.ok
		return true
	})
	if m.Get(HContact) != nil && m.contactsOK() != allOK {
		t.Fatalf("%q: contactsOK %v, every ParseContact ok %v", b, !allOK, allOK)
	}
}

var viewCases = []string{
	register, unauthorized,
	"INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h:5060;branch=z9hG4bK1 \r\nFrom:  \"A\" <sip:a@b>;tag=1\t\r\nTo:\t<sip:b@c>\r\n  ;tag=2\r\nCSeq:  7 INVITE \r\nContact: <sip:a@h>;expires=60 , \"B\" <sip:b@h>\r\nContact:\r\n *\r\n\r\n",
	"SIP/2.0 200 OK\r\nv: SIP/2.0/UDP h\r\n ;rport\r\nf: sip:a@b\r\nt: <sip:b@c>\r\nCSeq: 1\r\n INVITE\r\nm: <sip:x@y>;expires=x\r\n\r\n",
}

func TestViewsMatchParsers(t *testing.T) {
	for _, c := range viewCases {
		sameViews(t, []byte(c))
	}
}

func FuzzViewsMatchParsers(f *testing.F) {
	for _, c := range viewCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, b []byte) { sameViews(t, b) })
}
