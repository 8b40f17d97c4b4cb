package capture

import (
	"bytes"
	"regexp"
)

// Oracle (Acme Packet) SBC sipmsg.log (TEXT-FORMATS.md §10):
//
//	Mar  6 13:34:49.416 On [6:0]10.102.130.185:5060 received from 10.102.130.150:5060
//	REGISTER sip:csp.noklab.net SIP/2.0
//	...
//	----------------------------------------
//
// The "On" address is the SBC's own (realm interface [phy:vlan] optional),
// the other one the peer. Blocks between 127.0.0.1:2945 and :2944 are the
// middlebox control protocol (MBCD hex dumps and transactions), not SIP.
// `tail` in blog posts cuts the stamp to "mm:ss.mmm".

func init() {
	registerTextFormat(&TextFormat{
		Name:     "acme",
		Title:    "Oracle / Acme Packet SBC sipmsg.log",
		Detect:   detectAcme,
		New:      func() TextIngester { return &acmeIngester{} },
		Priority: 8,
	})
}

var acmeEnvelope = regexp.MustCompile(`^(?:([A-Z][a-z]{2} +\d{1,2} +))?((?:\d{1,2}:)?\d{2}:\d{2}\.\d{3}) On (?:\[\d+:\d+\])?(\[[0-9A-Fa-f:.]+\]|[\d.]+):(\d+) (received from|sent to) (\[[0-9A-Fa-f:.]+\]|[\d.]+):(\d+)\s*$`)

func detectAcme(sample [][]byte) int {
	for _, l := range sample {
		if bytes.Contains(l, []byte(" On ")) && acmeEnvelope.Match(l) {
			return 100
		}
	}
	return 0
}

type acmeIngester struct {
	msg     slMessage
	orphans slOrphans
	mbcd    bool // the open block is middlebox control, not SIP
}

func (a *acmeIngester) Line(n int, line []byte, out TextSink) {
	if len(line) > 20 && bytes.Contains(line, []byte(" On ")) {
		if sub := acmeEnvelope.FindSubmatch(line); sub != nil {
			a.close(out)
			a.orphans.stop(out)
			a.begin(n, sub)
			return
		}
	}
	sep := acmeSeparator(line)
	if !a.msg.open {
		a.orphans.line(n, line, sep || acmeRecord(line), out)
		return
	}
	if sep {
		a.close(out)
		return
	}
	a.msg.add(n, line)
}

func (a *acmeIngester) End(out TextSink) {
	a.close(out)
	a.orphans.stop(out)
}

func (a *acmeIngester) close(out TextSink) {
	if !a.msg.open {
		return
	}
	if a.mbcd && (a.msg.empty() || !slIsStartLine(a.msg.text[:bytes.IndexByte(a.msg.text, '\n')])) {
		a.msg.drop()
		return
	}
	a.msg.end(out, "sipmsg.log")
}

func (a *acmeIngester) begin(n int, sub [][]byte) {
	var m TextMessage
	m.Local, _ = slAddr(string(sub[3]), string(sub[4]))
	if sub[5][0] == 'r' {
		m.Dir = DirReceived
	} else {
		m.Dir = DirSent
	}
	m.Peer, m.PeerHost = slAddr(string(sub[6]), string(sub[7]))
	clock := sub[2]
	if len(clock) == 9 { // "mm:ss.mmm" cut by tail
		clock = append([]byte("00:"), clock...)
	} else if len(clock) == 11 {
		clock = append([]byte("0"), clock...)
	}
	tod, prec, _, ok := slClock(clock)
	switch {
	case ok && len(sub[1]) > 0:
		if st, _, ok := slSyslogTime(append(append([]byte(nil), sub[1]...), clock...)); ok {
			m.Stamp = st
		}
	case ok:
		// a time of day only, or (cut by tail) minutes and seconds only:
		// the order and the intervals are what is left
		m.Stamp = slTimeOfDay(tod, prec)
	}
	port := m.Local.Port()
	a.mbcd = m.Local.Addr().IsLoopback() && (port == 2944 || port == 2945)
	a.msg.begin(n, m, 0)
}

// acmeSeparator: the 40 dashes that close a record (em dashes in blog
// copies are normalised to "-" before the ingester sees them).
func acmeSeparator(line []byte) bool {
	t := slTrimSpace(line)
	if len(t) < 10 {
		return false
	}
	for _, c := range t {
		if c != '-' {
			return false
		}
	}
	return true
}

// acmeRecord: the log's other records ("File opened.", "UDP[3:0]a:p OPENED").
func acmeRecord(line []byte) bool {
	return bytes.HasPrefix(line, []byte("File ")) || bytes.HasSuffix(line, []byte(" OPENED")) || bytes.HasSuffix(line, []byte(" CLOSED"))
}
