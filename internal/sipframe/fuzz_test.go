package sipframe

import "testing"

// FuzzLen checks that Len never panics and that what it reports is
// consistent: a complete message fits in the buffer and is at least the
// header block, and IsStartLine never panics on the same bytes.
func FuzzLen(f *testing.F) {
	f.Add([]byte("INVITE sip:b SIP/2.0\r\nContent-Length: 2\r\n\r\nhi"))
	f.Add([]byte("SIP/2.0 200 OK\nl:\n 1\n\nx"))
	f.Add([]byte("A b SIP/2.0\r\n\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		IsStartLine(b)
		n, ok, err := Len(b)
		if !ok {
			if n != 0 || err != nil {
				t.Fatalf("incomplete but n=%d err=%v", n, err)
			}
			return
		}
		if n <= 0 || n > len(b) {
			t.Fatalf("n=%d outside buffer of %d", n, len(b))
		}
		// the message is a prefix: adding bytes must not change it
		n2, ok2, err2 := Len(append(b[:n:n], "SIP/2.0 200 OK\r\n\r\n"...))
		if !ok2 || n2 != n || err2 != err {
			t.Fatalf("prefix property: (%d,%v,%v) then (%d,%v,%v)", n, ok, err, n2, ok2, err2)
		}
	})
}
