package decode

import (
	"strings"
	"testing"
)

func TestParseVia(t *testing.T) {
	tests := []struct {
		in                      string
		ok                      bool
		transport, host         string
		port                    int
		branch, received, rport string
		hasRPort                bool
	}{
		{"SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1", true, "UDP", "192.0.2.1", 5060, "z9hG4bK1", "", "", false},
		{"SIP/2.0/TCP h.example.com;BRANCH=z9hG4bKX;Received=10.0.0.1;RPORT=1234", true, "TCP", "h.example.com", 0, "z9hG4bKX", "10.0.0.1", "1234", true},
		{"SIP/2.0/UDP [2001:db8::1]:5062;rport;branch=z9hG4bK2", true, "UDP", "[2001:db8::1]", 5062, "z9hG4bK2", "", "", true},
		{"SIP / 2.0 / WSS  df7jal23ls0d.invalid ; branch = z9hG4bK3", true, "WSS", "df7jal23ls0d.invalid", 0, "z9hG4bK3", "", "", false},
		{"sip/2.0/udp host : 5070", true, "udp", "host", 5070, "", "", "", false},
		{"SIP/2.0/UDP 192.0.2.15;;", false, "UDP", "192.0.2.15", 0, "", "", "", false},
		{"SIP/2.0/UDP host:99999", false, "UDP", "host", 0, "", "", "", false},
		{"SIP/2.0/UDP", false, "UDP", "", 0, "", "", "", false},
		{"192.0.2.1:5060", false, "", "", 0, "", "", "", false},
		{"", false, "", "", 0, "", "", "", false},
	}
	for _, tt := range tests {
		v, ok := ParseVia([]byte(tt.in))
		if ok != tt.ok || string(v.Transport) != tt.transport || string(v.Host) != tt.host || v.Port != tt.port ||
			string(v.Branch) != tt.branch || string(v.Received) != tt.received || string(v.RPort) != tt.rport || v.HasRPort != tt.hasRPort {
			t.Errorf("ParseVia(%q) = %+v, %v", tt.in, v, ok)
		}
	}
}

func TestParseURI(t *testing.T) {
	tests := []struct {
		in                       string
		ok                       bool
		scheme, user, pass, host string
		port                     int
		params, headers          string
	}{
		{"sip:alice@example.com", true, "sip", "alice", "", "example.com", 0, "", ""},
		{"SIPS:bob:secret@Example.COM:5061;transport=tls?subject=x", true, "SIPS", "bob", "secret", "Example.COM", 5061, ";transport=tls", "subject=x"},
		{"sip:[2001:db8::2]:5080;lr", true, "sip", "", "", "[2001:db8::2]", 5080, ";lr", ""},
		{"sip:registrar.example.com", true, "sip", "", "", "registrar.example.com", 0, "", ""},
		{"tel:+15551234567;phone-context=example.com", true, "tel", "+15551234567", "", "", 0, ";phone-context=example.com", ""},
		{"sip:a@h:x", false, "sip", "a", "", "h", 0, "", ""},
		{"sip:a@", false, "sip", "a", "", "", 0, "", ""},
		{"nocolon", false, "", "", "", "", 0, "", ""},
		{" sip:a@h ", false, "sip", "a", "", "h", 0, "", ""},
	}
	for _, tt := range tests {
		u, ok := ParseURI([]byte(tt.in))
		if ok != tt.ok || string(u.Scheme) != tt.scheme || string(u.User) != tt.user || string(u.Password) != tt.pass ||
			string(u.Host) != tt.host || u.Port != tt.port || string(u.Params) != tt.params || string(u.Headers) != tt.headers {
			t.Errorf("ParseURI(%q) = %+v, %v", tt.in, u, ok)
		}
	}
}

