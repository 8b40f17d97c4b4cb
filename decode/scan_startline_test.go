package decode

import "testing"

// plainSIPURIChecked fails the test when the one-pass Request-URI check
// decides differently from the ParseURI reading.
func plainSIPURIChecked(t *testing.T, uri []byte) (valid, decided bool) {
	t.Helper()
	valid, decided = plainSIPURIValid(uri)
	if decided && valid != validRequestURIParsed(uri) {
		t.Fatalf("%q: one pass says valid=%v, ParseURI says %v", uri, valid, !valid)
	}
	return valid, decided
}

func TestPlainSIPURIValid(t *testing.T) {
	for _, c := range []struct {
		uri     string
		decided bool
	}{
		{"sip:100231@voice.example.com", true},
		{"SIP:alice@10.0.0.1:5060", true},
		{"sip:registrar.example.com", true},
		{"sip:10.0.0.1:5060;transport=udp", true},
		{"sip:@host", true},
		{"sip:bob@host;lr;maddr=10.0.0.1", true},
		{"sip:bob@host:00005", true},
		// ports around the four-digit shortcut (decided as before it)
		{"sip:a@h:5060", true}, {"sip:a@h:506", true}, {"sip:a@h:50600", true}, {"sip:a@h:50609", true}, {"sip:a@h:00009", true}, {"sip:a@h:5060;x", true},
		{"sip:h:5060", true}, {"sip:h:0000", true}, {"sip:h:9999;lr", true},
		{"sip:a@h:65536", false}, {"sip:a@h:5060a", false}, {"sip:a@h:5/60", false}, {"sip:a@h:5:60", false},
		{"sip:a@h:5060:", false}, {"sip:h:5060\x00", false},
		// left to ParseURI
		{"sips:bob@host", false},
		{"tel:+15551234", false},
		{"sip:+1555@host", false},
		{"sip:bob@[::1]:5060", false},
		{"sip:bob@host?subject=x", false},
		{"sip:bob@host;a=b?c", false},
		{"sip:bob@host;x=a@b", false},
		{"sip:bob@host:123456", false},
		{"sip:bob@host:99999", false},
		{"sip:bob@host:", false},
		{"sip:bob@", false},
		{"sip:", false},
		{"sip:bob@host; lr", false},
		{"sip:bob:pw@host", false},
		{"<sip:bob@host>", false},
	} {
		_, decided := plainSIPURIChecked(t, []byte(c.uri))
		if decided != c.decided {
			t.Errorf("%q: decided=%v, want %v", c.uri, decided, c.decided)
		}
	}
}

func FuzzPlainSIPURIValid(f *testing.F) {
	for _, s := range []string{"sip:100231@voice.example.com", "sip:a@b:5060;transport=udp",
		"sip:h;x=a@b", "sip:h:65536", "sip:h;a?b", "sip:u@h;\x7f"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, uri []byte) {
		plainSIPURIChecked(t, uri)
	})
}
