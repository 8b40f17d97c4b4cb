package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
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
