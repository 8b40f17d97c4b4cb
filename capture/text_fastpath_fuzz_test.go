package capture

import (
	"bufio"
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// Shortcuts of the text path held equal to the general code they skip.

// cleanLinesAgree reads data with a lineReader over a read buffer of
// size bytes and checks that every line the reader calls clean (first
// byte aside) is one the normaliser leaves as it is. It returns how many
// lines were called clean.
func cleanLinesAgree(t testing.TB, data []byte, size int) int {
	t.Helper()
	r := newLineReader(bufio.NewReaderSize(bytes.NewReader(data), size))
	var z normaliser
	clean := 0
	for {
		raw, ok := r.next()
		if !ok {
			return clean
		}
		if !r.lineClean || len(raw) > 0 && (raw[0] == '>' || raw[0] == '`') {
			continue
		}
		clean++
		line := append([]byte(nil), raw...)
		if z.needsWork(line) {
			t.Fatalf("line %d %q called clean, but needsWork says otherwise (input %q, buffer %d)", r.n, line, data, size)
		}
		if out := z.lines(line); len(out) != 1 || !bytes.Equal(out[0], line) {
			t.Fatalf("line %d %q called clean, but normalises to %q", r.n, line, out)
		}
	}
}

// Every byte the normaliser looks at, at both parities of a 16-byte word
// and at the end of a line, with LF and CRLF line ends.
func TestCleanSpanAgreesWithNeedsWork(t *testing.T) {
	pieces := []string{"<", "<b", "<sip:", "#", "#0", "#012", "\\", "\\_", "^", "^M", "[", "[email\u00a0protected]",
		"[email protected]", "&", "&lt;", "\r", "\x00", "\x7f", "\xe9", "\u201c", ">", "`", "\t", "\x1b[1m", "<br/>", "<010>"}
	var b strings.Builder
	for _, p := range pieces {
		for pad := 0; pad < 18; pad++ {
			for _, end := range []string{"\n", "\r\n"} {
				pre := strings.Repeat("a", pad)
				b.WriteString(pre + p + end)
				b.WriteString(pre + p + "x" + end)
				b.WriteString(p + pre + end)
				b.WriteString("Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1" + end)
			}
		}
	}
	data := []byte(b.String())
	for _, size := range []int{16, 17, 64, 4096} {
		if n := cleanLinesAgree(t, data, size); size == 4096 && n == 0 {
			t.Fatal("no line was called clean: the shortcut is never taken")
		}
	}
}

func FuzzCleanSpan(f *testing.F) {
	data, _ := cubeDebugText(4 << 10)
	f.Add(data, uint16(64))
	f.Add([]byte("a<\nb#0\r\n>x\n`y\n\r\r\nz^M\n[email protected]\n"), uint16(16))
	f.Add([]byte("From: <sip:a@b>;tag=1\nCall-ID: \xe9x\n"), uint16(20))
	f.Fuzz(func(t *testing.T, data []byte, size uint16) {
		cleanLinesAgree(t, data, 16+int(size%2048))
	})
}

// nextSDPCutRef is nextSDPCut as first written: a search for each space.
func nextSDPCutRef(b []byte) int {
	for i := 1; i+3 < len(b); i++ {
		sp := bytes.IndexByte(b[i:], ' ')
		if sp < 0 {
			break
		}
		i += sp
		if i+3 < len(b) && b[i+2] == '=' && bytes.IndexByte([]byte("vosiuepcbtrzkam"), b[i+1]) >= 0 {
			return i + 1
		}
	}
	return len(b)
}

func sdpCutsAgree(t testing.TB, b []byte) {
	if got, want := nextSDPCut(b), nextSDPCutRef(b); got != want {
		t.Fatalf("nextSDPCut(%q) = %d, want %d", b, got, want)
	}
}

func TestNextSDPCutSameAsRef(t *testing.T) {
	for _, l := range []string{"", "v=0", "v=0 o=- 1 1 IN IP4 h", " a=", " a=x", "x a=1", "o=- 2322603377095083991 1 IN IP4 10.20.9.89",
		"a=rtpmap:0 PCMU/8000 a=ptime:20", "a=fmtp:101 0-16", "=== a=b", " q=1 c=IN", "ab a=", "a  a=1", " a=1", "  a=1"} {
		sdpCutsAgree(t, []byte(l))
	}
}

func FuzzNextSDPCut(f *testing.F) {
	f.Add([]byte("v=0 o=- 1 1 IN IP4 10.0.0.1 s=- c=IN IP4 10.0.0.1 t=0 0 m=audio 4000 RTP/AVP 0"))
	f.Add([]byte("a=fmtp:101 0-16 x=1 a=2"))
	f.Fuzz(func(t *testing.T, b []byte) { sdpCutsAgree(t, b) })
}

// iosPrefixesAgree reads lines one after the other through one stamp
// cache and checks each against a fresh read.
func iosPrefixesAgree(t testing.TB, lines ...string) {
	var cache iosStampCache
	for k, l := range lines {
		gp, grest, gok := parseIOSPrefixCached([]byte(l), &cache)
		wp, wrest, wok := parseIOSPrefix([]byte(l))
		if gok != wok || string(grest) != string(wrest) || !reflect.DeepEqual(gp, wp) {
			t.Fatalf("line %d of %q: %+v %q %v, want %+v %q %v", k, lines, gp, grest, gok, wp, wrest, wok)
		}
	}
}

// A stamp that differs from the cached one only in its fraction of a
// second (fracHit) is the stamp read afresh.
func TestIOSStampFractionCache(t *testing.T) {
	for _, ls := range [][]string{
		{"1: Mar  5 09:00:00.007: a", "2: Mar  5 09:00:00.036: b", "3: Mar  5 09:00:00.036: c", "4: Mar  5 09:00:01.036: d"},
		{"1: 00:15:59.123: a", "2: 00:15:59.999: b", "3: 00:15:59.1: c", "4: 00:15:59.12x: d"},
		{"*Mar  5 09:00:00.007: a", ".Mar  5 09:00:00.008 UTC: b", "Mar  5 09:00:00.009 PST: c", "Mar  5 09:00:00.010 : d"},
		{"1: Mar 5 2024 23:59:59,5: a", "2: Mar 5 2024 23:59:59,9: b", "3: Mar 5 2024 23:59:59,95: c"},
		{"1: Mar  5 09:00:00.123456789: a", "2: Mar  5 09:00:00.987654321: b", "3: Mar  5 09:00:00.9876543210: c"},
		{"1: Feb 29 1960 00:00:00.001: a", "2: Feb 29 1960 00:00:00.999: b"},
		{"1: Mar  5 09:00:00.007: a", "2: Mar  5 09:00:00.0070: b", "3: Mar  5 09:00:00.00:", "4: Mar  5 09:00:00.07:"},
	} {
		iosPrefixesAgree(t, ls...)
	}
}

func FuzzIOSStampFraction(f *testing.F) {
	f.Add("000004: Mar  5 09:00:00.007: //x", "000005: Mar  5 09:00:00.036: //y", "6: Mar  5 09:00:00.036:")
	f.Add("12: 00:15:59.123: x", "13: 00:15:59.456", "14: 00:15:59.4567:")
	f.Add("Mar 5 2024 09:00:00,1: a", "<189>Mar 5 2024 09:00:00,2:", "Mar 5 2024 09:00:00,3 UTC:")
	f.Fuzz(func(t *testing.T, a, b, c string) { iosPrefixesAgree(t, a, b, c) })
}

func TestIndexParamsOrHeadersIsIndexAny(t *testing.T) {
	for _, u := range []string{"", "a", "h:5060;lr", "h?x=1;y", "\xff;", "é?", "\xe2\x82;", "abcdefghij;k", "abcdefghijk"} {
		if got, want := indexParamsOrHeaders([]byte(u)), bytes.IndexAny([]byte(u), ";?"); got != want {
			t.Errorf("indexParamsOrHeaders(%q) = %d, want %d", u, got, want)
		}
	}
}

func FuzzIndexParamsOrHeaders(f *testing.F) {
	f.Add([]byte("sip:alice@example.com:5060;transport=tcp?x=1"))
	f.Fuzz(func(t *testing.T, u []byte) {
		if got, want := indexParamsOrHeaders(u), bytes.IndexAny(u, ";?"); got != want {
			t.Fatalf("indexParamsOrHeaders(%q) = %d, want %d", u, got, want)
		}
	})
}

// nameIsRef is nameIs as first written: each byte of name folded.
func nameIsRef(name []byte, lower string) bool {
	if len(name) != len(lower) {
		return false
	}
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

var nameIsLowers = []string{"via", "v", "to", "from", "cseq", "date", "route", "call-id", "content-type", "content-length",
	"branch", "received", "rport", "udp", "tls-sctp", "ws", "a@[`{_~", ""}

func TestNameIsSameAsRef(t *testing.T) {
	for _, n := range []string{"Via", "VIA", "vIa", "Vi@", "Call-ID", "CALL\rID", "call-id", "Call_ID", "CONTENT-LENGTH", "A`[{_~", "A@[`{_~", "a@[`{_\x7f", ""} {
		for _, l := range nameIsLowers {
			if got, want := nameIs([]byte(n), l), nameIsRef([]byte(n), l); got != want {
				t.Errorf("nameIs(%q, %q) = %v, want %v", n, l, got, want)
			}
		}
	}
}

func FuzzNameIs(f *testing.F) {
	f.Add([]byte("Call-ID"), uint8(7))
	f.Fuzz(func(t *testing.T, name []byte, k uint8) {
		l := nameIsLowers[int(k)%len(nameIsLowers)]
		if got, want := nameIs(name, l), nameIsRef(name, l); got != want {
			t.Fatalf("nameIs(%q, %q) = %v, want %v", name, l, got, want)
		}
	})
}

// The GUID byte table answers as the comparisons it replaced, for every byte.
func TestHexOrXTable(t *testing.T) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		want := b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F' || b == 'x' || b == 'X'
		if isHexOrX(b) != want {
			t.Errorf("isHexOrX(%q) = %v", b, !want)
		}
	}
}

