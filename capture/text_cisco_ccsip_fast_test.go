package capture

import (
	"bytes"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// ccsipLetterSpecialFull is the definition ccsipLetterSpecial's shortcut
// must match.
func ccsipLetterSpecialFull(l []byte) bool {
	return len(l) >= 4 && l[3] == ' ' && ciscoMonth(l[:3]) > 0 ||
		bytes.HasPrefix(l, ccsipSent) || bytes.HasPrefix(l, ccsipReceived) ||
		bytes.HasPrefix(l, ccsipISDN) || bytes.HasPrefix(l, ccsipLogBuffer) || ciscoPromptLen(l) > 0
}

var letterSpecialCases = []string{
	"Via: SIP/2.0/UDP h", "v=0", "a=rtpmap:0 PCMU/8000", "Sent:", "Sent: INVITE sip:a@b SIP/2.0", "Received:",
	"Received: SIP UDP message from 1.2.3.4:5060 to 5.6.7.8:5060", "Sentx:", "Receivedx: y", "Mar  5 09:00:00.000: x",
	"Mar 5", "ISDN Se0/0/0:23 Q931: x", "Log Buffer (100000 bytes):", "Router#", "CUBE#sh log", "gw(config)#",
	"Router>", "INVITE sip:a@b SIP/2.0", "Content-Length: 0", "X_Y-Z(1): v", "Max-Forwards: 70", "S", "Sent",
	"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl#", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk#",
	"a#", "Ab#x", "Ab#1", "Subject: issue #5",
}

func TestCCSIPLetterSpecialShortcut(t *testing.T) {
	for _, s := range letterSpecialCases {
		if got, want := ccsipLetterSpecial([]byte(s)), ccsipLetterSpecialFull([]byte(s)); got != want {
			t.Errorf("ccsipLetterSpecial(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzCCSIPLetterSpecial(f *testing.F) {
	for _, s := range letterSpecialCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) == 0 || !isASCIILetter(s[0]) {
			return // only lines starting with a letter are asked about
		}
		if got, want := ccsipLetterSpecial([]byte(s)), ccsipLetterSpecialFull([]byte(s)); got != want {
			t.Errorf("ccsipLetterSpecial(%q) = %v, want %v", s, got, want)
		}
	})
}

// ccsipPort reads what strconv.ParseUint(s, 10, 16) reads.
func FuzzCCSIPPort(f *testing.F) {
	for _, s := range []string{"5060", "0", "65535", "65536", "005060", "+5060", "", "99999999999", "50 60", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ccsipPort([]byte(s))
		want, err := strconv.ParseUint(s, 10, 16)
		if ok != (err == nil) || ok && uint64(got) != want {
			t.Errorf("ccsipPort(%q) = %d, %v; strconv: %d, %v", s, got, ok, want, err)
		}
	})
}

// indexAnchored finds what bytes.Index finds, and ccsipIsSend what the
// two Contains it stands for find.
func FuzzIndexAnchored(f *testing.F) {
	f.Add("//55683/24CE89736208/SIP/Transport/sipSPITransportSendMessage: msg=0x7F4B8C000010, addr=10.20.9.89, port=5060", "addr=", 4)
	f.Add("sipTransportPostSendMessage: Posting send for msg=0x1, addr=1.2.3.4, port=5060, connId=1 for TCP", "for ", 0)
	f.Add("xSendMessage: TransportSendMessage:", "SendMessage:", 11)
	f.Fuzz(func(t *testing.T, b, pat string, k int) {
		if len(pat) == 0 {
			return
		}
		k = int(uint(k) % uint(len(pat)))
		if got, want := indexAnchored([]byte(b), pat, k), strings.Index(b, pat); got != want {
			t.Errorf("indexAnchored(%q, %q, %d) = %d, want %d", b, pat, k, got, want)
		}
		want := strings.Contains(b, "TransportSendMessage:") || strings.Contains(b, "TransportPostSendMessage:")
		if got := ccsipIsSend([]byte(b)); got != want {
			t.Errorf("ccsipIsSend(%q) = %v, want %v", b, got, want)
		}
	})
}

// The ingester reuses the memory of messages once emitted (and not held
// for a transport line): every message still reads as written, across many
// slabs and message arrays.
func TestCCSIPRecycledMessagesIntact(t *testing.T) {
	var b strings.Builder
	const n = 600
	pad := strings.Repeat("x", 300)
	for i := range n {
		dir := "Received"
		if i%3 == 0 {
			dir = "Sent" // held until the next message: its text must survive
		}
		fmt.Fprintf(&b, "%06d: Mar  5 09:00:%02d.000: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:\n%s:\nOPTIONS sip:%d@192.0.2.1 SIP/2.0\nCall-ID: c%d\nSubject: %s\nCSeq: 1 OPTIONS\n\n", i+1, i%60, dir, i, i, pad)
	}
	s := ciscoFeed(newCCSIPIngester(), b.String())
	if len(s.msgs) != n {
		t.Fatalf("%d messages, want %d", len(s.msgs), n)
	}
	for i, m := range s.msgs {
		want := fmt.Sprintf("OPTIONS sip:%d@192.0.2.1 SIP/2.0\nCall-ID: c%d\nSubject: %s\nCSeq: 1 OPTIONS\n", i, i, pad)
		if string(m.Text) != want {
			t.Fatalf("message %d: %q, want %q", i, m.Text, want)
		}
	}
}

// A stamp taken from the cache is the stamp read afresh.
func FuzzIOSPrefixCached(f *testing.F) {
	f.Add("000004: Mar  5 09:00:00.007: //55683/24CE89736208/SIP/Transport/x", "000005: Mar  5 09:00:00.007: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:")
	f.Add("*Mar  5 09:00:00.007 UTC: x", ".Mar  5 09:00:00.007 UTC: y")
	f.Add("12: 00:15:59.123: x", "13: 00:15:59.123")
	f.Add("1: 1w1d: x", "2: 1w1d:")
	f.Add("Mar 5 2024 09:00:00: a", "<189>Mar 5 2024 09:00:00:")
	f.Fuzz(func(t *testing.T, first, second string) {
		var cache iosStampCache
		parseIOSPrefixCached([]byte(first), &cache)
		gp, grest, gok := parseIOSPrefixCached([]byte(second), &cache)
		wp, wrest, wok := parseIOSPrefix([]byte(second))
		if gok != wok || string(grest) != string(wrest) || !reflect.DeepEqual(gp, wp) {
			t.Errorf("after %q, %q: %+v %q %v, want %+v %q %v", first, second, gp, grest, gok, wp, wrest, wok)
		}
	})
}
