package config

import "strings"

// rawLine is one input line after terminal clean-up.
type rawLine struct {
	n        int
	text     string // trimmed, prompt removed
	indented bool   // began with white space (a sub-command in `show running-config`)
	paged    bool   // followed a `--More--` left in the text: its indentation is unknown
	mode     string // the prompt's mode ("config", "config-sip-ua", ...); "" without a prompt
}

// cleanLine undoes what a terminal and a copy-paste do to one line:
// backspaces and carriage returns (the `--More--` pager erases itself with
// them), the `--More--` prompt when the erasure was lost, and a CLI prompt
// in front of the command.
func cleanLine(n int, s string) rawLine {
	s = strings.TrimRight(s, "\r\n")
	if strings.ContainsAny(s, "\b\r") {
		s = overstrike(s)
	}
	l := rawLine{n: n}
	if i := strings.LastIndex(s, "--More--"); i >= 0 {
		// What follows the pager on the same line was printed after the
		// user pressed a key: its own indentation is lost.
		s = strings.TrimLeft(s[i+len("--More--"):], " \t")
		l.paged = true
	}
	s = strings.ReplaceAll(s, "\t", " ")
	l.indented = len(s) > 0 && s[0] == ' '
	t := strings.TrimSpace(s)
	if mode, rest, ok := cutPrompt(t); ok && !l.indented {
		l.mode, t = mode, strings.TrimSpace(rest)
	}
	l.text = t
	return l
}

// overstrike replays backspaces and carriage returns the way a terminal
// shows them: each moves the cursor, later characters overwrite.
func overstrike(s string) string {
	buf := make([]rune, 0, len(s))
	pos := 0
	for _, r := range s {
		switch r {
		case '\b':
			if pos > 0 {
				pos--
			}
		case '\r':
			pos = 0
		default:
			if pos < len(buf) {
				buf[pos] = r
			} else {
				buf = append(buf, r)
			}
			pos++
		}
	}
	return strings.TrimRight(string(buf), " ")
}

// cutPrompt splits "CUBE(config-sip-ua)#credentials ..." into the mode
// ("config-sip-ua") and the command. A prompt is a host name (no spaces)
// with an optional "(mode)" and a trailing '#' or '>' directly before the
// command; a command never contains "#" in its first word. Without
// "(mode)" the mode is "exec".
func cutPrompt(s string) (mode, rest string, ok bool) {
	end := strings.IndexAny(s, "#>")
	if end <= 0 {
		return "", "", false
	}
	head := s[:end]
	if strings.ContainsAny(head, " \"'") {
		return "", "", false
	}
	if open := strings.IndexByte(head, '('); open >= 0 {
		if !strings.HasSuffix(head, ")") || open == 0 {
			return "", "", false
		}
		mode = head[open+1 : len(head)-1]
		head = head[:open]
	} else {
		mode = "exec"
	}
	for _, r := range head {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return "", "", false
		}
	}
	return mode, s[end+1:], true
}
