package capture

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// detectLines is how many normalised non-blank lines detection looks at
// (TEXT-FORMATS.md §0 step 4).
const detectLines = 200

// detectTextFormat picks the format whose Detect scores the sample
// highest; equal scores go to the lower Priority (the detection order of
// TEXT-FORMATS.md). nil when no format scores.
func detectTextFormat(sample [][]byte) *TextFormat {
	var best *TextFormat
	bestScore := 0
	for _, f := range sortedTextFormats() {
		s := safeDetect(f, sample)
		if s > bestScore {
			best, bestScore = f, s
		}
	}
	return best
}

// safeDetect runs one format's Detect; a panic in it (a bug in one
// ingester) counts as "not this format" rather than ending the run.
func safeDetect(f *TextFormat, sample [][]byte) (score int) {
	defer func() {
		if recover() != nil {
			score = 0
		}
	}()
	if f.Detect == nil {
		return 0
	}
	return f.Detect(sample)
}

// sortedTextFormats is TextFormats in Priority order (then by name, so
// that the order does not depend on which file's init ran first).
func sortedTextFormats() []*TextFormat {
	fs := append([]*TextFormat(nil), textFormats...)
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Priority != fs[j].Priority {
			return fs[i].Priority < fs[j].Priority
		}
		return fs[i].Name < fs[j].Name
	})
	return fs
}

// textFormatNamed finds a format for Options.InputFormat; the error lists
// the names there are.
func textFormatNamed(name string) (*TextFormat, error) {
	for _, f := range textFormats {
		if strings.EqualFold(f.Name, name) {
			return f, nil
		}
	}
	return nil, fmt.Errorf("unknown input format %q; the text formats are: %s", name, textFormatList())
}

func textFormatList() string {
	var names []string
	for _, f := range sortedTextFormats() {
		names = append(names, f.Name)
	}
	return strings.Join(names, ", ")
}

// isBlank: a line of only whitespace.
func isBlank(line []byte) bool { return len(bytes.TrimSpace(line)) == 0 }
