package decode

// The correlator reads a message's top Via branch, From and To in place,
// in the views the Message parses once and caches: TopVia, From and To
// return copies (a Via is 160 bytes, a NameAddr 96), and the correlator
// reads one or two fields of each, for every message. The pointers are
// valid until m is scanned again.

// topBranch returns the branch of m's top Via; from a Via the parser
// rejects (captures hold unbracketed IPv6 sent-by), the branch dug out of
// its first element's parameters, which it still usually carries.
func topBranch(m *Message) []byte {
	if m.topViaOK() {
		return m.views.via.Branch
	}
	return viaBranch(m.Get(HVia))
}

// fromOf returns m's From as From() reads it (best effort when malformed,
// zero when absent).
func fromOf(m *Message) *NameAddr {
	m.fromOK()
	return &m.views.from
}

// toOf returns m's To as To() reads it.
func toOf(m *Message) *NameAddr {
	m.toOK()
	return &m.views.to
}
