package decode

import "testing"

// TestHeaderOffsets checks the names and values the offset-based Header
// index gives back, including a folded value, a value that starts on its
// continuation line, an empty value and a name outside the index.
func TestHeaderOffsets(t *testing.T) {
	msg := "OPTIONS sip:a@b SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP h;branch=z9hG4bKx\r\n" +
		"Subject: first\r\n  second \r\n" +
		"X-Empty:\r\n" +
		"X-Late:   \r\n\tlate\r\n" +
		"x-custom :  v  \r\n" +
		"\r\n"
	var m Message
	if err := m.Scan([]byte(msg)); err != nil {
		t.Fatal(err)
	}
	want := [][2]string{
		{"Via", "SIP/2.0/UDP h;branch=z9hG4bKx"},
		{"Subject", "first\r\n  second"},
		{"X-Empty", ""},
		{"X-Late", "late"},
		{"x-custom", "v"},
	}
	if len(m.Headers) != len(want) {
		t.Fatalf("%d headers, want %d", len(m.Headers), len(want))
	}
	for i, w := range want {
		if n, v := string(m.HeaderName(i)), string(m.HeaderValue(i)); n != w[0] || v != w[1] {
			t.Errorf("header %d = %q: %q, want %q: %q", i, n, v, w[0], w[1])
		}
	}
	if v := m.GetName("X-Empty"); v == nil || len(v) != 0 {
		t.Errorf("GetName(X-Empty) = %#v, want empty non-nil", v)
	}
	if v := string(m.Get(HSubject)); v != "first\r\n  second" {
		t.Errorf("Get(Subject) = %q", v)
	}
}
