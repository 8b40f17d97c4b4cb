package decode

import (
	"bytes"
	"sort"
	"strconv"
)

// upperMethod returns the method upper-cased as a shared string, so the
// hot path allocates nothing for the common methods (methods are
// case-sensitive in RFC 3261 §7.1, but captures hold "REGIStER" and we
// treat it as REGISTER).
func upperMethod(b []byte) string {
	if m := knownMethod(b); m != "" {
		return m
	}
	u := bytes.ToUpper(b)
	if m := knownMethod(u); m != "" {
		return m
	}
	return string(u)
}

func knownMethod(b []byte) string {
	switch string(b) {
	case "INVITE":
		return "INVITE"
	case "ACK":
		return "ACK"
	case "BYE":
		return "BYE"
	case "CANCEL":
		return "CANCEL"
	case "REGISTER":
		return "REGISTER"
	case "OPTIONS":
		return "OPTIONS"
	case "PRACK":
		return "PRACK"
	case "SUBSCRIBE":
		return "SUBSCRIBE"
	case "NOTIFY":
		return "NOTIFY"
	case "PUBLISH":
		return "PUBLISH"
	case "INFO":
		return "INFO"
	case "REFER":
		return "REFER"
	case "MESSAGE":
		return "MESSAGE"
	case "UPDATE":
		return "UPDATE"
	}
	return ""
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return string(bytes.ToLower([]byte(s)))
		}
	}
	return s
}

func itoa(i int) string { return strconv.Itoa(i) }

// interner shares the strings that repeat across messages (User-Agent,
// Request-URI) up to a bounded number of entries (AORs have their own
// cache, aorCache).
type interner struct {
	m          map[string]string
	registrars map[string]string // Request-URI -> registrar name
	max        int
}

func newInterner(max int) interner {
	return interner{m: make(map[string]string), registrars: make(map[string]string), max: max}
}

func (in *interner) get(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if s, ok := in.m[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(in.m) < in.max {
		in.m[s] = s
	}
	return s
}

func refLess(a, b Ref) bool {
	if a.Time != b.Time {
		return a.Time < b.Time
	}
	if a.Input != b.Input {
		return a.Input < b.Input
	}
	if a.Frame != b.Frame {
		return a.Frame < b.Frame
	}
	return a.Line < b.Line
}

func sortTxns(ts []*Transaction) {
	sort.Slice(ts, func(i, j int) bool { return refLess(ts[i].Request, ts[j].Request) })
}

func sortExchanges(as []*AuthExchange) {
	sort.Slice(as, func(i, j int) bool {
		return refLess(as[i].Challenge.Final.At, as[j].Challenge.Final.At)
	})
}

func sortRegs(rs []*Registration) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].AOR != rs[j].AOR {
			return rs[i].AOR < rs[j].AOR
		}
		return rs[i].Registrar < rs[j].Registrar
	})
}

// reason returns a reason phrase as a shared string: the usual phrases
// (RFC 3261 §21) without a lookup, others through the interner.
func (c *Correlator) reason(b []byte) string {
	switch string(b) {
	case "OK":
		return "OK"
	case "Trying":
		return "Trying"
	case "Ringing":
		return "Ringing"
	case "Unauthorized":
		return "Unauthorized"
	case "Proxy Authentication Required":
		return "Proxy Authentication Required"
	case "Forbidden":
		return "Forbidden"
	case "Not Found":
		return "Not Found"
	case "Request Timeout":
		return "Request Timeout"
	case "Temporarily Unavailable":
		return "Temporarily Unavailable"
	case "Service Unavailable":
		return "Service Unavailable"
	case "Busy Here":
		return "Busy Here"
	case "Request Terminated":
		return "Request Terminated"
	}
	return c.strs.get(b)
}
