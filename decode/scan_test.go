package decode

import (
	"strings"
	"testing"
)

const register = "REGISTER sip:sip.example.com SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP 192.0.2.10:5060;BRANCH=z9hG4bK776asdhds;rport\r\n" +
	"Max-Forwards: 70\r\n" +
	"To: \"Alice\" <sip:alice@sip.example.com>\r\n" +
	"From: \"Alice\" <sip:alice@sip.example.com>;tag=1928301774\r\n" +
	"Call-ID: a84b4c76e66710@pc33.example.com\r\n" +
	"CSeq: 2 REGISTER\r\n" +
	"Contact: <sip:alice@192.0.2.10:5060;transport=udp>;expires=3600\r\n" +
	"Authorization: Digest username=\"alice\", realm=\"sip.example.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"sip:sip.example.com\", response=\"6629fae49393a05397450978507c4ef1\", algorithm=MD5, cnonce=\"0a4f113b\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", qop=auth, nc=00000001\r\n" +
	"User-Agent: baresip v3.10.0 (x86_64/linux)\r\n" +
	"Expires: 3600\r\n" +
	"Content-Length: 0\r\n\r\n"

const unauthorized = "SIP/2.0 401 Unauthorized\r\n" +
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5060;received=198.51.100.7\r\n" +
	"To: \"Alice\" <sip:alice@sip.example.com>;tag=37GkEhwl6\r\n" +
	"From: \"Alice\" <sip:alice@sip.example.com>;tag=1928301774\r\n" +
	"Call-ID: a84b4c76e66710@pc33.example.com\r\n" +
	"CSeq: 1 REGISTER\r\n" +
	"WWW-Authenticate: Digest realm=\"sip.example.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", algorithm=MD5, qop=\"auth,auth-int\"\r\n" +
	"Server: kamailio (5.7.4 (x86_64/linux))\r\n" +
	"Content-Length: 0\r\n\r\n"

func mustScan(t *testing.T, s string) *Message {
	t.Helper()
	var m Message
	if err := m.Scan([]byte(s)); err != nil {
		t.Fatalf("scan: %v", err)
	}
	m.Validate()
	return &m
}

func TestScanRegister(t *testing.T) {
	m := mustScan(t, register)
	if !m.Request || !m.MethodIs("register") || len(m.Defects) != 0 {
		t.Fatalf("request %v method %q defects %v", m.Request, m.Method, m.Defects)
	}
	eq(t, "ruri", m.RequestURI, "sip:sip.example.com")
	eq(t, "version", m.Version, "SIP/2.0")
	v, ok := m.TopVia()
	if !ok || string(v.Branch) != "z9hG4bK776asdhds" || !v.HasRPort || len(v.RPort) != 0 || v.Port != 5060 {
		t.Errorf("via %+v %v", v, ok)
	}
	cs, _ := m.CSeq()
	if cs.Seq != 2 || string(cs.Method) != "REGISTER" {
		t.Errorf("cseq %+v", cs)
	}
	c := firstContact(m)
	if !c.HasExpires || c.Expires != 3600 || !c.Valid() {
		t.Errorf("contact %+v", c)
	}
	cr, ok := ParseCredentials(m.Get(HAuthorization))
	if !ok || string(cr.Username) != "alice" || string(cr.Realm) != "sip.example.com" ||
		string(cr.NC) != "00000001" || string(cr.Qop) != "auth" || cr.Malformed {
		t.Errorf("credentials %+v", cr)
	}
	if e, ok := ParseExpires(m.Get(HExpires)); !ok || e != 3600 {
		t.Errorf("expires %d", e)
	}
	if m.Body == nil || len(m.Body) != 0 || string(m.Raw) != register {
		t.Errorf("body %q raw len %d", m.Body, len(m.Raw))
	}
}

func TestScanResponse(t *testing.T) {
	m := mustScan(t, unauthorized)
	if m.Request || m.StatusCode != 401 || string(m.ReasonPhrase) != "Unauthorized" || len(m.Defects) != 0 {
		t.Fatalf("%+v", m)
	}
	ch, ok := ParseChallenge(m.Get(HWWWAuthenticate))
	if !ok || string(ch.Realm) != "sip.example.com" || string(ch.Qop) != "auth,auth-int" || ch.Stale {
		t.Errorf("challenge %+v", ch)
	}
	to, _ := ParseNameAddr(m.Get(HTo))
	eq(t, "to tag", to.Tag, "37GkEhwl6")
	v, _ := m.TopVia()
	eq(t, "received", v.Received, "198.51.100.7")
	eq(t, "rport", v.RPort, "5060")
}

func TestScanLineEndings(t *testing.T) {
	lf := strings.ReplaceAll(register, "\r\n", "\n")
	mixed := strings.Replace(register, "\r\n", "\n", 4)
	for name, s := range map[string]string{"lf": lf, "mixed": mixed, "leading-crlf": "\r\n\r\n" + register} {
		m := mustScan(t, s)
		if len(m.Defects) != 0 {
			t.Errorf("%s: defects %v", name, m.Defects)
		}
		eq(t, name+" call-id", m.Get(HCallID), "a84b4c76e66710@pc33.example.com")
		if len(m.Headers) != 11 {
			t.Errorf("%s: %d headers", name, len(m.Headers))
		}
		if m.Raw[0] != 'R' {
			t.Errorf("%s: raw starts %q", name, m.Raw[:4])
		}
	}
}

