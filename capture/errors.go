package capture

import "fmt"

// FormatError says an input is in a format this version cannot read, and
// how to convert it into one it can.
type FormatError struct {
	Name   string // the input as given ("-" for stdin)
	Format string // what the input looks like, e.g. "an Endace ERF capture"
	Hint   string // what to do instead, e.g. a conversion command
}

func (e *FormatError) Error() string {
	if e.Hint == "" {
		return fmt.Sprintf("%s is %s, which sipdiag cannot read", e.Name, e.Format)
	}
	return fmt.Sprintf("%s is %s, which sipdiag cannot read; %s", e.Name, e.Format, e.Hint)
}

// convertHint names the editcap command that turns name into pcapng.
func convertHint(name string) string {
	out := "out.pcapng"
	if name != "-" && name != "" {
		out = trimExt(name) + ".pcapng"
	}
	in := name
	if in == "-" || in == "" {
		in = "in.file"
	}
	return fmt.Sprintf("convert it with `editcap -F pcapng %s %s` and read that", in, out)
}

func trimExt(name string) string {
	for i := len(name) - 1; i >= 0 && name[i] != '/'; i-- {
		if name[i] == '.' {
			return name[:i]
		}
	}
	return name
}
