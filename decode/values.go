package decode

import "bytes"

// CSeq is the CSeq header (RFC 3261 §20.16).
type CSeq struct {
	Seq    uint32
	Method []byte
}

// ParseCSeq parses "1*DIGIT LWS Method". The number must be below 2**31
// (RFC 3261 §8.1.1.5; RFC 4475 §3.1.2.4 and §3.1.2.5 overflow it);
// leading zeros are fine (RFC 4475 §3.1.1.1).
func ParseCSeq(v []byte) (CSeq, bool) {
	return parseCSeqTrimmed(trimLWS(v))
}

// parseCSeqTrimmed is ParseCSeq for a value without LWS at either end,
// as Message's header values are.
func parseCSeqTrimmed(v []byte) (CSeq, bool) {
	// The usual "1*DIGIT SP Method": the number read while its digits
	// are found (at most 10 digits, so no overflow before the range
	// check) and the method the rest of the trimmed value.
	var seq uint64
	n := 0
	if len(v) > 2 && v[0]-'0' < 10 && v[1] == ' ' {
		// one digit, as most dialogs' numbers are: where the loop
		// below stops at the SP
		seq, n = uint64(v[0]-'0'), 1
	} else {
		for n < len(v) && n < 10 && v[n] >= '0' && v[n] <= '9' {
			seq = seq*10 + uint64(v[n]-'0')
			n++
		}
	}
	// A known method (knownMethod's switch compares whole words) is a
	// token without the byte loop of isToken.
	if n > 0 && n+1 < len(v) && v[n] == ' ' && !lwsChars[v[n+1]] && seq <= 1<<31-1 &&
		(knownMethod(v[n+1:]) != "" || isToken(v[n+1:])) {
		return CSeq{Seq: uint32(seq), Method: v[n+1:]}, true
	}
	return parseCSeqGeneral(v)
}

// parseCSeqGeneral is ParseCSeq for any shape; v is trimmed.
func parseCSeqGeneral(v []byte) (CSeq, bool) {
	n := 0
	for n < len(v) && v[n] >= '0' && v[n] <= '9' {
		n++
	}
	method := trimLWS(v[n:])
	cs := CSeq{Method: method}
	seq, ok := parseUint(v[:n], 1<<31-1)
	if !ok || n == len(v) || !isLWS(v[n]) || !isToken(method) {
		return cs, false
	}
	cs.Seq = uint32(seq)
	return cs, true
}

// maxDeltaSeconds caps delta-seconds at 2**32-1 (RFC 3261 §20.19, §20.33).
const maxDeltaSeconds = 1<<32 - 1

// ParseExpires parses delta-seconds (Expires, Min-Expires, the Contact
// expires parameter; RFC 3261 §20.19, §20.23). An overlong value (RFC
// 4475 §3.1.2.4) returns 2**32-1 with ok false.
func ParseExpires(v []byte) (sec int, ok bool) {
	v = trimLWS(v)
	n, ok := parseUint(v, maxDeltaSeconds)
	if !ok {
		if len(v) > 0 && allDigits(v) {
			return maxDeltaSeconds, false
		}
		return 0, false
	}
	return int(n), true
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ParseRetryAfter parses Retry-After (RFC 3261 §20.33):
// delta-seconds [ comment ] *( SEMI retry-param ). comment is the text
// inside the parentheses, or nil.
func ParseRetryAfter(v []byte) (sec int, comment []byte, ok bool) {
	v = trimLWS(v)
	n := 0
	for n < len(v) && v[n] >= '0' && v[n] <= '9' {
		n++
	}
	sec, ok = ParseExpires(v[:n])
	rest := trimLeftLWS(v[n:])
	if len(rest) > 0 && rest[0] == '(' {
		depth, end := 0, -1
		for i := 0; i < len(rest) && end < 0; i++ {
			switch rest[i] {
			case '\\':
				i++
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					end = i
				}
			}
		}
		if end < 0 {
			return sec, rest[1:], false
		}
		comment = rest[1:end]
		rest = trimLeftLWS(rest[end+1:])
	}
	if len(rest) > 0 && (rest[0] != ';' || !validParams(rest)) {
		ok = false
	}
	return sec, comment, ok
}

// Warning is one warning-value (RFC 3261 §20.43).
type Warning struct {
	Code  int
	Agent []byte
	Text  []byte // without quotes, escapes kept raw
}

// ParseWarning parses one warning-value: 3DIGIT SP warn-agent SP
// quoted-string. Split a list with Message.Values(HWarning, ...).
func ParseWarning(v []byte) (Warning, bool) {
	var w Warning
	v = trimLWS(v)
	n := 0
	for n < len(v) && v[n] >= '0' && v[n] <= '9' {
		n++
	}
	ok := n == 3 && n < len(v) && isLWS(v[n])
	if code, cok := parseUint(v[:n], 1<<31-1); cok {
		w.Code = int(code)
	}
	rest := trimLeftLWS(v[n:])
	sp := 0
	for sp < len(rest) && !isLWS(rest[sp]) && rest[sp] != '"' {
		sp++
	}
	w.Agent = rest[:sp]
	rest = trimLWS(rest[sp:])
	if inner, qok := quotedInner(rest); qok {
		w.Text = inner
	} else {
		w.Text = rest
		ok = false
	}
	return w, ok && len(w.Agent) > 0
}

// Reason is one Reason header value (RFC 3326 §2):
// protocol *( SEMI reason-params ), e.g. Q.850;cause=16;text="Normal".
type Reason struct {
	Protocol []byte
	Cause    int
	Text     []byte // without quotes, escapes kept raw
}

// ParseReason parses one reason-value.
func ParseReason(v []byte) (Reason, bool) {
	var r Reason
	v = trimLWS(v)
	semi := bytes.IndexByte(v, ';')
	params := []byte(nil)
	if semi >= 0 {
		r.Protocol = trimLWS(v[:semi])
		params = v[semi:]
	} else {
		r.Protocol = v
	}
	ok := isToken(r.Protocol)
	if params != nil && !validParams(params) {
		ok = false
	}
	if c, present := Param(params, "cause"); present {
		n, cok := parseUint(c, 1<<31-1)
		r.Cause = int(n)
		ok = ok && cok
	}
	r.Text, _ = Param(params, "text")
	return r, ok
}

// ParseMaxForwards parses Max-Forwards: 0..255 (RFC 3261 §20.22).
func ParseMaxForwards(v []byte) (int, bool) {
	n, ok := parseUint(trimLWS(v), 255)
	return int(n), ok
}
