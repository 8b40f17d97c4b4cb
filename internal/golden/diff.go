package golden

import (
	"bytes"
	"fmt"
	"strings"
)

// diffContext is how many lines around the first difference are shown.
const diffContext = 3

// diff describes where want and got first differ, line by line, with a
// few lines of context from each: enough to see what changed without
// printing a whole report twice.
func diff(want, got []byte) string {
	w, g := lines(want), lines(got)
	first := 0
	for first < len(w) && first < len(g) && w[first] == g[first] {
		first++
	}
	from := max(first-diffContext, 0)
	var b strings.Builder
	fmt.Fprintf(&b, "first difference at line %d (golden has %d lines, output %d)\n", first+1, len(w), len(g))
	section := func(label string, ls []string) {
		fmt.Fprintf(&b, "--- %s\n", label)
		for i := from; i < len(ls) && i <= first+diffContext; i++ {
			mark := " "
			if i == first {
				mark = ">"
			}
			fmt.Fprintf(&b, "%s%4d  %s\n", mark, i+1, ls[i])
		}
	}
	section("golden", w)
	section("output", g)
	return b.String()
}

// lines splits on LF; a final line without LF is still a line, and a
// trailing LF does not make an empty last line.
func lines(b []byte) []string {
	b = bytes.TrimSuffix(b, []byte("\n"))
	if len(b) == 0 {
		return nil
	}
	return strings.Split(string(b), "\n")
}
