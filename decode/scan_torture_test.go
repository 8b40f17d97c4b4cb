package decode

import (
	"os"
	"path/filepath"
	"testing"
)

func readTorture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "rfc4475", name+".dat"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func eq(t *testing.T, what string, got []byte, want string) {
	t.Helper()
	if string(got) != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

// RFC 4475 §3.1.1: every valid message scans without defects and yields
// the values the RFC describes.
func TestTortureValid(t *testing.T) {
	tests := []struct {
		name  string
		check func(t *testing.T, m *Message)
	}{
		{"wsinv", func(t *testing.T, m *Message) {
			eq(t, "method", m.Method, "INVITE")
			eq(t, "ruri", m.RequestURI, "sip:vivekg@chair-dnrc.example.com;unknownparam")
			to, _ := ParseNameAddr(m.Get(HTo))
			eq(t, "to tag", to.Tag, "1918181833n")
			eq(t, "to uri", to.URI, "sip:vivekg@chair-dnrc.example.com")
			from, _ := ParseNameAddr(m.Get(HFrom))
			eq(t, "from tag", from.Tag, "98asjd8")
			eq(t, "from display", Unquote(from.Display), `J Rosenberg \"`)
			if n, ok := ParseMaxForwards(m.Get(HMaxForwards)); !ok || n != 68 {
				t.Errorf("max-forwards %d %v", n, ok)
			}
			cs, ok := m.CSeq()
			if !ok || cs.Seq != 9 || string(cs.Method) != "INVITE" {
				t.Errorf("cseq %+v %v", cs, ok)
			}
			var vias []Via
			m.Values(HVia, func(v []byte) bool {
				via, ok := ParseVia(v)
				if !ok {
					t.Errorf("via %q not ok", v)
				}
				vias = append(vias, via)
				return true
			})
			if len(vias) != 3 {
				t.Fatalf("got %d vias", len(vias))
			}
			eq(t, "via0 transport", vias[0].Transport, "UDP")
			eq(t, "via0 host", vias[0].Host, "192.0.2.2")
			eq(t, "via0 branch", vias[0].Branch, "390skdjuw")
			eq(t, "via1 transport", vias[1].Transport, "TCP")
			eq(t, "via1 host", vias[1].Host, "spindle.example.com")
			eq(t, "via1 branch", vias[1].Branch, "z9hG4bK9ikj8")
			eq(t, "via2 host", vias[2].Host, "192.168.255.111")
			eq(t, "via2 branch", vias[2].Branch, "z9hG4bK30239")
			eq(t, "subject", m.Get(HSubject), "")
			if m.Get(HSubject) == nil {
				t.Error("empty Subject should be present")
			}
			eq(t, "newfangled", m.GetName("newfangledheader"), "newfangled value\r\n continued newfangled value")
			eq(t, "unusual", m.GetName("UnknownHeaderWithUnusualValue"), ";;,,;;,;")
			var cs2 []Contact
			m.Contacts(func(c Contact) bool { cs2 = append(cs2, c); return true })
			if len(cs2) != 1 {
				t.Fatalf("got %d contacts", len(cs2))
			}
			eq(t, "contact display", Unquote(cs2[0].Display), `Quoted string ""`)
			q, _ := Param(cs2[0].Params, "q")
			eq(t, "q", q, "0.33")
			nv, _ := Param(cs2[0].Params, "newparam")
			eq(t, "newparam", nv, "newvalue")
			if v, ok := Param(cs2[0].Params, "secondparam"); !ok || v != nil {
				t.Errorf("secondparam %q %v", v, ok)
			}
			if len(m.Body) != 150 {
				t.Errorf("body %d", len(m.Body))
			}
		}},
		{"intmeth", func(t *testing.T, m *Message) {
			eq(t, "method", m.Method, "!interesting-Method0123456789_*+`.%indeed'~")
			u, ok := ParseURI(m.RequestURI)
			if !ok {
				t.Error("ruri not ok")
			}
			eq(t, "user", u.User, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*")
			eq(t, "password", u.Password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)")
			eq(t, "host", u.Host, "example.com")
			v, _ := m.TopVia()
			eq(t, "branch", v.Branch, "z9hG4bK-.!%66*_+`'~")
			from, _ := ParseNameAddr(m.Get(HFrom))
			eq(t, "from display", from.Display, "token1~` token2'+_ token3*%!.-")
			eq(t, "from tag", from.Tag, "_token~1'+`*%!-.")
			to, _ := ParseNameAddr(m.Get(HTo))
			eq(t, "to display", Unquote(to.Display), "BEL:\x07 NUL:\x00 DEL:\x7f")
			eq(t, "call-id", m.Get(HCallID), `intmeth.word%ZK-!.*_+'@word`+"`"+`~)(><:\/"][?}{`)
			eq(t, "ext", m.GetName("extensionHeader-!.%*+_`'~"), "\ufeff大停電")
		}},
		{"esc01", func(t *testing.T, m *Message) {
			u, _ := ParseURI(m.RequestURI)
			eq(t, "user", u.User, "sips%3Auser%40example.com")
			eq(t, "host", u.Host, "example.net")
			eq(t, "content-type", m.Get(HContentType), "application/sdp")
			eq(t, "call-id", m.Get(HCallID), "esc01.239409asdfakjkn23onasd0-3234")
		}},
		{"escnull", func(t *testing.T, m *Message) {
			n := 0
			m.Contacts(func(c Contact) bool { n++; return true })
			if n != 2 {
				t.Errorf("contacts %d", n)
			}
			eq(t, "l", m.Get(HContentLength), "0")
			if AOR(m.Get(HTo)) != "sip:null-%00-null@example.com" {
				t.Errorf("aor %q", AOR(m.Get(HTo)))
			}
		}},
		{"esc02", func(t *testing.T, m *Message) {
			eq(t, "method", m.Method, "RE%47IST%45R")
			if m.MethodIs("REGISTER") {
				t.Error("RE%47IST%45R is not REGISTER")
			}
			n := 0
			m.Contacts(func(c Contact) bool { n++; return true })
			if n != 2 {
				t.Errorf("contacts %d, want 2 (C%%6Fntact is another header)", n)
			}
			eq(t, "C%6Fntact", m.GetName("C%6Fntact"), "<sip:alias2@host2.example.com>")
		}},
		{"lwsdisp", func(t *testing.T, m *Message) {
			from, _ := ParseNameAddr(m.Get(HFrom))
			eq(t, "display", from.Display, "caller")
			eq(t, "uri", from.URI, "sip:caller@example.com")
			eq(t, "tag", from.Tag, "323")
		}},
		{"longreq", func(t *testing.T, m *Message) {
			n := 0
			m.Values(HVia, func([]byte) bool { n++; return true })
			if n != 34 {
				t.Errorf("vias %d", n)
			}
			v, _ := m.TopVia()
			eq(t, "top via", v.Host, "sip33.example.com")
			from, _ := ParseNameAddr(m.Get(HFrom))
			if len(from.Tag) != 2+150+3 {
				t.Errorf("tag len %d", len(from.Tag))
			}
			to, _ := ParseNameAddr(m.Get(HTo))
			u, _ := ParseURI(to.URI)
			if u.Port != 6000 {
				t.Errorf("port %d", u.Port)
			}
			if len(m.Body) != 150 {
				t.Errorf("body %d", len(m.Body))
			}
		}},
		{"dblreq", func(t *testing.T, m *Message) {
			eq(t, "method", m.Method, "REGISTER")
			if len(m.Body) != 0 {
				t.Errorf("body %q: bytes after Content-Length must be ignored (RFC 3261 §18.3)", m.Body)
			}
			eq(t, "call-id (compact I)", m.Get(HCallID), "dblreq.0ha0isndaksdj99sdfafnl3lk233412")
			c := firstContact(m)
			eq(t, "contact", c.URI, "sip:j.user@host.example.com")
		}},
		{"semiuri", func(t *testing.T, m *Message) {
			u, _ := ParseURI(m.RequestURI)
			eq(t, "user", u.User, "user;par=u%40example.net")
			eq(t, "host", u.Host, "example.com")
			if u.Params != nil {
				t.Errorf("params %q", u.Params)
			}
			n := 0
			var last []byte
			for i := range m.Headers {
				if equalFold(m.HeaderName(i), "accept") {
					splitList(m.HeaderValue(i), func(v []byte) bool { n++; last = v; return true })
				}
			}
			if n != 6 {
				t.Errorf("accept elements %d", n)
			}
			eq(t, "last accept", last, "message/sipfrag")
		}},
		{"transports", func(t *testing.T, m *Message) {
			var got []string
			m.Values(HVia, func(v []byte) bool {
				via, _ := ParseVia(v)
				got = append(got, string(via.Transport))
				return true
			})
			if want := "[UDP SCTP TLS UNKNOWN TCP]"; fmtList(got) != want {
				t.Errorf("transports %v", got)
			}
		}},
		{"mpart01", func(t *testing.T, m *Message) {
			eq(t, "content-type", m.Get(HContentType), "multipart/mixed;boundary=++")
			b, _ := Param(m.Get(HContentType), "boundary")
			eq(t, "boundary", b, "++")
			if len(m.Body) != 393 {
				t.Errorf("body %d", len(m.Body))
			}
		}},
		{"unreason", func(t *testing.T, m *Message) {
			if m.StatusCode != 200 {
				t.Errorf("code %d", m.StatusCode)
			}
			eq(t, "reason", m.ReasonPhrase, "= 2**3 * 5**2 но сто девяносто девять - простое")
		}},
		{"noreason", func(t *testing.T, m *Message) {
			if m.StatusCode != 100 || len(m.ReasonPhrase) != 0 {
				t.Errorf("code %d reason %q", m.StatusCode, m.ReasonPhrase)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m Message
			if err := m.Scan(readTorture(t, "valid/"+tt.name)); err != nil {
				t.Fatal(err)
			}
			m.Validate()
			if len(m.Defects) != 0 {
				t.Errorf("defects %v", m.Defects)
			}
			tt.check(t, &m)
		})
	}
}

func firstContact(m *Message) (c Contact) {
	m.Contacts(func(x Contact) bool { c = x; return false })
	return c
}

func fmtList(s []string) string {
	out := "["
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out + "]"
}

// RFC 4475 §3.1.2: every invalid message either fails or carries the
// defect that names what is wrong with it.
func TestTortureInvalid(t *testing.T) {
	tests := []struct {
		name string
		want Defect // DefectNone: Scan must fail
	}{
		{"badinv01", DefectBadVia},
		{"clerr", DefectBodyTruncated},
		{"ncl", DefectBadContentLength},
		{"scalar02", DefectBadCSeq},
		{"scalarlg", DefectBadCSeq},
		{"quotbal", DefectBadFromTo},
		{"ltgtruri", DefectBadRequestURI},
		{"lwsruri", DefectBadRequestURI},
		{"lwsstart", DefectBadStartLine},
		{"trws", DefectBadStartLine},
		{"escruri", DefectBadRequestURI},
		{"baddate", DefectBadDate},
		{"regbadct", DefectBadContact},
		{"badaspec", DefectBadFromTo},
		{"baddn", DefectBadFromTo},
		{"badvers", DefectBadVersion},
		{"mismatch01", DefectCSeqMismatch},
		{"mismatch02", DefectCSeqMismatch},
		{"bigcode", DefectNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m Message
			err := m.Scan(readTorture(t, "invalid/"+tt.name))
			if tt.want == DefectNone {
				if err == nil {
					t.Fatalf("scan succeeded, want ErrNotSIP")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			m.Validate()
			if !m.HasDefect(tt.want) {
				t.Errorf("defects %v, want %v", m.Defects, tt.want)
			}
		})
	}
}

// The scalar02 message's other overlarge scalars are each caught by the
// sub-parsers.
func TestTortureScalarDetails(t *testing.T) {
	var m Message
	if err := m.Scan(readTorture(t, "invalid/scalar02")); err != nil {
		t.Fatal(err)
	}
	m.Validate()
	if !m.HasDefect(DefectBadMaxForwards) {
		t.Error("Max-Forwards 300 not flagged")
	}
	if _, ok := ParseExpires(m.Get(HExpires)); ok {
		t.Error("Expires 10**100 accepted")
	}
	c := firstContact(&m)
	if c.HasExpires || c.Valid() {
		t.Errorf("contact expires=280297596632815 accepted: %+v", c)
	}
	if err := m.Scan(readTorture(t, "invalid/scalarlg")); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := ParseRetryAfter(m.Get(HRetryAfter)); ok {
		t.Error("Retry-After overflow accepted")
	}
	if _, ok := ParseWarning(m.Get(HWarning)); ok {
		t.Error("4-digit warn-code accepted")
	}
}
