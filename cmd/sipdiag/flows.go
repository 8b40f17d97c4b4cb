package main

import (
	"fmt"
	"io"
	"os"

	"github.com/sipdiag/sipdiag/capture"
	"github.com/sipdiag/sipdiag/diagnose"
	"github.com/sipdiag/sipdiag/ladder"
	"github.com/sipdiag/sipdiag/rules"
)

// Ladders need the messages of a flow, which the streaming first pass does
// not keep. Once the rules have named the flows, a second pass reads the
// inputs again and keeps only those flows' messages (capped). Standard
// input can be read only once, so when a second pass will be needed it is
// copied to a temporary file while the first pass reads it.

// secondPass remembers how to read the inputs again.
type secondPass struct {
	files    []string
	inputOpt capture.Options // as the first pass read them (--input-format)
	tmp      string          // the copy of stdin, removed by cleanup
	spool    *os.File        // open while the first pass writes it
}

// prepareSecondPass returns the stdin the first pass must read (a tee into
// a temporary file when stdin is an input and a second pass is wanted) and
// how to read the inputs again (nil when no second pass is wanted).
func prepareSecondPass(files []string, stdin io.Reader, inputOpt capture.Options, wanted bool) (io.Reader, *secondPass, error) {
	if !wanted {
		return stdin, nil, nil
	}
	p := &secondPass{files: append([]string(nil), files...), inputOpt: inputOpt}
	for i, f := range files {
		if f != "-" {
			continue
		}
		tmp, err := os.CreateTemp("", "sipdiag-stdin-*")
		if err != nil {
			return nil, nil, fmt.Errorf("keeping stdin for the ladder: %w", err)
		}
		p.tmp, p.spool = tmp.Name(), tmp
		p.files[i] = tmp.Name()
		return io.TeeReader(stdin, tmp), p, nil
	}
	return stdin, p, nil
}

func (p *secondPass) cleanup() {
	if p != nil && p.tmp != "" {
		p.spool.Close()
		os.Remove(p.tmp)
	}
}

// flowsFor picks the flows to draw: --call-id, every flow (--ladder=all),
// or the flows the findings name.
func flowsFor(o *outputFlags, findings []rules.Finding) ladder.Selection {
	switch {
	case o.callID != "":
		return ladder.Selection{CallIDs: []string{o.callID}}
	case o.ladder == "all":
		return ladder.Selection{All: true}
	}
	return ladder.Selection{CallIDs: diagnose.CallIDs(findings)}
}

// maxMessageText caps the message text kept per ladder arrow for the HTML
// report's click-to-read (a SIP message is rarely above 4 KB; SDP-heavy
// INVITEs may be cut, and say so).
const maxMessageText = 8 << 10

// collect runs the second pass and adds the flows to the report.
func (p *secondPass) collect(report *diagnose.Report, sel ladder.Selection, o *outputFlags) error {
	if p == nil || (!sel.All && len(sel.CallIDs) == 0) {
		return nil
	}
	if p.spool != nil {
		if err := p.spool.Close(); err != nil {
			return fmt.Errorf("keeping stdin for the ladder: %w", err)
		}
	}
	rd, err := capture.Open(p.files, nil, p.inputOpt)
	if err != nil {
		return err
	}
	defer rd.Close()
	opt := ladder.Options{}
	if o.format == "html" {
		opt.MaxText = maxMessageText
	}
	flows, err := ladder.Collect(rd, sel, opt)
	report.AddFlows(flows)
	return err
}
