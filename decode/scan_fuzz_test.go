package decode

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzScan scans arbitrary bytes and runs every accessor and sub-parser
// over the result: nothing may panic, and slices must stay inside the
// input.
func FuzzScan(f *testing.F) {
	f.Add([]byte(register))
	f.Add([]byte(unauthorized))
	f.Add([]byte("SIP/2.0 200 OK\nv: SIP/2.0/UDP h\n\n"))
	f.Add([]byte("INVITE sip:a SIP/2.0\r\n \r\nf: \"\\\r\n\r\n"))
	f.Add([]byte("SIP/2.0 200 OK\r\nVia:  SIP/2.0/UDP h \r\nTo: x\t\r\nFrom:x\r\nCall-ID: \r\n\r\n"))
	files, _ := filepath.Glob(filepath.Join("testdata", "rfc4475", "*", "*.dat"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var m Message
		if err := m.Scan(b); err != nil {
			return
		}
		m.Validate()
		if len(m.Raw) > len(b) || len(m.Body) > len(m.Raw) {
			t.Fatalf("raw %d body %d of %d", len(m.Raw), len(m.Body), len(b))
		}
		for i := range m.Headers {
			// values are trimmed of LWS at both ends (RFC 3261 §7.3.1)
			if v := m.HeaderValue(i); len(v) > 0 && (isLWS(v[0]) || isLWS(v[len(v)-1])) {
				t.Fatalf("%s value %q not trimmed", m.HeaderName(i), v)
			}
		}
		exerciseAccessors(&m)
	})
}

func exerciseAccessors(m *Message) {
	for id := HOther; id <= numHeaderIDs; id++ {
		_ = m.Get(id)
		m.Values(id, func(v []byte) bool {
			ParseVia(v)
			ParseNameAddr(v)
			ParseURI(v)
			AOR(v)
			ParseWarning(v)
			ParseReason(v)
			ParseExpires(v)
			ParseRetryAfter(v)
			Param(v, "tag")
			return true
		})
	}
	_ = m.GetName("x")
	_ = m.GetName("e")
	_ = m.MethodIs("INVITE")
	m.CSeq()
	m.TopVia()
	m.Contacts(func(c Contact) bool { AOR(c.URI); return true })
	ParseURI(m.RequestURI)
	for i, h := range m.Headers {
		v := m.HeaderValue(i)
		c, _ := ParseChallenge(v)
		Unquote(c.Realm)
		cr, _ := ParseCredentials(v)
		Unquote(cr.Username)
		ParseCSeq(v)
		ParseMaxForwards(v)
		_ = h.ID.String()
	}
	for _, d := range m.Defects {
		_ = d.String()
	}
}
