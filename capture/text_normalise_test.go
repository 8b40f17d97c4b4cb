package capture

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// Each case is one pitfall of TEXT-FORMATS.md §0 and its "General
// pitfalls" table: the raw log line and the normalised lines it becomes.
func TestNormalise(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string
	}{
		{"plain line untouched", "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1", []string{"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1"}},
		{"angle brackets of URIs kept", "From: <sip:a@b>;tag=1", []string{"From: <sip:a@b>;tag=1"}},
		{"BOM dropped", "\ufeffINVITE sip:a@b SIP/2.0", []string{"INVITE sip:a@b SIP/2.0"}},
		{"Windows-1252 smart quotes", "realm=\x93sip.example.net\x94", []string{`realm="sip.example.net"`}},
		{"Latin-1 letter", "Subject: caf\xe9", []string{"Subject: café"}},
		{"Latin-1 NBSP", "Max-Forwards:\xa070", []string{"Max-Forwards: 70"}},
		{"smart quotes and primes", "realm=”sip-2.ITSP_1″, nonce=‘x’, a=′y′", []string{`realm="sip-2.ITSP_1", nonce='x', a='y'`}},
		{"dashes", "Call-ID: abc–def—ghi", []string{"Call-ID: abc-def-ghi"}},
		{"no-break and thin spaces", "To:\u00a0<sip:a@b>\u202f;tag=1", []string{"To: <sip:a@b> ;tag=1"}},
		{"zero-width characters", "CSeq: 1\u200b INVITE", []string{"CSeq: 1 INVITE"}},
		{"ellipsis", "…", []string{"..."}},
		{"rsyslog #012 splits", "Received:#012INVITE sip:a@b SIP/2.0#015#012Via: x", []string{"Received:", "INVITE sip:a@b SIP/2.0", "Via: x"}},
		{"rsyslog #011 is a tab", "a#011b", []string{"a\tb"}},
		{"Kiwi <010> and <013>", "INVITE sip:a@b SIP/2.0<013><010>Via: x", []string{"INVITE sip:a@b SIP/2.0", "Via: x"}},
		{"HTML entities", "From: &lt;sip:a@b&gt;;tag=&quot;1&quot; &amp; &colon; &#x66;&#102;", []string{`From: <sip:a@b>;tag="1" & : ff`}},
		{"unknown entity and bare ampersand kept", "sip:a@b?x=1&y=2 &foo;", []string{"sip:a@b?x=1&y=2 &foo;"}},
		{"<br /> at the end dropped", "Via: x<br />", []string{"Via: x"}},
		{"<br /> inside splits", "Via: x<br/>To: y<BR>", []string{"Via: x", "To: y"}},
		{"Outlook mailto link", "To: <sip:95101@192.168.11.2<mailto:sip%3A95101@192.168.11.2>>", []string{"To: <sip:95101@192.168.11.2>"}},
		{"auto-link", "Contact: <sip:a@user.info< http://user.info>;>", []string{"Contact: <sip:a@user.info>"}},
		{"quote markers", "> > Via: x", []string{"Via: x"}},
		{"code fence", "```text", []string{""}},
		{"Markdown escapes", `Call-ID: a\_b\*c`, []string{"Call-ID: a_b*c"}},
		{"terminal colours", "\x1b[1;32mINVITE sip:a@b SIP/2.0\x1b[0m", []string{"INVITE sip:a@b SIP/2.0"}},
		{"^M at the end", "CSeq: 1 INVITE^M", []string{"CSeq: 1 INVITE"}},
		{"^M inside splits", "INVITE sip:a@b SIP/2.0^M <- EP initiate", []string{"INVITE sip:a@b SIP/2.0", " <- EP initiate"}},
		{"lone CR inside splits", "To: a\rFrom: b", []string{"To: a", "From: b"}},
		{"control characters dropped", "To:\x00 a\x07", []string{"To: a"}},
		{"Cloudflare placeholder kept as one token", "INVITE sip:[email protected] SIP/2.0", []string{"INVITE sip:[email-protected] SIP/2.0"}},
		{"hash not an escape", "Route: <sip:#0a@b>", []string{"Route: <sip:#0a@b>"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var z normaliser
			var got []string
			for _, l := range z.lines([]byte(c.in)) {
				got = append(got, string(l))
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("lines(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestNormaliseFastPathDoesNotCopy(t *testing.T) {
	var z normaliser
	in := []byte("Contact: <sip:alice@192.0.2.1:5060>;expires=3600")
	out := z.lines(in)
	if len(out) != 1 || &out[0][0] != &in[0] {
		t.Error("a line with nothing to undo was copied")
	}
	if n := testing.AllocsPerRun(100, func() { z.lines(in) }); n != 0 {
		t.Errorf("%v allocations per clean line", n)
	}
}

func TestLineReader(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string
	}{
		{"LF", "a\nb\n", []string{"a", "b"}},
		{"CRLF", "a\r\nb\r\n", []string{"a", "b"}},
		{"no final line end", "a\nb", []string{"a", "b"}},
		{"CR only (classic Mac)", "a\rb\rc", []string{"a", "b", "c"}},
		{"blank lines kept", "a\n\n\nb\n", []string{"a", "", "", "b"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newLineReader(bufio.NewReader(strings.NewReader(c.in)))
			var got []string
			for l, ok := r.next(); ok; l, ok = r.next() {
				got = append(got, string(l))
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") || r.n != len(c.want) {
				t.Errorf("got %q (n=%d), want %q", got, r.n, c.want)
			}
		})
	}
}

func TestLineReaderLongLine(t *testing.T) {
	long := strings.Repeat("x", maxTextLine+100)
	r := newLineReader(bufio.NewReaderSize(strings.NewReader("a\n"+long+"\nb\n"), 4096))
	var got []int
	for l, ok := r.next(); ok; l, ok = r.next() {
		got = append(got, len(l))
	}
	if len(got) != 3 || got[0] != 1 || got[1] != maxTextLine || got[2] != 1 {
		t.Errorf("line lengths %v", got)
	}
	if r.cut != 2 {
		t.Errorf("cut line %d, want 2", r.cut)
	}
}

// FuzzTextNormalise: any input normalises without panicking, every output
// line is free of CR and BOM, and valid UTF-8 stays valid UTF-8.
func FuzzTextNormalise(f *testing.F) {
	for _, s := range []string{
		"realm=”x″ &lt;sip:a@b&gt; #012Via<br />", "\x93\x94\xa0caf\xe9", "<010><013>&#x1F600;&#0;&#xFFFFFFFF;",
		"\x1b[31m^Mx^M", "<mailto:a", "< http", "&#x;", "&", "#01", "> ```", "[email protected]",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var z normaliser
		wasValid := utf8.Valid(in)
		for _, l := range z.lines(bytes.ReplaceAll(in, []byte("\n"), nil)) {
			if bytes.IndexByte(l, '\r') >= 0 {
				t.Fatalf("CR left in %q", l)
			}
			if bytes.Contains(l, []byte("\ufeff")) {
				t.Fatalf("BOM left in %q", l)
			}
			if wasValid && !utf8.Valid(l) {
				t.Fatalf("invalid UTF-8 %q from valid input", l)
			}
		}
	})
}
