package decode

// HeaderName returns the name of m.Headers[i] as written.
func (m *Message) HeaderName(i int) []byte { return m.name(&m.Headers[i]) }

// HeaderValue returns the value of m.Headers[i], trimmed of LWS (see
// Header). A present but empty value is an empty, non-nil slice.
func (m *Message) HeaderValue(i int) []byte { return m.value(&m.Headers[i]) }

func (m *Message) name(h *Header) []byte  { return m.Raw[h.nameStart:h.nameEnd] }
func (m *Message) value(h *Header) []byte { return m.Raw[h.valueStart:h.valueEnd] }

// Get returns the value of the first header with that ID, or nil when the
// message has none. A present but empty header returns an empty, non-nil
// slice.
func (m *Message) Get(id HeaderID) []byte {
	if id == HOther || id >= numHeaderIDs {
		return nil
	}
	if i := m.first[id]; i > 0 && int(i) <= len(m.Headers) {
		return m.value(&m.Headers[i-1])
	}
	return nil
}

// Has reports whether the message has at least one header with that ID.
func (m *Message) Has(id HeaderID) bool { return m.Get(id) != nil }

// GetName returns the value of the first header with that name, matched
// case-insensitively, with compact and full forms equivalent ("l" finds
// Content-Length, "Refer-To" finds "r"), or nil.
func (m *Message) GetName(name string) []byte {
	if id := headerIDOfString(name); id != HOther {
		return m.Get(id)
	}
	full := name
	if len(name) == 1 {
		full = compactFullName(name[0])
	}
	for i := range m.Headers {
		h := &m.Headers[i]
		if h.ID != HOther {
			continue
		}
		hn := m.name(h)
		if equalFold(hn, name) || equalFold(hn, full) ||
			(len(hn) == 1 && equalFoldString(compactFullName(hn[0]), full)) {
			return m.value(h)
		}
	}
	return nil
}

func headerIDOfString(name string) HeaderID {
	if len(name) == 1 {
		c := lower(name[0])
		if c >= 'a' && c <= 'z' {
			return compactIDs[c-'a']
		}
		return HOther
	}
	if len(name) == 0 {
		return HOther
	}
	slot := (len(name)*2 + int(name[0]|0x20) + int(name[len(name)-1]|0x20)*13) & 127
	if id := headerSlots[slot]; id != HOther && equalFoldString(name, headerNames[id]) {
		return id
	}
	return HOther
}

// compactFullName returns the full name for a compact letter, or "".
func compactFullName(c byte) string {
	c = lower(c)
	if c >= 'a' && c <= 'z' {
		return compactNames[c-'a']
	}
	return ""
}

