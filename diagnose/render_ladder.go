package diagnose

import (
	"fmt"
	"io"
	"strings"
)

// LadderOptions control the text ladder.
type LadderOptions struct {
	Width int  // characters per line (default 100); columns shrink to fit
	Multi bool // several inputs: prefix locations with the input name
}

// WriteLadder draws one flow as a text ladder: a column per host, one
// arrow per message with its label, and in the left gutter the frame (or
// line) and time; "*" marks the messages a finding rests on.
func WriteLadder(w io.Writer, f *Flow, opt LadderOptions) error {
	var b strings.Builder
	ladderText(&b, f, opt)
	_, err := io.WriteString(w, b.String())
	return err
}

const (
	// ladderMinGap is the narrowest column spacing: an arrow between
	// neighbours keeps room for a 5-character label ("40…" and spaces),
	// so no arrow has to write its label right of the drawing.
	ladderMinGap = 9
	// ladderTailRoom is kept right of the last column, when a host sends
	// to itself, for the label written there ("↺ L…" at the least).
	ladderTailRoom = 5
)

func ladderText(b *strings.Builder, f *Flow, opt LadderOptions) {
	if opt.Width <= 0 {
		opt.Width = 100
	}
	fmt.Fprintf(b, "Call-ID %s", f.CallID)
	if len(f.Diagnoses) > 0 {
		fmt.Fprintf(b, "  (diagnosis %s)", joinInts(f.Diagnoses))
	}
	b.WriteString("\n")
	if len(f.Messages) == 0 {
		b.WriteString("  (no message of this flow was found in the second pass)\n")
		return
	}
	// Gutter: marker, location, time.
	locW := 0
	for _, m := range f.Messages {
		locW = max(locW, len(location(m.At, opt.Multi)))
	}
	n := len(f.Hosts)
	// The time column goes first when the columns would not fit the width
	// at their narrowest spacing: the location still leads to the message.
	tailRoom := 0
	for _, m := range f.Messages {
		if m.From == m.To {
			tailRoom = ladderTailRoom
			break
		}
	}
	timeW := 12 + 1
	if 2+locW+1+timeW+max(n-1, 0)*ladderMinGap+1+tailRoom > opt.Width {
		timeW = 0
	}
	gutter := 2 + locW + 1 + timeW
	gap := 0
	if n > 1 {
		gap = (opt.Width - gutter - 1 - tailRoom) / (n - 1)
		gap = min(max(gap, ladderMinGap), 44)
	}
	x := func(col int) int { return gutter + col*gap }
	lineW := x(n-1) + 1

	// Host names centred over their column, each within its share of the
	// line (the first may use the gutter), shortened when longer.
	lineEnd := max(lineW, opt.Width)
	head := []rune(strings.Repeat(" ", lineEnd))
	for i, h := range f.Hosts {
		lo, hi := x(i)-gap/2, x(i)+(gap+1)/2-1 // [lo, hi)
		if i == 0 {
			lo = 0
		}
		if i == n-1 {
			hi = lineEnd
		}
		name := []rune(h)
		if len(name) > hi-lo {
			name = append(name[:max(hi-lo-1, 1)], '…')
		}
		start := min(max(x(i)-len(name)/2, lo), hi-len(name))
		copy(head[max(start, 0):], name)
	}
	b.WriteString(strings.TrimRight(string(head), " ") + "\n")
	for _, m := range f.Messages {
		row := []rune(strings.Repeat(" ", lineW))
		for i := 0; i < n; i++ {
			row[x(i)] = '|'
		}
		mark := "  "
		if m.Decisive {
			mark = "* "
		}
		g := fmt.Sprintf("%s%-*s ", mark, locW, location(m.At, opt.Multi))
		if timeW > 0 {
			g += fmt.Sprintf("%-12s ", clock(m.At.Time))
		}
		copy(row, []rune(g))
		tail := ""
		lo, hi := min(m.From, m.To), max(m.From, m.To)
		switch {
		case m.From == m.To:
			tail = " ↺ " + m.Label
		default:
			a, z := x(lo)+1, x(hi)-1
			for i := a; i <= z; i++ {
				row[i] = '-'
			}
			if m.To > m.From {
				row[z] = '>'
			} else {
				row[a] = '<'
			}
			label := []rune(" " + m.Label + " ")
			room := z - a - 2
			if len(label) > room {
				tail = " " + m.Label // the arrow keeps its direction; the label goes to the right
				if room >= 5 {
					label = append(label[:room-1], '…')
					tail = ""
				} else {
					label = nil
				}
			}
			copy(row[a+2:], label)
		}
		b.WriteString(strings.TrimRight(string(row)+fitTail(tail, lineEnd-lineW), " ") + "\n")
	}
	if f.Total > int64(len(f.Messages)) {
		fmt.Fprintf(b, "  … %d more not shown (capped)\n", f.Total-int64(len(f.Messages)))
	}
}

// fitTail shortens a label written to the right of the drawing so the line
// stays within the width; a label with no room at all keeps its first
// letters and "…", since an arrow without a name says little.
func fitTail(tail string, room int) string {
	r := []rune(tail)
	if len(r) <= room {
		return tail
	}
	return string(r[:max(room-1, ladderTailRoom-1)]) + "…"
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}
