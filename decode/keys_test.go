package decode

import "testing"

func TestTxnKey(t *testing.T) {
	key := func(branch, method, callID string, cseq uint32, fromTag, sentBy string) string {
		return string(appendTxnKey(nil, []byte(branch), method, []byte(callID), cseq, []byte(fromTag), []byte(sentBy)))
	}
	same := []struct {
		name string
		a, b string
	}{
		// RFC 3261 §17.1.3: branch + method; ACK (to a non-2xx) matches its INVITE.
		{"ACK joins its INVITE", key("z9hG4bK1", "INVITE", "c", 1, "f", "h"), key("z9hG4bK1", "ACK", "c", 1, "f", "h")},
		{"branch key ignores Call-ID and CSeq", key("z9hG4bK1", "REGISTER", "c1", 1, "f", "h"), key("z9hG4bK1", "REGISTER", "c2", 2, "g", "x")},
		// RFC 2543 fallback: fields a response copies from its request.
		{"2543 messages match on Call-ID, CSeq, tag, sent-by", key("", "INVITE", "c", 7, "f", "h:5060"), key("", "INVITE", "c", 7, "f", "h:5060")},
		{"a branch without the magic cookie falls back", key("abc", "INVITE", "c", 7, "f", "h"), key("xyz", "INVITE", "c", 7, "f", "h")},
	}
	for _, tc := range same {
		if tc.a != tc.b {
			t.Errorf("%s: keys differ: %q vs %q", tc.name, tc.a, tc.b)
		}
	}
	differ := []struct {
		name string
		a, b string
	}{
		{"CANCEL is its own transaction", key("z9hG4bK1", "INVITE", "c", 1, "f", "h"), key("z9hG4bK1", "CANCEL", "c", 1, "f", "h")},
		{"different branches", key("z9hG4bK1", "REGISTER", "c", 1, "f", "h"), key("z9hG4bK2", "REGISTER", "c", 1, "f", "h")},
		{"2543: CSeq differs", key("", "REGISTER", "c", 1, "f", "h"), key("", "REGISTER", "c", 2, "f", "h")},
		{"2543: sent-by differs", key("", "REGISTER", "c", 1, "f", "h1"), key("", "REGISTER", "c", 1, "f", "h2")},
		{"cookie branch never equals a 2543 key", key("z9hG4bKc", "REGISTER", "c", 1, "f", "h"), key("", "REGISTER", "c", 1, "f", "h")},
	}
	for _, tc := range differ {
		if tc.a == tc.b {
			t.Errorf("%s: keys collide: %q", tc.name, tc.a)
		}
	}
}

func TestViaHelpers(t *testing.T) {
	for _, tc := range []struct{ via, sentBy, branch string }{
		{"SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport", "10.0.0.1:5060", "z9hG4bK1"},
		{"SIP/2.0/TCP host.example.com ;Branch=z9hG4bKx, SIP/2.0/UDP p:5060;branch=z9hG4bKy", "host.example.com", "z9hG4bKx"},
		// Unbracketed IPv6 (seen in real captures): the parser refuses it, the branch is still found.
		{"SIP/2.0/UDP fe80:0:0:0:21a:a0ff:fe07:32e0:5060;branch=z9hG4bKkdjuw8376", "fe80:0:0:0:21a:a0ff:fe07:32e0:5060", "z9hG4bKkdjuw8376"},
		{"garbage", "", ""},
	} {
		if got := string(viaSentBy([]byte(tc.via))); got != tc.sentBy {
			t.Errorf("viaSentBy(%q) = %q, want %q", tc.via, got, tc.sentBy)
		}
		if got := string(viaBranch([]byte(tc.via))); got != tc.branch {
			t.Errorf("viaBranch(%q) = %q, want %q", tc.via, got, tc.branch)
		}
	}
}

func TestRegistrarOf(t *testing.T) {
	for in, want := range map[string]string{
		"sip:Registrar.Example.COM":          "registrar.example.com",
		"sip:example.com:5060;transport=udp": "example.com",
		"sip:10.0.0.1:5080":                  "10.0.0.1:5080",
		"sips:pbx.example.net;transport=tls": "pbx.example.net",
	} {
		if got := registrarOf(in); got != want {
			t.Errorf("registrarOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBranchKeyTellsApart: two branch keys are equal exactly when their
// branches are and their methods are, ACK counted as INVITE, for usual
// methods (one byte) and others (named) alike.
func TestBranchKeyTellsApart(t *testing.T) {
	branches := []string{"z9hG4bK1", "z9hG4bK12", "z9hG4bK1\xff", "z9hG4bK1\x01", "z9hG4bK"}
	methods := []string{"INVITE", "ACK", "REGISTER", "BYE", "CANCEL", "OPTIONS", "NOTIFY", "SUBSCRIBE", "PRACK", "INFO", "X", "", "\x01", "\xffINFO"}
	norm := func(m string) string {
		if m == "ACK" {
			return "INVITE"
		}
		return m
	}
	for _, b1 := range branches {
		for _, m1 := range methods {
			k1 := string(appendBranchKey(nil, []byte(b1), m1))
			for _, b2 := range branches {
				for _, m2 := range methods {
					k2 := string(appendBranchKey([]byte("junk"), []byte(b2), m2)[4:])
					if want := b1 == b2 && norm(m1) == norm(m2); (k1 == k2) != want {
						t.Errorf("(%q %q) vs (%q %q): keys equal %v, want %v", b1, m1, b2, m2, k1 == k2, want)
					}
				}
			}
		}
	}
}