func TestScanCompactAndCase(t *testing.T) {
	s := "INVITE sip:bob@example.com SIP/2.0\nv: SIP/2.0/TCP a.example.com;branch=z9hG4bK1\nf: <sip:a@example.com>;TAG=x\nt: sip:bob@example.com\ni: abc\nCSEQ: 1 INVITE\nm: <sip:a@10.0.0.1>\nl: 4\nc: text/plain\nk: timer\nx: 1800;refresher=uac\no: refer\nr: <sip:c@example.com>\na: *;audio\ne: gzip\nu: talk\n\nbodyEXTRA"
	m := mustScan(t, s)
	if len(m.Defects) != 0 {
		t.Errorf("defects %v", m.Defects)
	}
	for id, want := range map[HeaderID]string{HVia: "SIP/2.0/TCP a.example.com;branch=z9hG4bK1", HCallID: "abc", HCSeq: "1 INVITE",
		HContentType: "text/plain", HSupported: "timer", HSessionExpires: "1800;refresher=uac", HEvent: "refer",
		HReferTo: "<sip:c@example.com>", HAcceptContact: "*;audio", HContact: "<sip:a@10.0.0.1>"} {
		eq(t, id.String(), m.Get(id), want)
	}
	eq(t, "body", m.Body, "body")
	eq(t, "Content-Encoding via e", m.GetName("Content-Encoding"), "gzip")
	eq(t, "e via e", m.GetName("E"), "gzip")
	eq(t, "Allow-Events via u", m.GetName("allow-events"), "talk")
	eq(t, "l via name", m.GetName("content-length"), "4")
	from, _ := ParseNameAddr(m.Get(HFrom))
	eq(t, "TAG=", from.Tag, "x")
	if m.GetName("X-Nothing") != nil || m.Get(HWarning) != nil {
		t.Error("absent header found")
	}
}

func TestScanFoldedAndRepeated(t *testing.T) {
	s := "OPTIONS sip:x@example.com SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1,\r\n" +
		"\tSIP/2.0/UDP b.example.com;branch=z9hG4bK2\r\n" +
		"Via: SIP/2.0/UDP c.example.com;branch=z9hG4bK3\r\n" +
		"From: <sip:a@example.com>;tag=1\r\nTo: <sip:x@example.com>\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\n" +
		"Contact: \"A, B\" <sip:a@h1>;expires=60, <sip:a@h2;x=1,2>\r\n" +
		"Contact: *\r\n" +
		"Warning: 399 proxy \"busy, really\", 307 isi.edu \"Session parameter 'foo' not understood\"\r\n\r\n"
	m := mustScan(t, s)
	if len(m.Defects) != 0 {
		t.Errorf("defects %v", m.Defects)
	}
	var hosts []string
	m.Values(HVia, func(v []byte) bool {
		via, _ := ParseVia(v)
		hosts = append(hosts, string(via.Host))
		return true
	})
	if fmtList(hosts) != "[a.example.com b.example.com c.example.com]" {
		t.Errorf("via hosts %v", hosts)
	}
	var uris []string
	var star bool
	m.Contacts(func(c Contact) bool {
		star = star || c.Star
		if !c.Star {
			uris = append(uris, string(c.URI))
		}
		return true
	})
	if fmtList(uris) != "[sip:a@h1 sip:a@h2;x=1,2]" || !star {
		t.Errorf("contacts %v star %v", uris, star)
	}
	var codes []int
	m.Values(HWarning, func(v []byte) bool {
		w, ok := ParseWarning(v)
		if !ok {
			t.Errorf("warning %q", v)
		}
		codes = append(codes, w.Code)
		return true
	})
	if len(codes) != 2 || codes[0] != 399 || codes[1] != 307 {
		t.Errorf("warnings %v", codes)
	}
	// Early stop.
	n := 0
	m.Values(HVia, func([]byte) bool { n++; return false })
	if n != 1 {
		t.Errorf("values did not stop: %d", n)
	}
}

