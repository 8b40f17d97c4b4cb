package diagnose

import (
	"fmt"
	"strings"
)

// SchemaVersion is the version of the JSON report. Fields may be added
// without a bump; renaming or removing one needs a new version.
const SchemaVersion = 1

// Report is everything a renderer prints: plain data, computed once.
type Report struct {
	SchemaVersion int         `json:"schema_version"`
	Inputs        []Input     `json:"inputs"`
	Diagnoses     []Diagnosis `json:"diagnoses"`
	Summary       Summary     `json:"summary"`
	Problems      []Problem   `json:"problems"`
	ProblemsTotal int64       `json:"problems_total"` // Problems holds the first few; this counts all
	Undecided     []Undecided `json:"undecided"`      // what the capture could not tell
	Redacted      bool        `json:"redacted"`
	// PseudonymisedNumbers and PseudonymisedHosts say that phone numbers
	// and IP addresses were replaced by stable tokens (num-1, ip-1).
	PseudonymisedNumbers bool `json:"pseudonymised_numbers"`
	PseudonymisedHosts   bool `json:"pseudonymised_hosts"`
	// Flows are the message sequences (ladders) of the flows asked for;
	// absent unless a ladder was requested (a second pass over the inputs).
	Flows []Flow `json:"flows,omitempty"`

	red *Redactor // shared by everything added later, so pseudonyms agree
}

// Input is one file (or stdin) and what could be read from it.
type Input struct {
	Name   string `json:"name"`
	Format string `json:"format"`
	Frames int64  `json:"frames"`
	Lines  int64  `json:"lines,omitempty"` // lines read, for text logs
	// Summaries counts messages rebuilt from one-line packet summaries
	// (tshark packet list): header-level checks cannot run on them.
	Summaries int64 `json:"summary_messages,omitempty"`
	Messages  int64 `json:"messages"`
	Problems  int64 `json:"problems"`
}

// Diagnosis is one root cause with the findings that show it and the
// symptoms it explains.
type Diagnosis struct {
	Rank       int       `json:"rank"`
	Title      string    `json:"title"`
	Severity   string    `json:"severity"`
	Confidence string    `json:"confidence"`
	Subject    string    `json:"subject"`
	Cause      string    `json:"cause"` // the root finding's message, in plain words
	Fix        string    `json:"fix"`
	Score      float64   `json:"score"`
	Rules      []string  `json:"rules"` // IDs of every rule involved, root first
	Findings   []Finding `json:"findings"`
	// FindingsNotShown counts the findings left out of Findings: at most
	// FindingsShown causes and as many symptoms are listed (the earliest),
	// since thousands of findings alike (one account challenged from as
	// many addresses) would bury the report. Severity, confidence, score
	// and Rules still count them all.
	FindingsNotShown int `json:"findings_not_shown,omitempty"`
}

// Finding is one rule's observation inside a diagnosis.
type Finding struct {
	Rule       string     `json:"rule"`
	Name       string     `json:"name"`
	Role       string     `json:"role"` // "cause" or "symptom"
	Severity   string     `json:"severity"`
	Confidence string     `json:"confidence"`
	Message    string     `json:"message"`
	At         Location   `json:"at"`
	Evidence   []Evidence `json:"evidence"`
	Filter     string     `json:"filter"` // Wireshark display filter isolating the flow
	CallIDs    []string   `json:"call_ids"`
	// Frames are the Wireshark frame numbers of the evidence in the
	// finding's input, and FrameFilter selects exactly them.
	Frames      []int64 `json:"frames"`
	FrameFilter string  `json:"frame_filter"`
}

// Location points at a message: the frame Wireshark shows, or a text line.
type Location struct {
	Input string `json:"input"`
	Frame int64  `json:"frame"`
	Line  int    `json:"line"`
	Time  string `json:"time"` // RFC 3339 with fraction, UTC; empty when unknown
}

// Evidence is one message a finding rests on.
type Evidence struct {
	At      Location `json:"at"`
	Src     string   `json:"src,omitempty"`
	Dst     string   `json:"dst,omitempty"`
	Summary string   `json:"summary,omitempty"` // "401 Unauthorized", "REGISTER sip:x"
	Note    string   `json:"note"`
}

// Summary says what the capture held.
type Summary struct {
	Messages      int64 `json:"messages"`
	Transactions  int64 `json:"transactions"`
	Dialogs       int64 `json:"dialogs"`
	Registrations int64 `json:"registrations"`
	AuthExchanges int64 `json:"auth_exchanges"`
	Retransmits   int64 `json:"retransmissions"`
	Orphans       int64 `json:"orphan_responses"`
	ICMPErrors    int64 `json:"icmp_errors"`
	Span          Span  `json:"span"`
	// Counts by severity of the diagnoses, for a one-line headline.
	Critical int `json:"critical"`
	Warning  int `json:"warning"`
	Info     int `json:"info"`
}

// Span is the capture's first and last message time (RFC 3339, UTC).
type Span struct {
	First   string  `json:"first"`
	Last    string  `json:"last"`
	Seconds float64 `json:"seconds"`
}

// Problem is input that could not be read, with where.
type Problem struct {
	At      Location `json:"at"`
	Message string   `json:"message"`
}

// Undecided is what a rule could not tell because of the capture itself.
type Undecided struct {
	Rule    string `json:"rule"`
	Name    string `json:"name"`
	Message string `json:"message"`
}

// Flow is the sequence of messages of one Call-ID, for a ladder diagram.
type Flow struct {
	CallID string `json:"call_id"`
	// Hosts are the ladder's columns, left to right in order of first
	// appearance: an IP address, or ip:port when one IP has several ports
	// in this flow.
	Hosts    []string      `json:"hosts"`
	Messages []FlowMessage `json:"messages"`
	// Total counts the flow's messages in the inputs; more than
	// len(Messages) when the flow was capped.
	Total int64 `json:"total"`
	// Diagnoses are the ranks of the diagnoses whose findings name this flow.
	Diagnoses []int `json:"diagnoses"`
}

// FlowMessage is one arrow of a ladder.
type FlowMessage struct {
	At       Location `json:"at"`
	Src      string   `json:"src"`
	Dst      string   `json:"dst"`
	From     int      `json:"from"`  // column index in Flow.Hosts
	To       int      `json:"to"`    // column index in Flow.Hosts
	Label    string   `json:"label"` // "REGISTER", "401 Unauthorized", "ICMP port unreachable"
	CSeq     string   `json:"cseq"`
	Decisive bool     `json:"decisive"` // evidence of a finding
	// Text is the message as captured (capped, redacted); only kept for
	// the HTML report.
	Text string `json:"text,omitempty"`
}

// ReadCount says how much of an input was read, in its own unit: frames for
// a capture, lines for a text log.
func (in Input) ReadCount() string {
	if in.Frames == 0 && in.Lines == 0 && in.Messages == 0 {
		return "-" // e.g. a --config file: not a trace
	}
	if in.Lines > 0 || strings.HasPrefix(in.Format, "text") {
		return fmt.Sprintf("%d lines", in.Lines)
	}
	return fmt.Sprintf("%d frames", in.Frames)
}
