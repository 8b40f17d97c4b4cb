package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/mattn/go-isatty"

	"github.com/sipdiag/sipdiag/capture"
	"github.com/sipdiag/sipdiag/config"
	"github.com/sipdiag/sipdiag/diagnose"
)

// stdinPiped reports whether stdin holds piped or redirected input (the
// paste case) rather than a terminal or nothing at all.
func stdinPiped(stdin io.Reader) bool {
	if stdin == nil {
		return false
	}
	f, ok := stdin.(*os.File)
	if !ok {
		return true // a reader handed in by a test or an embedding program
	}
	if isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()) {
		return false
	}
	st, err := f.Stat()
	if err != nil {
		return false
	}
	// A pipe, a FIFO or a regular file redirected with `<`; not a
	// character device such as /dev/null.
	return st.Mode()&os.ModeNamedPipe != 0 || st.Mode().IsRegular()
}

// inputOptions checks --input-format against the formats capture knows.
func inputOptions(name string) (capture.Options, error) {
	if name == "" {
		return capture.Options{}, nil
	}
	for _, f := range capture.TextFormats() {
		if strings.EqualFold(f.Name, name) {
			return capture.Options{InputFormat: f.Name}, nil
		}
	}
	return capture.Options{}, fmt.Errorf("unknown format %q (want one of: %s)", name, strings.Join(formatNames(), ", "))
}

func formatNames() []string {
	var names []string
	for _, f := range capture.TextFormats() {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	return names
}

// listFormats prints the text formats, as `sipdiag formats` shows them.
func listFormats(w io.Writer) int {
	fs := append([]*capture.TextFormat(nil), capture.TextFormats()...)
	sort.Slice(fs, func(i, j int) bool {
		return fs[i].Priority < fs[j].Priority || fs[i].Priority == fs[j].Priority && fs[i].Name < fs[j].Name
	})
	width := 0
	for _, f := range fs {
		width = max(width, len(f.Name))
	}
	fmt.Fprintln(w, "Captures: pcap and pcapng (gzip or zstd compressed too), detected by their magic number.")
	fmt.Fprintln(w, "Text logs, detected from their content (--input-format NAME forces one):")
	for _, f := range fs {
		fmt.Fprintf(w, "  %-*s  %s\n", width, f.Name, f.Title)
	}
	return exitOK
}

// loadConfig reads --config. A file that cannot be read is exit 3; a file
// with no voice configuration in it (the wrong file, most likely) is a
// usage error. Lines the parser could not read are warned about on stderr
// and otherwise ignored; they never hold a password.
func loadConfig(path string, stderr io.Writer) (*config.Config, int) {
	cfg, err := config.ParseFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "sipdiag: --config: %v\n", err)
		if errors.Is(err, config.ErrNoVoiceConfig) {
			return nil, exitUsage
		}
		return nil, exitUnreadable
	}
	for _, p := range cfg.Problems {
		fmt.Fprintf(stderr, "sipdiag: warning: %s line %d: %s\n", path, p.Line, p.Message)
	}
	return cfg, exitOK
}

// configInput lists the configuration among the report's inputs.
func configInput(cfg *config.Config) diagnose.Input {
	return diagnose.Input{Name: cfg.Source, Format: "cube-config: " + cfg.String(), Problems: int64(len(cfg.Problems))}
}
