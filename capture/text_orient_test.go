package capture

import (
	"strings"
	"testing"
)

// msg builds a rebuilt message (CRLF) from LF lines.
func orientMsg(dir TextDirection, lines ...string) *textMsg {
	m := &textMsg{dir: dir, payload: []byte(strings.Join(lines, "\r\n") + "\r\n\r\n")}
	m.view = viewOf(m.payload)
	return m
}

func TestOrientKnownDirection(t *testing.T) {
	cases := []struct {
		name     string
		m        *textMsg
		src, dst string
		peerHost string
	}{
		{"sent request goes to the Request-URI, from the top Via",
			orientMsg(DirSent, "INVITE sip:1000@10.0.0.5:5070 SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1"),
			"10.0.0.1:5060", "10.0.0.5:5070", ""},
		{"sent request follows a loose Route (RFC 3261 §16.12)",
			orientMsg(DirSent, "INVITE sip:1000@example.com SIP/2.0", "Via: SIP/2.0/TLS 10.0.0.1;branch=z9hG4bK1", "Route: <sip:192.0.2.9;lr>, <sip:192.0.2.10;lr>"),
			"10.0.0.1:5061", "192.0.2.9:5061", ""},
		{"sent request to a name keeps the name",
			orientMsg(DirSent, "REGISTER sip:sip.example.net SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1"),
			"10.0.0.1:5060", "-", "sip.example.net"},
		{"received request comes from received= and rport (RFC 3581 §4)",
			orientMsg(DirReceived, "REGISTER sip:198.51.100.1 SIP/2.0", "Via: SIP/2.0/UDP 192.168.1.50:5060;rport=40000;received=203.0.113.7;branch=z9hG4bK1"),
			"203.0.113.7:40000", "198.51.100.1:5060", ""}, // its Request-URI is the box's own address
		{"sent response goes to the top Via",
			orientMsg(DirSent, "SIP/2.0 401 Unauthorized", "Via: SIP/2.0/UDP 192.168.1.50:5062;branch=z9hG4bK1", "Call-ID: c", "CSeq: 1 REGISTER"),
			"-", "192.168.1.50:5062", ""},
		{"a masked Via host is no peer",
			orientMsg(DirSent, "SIP/2.0 401 Unauthorized", "Via: SIP/2.0/UDP x.x.x.x:5060;branch=z9hG4bK1"),
			"-", "-", "x.x.x.x"},
		{"a Via with no host is no peer",
			orientMsg(DirReceived, "OPTIONS sip:a@b SIP/2.0", "Via: SIP/2.0/UDP ;branch=z9hG4bK1"),
			"-", "-", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var o orienter
			o.learn(c.m, &c.m.view)
			o.orient(c.m, &c.m.view)
			if addrOrDash(c.m.src) != c.src || addrOrDash(c.m.dst) != c.dst || c.m.peerHost != c.peerHost {
				t.Errorf("src %s dst %s peer host %q, want %s %s %q", addrOrDash(c.m.src), addrOrDash(c.m.dst), c.m.peerHost, c.src, c.dst, c.peerHost)
			}
		})
	}
}

