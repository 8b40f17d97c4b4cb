package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mattn/go-isatty"
	flag "github.com/spf13/pflag"

	"github.com/sipdiag/sipdiag/capture"
	"github.com/sipdiag/sipdiag/config"
	"github.com/sipdiag/sipdiag/decode"
	"github.com/sipdiag/sipdiag/diagnose"
	"github.com/sipdiag/sipdiag/rules"
)

// Exit codes, as documented in the README.
const (
	exitOK         = 0 // nothing at or above --fail-on
	exitDiagnoses  = 1 // diagnoses at or above --fail-on
	exitUsage      = 2 // bad flags or arguments
	exitUnreadable = 3 // an input could not be read, or the report could not be written
)

const usage = `sipdiag — diagnose SIP registration and call failures in captures and logs

Usage:
  sipdiag [flags] FILE...      analyse pcap/pcapng captures (gzip/zstd too) and SIP text
                               logs (CUBE debug ccsip, Asterisk, FreeSWITCH, CUCM, ...);
                               "-" reads stdin
  ... | sipdiag [flags]        read a pasted log or a capture piped on stdin
  sipdiag rules                list the diagnosis rules
  sipdiag explain RULE         show what a rule means, its fix and references
  sipdiag formats              list the text log formats sipdiag reads

Flags:
`

type options struct {
	out        outputFlags
	color      string
	failOn     string
	rules      []string
	thresholds []string
	inputFmt   string
	config     string
	help       bool
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sipdiag", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	var o options
	addOutputFlags(fs, &o.out)
	fs.StringVar(&o.color, "color", "auto", "colour the text output: auto (on a terminal, unless NO_COLOR is set), always or never")
	fs.StringVar(&o.failOn, "fail-on", "warning", "exit 1 when a diagnosis has at least this severity: info, warning, critical or none")
	fs.StringSliceVarP(&o.rules, "rules", "r", nil, "run only these rules: IDs, slugs or globs, comma-separated (AUTH*,missing-refresh)")
	fs.StringArrayVar(&o.thresholds, "threshold", nil, "override a rule threshold: RULE.name=value, repeatable (AUTH005.burst=3)")
	fs.StringVar(&o.inputFmt, "input-format", "", "read text inputs as this log format instead of detecting it (see `sipdiag formats`)")
	fs.StringVar(&o.config, "config", "", "a CUBE/IOS running-config (or its sip-ua and dial-peer sections) to check the trace against")
	fs.BoolVarP(&o.help, "help", "h", false, "show this help")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fmt.Fprint(stderr, fs.FlagUsages())
		fmt.Fprint(stderr, "\nExit codes: 0 no diagnosis at or above --fail-on, 1 diagnoses, 2 usage error, 3 input unreadable or report not written.\n")
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		fmt.Fprintf(stderr, "sipdiag: %v\n", err)
		return exitUsage
	}
	if o.help {
		fs.SetOutput(stdout)
		fs.Usage()
		return exitOK
	}
	rest := fs.Args()
	if len(rest) == 0 {
		// The paste case: `pbpaste | sipdiag`. A terminal on stdin means
		// nothing was piped, so show the usage instead of waiting.
		if !stdinPiped(stdin) {
			fs.Usage()
			return exitUsage
		}
		br := bufio.NewReader(stdin)
		if _, err := br.Peek(1); err != nil {
			fmt.Fprintln(stderr, "sipdiag: no file given and nothing on standard input")
			fs.Usage()
			return exitUsage
		}
		stdin, rest = br, []string{"-"}
	}
	switch rest[0] {
	case "rules":
		if len(rest) != 1 {
			fmt.Fprintln(stderr, "sipdiag: `rules` takes no arguments")
			return exitUsage
		}
		return listRules(stdout, stderr, o)
	case "explain":
		if len(rest) != 2 {
			fmt.Fprintln(stderr, "sipdiag: usage: sipdiag explain RULE (an ID like AUTH001 or a slug like realm-mismatch)")
			return exitUsage
		}
		return explain(stdout, stderr, rest[1], o)
	case "formats":
		if len(rest) != 1 {
			fmt.Fprintln(stderr, "sipdiag: `formats` takes no arguments")
			return exitUsage
		}
		return listFormats(stdout)
	}
	return analyse(rest, o, stdin, stdout, stderr)
}