// indexAnchored finds what bytes.Index finds, whichever byte of the
// pattern it goes by.
func anchoredAgrees(t testing.TB, b []byte, pat string) {
	want := bytes.Index(b, []byte(pat))
	for k := range len(pat) {
		if got := indexAnchored(b, pat, k); got != want {
			t.Fatalf("indexAnchored(%q, %q, %d) = %d, want %d", b, pat, k, got, want)
		}
	}
}

func TestIndexAnchoredAnyAnchor(t *testing.T) {
	for _, l := range []string{"", "SendMessage:", "000004: Mar  5 09:00:00.007: //55683/24CE89736208/SIP/Transport/sipSPITransportSendMessage: msg=0x1, addr=10.20.9.89, port=5060",
		"SendMessageSendMessage:", "MMMMSendMessage:x", "ccsipDisplayMsg ccsipDisplayMsg:"} {
		anchoredAgrees(t, []byte(l), "SendMessage:")
		anchoredAgrees(t, []byte(l), "ccsipDisplayMsg")
	}
}

func FuzzIndexAnchoredAnyAnchor(f *testing.F) {
	f.Add([]byte("x SendMessage: y"), "SendMessage:")
	f.Add([]byte("aaab"), "aab")
	f.Fuzz(func(t *testing.T, b []byte, pat string) {
		if len(pat) == 0 || len(pat) > 20 {
			return
		}
		anchoredAgrees(t, b, pat)
	})
}