func TestParseNameAddr(t *testing.T) {
	tests := []struct {
		in                        string
		ok                        bool
		display, uri, params, tag string
	}{
		{`"Bob" <sip:bob@biloxi.com>;tag=a6c85cf`, true, "Bob", "sip:bob@biloxi.com", ";tag=a6c85cf", "a6c85cf"},
		{`Bob Smith <sip:bob@biloxi.com>`, true, "Bob Smith", "sip:bob@biloxi.com", "", ""},
		{`<sip:bob@biloxi.com;transport=tcp>;Tag=X;expires=60`, true, "", "sip:bob@biloxi.com;transport=tcp", ";Tag=X;expires=60", "X"},
		{`sip:bob@biloxi.com;tag=1`, true, "", "sip:bob@biloxi.com", ";tag=1", "1"},
		{`"a \"q\" <b>" <sip:x@y>`, true, `a \"q\" <b>`, "sip:x@y", "", ""},
		{`"unterminated <sip:x@y>`, false, "unterminated <sip:x@y>", "", "", ""},
		{`Bell, Alexander <sip:a@b>`, false, "Bell, Alexander", "sip:a@b", "", ""},
		{`< sip:a@b >`, false, "", "sip:a@b", "", ""},
		{`sip:a@b?Route=x`, false, "", "sip:a@b?Route=x", "", ""},
		{`<sip:a@b`, false, "", "sip:a@b", "", ""},
		{`<>`, false, "", "", "", ""},
		{`<sip:a@b>;tag=`, false, "", "sip:a@b", ";tag=", ""},
	}
	for _, tt := range tests {
		na, ok := ParseNameAddr([]byte(tt.in))
		if ok != tt.ok || string(na.Display) != tt.display || string(na.URI) != tt.uri || string(na.Params) != tt.params || string(na.Tag) != tt.tag {
			t.Errorf("ParseNameAddr(%q) = %+v, %v", tt.in, na, ok)
		}
	}
	// An empty tag is present (non-nil) but empty; no tag is nil.
	if na, _ := ParseNameAddr([]byte("<sip:a@b>;tag=")); na.Tag == nil {
		t.Error("empty tag reported absent")
	}
	if na, _ := ParseNameAddr([]byte("<sip:a@b>")); na.Tag != nil {
		t.Error("absent tag reported present")
	}
}

