package diagnose

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
}

// Input is one file (or stdin) and what could be read from it.
type Input struct {
	Name     string `json:"name"`
	Format   string `json:"format"`
	Frames   int64  `json:"frames"`
	Messages int64  `json:"messages"`
	Problems int64  `json:"problems"`
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
