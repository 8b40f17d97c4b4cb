package decode

import "bytes"

// validate records defects that need the whole header index: missing
// mandatory headers (RFC 3261 §8.1.1), unreadable CSeq/Via/From/To/
// Contact/Max-Forwards/Date, and repeated single-valued headers.
func (m *Message) validate() {
	if m.first[HCallID] == 0 {
		m.addDefect(DefectMissingCallID)
	}
	if m.first[HVia] == 0 {
		m.addDefect(DefectMissingVia)
	} else if _, ok := m.TopVia(); !ok {
		m.addDefect(DefectBadVia)
	}
	if m.first[HFrom] == 0 || m.first[HTo] == 0 {
		m.addDefect(DefectMissingFromTo)
	}
	if v := m.Get(HFrom); v != nil {
		if _, ok := ParseNameAddr(v); !ok {
			m.addDefect(DefectBadFromTo)
		}
	}
	if v := m.Get(HTo); v != nil {
		if _, ok := ParseNameAddr(v); !ok {
			m.addDefect(DefectBadFromTo)
		}
	}
	if m.first[HCSeq] == 0 {
		m.addDefect(DefectMissingCSeq)
	} else if cs, ok := m.CSeq(); !ok {
		m.addDefect(DefectBadCSeq)
	} else if m.Request && !bytes.Equal(cs.Method, m.Method) {
		// Methods are case-sensitive (RFC 3261 §7.1, §8.1.1.5).
		m.addDefect(DefectCSeqMismatch)
	}
	if m.first[HContact] != 0 {
		m.Contacts(func(c Contact) bool {
			if !c.ok {
				m.addDefect(DefectBadContact)
				return false
			}
			return true
		})
	}
	if v := m.Get(HMaxForwards); v != nil {
		if _, ok := parseUint(v, 255); !ok {
			m.addDefect(DefectBadMaxForwards)
		}
	}
	if m.date != 0 {
		// rfc1123-date always ends in "GMT" (RFC 3261 §20.17).
		if v := m.Headers[m.date-1].Value; !bytes.HasSuffix(v, []byte("GMT")) {
			m.addDefect(DefectBadDate)
		}
	}
	m.checkRepeats()
}

// checkRepeats flags single-valued headers that appear again with a
// different value; a repeated Content-Length is a framing conflict.
func (m *Message) checkRepeats() {
	for i := range m.Headers {
		h := &m.Headers[i]
		switch h.ID {
		case HCallID, HCSeq, HFrom, HTo, HContentLength:
		default:
			continue
		}
		first := m.first[h.ID] - 1
		if int(first) == i || bytes.Equal(m.Headers[first].Value, h.Value) {
			continue
		}
		if h.ID == HContentLength {
			m.addDefect(DefectBadContentLength)
		} else {
			m.addDefect(DefectDuplicateHeader)
		}
	}
}
