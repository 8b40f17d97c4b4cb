package decode

import "testing"

// TestEmptyLineShapes checks where the headers end for each shape of the
// empty line (RFC 3261 §7): CRLF, a bare LF, a lone CR at the very end,
// and a CR that starts a line without ending it.
func TestEmptyLineShapes(t *testing.T) {
	const start = "OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n"
	for _, tt := range []struct {
		in, body string
		headers  int
		noEmpty  bool
	}{
		{start + "\r\nbody", "body", 1, false},
		{start + "\nbody", "body", 1, false},
		{start + "\r", "", 1, false},
		{start + "\r\n", "", 1, false},
		{start, "", 1, true},
		{start + "\rX: y\r\n\r\nb", "b", 2, false}, // a malformed header line, not the end
		{start + "X: y\n\nb", "b", 2, false},
		{start + "\r\r\n\r\nb", "b", 1, false},
	} {
		var m Message
		if err := m.Scan([]byte(tt.in)); err != nil {
			t.Fatalf("%q: %v", tt.in, err)
		}
		noEmpty := false
		for _, d := range m.Defects {
			if d == DefectNoEmptyLine {
				noEmpty = true
			}
		}
		if string(m.Body) != tt.body || len(m.Headers) != tt.headers || noEmpty != tt.noEmpty {
			t.Errorf("%q: body %q headers %d no-empty-line %v, want %q %d %v",
				tt.in, m.Body, len(m.Headers), noEmpty, tt.body, tt.headers, tt.noEmpty)
		}
	}
}
