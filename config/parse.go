package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// MaxSize is the largest configuration read (a full running-config of a
// big CUBE is a few hundred kilobytes).
const MaxSize = 16 << 20

// ErrNoVoiceConfig says the input has none of the sections this package
// reads (sip-ua, voice class tenant, dial-peer voice N voip): most likely
// the wrong file was given.
var ErrNoVoiceConfig = errors.New("no sip-ua, voice class tenant or dial-peer voice ... voip section found (want the output of `show running-config` from the CUBE)")

// ParseFile reads a configuration file. Errors: the file cannot be read
// (wraps the *os.PathError), it is larger than MaxSize, or
// ErrNoVoiceConfig (wrapped; test with errors.Is).
func ParseFile(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(f, path)
}

// Parse reads a configuration from r; name is how findings cite it.
// Commands it does not need are skipped; commands it needs but cannot
// understand become Problems, never errors. Errors are the same as
// ParseFile's.
func Parse(r io.Reader, name string) (*Config, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%s: larger than %d MiB: not a running-config", name, MaxSize>>20)
	}
	c := &Config{Source: name}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrNoVoiceConfig)
	}
	p := parser{c: c}
	for i, s := range strings.Split(string(data), "\n") {
		p.line(cleanLine(i+1, s))
	}
	if c.SIPUA == nil && len(c.Tenants) == 0 && len(c.DialPeers) == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrNoVoiceConfig)
	}
	return c, nil
}

type parser struct {
	c           *Config
	cur         *Section // open section; nil at top level or in one we skip
	inInterface bool     // in an `interface` section (for its addresses)
	indented    bool     // the open section's commands are indented (show running-config)
}

func (p *parser) line(l rawLine) {
	if l.text == "" {
		return
	}
	if l.mode == "exec" { // "CUBE#show running-config": not configuration
		p.close()
		return
	}
	top := l.mode == "config" || (l.mode == "" && !l.indented)
	sub := l.indented || strings.HasPrefix(l.mode, "config-")
	switch {
	case strings.HasPrefix(l.text, "!"):
		if top {
			p.close()
		}
		return
	case l.text == "end" || l.text == "exit":
		p.close()
		return
	}
	f := strings.Fields(l.text)
	if l.paged { // indentation unknown: a header, or a command read here, or nothing
		if !p.header(l, f) && p.relevant(f[0]) {
			p.dispatch(l, f)
		}
		return
	}
	if top && p.header(l, f) {
		return
	}
	if !sub {
		// An unindented line that is no header: either another top-level
		// command, or a sub-command whose indentation was lost in pasting.
		// Only the commands read here are taken as sub-commands, and only
		// while the section has shown no indentation of its own.
		if p.indented || !p.relevant(f[0]) {
			if p.indented {
				p.close()
			}
			return
		}
	} else if l.indented {
		p.indented = true
	}
	p.dispatch(l, f)
}

func (p *parser) dispatch(l rawLine, f []string) {
	switch {
	case p.inInterface:
		p.address(l, f)
	case p.cur != nil:
		p.command(l, f)
	}
}

func (p *parser) close() {
	p.cur, p.inInterface, p.indented = nil, false, false
}

// header opens a section if f starts one.
func (p *parser) header(l rawLine, f []string) bool {
	if !isHeader(f) {
		return false
	}
	p.close()
	head := Line{N: l.n, Text: strings.Join(f, " ")}
	switch {
	case len(f) == 1 && f[0] == "sip-ua":
		if p.c.SIPUA == nil {
			p.c.SIPUA = newSection(SIPUA, 0, head)
		}
		p.cur = p.c.SIPUA // IOS merges repeated modes; so do we
	case len(f) == 4 && f[0] == "dial-peer" && f[1] == "voice" && f[3] == "voip":
		p.numbered(l.n, "dial-peer", f[2], DialPeer, &p.c.DialPeers, head)
	case len(f) == 4 && f[0] == "voice" && f[1] == "class" && f[2] == "tenant":
		p.numbered(l.n, "tenant", f[3], Tenant, &p.c.Tenants, head)
	case len(f) == 4 && f[0] == "voice" && f[1] == "class" && f[2] == "server-group":
		p.numbered(l.n, "server-group", f[3], ServerGroup, &p.c.ServerGroups, head)
	case len(f) == 3 && f[0] == "voice" && f[1] == "service" && f[2] == "voip":
		if p.c.Voice == nil {
			p.c.Voice = newSection(Voice, 0, head)
		}
		p.cur = p.c.Voice
	case f[0] == "interface" && len(f) >= 2:
		p.inInterface = true
	default:
		return false
	}
	return true
}

// numbered opens the section of a numbered mode (a dial-peer or tenant
// tag): the one already in list when the mode is entered again, as IOS
// merges it, else a new one. A tag that is not a positive number is a
// problem and opens nothing.
func (p *parser) numbered(n int, what, tag string, scope Scope, list *[]*Section, head Line) {
	id, err := strconv.Atoi(tag)
	if err != nil || id <= 0 {
		p.problem(n, "%s tag %q is not a positive number", what, tag)
		return
	}
	if p.cur = sectionByID(*list, id); p.cur != nil {
		return
	}
	p.cur = newSection(scope, id, head)
	*list = append(*list, p.cur)
}

func isHeader(f []string) bool {
	switch f[0] {
	case "sip-ua", "dial-peer", "interface":
		return true
	case "voice":
		return len(f) >= 3 && (f[1] == "class" && (f[2] == "tenant" || f[2] == "server-group") || f[1] == "service" && f[2] == "voip")
	}
	return false
}

func newSection(s Scope, id int, head Line) *Section {
	return &Section{Scope: s, ID: id, Header: head, RetryRegister: -1, TimersRegister: -1, TimersExpires: -1}
}

// relevant reports whether an unindented word is a sub-command this package
// reads in the open section (none of them is a top-level IOS command).
func (p *parser) relevant(word string) bool {
	if p.inInterface {
		return word == "ip" || word == "ipv6"
	}
	if p.cur == nil {
		return false
	}
	switch p.cur.Scope {
	case SIPUA, Tenant:
		switch word {
		case "credentials", "authentication", "registrar", "sip-server", "retry", "timers", "localhost":
			return true
		}
	case DialPeer:
		switch word {
		case "authentication", "session", "voice-class":
			return true
		}
	case Voice:
		return word == "localhost" || word == "sip"
	case ServerGroup:
		return word == "ipv4" || word == "ipv6" || word == "dns"
	}
	return false
}

func (p *parser) problem(n int, format string, args ...any) {
	p.c.Problems = append(p.c.Problems, Problem{Line: n, Message: fmt.Sprintf(format, args...)})
}
