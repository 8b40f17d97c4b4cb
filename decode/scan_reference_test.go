package decode

import (
	"bytes"
	"reflect"
	"testing"
)

// refScan is Scan without its shortcuts: every header line is found by
// lineAt and split by the general path (token loop, HeaderIDOf), the
// empty line is tested before anything else, and the Message starts from
// its zero value. Scan's fast paths (the word match of indexed names,
// the one-SP value shape, the partial reset) must give exactly what it
// gives: TestScanMatchesReference and FuzzScanMatchesReference.
func refScan(m *Message, b []byte) error {
	*m = Message{}
	start := 0
	for start < len(b) && (b[start] == '\r' || b[start] == '\n') {
		start++
	}
	b = b[start:]
	if len(b) == 0 {
		return ErrNotSIP
	}
	lineEnd, next := lineAt(b, 0)
	if err := m.parseStartLine(b[:lineEnd]); err != nil {
		return err
	}
	m.Raw = b
	bodyStart := refScanHeaders(m, b, next)
	m.frameBody(b, bodyStart)
	m.checkMandatory()
	return nil
}

func refScanHeaders(m *Message, b []byte, pos int) int {
	cur := -1
	for {
		if pos >= len(b) {
			m.addDefect(DefectNoEmptyLine)
			return len(b)
		}
		end, next := lineAt(b, pos)
		if end == pos {
			return next
		}
		if c := b[pos]; c == ' ' || c == '\t' {
			if cur < 0 {
				m.addDefect(DefectBadHeaderLine)
			} else {
				cs, ce := trimSpan(b, pos, end)
				if cs < ce {
					h := &m.Headers[cur]
					if h.valueStart == h.valueEnd {
						h.valueStart = uint32(cs)
					}
					h.valueEnd = uint32(ce)
				}
			}
			pos = next
			continue
		}
		c := bytes.IndexByte(b[pos:end], ':')
		if c < 0 {
			m.addDefect(DefectBadHeaderLine)
			cur = -1
			pos = next
			continue
		}
		colon := pos + c
		ns, ne := trimSpan(b, pos, colon)
		if !isToken(b[ns:ne]) || ns != pos {
			m.addDefect(DefectBadHeaderLine)
			if ns == ne {
				cur = -1
				pos = next
				continue
			}
		}
		vs, ve := trimSpan(b, colon+1, end)
		cur = m.addHeader(HeaderIDOf(b[ns:ne]), b, ns, ne, vs, ve)
		pos = next
	}
}

// sameScan fails t when Scan of b (into a Message that held dirty from
// an earlier scan) differs from refScan of b in any field.
func sameScan(t *testing.T, dirty *Message, b []byte) {
	t.Helper()
	var want Message
	werr := refScan(&want, b)
	gerr := dirty.Scan(b)
	if gerr != werr {
		t.Fatalf("%q: Scan error %v, reference %v", b, gerr, werr)
	}
	if gerr != nil {
		return
	}
	got := *dirty
	// storage reuse aside, every field must be equal
	if len(got.Headers) == 0 {
		got.Headers = nil
	}
	if len(got.Defects) == 0 {
		got.Defects = nil
	}
	if !reflect.DeepEqual(&got, &want) {
		t.Fatalf("%q:\nScan      %+v\nreference %+v", b, got, want)
	}
}

var scanReferenceCases = []string{
	register, unauthorized,
	"SIP/2.0 200 OK\nv: SIP/2.0/UDP h\n\n",
	"INVITE sip:a SIP/2.0\r\n \r\nf: \"\\\r\n\r\n",
	"SIP/2.0 200 OK\r\nVia:  SIP/2.0/UDP h \r\nTo: x\t\r\nFrom:x\r\nCall-ID: \r\n\r\n",
	"SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
	"SIP/2.0 200 OK\r\nContent-Length: 0\r\n",
	"SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r",
	"SIP/2.0 200 OK\r\nl:0\r\n\r\n",
	"SIP/2.0 200 OK\r\nl:0\n\n",
	"SIP/2.0 200 OK\r\nTo: a\r\n\r\nbody with more than twenty-four bytes",
	"SIP/2.0 200 OK\r\nTo: a\r\n\rXbody with more than twenty-four bytes\r\n\r\n",
	"SIP/2.0 200 OK\r\nTo: a\r\n\r",
	"SIP/2.0 200 OK\r\nTo: a \r\n \r\n\tb\r\n\r\n",
	"SIP/2.0 200 OK\r\nTo:  \r\n b\r\n\r\n",
	"SIP/2.0 200 OK\r\nTo: \x00a\x01\r\n\r\n",
	"SIP/2.0 200 OK\r\nTo: a\x0b\r\n\r\n",
	"SIP/2.0 200 OK\r\nTo:\ta\r\n\r\n",
	"SIP/2.0 200 OK\r\nTo: a\n\r\n",
	"SIP/2.0 200 OK\r\nTo: a\r\r\n\r\n",
	"SIP/2.0 200 OK\r\nTo: \r\n\r\n",
	"SIP/2.0 200 OK\r\nTo:\r\n\r\n",
	"SIP/2.0 200 OK\r\nTo: x",
	"SIP/2.0 200 OK\r\nTo: ",
	"SIP/2.0 200 OK\r\nTo:",
	"SIP/2.0 200 OK\r\nT",
	"SIP/2.0 200 OK\r\nDate: Sat, 13 Nov 2010 23:29:00 GMT\r\n\r\n",
	"SIP/2.0 200 OK\r\nCall-ID: a\r\nCall-ID: b\r\ni: a\r\n\r\n",
	"SIP/2.0 200 OK\r\nContent-Length: 5\r\nl: 6\r\n\r\nabcdef",
	"SIP/2.0 200 OK\r\nX-Long-Header-Name-Here: 1\r\nbad line\r\n: v\r\n Via : x\r\n\r\n",
	"OPTIONS sip:a SIP/2.0\r\nCSeq: 1 OPTIONS\r\nCSeq: 1 OPTIONS\r\n\r\n",
	// CRLFs before the start line (RFC 3261 §7.5), other bytes below CR
	"\r\n\r\nSIP/2.0 200 OK\r\nTo: a\r\n\r\n", "\n\rSIP/2.0 200 OK\r\n\r\n",
	"\x0bSIP/2.0 200 OK\r\n\r\n", "\tSIP/2.0 200 OK\r\n\r\n", "\x00", "\r\n\x00",
}

func TestScanMatchesReference(t *testing.T) {
	var dirty Message
	for _, c := range scanReferenceCases {
		sameScan(t, &dirty, []byte(c))
		// every prefix: lines cut short, the end of the message close
		for i := range len(c) {
			sameScan(t, &dirty, []byte(c[:i]))
		}
	}
}

func FuzzScanMatchesReference(f *testing.F) {
	for _, c := range scanReferenceCases {
		f.Add([]byte(c))
	}
	var dirty Message
	// a full message first, so that the fuzzed scans reuse dirty storage
	_ = dirty.Scan([]byte(register))
	dirty.Validate()
	f.Fuzz(func(t *testing.T, b []byte) {
		sameScan(t, &dirty, b)
		// views read after a scan leave the Message dirty for the next
		dirty.Validate()
		dirty.CSeq()
	})
}