func analyse(files []string, o options, stdin io.Reader, stdout, stderr io.Writer) int {
	if err := o.out.check(); err != nil {
		fmt.Fprintf(stderr, "sipdiag: %v\n", err)
		return exitUsage
	}
	failOn, err := rules.ParseSeverity(o.failOn)
	if err != nil {
		fmt.Fprintf(stderr, "sipdiag: --fail-on: %v\n", err)
		return exitUsage
	}
	useColor, err := colorWanted(o.color, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "sipdiag: --color: %v\n", err)
		return exitUsage
	}
	selected, err := rules.Select(o.rules)
	if err != nil {
		fmt.Fprintf(stderr, "sipdiag: --rules: %v\n", err)
		return exitUsage
	}
	overrides := map[string]string{}
	for _, t := range o.thresholds {
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			fmt.Fprintf(stderr, "sipdiag: --threshold %q: want RULE.name=value\n", t)
			return exitUsage
		}
		overrides[k] = v
	}
	runner, err := rules.NewRunner(selected, overrides)
	if err != nil {
		fmt.Fprintf(stderr, "sipdiag: --threshold: %v\n", err)
		return exitUsage
	}
	stdinUsers := 0
	for _, f := range files {
		if f == "-" {
			stdinUsers++
		}
	}
	if stdinUsers > 1 {
		fmt.Fprintln(stderr, "sipdiag: \"-\" (stdin) can be given only once")
		return exitUsage
	}

	inOpt, err := inputOptions(o.inputFmt)
	if err != nil {
		fmt.Fprintf(stderr, "sipdiag: --input-format: %v\n", err)
		return exitUsage
	}
	var cfg *config.Config
	if o.config != "" {
		var code int
		if cfg, code = loadConfig(o.config, stderr); cfg == nil {
			return code
		}
		runner.SetConfig(cfg)
	}

	stdin, again, err := prepareSecondPass(files, stdin, inOpt, o.out.wantFlows())
	if err != nil {
		fmt.Fprintf(stderr, "sipdiag: %v\n", err)
		return exitUnreadable
	}
	defer again.cleanup()
	rd, err := capture.Open(files, stdin, inOpt)
	if err != nil {
		fmt.Fprintf(stderr, "sipdiag: %v\n", err)
		return exitUnreadable
	}
	defer rd.Close()
	trace, readErr := decode.Correlate(rd, runner.Observers(), decode.Options{})
	findings := runner.Finish(trace)

	var inputs []diagnose.Input
	for _, in := range rd.Inputs() {
		inputs = append(inputs, diagnose.Input{Name: in.Name, Format: in.Format, Frames: in.Frames, Lines: in.Lines,
			Messages: in.Messages, Problems: in.Problems, Summaries: in.Summaries})
	}
	if cfg != nil {
		inputs = append(inputs, configInput(cfg))
	}
	report := diagnose.Build(findings, trace, inputs, diagnose.Options{Redact: o.out.redaction()})
	report.AddUndecided(runner.Undecided())
	report.AddInputNotes()
	if again != nil && readErr == nil {
		if err := again.collect(report, flowsFor(&o.out, findings), &o.out); err != nil {
			fmt.Fprintf(stderr, "sipdiag: collecting the flows for the ladder: %v (ladders may be incomplete)\n", err)
		}
	}

	if err := writeReport(stdout, report, &o.out, useColor); err != nil {
		fmt.Fprintf(stderr, "sipdiag: writing the report: %v\n", err)
		return exitUnreadable
	}
	if readErr != nil {
		fmt.Fprintf(stderr, "sipdiag: reading stopped early: %v (the report covers what was read)\n", readErr)
		return exitUnreadable
	}
	for _, d := range report.Diagnoses {
		if s, _ := rules.ParseSeverity(d.Severity); s >= failOn {
			return exitDiagnoses
		}
	}
	return exitOK
}

// colorWanted decides on ANSI colour: "always"/"never" win; "auto" means a
// terminal on stdout and neither NO_COLOR (no-color.org) nor TERM=dumb.
func colorWanted(mode string, stdout io.Writer) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
			return false, nil
		}
		f, ok := stdout.(*os.File)
		return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())), nil
	}
	return false, fmt.Errorf("%q: want auto, always or never", mode)
}
