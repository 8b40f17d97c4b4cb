package main

import (
	"fmt"
	"io"
	"sort"
	"time"
)

// stats summarises what was written, for the person running the generator.
type stats struct {
	messages    int
	bytes       int64 // frame bytes
	payload     int64 // SIP bytes
	minSize     int
	maxSize     int
	inRange     int // messages of 400–900 bytes
	kinds       map[string]int
	span        time.Duration
	failingAORs int
}

func (s *stats) add(kind string, size int) {
	if s.kinds == nil {
		s.kinds = map[string]int{}
		s.minSize = size
	}
	s.messages++
	s.payload += int64(size)
	s.kinds[kind]++
	s.minSize = min(s.minSize, size)
	s.maxSize = max(s.maxSize, size)
	if size >= 400 && size <= 900 {
		s.inRange++
	}
}

func (s stats) print(w io.Writer) {
	fmt.Fprintf(w, "%d SIP messages over %s (%d accounts with a wrong password)\n",
		s.messages, s.span.Round(time.Second), s.failingAORs)
	if s.messages == 0 {
		return
	}
	fmt.Fprintf(w, "SIP sizes: min %d, mean %d, max %d bytes; %.1f%% within 400-900\n",
		s.minSize, s.payload/int64(s.messages), s.maxSize, 100*float64(s.inRange)/float64(s.messages))
	kinds := make([]string, 0, len(s.kinds))
	for k := range s.kinds {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(w, "  %-8s %d\n", k, s.kinds[k])
	}
}