func TestAOR(t *testing.T) {
	for in, want := range map[string]string{
		"sip:alice@example.com":                    "sip:alice@example.com",
		"SIP:Alice@EXAMPLE.com:5060;transport=udp": "sip:Alice@example.com",
		"sips:alice@example.com:5061":              "sips:alice@example.com",
		"sip:alice@example.com:5080":               "sip:alice@example.com:5080",
		"sip:alice:pw@example.com?x=y":             "sip:alice@example.com",
		`"Alice" <sip:alice@Example.com>;tag=9`:    "sip:alice@example.com",
		"<sip:example.com>":                        "sip:example.com",
		"TEL:+1555;phone-context=x":                "tel:+1555",
		"garbage":                                  "garbage",
	} {
		if got := AOR([]byte(in)); got != want {
			t.Errorf("AOR(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParams(t *testing.T) {
	p := []byte(`;Transport=UDP; lr ;maddr = 10.0.0.1;x="a;b";empty=`)
	for _, tt := range []struct {
		name, want string
		present    bool
	}{
		{"transport", "UDP", true}, {"LR", "", true}, {"maddr", "10.0.0.1", true}, {"x", "a;b", true},
		{"empty", "", true}, {"nope", "", false},
	} {
		v, ok := Param(p, tt.name)
		if ok != tt.present || string(v) != tt.want {
			t.Errorf("Param(%s) = %q, %v", tt.name, v, ok)
		}
	}
	if v, _ := Param(p, "lr"); v != nil {
		t.Error("valueless param should be nil")
	}
	if v, _ := Param(p, "empty"); v == nil {
		t.Error("empty= param should be non-nil")
	}
	n := 0
	Params(p, func(_, _ []byte) bool { n++; return n < 2 })
	if n != 2 {
		t.Errorf("Params did not stop: %d", n)
	}
}

func TestParseChallenge(t *testing.T) {
	tests := []struct {
		in                                     string
		ok, malformed, stale                   bool
		scheme, realm, nonce, opaque, alg, qop string
	}{
		{`Digest realm="atlanta.com", domain="sip:ss1.carrier.com", qop="auth", nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, algorithm=MD5`,
			true, false, false, "Digest", "atlanta.com", "f84f1cec41e6cbe5aea9c8e88d359", "", "MD5", "auth"},
		{`Digest Realm="r",NONCE="n",Stale=TRUE,Algorithm=SHA-256`, true, false, true, "Digest", "r", "n", "", "SHA-256", ""},
		// Corpus oddity (suricata register-401-only): quotes written as \" delimiters.
		{`Digest realm=\"sip.cybercity.dk\",nonce=\"1701af566be182070084c6f740706bb\",opaque=\"1701a1351f70795\",stale=false,algorithm=MD5`,
			true, true, false, "Digest", "sip.cybercity.dk", "1701af566be182070084c6f740706bb", "1701a1351f70795", "MD5", ""},
		// A realm that itself contains escaped quotes: kept raw, Unquote resolves.
		{`Digest realm="\"SIP Realm\"", nonce="x"`, true, false, false, "Digest", `\"SIP Realm\"`, "x", "", "", ""},
		{`Digest realm="unterminated`, true, true, false, "Digest", "unterminated", "", "", "", ""},
		{`Digest junk, realm="r"`, true, true, false, "Digest", "r", "", "", "", ""},
		{`Basic realm="WallyWorld"`, true, false, false, "Basic", "WallyWorld", "", "", "", ""},
		{`Digest`, true, false, false, "Digest", "", "", "", "", ""},
		{`="x"`, false, false, false, "", "", "", "", "", ""},
		{``, false, false, false, "", "", "", "", "", ""},
	}
	for _, tt := range tests {
		c, ok := ParseChallenge([]byte(tt.in))
		if ok != tt.ok || c.Malformed != tt.malformed || c.Stale != tt.stale || string(c.Scheme) != tt.scheme || string(c.Realm) != tt.realm ||
			string(c.Nonce) != tt.nonce || string(c.Opaque) != tt.opaque || string(c.Algorithm) != tt.alg || string(c.Qop) != tt.qop {
			t.Errorf("ParseChallenge(%q) = %+v, %v", tt.in, c, ok)
		}
	}
	c, _ := ParseChallenge([]byte(`Digest realm="\"SIP Realm\""`))
	if got := string(Unquote(c.Realm)); got != `"SIP Realm"` {
		t.Errorf("Unquote realm = %q", got)
	}
}

func TestParseCredentials(t *testing.T) {
	in := `Digest username="bob", Realm="biloxi.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="sip:bob@biloxi.com", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41", ALGORITHM=MD5`
	c, ok := ParseCredentials([]byte(in))
	if !ok || c.Malformed || string(c.Scheme) != "Digest" || string(c.Username) != "bob" || string(c.Realm) != "biloxi.com" ||
		string(c.Nonce) != "dcd98b7102dd2f0e8b11d0f600bfb0c093" || string(c.URI) != "sip:bob@biloxi.com" || string(c.Qop) != "auth" ||
		string(c.NC) != "00000001" || string(c.CNonce) != "0a4f113b" || string(c.Response) != "6629fae49393a05397450978507c4ef1" ||
		string(c.Opaque) != "5ccc069c403ebaf9f0171e9517f40e41" || string(c.Algorithm) != "MD5" {
		t.Errorf("ParseCredentials = %+v, %v", c, ok)
	}
	c, _ = ParseCredentials([]byte("Digest username=\"a\\\\b\",\r\n realm=\"r\""))
	if string(c.Username) != `a\\b` || string(Unquote(c.Username)) != `a\b` || string(c.Realm) != "r" {
		t.Errorf("escaped username / folded list: %+v", c)
	}
}

func TestUnquote(t *testing.T) {
	for in, want := range map[string]string{``: ``, `plain`: `plain`, `a\"b`: `a"b`, `\\`: `\`, `end\`: `end\`} {
		if got := string(Unquote([]byte(in))); got != want {
			t.Errorf("Unquote(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseValues(t *testing.T) {
	for _, tt := range []struct {
		in  string
		sec int
		ok  bool
	}{{"3600", 3600, true}, {" 0 ", 0, true}, {"007", 7, true}, {"4294967295", 4294967295, true}, {"4294967296", 4294967295, false},
		{"-1", 0, false}, {"", 0, false}, {"3600 s", 0, false}, {"Thu, 01 Dec 1994 16:00:00 GMT", 0, false}} {
		if sec, ok := ParseExpires([]byte(tt.in)); sec != tt.sec || ok != tt.ok {
			t.Errorf("ParseExpires(%q) = %d, %v", tt.in, sec, ok)
		}
	}
	for _, tt := range []struct {
		in, comment string
		sec         int
		ok          bool
	}{{"120", "", 120, true}, {"18000;duration=3600", "", 18000, true}, {"120 (I'm in a meeting)", "I'm in a meeting", 120, true},
		{"300 (a (nested) one) ;duration=10", "a (nested) one", 300, true}, {"5 (open", "open", 5, false}, {"x", "", 0, false}, {"10 junk", "", 10, false}} {
		sec, c, ok := ParseRetryAfter([]byte(tt.in))
		if sec != tt.sec || string(c) != tt.comment || ok != tt.ok {
			t.Errorf("ParseRetryAfter(%q) = %d, %q, %v", tt.in, sec, c, ok)
		}
	}
	for _, tt := range []struct {
		in         string
		ok         bool
		code       int
		agent, txt string
	}{{`399 proxy.example.com "Incompatible \"codec\""`, true, 399, "proxy.example.com", `Incompatible \"codec\"`},
		{`370 10.0.0.1:5060 "Insufficient bandwidth"`, true, 370, "10.0.0.1:5060", "Insufficient bandwidth"},
		{`1812 overture "In Progress"`, false, 1812, "overture", "In Progress"}, {`399 host unquoted`, false, 399, "host", "unquoted"}, {``, false, 0, "", ""}} {
		w, ok := ParseWarning([]byte(tt.in))
		if ok != tt.ok || w.Code != tt.code || string(w.Agent) != tt.agent || string(w.Text) != tt.txt {
			t.Errorf("ParseWarning(%q) = %+v, %v", tt.in, w, ok)
		}
	}
	for _, tt := range []struct {
		in, proto string
		cause     int
		text      string
		ok        bool
	}{{`Q.850;cause=16;text="Normal call clearing"`, "Q.850", 16, "Normal call clearing", true},
		{`SIP ; CAUSE = 480 ; text="Temporarily Unavailable"`, "SIP", 480, "Temporarily Unavailable", true},
		{`Q.850`, "Q.850", 0, "", true}, {`Q.850;cause=abc`, "Q.850", 0, "", false}, {`;;`, "", 0, "", false}} {
		r, ok := ParseReason([]byte(tt.in))
		if ok != tt.ok || string(r.Protocol) != tt.proto || r.Cause != tt.cause || string(r.Text) != tt.text {
			t.Errorf("ParseReason(%q) = %+v, %v", tt.in, r, ok)
		}
	}
	for _, tt := range []struct {
		in     string
		seq    uint32
		method string
		ok     bool
	}{{"4711 INVITE", 4711, "INVITE", true}, {"0009\r\n  INVITE", 9, "INVITE", true}, {"2147483647 ACK", 2147483647, "ACK", true},
		{"2147483648 ACK", 0, "ACK", false}, {"INVITE", 0, "INVITE", false}, {"12", 0, "", false}, {"1 IN VITE", 0, "IN VITE", false}, {"%s REGISTER", 0, "%s REGISTER", false}} {
		cs, ok := ParseCSeq([]byte(tt.in))
		if ok != tt.ok || cs.Seq != tt.seq || string(cs.Method) != tt.method {
			t.Errorf("ParseCSeq(%q) = %+v, %v", tt.in, cs, ok)
		}
	}
}

// TestHeaderHashPerfect: every indexed name, in any case, finds its own
// ID; a collision in headerSlots would lose one of them.
func TestHeaderHashPerfect(t *testing.T) {
	for id := HVia; id < numHeaderIDs; id++ {
		name := headerNames[id]
		for _, n := range []string{name, strings.ToLower(name), strings.ToUpper(name)} {
			if got := HeaderIDOf([]byte(n)); got != id {
				t.Errorf("HeaderIDOf(%q) = %v, want %v", n, got, id)
			}
			if got := headerIDOfString(n); got != id {
				t.Errorf("headerIDOfString(%q) = %v, want %v", n, got, id)
			}
		}
	}
	for _, n := range []string{"Date", "X-Via", "Vi", "Contacts", "Call-IE", "P-Asserted-Identitz"} {
		if got := HeaderIDOf([]byte(n)); got != HOther {
			t.Errorf("HeaderIDOf(%q) = %v, want HOther", n, got)
		}
	}
}
