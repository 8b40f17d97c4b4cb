package main

import (
	"bytes"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sipdiag/sipdiag/capture"
)

// TestCCSIPText checks the text mode: one ccsipDisplayMsg tag per message,
// each followed by Sent:/Received: as seen from the registrar, a start
// line, LF line ends, and sequence numbers counting up.
func TestCCSIPText(t *testing.T) {
	cfg := config{start: time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC), messages: 3000, aors: 50, failFraction: 0.04, rate: 280, seed: 3, format: "ccsip"}
	var buf bytes.Buffer
	s, err := generate(&buf, cfg)
	if err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	if int64(len(text)) != s.bytes || strings.Contains(text, "\r") {
		t.Fatalf("%d bytes written, %d counted; CR present: %v", len(text), s.bytes, strings.Contains(text, "\r"))
	}
	lines := strings.Split(text, "\n")
	tag := regexp.MustCompile(`^(\d{6}): [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}\.\d{3}: //(-?\d+)/([0-9A-Fx]{12})/(.*)$`)
	start := regexp.MustCompile(`^(?:[A-Z]+ \S+ SIP/2\.0|SIP/2\.0 \d{3} .+)$`)
	msgs, sent, debug, lastSeq := 0, 0, 0, ""
	for i, l := range lines {
		m := tag.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		if m[1] <= lastSeq {
			t.Fatalf("line %d: sequence %s after %s", i+1, m[1], lastSeq)
		}
		lastSeq = m[1]
		if m[4] != "SIP/Msg/ccsipDisplayMsg:" {
			debug++
			continue
		}
		msgs++
		switch lines[i+1] {
		case "Sent:":
			sent++
			if m[2] == "-1" {
				t.Errorf("line %d: a sent message without its call leg", i+1)
			}
		case "Received:":
			if m[2] != "-1" || m[3] != "xxxxxxxxxxxx" {
				t.Errorf("line %d: received message tag %q", i+1, l)
			}
		default:
			t.Fatalf("line %d: %q after the tag", i+2, lines[i+1])
		}
		if !start.MatchString(lines[i+2]) {
			t.Fatalf("line %d: not a start line: %q", i+3, lines[i+2])
		}
	}
	if msgs != cfg.messages {
		t.Errorf("%d messages in the text, want %d", msgs, cfg.messages)
	}
	// the registrar answers every request it receives and sends OPTIONS:
	// about half the messages are its own
	if sent < msgs*2/5 || sent > msgs*3/5 || debug < msgs/4 {
		t.Errorf("%d sent of %d, %d debug lines", sent, msgs, debug)
	}
}

// TestCCSIPTextReadBack reads the text mode back with sipdiag's own reader:
// every message is found, with the pcap mode's addresses and times.
func TestCCSIPTextReadBack(t *testing.T) {
	cfg := config{start: time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC), messages: 2000, aors: 40, failFraction: 0.05, rate: 280, seed: 5}
	var pcapBuf, textBuf bytes.Buffer
	if _, err := generate(&pcapBuf, cfg); err != nil {
		t.Fatal(err)
	}
	cfg.format = "ccsip"
	if _, err := generate(&textBuf, cfg); err != nil {
		t.Fatal(err)
	}
	read := func(data []byte) []capture.Datagram {
		r, err := capture.Open([]string{"-"}, bytes.NewReader(data), capture.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var out []capture.Datagram
		for {
			d, err := r.Next()
			if err != nil {
				break
			}
			out = append(out, *d)
		}
		if r.ProblemCount() != 0 {
			t.Errorf("%d problems reading, the first: %+v", r.ProblemCount(), r.Problems()[0])
		}
		return out
	}
	want, got := read(pcapBuf.Bytes()), read(textBuf.Bytes())
	if len(got) != len(want) || len(got) != cfg.messages {
		t.Fatalf("%d messages read from the text, %d from the pcap, want %d", len(got), len(want), cfg.messages)
	}
	// the log has no year (the reader picks one) and millisecond stamps;
	// of the addresses, it names only the peer of what the registrar
	// sends (sipSPITransportSendMessage): the others are inferred by the
	// reader, and only counted here
	const stamp = "Jan _2 15:04:05.000"
	regAddr := netip.AddrPortFrom(netip.AddrFrom4(registrar.ip), registrar.port)
	var unknown, inferredWrong [4]int // sent src, sent dst, received src, received dst
	for i := range want {
		w, g := want[i], got[i]
		if g.Time.Format(stamp) != w.Time.Format(stamp) {
			t.Fatalf("message %d (line %d) at %s, the pcap says %s", i, g.Line, g.Time, w.Time)
		}
		if w.Src == regAddr && g.Dst != w.Dst {
			t.Fatalf("sent message %d (line %d) to %s, the pcap says %s", i, g.Line, g.Dst, w.Dst)
		}
		k := 0
		if w.Src != regAddr {
			k = 2
		}
		for j, p := range [][2]netip.AddrPort{{g.Src, w.Src}, {g.Dst, w.Dst}} {
			switch {
			case !p[0].IsValid():
				unknown[k+j]++
			case p[0] != p[1]:
				inferredWrong[k+j]++
			}
		}
	}
	t.Logf("addresses unknown / inferred wrong: sent src %d/%d, sent dst %d/%d, received src %d/%d, received dst %d/%d (of %d messages)",
		unknown[0], inferredWrong[0], unknown[1], inferredWrong[1], unknown[2], inferredWrong[2], unknown[3], inferredWrong[3], len(got))
}
