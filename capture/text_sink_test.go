package capture

import (
	"bytes"
	"fmt"
	"slices"
)

// recordSink records what an ingester hands over, for the tests that feed
// lines to an ingester's Line directly, without the framework.
type recordSink struct {
	msgs     []*TextMessage
	problems []string
}

// Emit keeps a copy: the TextSink contract lets the ingester write over m
// once Emit returns.
func (s *recordSink) Emit(m *TextMessage) {
	c := *m
	c.Text = bytes.Clone(m.Text)
	c.Lines = slices.Clone(m.Lines)
	s.msgs = append(s.msgs, &c)
}

func (s *recordSink) Problem(line int, msg string) {
	s.problems = append(s.problems, fmt.Sprintf("%d: %s", line, msg))
}

// countSink only counts messages, for benchmarks.
type countSink struct{ n int }

func (s *countSink) Emit(*TextMessage)   { s.n++ }
func (s *countSink) Problem(int, string) {}