func equalFoldString(a, b string) bool {
	if len(a) != len(b) || len(a) == 0 {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] && lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

// Values calls fn with every comma-separated element, trimmed, over all
// headers with that ID in order, until fn returns false. Commas inside
// quoted strings or <...> do not split (RFC 3261 §7.3.1). Empty elements
// are skipped. Not for WWW-Authenticate / Authorization, whose
// parameters are comma separated: iterate Headers for those.
func (m *Message) Values(id HeaderID, fn func(v []byte) bool) {
	if id == HOther || id >= numHeaderIDs || m.first[id] == 0 {
		return
	}
	for i := int(m.first[id] - 1); i < len(m.Headers); i++ {
		if m.Headers[i].ID != id {
			continue
		}
		if !splitList(m.value(&m.Headers[i]), fn) {
			return
		}
	}
}

// EachValue calls fn for each element of a comma-separated header value
// (commas inside quotes or <...> do not split), trimmed, until fn returns
// false: for a header kept as a string, as Message.Values does for a
// message's own headers.
func EachValue(v []byte, fn func(elem []byte) bool) { splitList(v, fn) }

// splitList calls fn for each non-empty comma-separated element of v and
// reports whether the walk ran to the end.
func splitList(v []byte, fn func([]byte) bool) bool {
	for len(v) > 0 {
		i := indexByteOutside(v, ',')
		var elem []byte
		if i < 0 {
			elem, v = v, nil
		} else {
			elem, v = v[:i], v[i+1:]
		}
		if elem = trimLWS(elem); len(elem) > 0 && !fn(elem) {
			return false
		}
	}
	return true
}

// firstElement returns the first comma-separated element of v.
func firstElement(v []byte) []byte {
	if i := indexByteOutside(v, ','); i >= 0 {
		v = v[:i]
	}
	return trimLWS(v)
}

// MethodIs compares the request method with method ignoring case. SIP
// methods are case-sensitive (RFC 3261 §7.1); use bytes.Equal on Method
// for the strict comparison.
func (m *Message) MethodIs(method string) bool {
	return m.Request && equalFold(m.Method, method)
}

// CSeq parses the first CSeq header, once per message (Scan checks it
// and the correlator keys on it).
func (m *Message) CSeq() (CSeq, bool) {
	if m.views.have&viewCSeq == 0 {
		m.parseCSeqView()
	}
	// Apart from parseCSeqView, CSeq is inlined: the correlator reads
	// the view Scan already filled without a call.
	return m.views.cseq, m.views.cseqOK
}

// parseCSeqView parses the CSeq header into the cached view.
func (m *Message) parseCSeqView() {
	m.views.have |= viewCSeq
	if v := m.Get(HCSeq); v != nil {
		// v is trimmed (see Header)
		m.views.cseq, m.views.cseqOK = parseCSeqTrimmed(v)
	}
}

// TopVia parses the first element of the first Via header, the one the
// transaction key uses (RFC 3261 §17.1.3, §17.2.3).
func (m *Message) TopVia() (Via, bool) {
	ok := m.topViaOK()
	return m.views.via, ok
}

// topViaOK parses the top Via into the cached view once and reports
// whether it is well formed, without copying the view out.
func (m *Message) topViaOK() bool {
	if m.views.have&viewVia == 0 {
		m.parseTopViaView()
	}
	return m.views.viaOK // inlined: a cached view is read without a call
}

func (m *Message) parseTopViaView() {
	m.views.have |= viewVia
	if v := m.Get(HVia); v != nil {
		// v is trimmed (see Header), as parseViaFast wants it; see
		// parseTopViaGeneral.
		m.views.viaOK = parseViaFast(&m.views.via, v) || parseTopViaGeneral(&m.views.via, v)
	}
}

// From parses the From header (RFC 3261 §20.20), once per message.
// ok=false: missing or malformed (the fields hold a best-effort reading).
func (m *Message) From() (NameAddr, bool) {
	ok := m.fromOK()
	return m.views.from, ok
}

func (m *Message) fromOK() bool {
	if m.views.have&viewFrom == 0 {
		m.parseFromView()
	}
	return m.views.fromOK // inlined: a cached view is read without a call
}

func (m *Message) parseFromView() {
	m.views.have |= viewFrom
	if v := m.Get(HFrom); v != nil {
		m.views.fromOK = parseNameAddrInto(&m.views.from, v)
	}
}

// parseVFTViews is parseTopViaView, parseFromView and parseToView in
// one call, for Validate, which reads all three: the pipeline validates
// every message before the correlator reads the views, so this is where
// they are filled, and the three single ones run only for callers that
// read a view without Validate. Its values are trimmed (see Header), so
// it calls the fast parsers itself, not parseNameAddrInto (not inlined).
func (m *Message) parseVFTViews() {
	m.views.have |= viewVia | viewFrom | viewTo
	if v := m.Get(HVia); v != nil {
		m.views.viaOK = parseViaFast(&m.views.via, v) || parseTopViaGeneral(&m.views.via, v)
	}
	if v := m.Get(HFrom); v != nil {
		m.views.fromOK = parseNameAddrFast(&m.views.from, v) || parseNameAddrIntoGeneral(&m.views.from, v)
	}
	if v := m.Get(HTo); v != nil {
		m.views.toOK = parseNameAddrFast(&m.views.to, v) || parseNameAddrIntoGeneral(&m.views.to, v)
	}
}

// To parses the To header (RFC 3261 §20.39), once per message.
func (m *Message) To() (NameAddr, bool) {
	ok := m.toOK()
	return m.views.to, ok
}

func (m *Message) toOK() bool {
	if m.views.have&viewTo == 0 {
		m.parseToView()
	}
	return m.views.toOK // inlined: a cached view is read without a call
}

func (m *Message) parseToView() {
	m.views.have |= viewTo
	if v := m.Get(HTo); v != nil {
		m.views.toOK = parseNameAddrInto(&m.views.to, v)
	}
}

// Contacts calls fn for each Contact element over all Contact headers in
// order until fn returns false (RFC 3261 §20.10). "*" yields Star.
func (m *Message) Contacts(fn func(Contact) bool) {
	m.Values(HContact, func(v []byte) bool {
		return fn(ParseContact(v))
	})
}
