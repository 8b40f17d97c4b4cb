package decode

// Defect is a non-fatal problem found while scanning a message. The
// scanner keeps going after a defect so that a diagnosis can still use
// what was readable, and so that the defect itself can be reported.
type Defect uint8

// Defects the scanner records.
const (
	DefectNone             Defect = iota
	DefectBadStartLine            // extra, missing or trailing whitespace, or stray characters (RFC 3261 §7.1, RFC 4475 §3.1.2.9/10)
	DefectBadVersion              // SIP-Version other than SIP/2.0 (RFC 3261 §7.1, RFC 4475 §3.1.2.16)
	DefectBadRequestURI           // Request-URI with LWS, <...> or escaped headers (RFC 3261 §19.1.1, RFC 4475 §3.1.2.7/8/11)
	DefectBadHeaderLine           // header line without a colon or with a non-token name (RFC 3261 §7.3)
	DefectNoEmptyLine             // headers not terminated by an empty line (RFC 3261 §7)
	DefectBadContentLength        // Content-Length not a non-negative number, or repeated with different values (RFC 3261 §20.14)
	DefectBodyTruncated           // Content-Length larger than the bytes present (RFC 3261 §18.3)
	DefectMissingCallID           // no Call-ID (RFC 3261 §8.1.1)
	DefectMissingCSeq             // no CSeq (RFC 3261 §8.1.1)
	DefectMissingVia              // no Via (RFC 3261 §8.1.1)
	DefectMissingFromTo           // no From or no To (RFC 3261 §8.1.1)
	DefectBadCSeq                 // CSeq number not below 2**31 or no method (RFC 3261 §8.1.1.5, RFC 4475 §3.1.2.4/5)
	DefectCSeqMismatch            // CSeq method differs from the request method (RFC 3261 §8.1.1.5, RFC 4475 §3.1.2.17/18)
	DefectBadVia                  // top Via not sent-protocol + sent-by (RFC 3261 §20.42, RFC 4475 §3.1.2.1)
	DefectBadFromTo               // From or To not a well-formed name-addr / addr-spec (RFC 3261 §20.10, RFC 4475 §3.1.2.6/14/15)
	DefectBadContact              // Contact element not well-formed (RFC 3261 §20.10, RFC 4475 §3.1.2.13)
	DefectDuplicateHeader         // a single-valued header (Call-ID, CSeq, From, To) repeated with another value
	DefectBadMaxForwards          // Max-Forwards not 0..255 (RFC 3261 §20.22)
	DefectBadDate                 // Date not in GMT (RFC 3261 §20.17, RFC 4475 §3.1.2.12)
	DefectTooManyHeaders          // more header lines than the scanner keeps (the rest are dropped)
	numDefects
)

var defectNames = [numDefects]string{
	DefectNone:             "none",
	DefectBadStartLine:     "bad-start-line",
	DefectBadVersion:       "bad-version",
	DefectBadRequestURI:    "bad-request-uri",
	DefectBadHeaderLine:    "bad-header-line",
	DefectNoEmptyLine:      "no-empty-line",
	DefectBadContentLength: "bad-content-length",
	DefectBodyTruncated:    "body-truncated",
	DefectMissingCallID:    "missing-call-id",
	DefectMissingCSeq:      "missing-cseq",
	DefectMissingVia:       "missing-via",
	DefectMissingFromTo:    "missing-from-to",
	DefectBadCSeq:          "bad-cseq",
	DefectCSeqMismatch:     "cseq-method-mismatch",
	DefectBadVia:           "bad-via",
	DefectBadFromTo:        "bad-from-to",
	DefectBadContact:       "bad-contact",
	DefectDuplicateHeader:  "duplicate-header",
	DefectBadMaxForwards:   "bad-max-forwards",
	DefectBadDate:          "bad-date",
	DefectTooManyHeaders:   "too-many-headers",
}

// String returns a short kebab-case name of the defect.
func (d Defect) String() string {
	if d < numDefects {
		return defectNames[d]
	}
	return "unknown-defect"
}

// addDefect records d once.
func (m *Message) addDefect(d Defect) {
	for _, x := range m.Defects {
		if x == d {
			return
		}
	}
	m.Defects = append(m.Defects, d)
}

// HasDefect reports whether d was recorded for the message.
func (m *Message) HasDefect(d Defect) bool {
	for _, x := range m.Defects {
		if x == d {
			return true
		}
	}
	return false
}
