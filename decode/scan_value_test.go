package decode

import "testing"

// TestScanValueTrim covers the spacing around indexed header values that
// the scanner's "Name: value" shortcut leaves to trimSpan.
func TestScanValueTrim(t *testing.T) {
	for _, c := range []struct{ line, want string }{
		{"Call-ID: abc", "abc"},
		{"Call-ID:abc", "abc"},
		{"Call-ID:  abc", "abc"},
		{"Call-ID: abc ", "abc"},
		{"Call-ID: \tabc\t", "abc"},
		{"Call-ID: a", "a"},
		{"Call-ID: ", ""},
		{"Call-ID:", ""},
		{"Call-ID:\ta b", "a b"},
	} {
		var m Message
		msg := "OPTIONS sip:a@h SIP/2.0\r\n" + c.line + "\r\nCSeq: 1 OPTIONS\r\n\r\n"
		if err := m.Scan([]byte(msg)); err != nil {
			t.Fatal(err)
		}
		if got := m.Get(HCallID); string(got) != c.want {
			t.Errorf("%q: value %q, want %q", c.line, got, c.want)
		}
	}
}
