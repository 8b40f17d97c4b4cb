package decode

import (
	"bytes"
	"strings"
	"testing"
)

// topBranch, fromOf and toOf read what TopVia (with the fallback for a
// rejected Via), From and To return.
func TestViewsAccessMatchCopies(t *testing.T) {
	msgs := []string{
		registerMsg(1, "z9hG4bK1", ""),
		response("200 OK", "z9hG4bK1", 1, ""),
		strings.Replace(registerMsg(1, "z9hG4bK2", ""), "SIP/2.0/UDP 10.0.0.5:5060", "SIP/2.0/UDP 2001:db8::1:5060", 1), // unbracketed IPv6: rejected
		strings.Replace(registerMsg(1, "x", ""), "From: <sip:alice@example.com>;tag=a1\n", "", 1),                       // no From
		strings.Replace(registerMsg(1, "x", ""), "To: <sip:alice@example.com>\n", "To: \"unterminated <sip:bob@x>\n", 1),
	}
	for i, raw := range msgs {
		raw = strings.ReplaceAll(strings.TrimLeft(raw, "\n"), "\n", "\r\n")
		var a, b Message
		if err := a.Scan([]byte(raw)); err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if err := b.Scan([]byte(raw)); err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		via, ok := b.TopVia()
		if !ok {
			via.Branch = viaBranch(b.Get(HVia))
		}
		if got := topBranch(&a); !bytes.Equal(got, via.Branch) {
			t.Errorf("%d: branch %q, want %q", i, got, via.Branch)
		}
		if i == 2 && ok {
			t.Errorf("%d: the Via should be rejected", i)
		}
		from, _ := b.From()
		if got := fromOf(&a); !bytes.Equal(got.URI, from.URI) || !bytes.Equal(got.Tag, from.Tag) || !bytes.Equal(got.Display, from.Display) || !bytes.Equal(got.Params, from.Params) {
			t.Errorf("%d: from %+v, want %+v", i, got, from)
		}
		to, _ := b.To()
		if got := toOf(&a); !bytes.Equal(got.URI, to.URI) || !bytes.Equal(got.Tag, to.Tag) || !bytes.Equal(got.Display, to.Display) || !bytes.Equal(got.Params, to.Params) {
			t.Errorf("%d: to %+v, want %+v", i, got, to)
		}
	}
}
