package decode

import "testing"

// TestScanFoldedValueBounds: a folded value runs from its first non-empty
// part to the last continuation's end, whether the first line held part
// of it or nothing, and an empty continuation changes nothing (RFC 3261
// §7.3.1). Indexed names (fast path) and others (general path) alike.
func TestScanFoldedValueBounds(t *testing.T) {
	s := "OPTIONS sip:x@example.com SIP/2.0\r\n" +
		"Subject:\r\n folded start\r\n  more\r\n" +
		"X-A: one\r\n two\r\n\tthree\r\n" +
		"X-B:\r\n \r\n tail\r\n" +
		"Organization: \r\n\t \r\n" +
		"X-C :  left \r\n right\r\n" +
		"Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\n" +
		"From: <sip:a@example.com>;tag=1\r\nTo: <sip:x@example.com>\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\n\r\n"
	m := mustScan(t, s)
	want := map[string]string{
		"Subject":      "folded start\r\n  more",
		"X-A":          "one\r\n two\r\n\tthree",
		"X-B":          "tail",
		"Organization": "",
		"X-C":          "left \r\n right",
	}
	seen := 0
	for i := range m.Headers {
		name := string(m.HeaderName(i))
		w, ok := want[name]
		if !ok {
			continue
		}
		seen++
		if got := string(m.HeaderValue(i)); got != w {
			t.Errorf("%s: value %q, want %q", name, got, w)
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d headers", seen, len(want))
	}
}
