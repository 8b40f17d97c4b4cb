package capture

import (
	"strings"
	"testing"
)

// A long text log is text even when its first bytes, read as ERF record
// headers, look plausible: "Frame 1: 555 bytes on wire" and dashed rules put
// a printable "record length" near 8-32 KB, so a second "record" is in
// reach once the text is that long (seen with tshark -V pastes).
func TestLongTextIsNotERF(t *testing.T) {
	for _, first := range []string{
		"Frame 1: 555 bytes on wire (4440 bits), 555 bytes captured (4440 bits) on interface lo, id 0\n",
		strings.Repeat("-", 72) + "\n",
	} {
		text := first + strings.Repeat("Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-1\n", 600)
		head := []byte(text)
		if len(head) > sniffSize {
			head = head[:sniffSize]
		}
		kind, err := recognise("paste.txt", head)
		if err != nil || kind != "text" {
			t.Errorf("%q...: recognised as %q, %v; want text", first[:20], kind, err)
		}
	}
}