func TestScanDefects(t *testing.T) {
	base := "MESSAGE sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\nCall-ID: c\r\nCSeq: 1 MESSAGE\r\n"
	tests := []struct {
		name, msg string
		want      Defect
	}{
		{"no-empty-line", base, DefectNoEmptyLine},
		{"bad-header-line", base + "this is junk\r\n\r\n", DefectBadHeaderLine},
		{"bad-cl", base + "Content-Length: x\r\n\r\nhi", DefectBadContentLength},
		{"cl-conflict", base + "Content-Length: 2\r\nContent-Length: 3\r\n\r\nhi", DefectBadContentLength},
		{"truncated", base + "Content-Length: 20\r\n\r\nhi", DefectBodyTruncated},
		{"missing-call-id", strings.Replace(base, "Call-ID: c\r\n", "", 1) + "\r\n", DefectMissingCallID},
		{"missing-cseq", strings.Replace(base, "CSeq: 1 MESSAGE\r\n", "", 1) + "\r\n", DefectMissingCSeq},
		{"missing-via", strings.Replace(base, "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n", "", 1) + "\r\n", DefectMissingVia},
		{"missing-to", strings.Replace(base, "To: <sip:b@h>\r\n", "", 1) + "\r\n", DefectMissingFromTo},
		{"duplicate-call-id", base + "Call-ID: d\r\n\r\n", DefectDuplicateHeader},
		{"bad-via", strings.Replace(base, "SIP/2.0/UDP h", "h", 1) + "\r\n", DefectBadVia},
		{"fold-first", "MESSAGE sip:b@h SIP/2.0\r\n folded\r\n" + base[len("MESSAGE sip:b@example.com SIP/2.0\r\n"):] + "\r\n", DefectBadHeaderLine},
	}
	for _, tt := range tests {
		var m Message
		if err := m.Scan([]byte(tt.msg)); err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		m.Validate()
		if !m.HasDefect(tt.want) {
			t.Errorf("%s: defects %v, want %v", tt.name, m.Defects, tt.want)
		}
	}
	// Truncated body: Body is what is there.
	m := mustScan(t, base+"Content-Length: 20\r\n\r\nhi")
	eq(t, "truncated body", m.Body, "hi")
	// No Content-Length: the body is the rest.
	m = mustScan(t, base+"\r\nrest of it")
	eq(t, "body without CL", m.Body, "rest of it")
}

func TestScanNotSIP(t *testing.T) {
	for _, s := range []string{"", "\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n",
		"SIP/2.0 99 Low\r\n\r\n", "SIP/2.0 700 High\r\n\r\n", "SIP/2.0\r\n", "INVITE\r\n", "INVITE SIP/2.0\r\n",
		"\x00\x01\x02", "SIP/2.0 2000 OK\r\n"} {
		var m Message
		if err := m.Scan([]byte(s)); err == nil {
			t.Errorf("%q scanned as SIP", s)
		}
	}
}

func TestScanReuse(t *testing.T) {
	var m Message
	_ = m.Scan([]byte(register))
	_ = m.Scan([]byte(unauthorized))
	if m.Request || m.Method != nil || m.Get(HAuthorization) != nil || m.Get(HContact) != nil {
		t.Errorf("state leaked from the previous scan: %+v", m)
	}
}

func TestHeaderIDNames(t *testing.T) {
	for id := HVia; id < numHeaderIDs; id++ {
		name := id.String()
		if HeaderIDOf([]byte(name)) != id || HeaderIDOf([]byte(strings.ToUpper(name))) != id {
			t.Errorf("%v does not round-trip", name)
		}
	}
	if HOther.String() != "" || HeaderIDOf([]byte("X-Foo")) != HOther || HeaderIDOf([]byte("z")) != HOther {
		t.Error("unknown names")
	}
	for c, want := range map[string]HeaderID{"i": HCallID, "M": HContact, "l": HContentLength, "c": HContentType, "f": HFrom,
		"s": HSubject, "k": HSupported, "t": HTo, "v": HVia, "o": HEvent, "r": HReferTo, "a": HAcceptContact, "x": HSessionExpires,
		"e": HOther, "u": HOther, "b": HOther, "j": HOther, "d": HOther, "y": HOther, "n": HOther} {
		if got := HeaderIDOf([]byte(c)); got != want {
			t.Errorf("%s -> %v, want %v", c, got, want)
		}
	}
	for d := DefectNone; d < numDefects; d++ {
		if d.String() == "" || d.String() == "unknown-defect" {
			t.Errorf("defect %d has no name", d)
		}
	}
}

// TestValidateAddsDeepDefects: Scan leaves the defects that need a full
// header parse to Validate, and Validate adds each once.
func TestValidateAddsDeepDefects(t *testing.T) {
	msg := "OPTIONS sip:b@h SIP/2.0\r\nVia: h\r\nFrom: \"x <sip:a@h>\r\nTo: <sip:b@h>\r\n" +
		"Call-ID: c\r\nCSeq: 1 OPTIONS\r\nContact: <sip:a@h>;expires=x\r\nMax-Forwards: 300\r\n" +
		"Date: Sat, 13 Nov 2010 23:29:00 PST\r\n\r\n"
	deep := []Defect{DefectBadVia, DefectBadFromTo, DefectBadContact, DefectBadMaxForwards, DefectBadDate}
	var m Message
	if err := m.Scan([]byte(msg)); err != nil {
		t.Fatal(err)
	}
	if len(m.Defects) != 0 {
		t.Fatalf("Scan recorded %v, want none", m.Defects)
	}
	m.Validate()
	m.Validate()
	if len(m.Defects) != len(deep) {
		t.Errorf("defects %v, want %v", m.Defects, deep)
	}
	for _, d := range deep {
		if !m.HasDefect(d) {
			t.Errorf("defects %v, missing %v", m.Defects, d)
		}
	}
}
