package decode

import "bytes"

// singleValued marks the headers that may appear only once (or repeated
// with the same value); a repeated Content-Length is a framing conflict.
var singleValued = [numHeaderIDs]bool{HCallID: true, HCSeq: true, HFrom: true, HTo: true, HContentLength: true}

// checkMandatory records, during Scan, the defects that need only the
// header index: missing mandatory headers (RFC 3261 §8.1.1), an unreadable
// or mismatched CSeq, and repeated single-valued headers.
func (m *Message) checkMandatory() {
	if m.first[HCallID] == 0 {
		m.addDefect(DefectMissingCallID)
	}
	if m.first[HVia] == 0 {
		m.addDefect(DefectMissingVia)
	}
	if m.first[HFrom] == 0 || m.first[HTo] == 0 {
		m.addDefect(DefectMissingFromTo)
	}
	if m.first[HCSeq] == 0 {
		m.addDefect(DefectMissingCSeq)
	} else if cs, ok := m.CSeq(); !ok {
		m.addDefect(DefectBadCSeq)
	} else if m.Request && !bytes.Equal(cs.Method, m.Method) {
		// Methods are case-sensitive (RFC 3261 §7.1, §8.1.1.5).
		m.addDefect(DefectCSeqMismatch)
	}
	if m.repeated {
		m.checkRepeats()
	}
}

// Validate appends the defects Scan leaves out because they need a full
// parse of a header: an unreadable top Via (RFC 3261 §20.42), From or To
// (§20.10, §20.20, §20.39), Contact element (§20.10), Max-Forwards
// (§20.22) or a Date not in GMT (§20.17). Call it after Scan when the
// message's defects are wanted in full; code that parses these headers
// anyway learns the same from the parsers' ok results. Calling it more
// than once adds nothing.
func (m *Message) Validate() {
	if m.views.have&(viewVia|viewFrom|viewTo) == 0 {
		m.parseVFTViews() // one call for the three views read below
	}
	if m.first[HVia] != 0 {
		if !m.topViaOK() {
			m.addDefect(DefectBadVia)
		}
	}
	if m.first[HFrom] != 0 {
		if !m.fromOK() {
			m.addDefect(DefectBadFromTo)
		}
	}
	if m.first[HTo] != 0 {
		if !m.toOK() {
			m.addDefect(DefectBadFromTo)
		}
	}
	if m.first[HContact] != 0 && !m.contactsOK() {
		m.addDefect(DefectBadContact)
	}
	if v := m.Get(HMaxForwards); v != nil {
		if _, ok := parseUint(v, 255); !ok {
			m.addDefect(DefectBadMaxForwards)
		}
	}
	if m.date != 0 {
		// rfc1123-date always ends in "GMT" (RFC 3261 §20.17).
		if v := m.value(&m.Headers[m.date-1]); !bytes.HasSuffix(v, []byte("GMT")) {
			m.addDefect(DefectBadDate)
		}
	}
}

// contactsOK reports whether every Contact element of every Contact
// header is well formed, as Contacts would show one by one. A value
// without a ',' outside quotes and <...> (nearly every one) is a single
// element and is checked directly, without a call through splitList's
// and Contacts' callbacks and the copy of each parsed Contact.
func (m *Message) contactsOK() bool {
	for i := int(m.first[HContact] - 1); i < len(m.Headers); i++ {
		h := &m.Headers[i]
		if h.ID != HContact {
			continue
		}
		v := m.value(h)
		// v is trimmed (see Header), and so is every element splitList
		// hands on.
		if indexByteOutside(v, ',') >= 0 {
			if !splitList(v, contactOKTrimmed) {
				return false
			}
		} else if len(v) > 0 && !contactOKTrimmed(v) {
			return false
		}
	}
	return true
}

// contactOKTrimmed reports whether v, without LWS at either end, is one
// well-formed Contact element, as ParseContact(v).ok does, without
// building and copying out the Contact. TestContactOK and FuzzContactOK
// hold the two equal.
func contactOKTrimmed(v []byte) bool {
	if len(v) == 1 && v[0] == '*' {
		return true
	}
	// parseNameAddrInto written out (v is trimmed): the fast parser is
	// called from here.
	var na NameAddr
	if !parseNameAddrFast(&na, v) && !parseNameAddrIntoGeneral(&na, v) {
		return false
	}
	if na.Params == nil {
		return true
	}
	if e, present := Param(na.Params, "expires"); present {
		_, ok := ParseExpires(e)
		return ok
	}
	return true
}

// checkRepeats flags single-valued headers that appear again with a
// different value; a repeated Content-Length is a framing conflict.
func (m *Message) checkRepeats() {
	for i := range m.Headers {
		h := &m.Headers[i]
		if !singleValued[h.ID] {
			continue
		}
		first := m.first[h.ID] - 1
		if int(first) == i || bytes.Equal(m.value(&m.Headers[first]), m.value(h)) {
			continue
		}
		if h.ID == HContentLength {
			m.addDefect(DefectBadContentLength)
		} else {
			m.addDefect(DefectDuplicateHeader)
		}
	}
}