// A CUBE log: the box's address is learned from a Sent request's Via,
// then messages with no direction are placed by it; a received response
// comes from where its request went.
func TestOrientInferred(t *testing.T) {
	var o orienter
	sent := orientMsg(DirSent, "INVITE sip:2000@198.51.100.20:5060 SIP/2.0",
		"Via: SIP/2.0/UDP 10.1.1.1:5060;branch=z9hG4bKa", "Call-ID: c1", "CSeq: 101 INVITE")
	resp := orientMsg(DirUnknown, "SIP/2.0 180 Ringing",
		"Via: SIP/2.0/UDP 10.1.1.1:5060;branch=z9hG4bKa", "Call-ID: c1", "CSeq: 101 INVITE")
	in := orientMsg(DirUnknown, "BYE sip:3000@10.1.1.1:5060 SIP/2.0",
		"Via: SIP/2.0/UDP 198.51.100.30:5060;branch=z9hG4bKb", "Call-ID: c2", "CSeq: 2 BYE")
	out := orientMsg(DirUnknown, "SIP/2.0 200 OK",
		"Via: SIP/2.0/UDP 198.51.100.30:5060;branch=z9hG4bKb", "Call-ID: c2", "CSeq: 2 BYE")
	o.learn(sent, &sent.view)
	for _, m := range []*textMsg{sent, resp, in, out} {
		o.orient(m, &m.view)
	}
	check := func(name string, m *textMsg, dir TextDirection, src, dst string) {
		t.Helper()
		if m.dir != dir || addrOrDash(m.src) != src || addrOrDash(m.dst) != dst {
			t.Errorf("%s: %v %s -> %s, want %v %s -> %s", name, m.dir, addrOrDash(m.src), addrOrDash(m.dst), dir, src, dst)
		}
	}
	check("sent INVITE", sent, DirSent, "10.1.1.1:5060", "198.51.100.20:5060")
	check("180 to our Via", resp, DirReceived, "198.51.100.20:5060", "10.1.1.1:5060")
	check("BYE to our address", in, DirReceived, "198.51.100.30:5060", "10.1.1.1:5060")
	check("200 to their Via", out, DirSent, "10.1.1.1:5060", "198.51.100.30:5060")
	if sent.transport != UDP {
		t.Errorf("transport %v from the Via", sent.transport)
	}
}

// Nothing learned: nothing guessed.
func TestOrientUnknownStaysUnknown(t *testing.T) {
	var o orienter
	m := orientMsg(DirUnknown, "REGISTER sip:sip.example.net SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1")
	o.orient(m, &m.view)
	if m.dir != DirUnknown || m.src.IsValid() || m.dst.IsValid() {
		t.Errorf("guessed %v %v -> %v", m.dir, m.src, m.dst)
	}
}

func TestViewOf(t *testing.T) {
	m := orientMsg(DirUnknown, "SIP/2.0 401 Unauthorized",
		"v: SIP/2.0/TCP [2001:db8::1]:5070;branch=z9hG4bKx;rport=1234;received=2001:db8::2, SIP/2.0/UDP 10.0.0.9",
		"i: abc@h", "CSeq: 7 REGISTER", "Date: Wed, 06 Apr 2022 18:28:16 GMT")
	v := m.view
	if v.request || v.status != 401 || string(v.via.host) != "2001:db8::1" || v.via.port != 5070 ||
		v.via.rport != 1234 || string(v.via.received) != "2001:db8::2" || v.via.transport != TCP ||
		string(v.callID) != "abc@h" || string(v.cseq) != "7 REGISTER" || string(v.via.branch) != "z9hG4bKx" {
		t.Errorf("view %+v", v)
	}
	if d, ok := parseSIPDate(v.date); !ok || d.Year() != 2022 {
		t.Errorf("date %v %v", d, ok)
	}
}

// Keys that differ in one byte anywhere, or only in length, get distinct
// hashes: the map of requests holds hashes only.
func TestHashKeyDistinct(t *testing.T) {
	base := []byte("05c57d4d206293f2@10.20.9.89 1 INVITE z9hG4bK647de0f11dce73ee")
	seen := map[uint64]string{}
	add := func(k []byte) {
		h := hashKey(k)
		if prev, ok := seen[h]; ok && prev != string(k) {
			t.Fatalf("hashKey(%q) = hashKey(%q)", k, prev)
		}
		seen[h] = string(k)
	}
	for n := 0; n <= len(base); n++ {
		add(base[:n])
	}
	k := append([]byte(nil), base...)
	for i := range k {
		for c := 0; c < 256; c++ {
			k[i] = byte(c)
			add(k)
		}
		k[i] = base[i]
	}
}
