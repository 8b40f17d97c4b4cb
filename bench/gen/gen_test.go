package main

import (
	"bytes"
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/pcapgo"
)

// sipMessage is a generated message as read back from the pcap, parsed
// independently of the generator's own types.
type sipMessage struct {
	at      time.Time
	src     string
	dst     string
	start   string            // request or status line
	headers map[string]string // first value of each header, by lower-case name
	vias    int
	body    string
}

func (m sipMessage) method() string {
	if strings.HasPrefix(m.start, "SIP/2.0 ") {
		return ""
	}
	return strings.Fields(m.start)[0]
}

func (m sipMessage) status() int {
	if !strings.HasPrefix(m.start, "SIP/2.0 ") {
		return 0
	}
	code, _ := strconv.Atoi(strings.Fields(m.start)[1])
	return code
}

func (m sipMessage) cseqMethod() string { return strings.Fields(m.headers["cseq"])[1] }

func (m sipMessage) param(header, name string) string {
	re := regexp.MustCompile(name + `="?([^",;>\s]*)`)
	if sm := re.FindStringSubmatch(m.headers[header]); sm != nil {
		return sm[1]
	}
	return ""
}

func generateBytes(t *testing.T, cfg config) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := generate(&buf, cfg); err != nil {
		t.Fatalf("generate(%+v): %v", cfg, err)
	}
	return buf.Bytes()
}

func testConfig(messages int) config {
	return config{messages: messages, aors: 300, failFraction: 0.01, rate: 280, seed: 7,
		start: time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC)}
}

// readCapture checks every frame's link, IP and UDP layers and parses the SIP
// payloads.
func readCapture(t *testing.T, data []byte) []sipMessage {
	t.Helper()
	r, err := pcapgo.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var msgs []sipMessage
	for frame := 1; ; frame++ {
		f, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		if len(f) < headersLen || binary.BigEndian.Uint16(f[12:14]) != 0x0800 {
			t.Fatalf("frame %d: not Ethernet/IPv4", frame)
		}
		ip := f[ethernetLen : ethernetLen+ipv4Len]
		if fold(sum16(ip, 0)) != 0xffff {
			t.Fatalf("frame %d: bad IPv4 header checksum", frame)
		}
		if int(binary.BigEndian.Uint16(ip[2:4])) != len(f)-ethernetLen || ip[9] != 17 {
			t.Fatalf("frame %d: IPv4 total length or protocol wrong", frame)
		}
		udp := f[ethernetLen+ipv4Len:]
		if int(binary.BigEndian.Uint16(udp[4:6])) != len(udp) {
			t.Fatalf("frame %d: UDP length wrong", frame)
		}
		var src, dst endpoint
		copy(src.ip[:], ip[12:16])
		copy(dst.ip[:], ip[16:20])
		pseudo := sum16(src.ip[:], sum16(dst.ip[:], 17+uint32(len(udp))))
		if fold(sum16(udp, pseudo)) != 0xffff {
			t.Fatalf("frame %d: bad UDP checksum", frame)
		}
		msgs = append(msgs, parseSIP(t, frame, ci.Timestamp, ip, udp[udpLen:]))
	}
	return msgs
}

func parseSIP(t *testing.T, frame int, at time.Time, ip, payload []byte) sipMessage {
	head, body, ok := strings.Cut(string(payload), "\r\n\r\n")
	if !ok {
		t.Fatalf("frame %d: no end of headers", frame)
	}
	lines := strings.Split(head, "\r\n")
	m := sipMessage{at: at, start: lines[0], headers: map[string]string{}, body: body,
		src: strconv.Itoa(int(ip[12])) + "." + strconv.Itoa(int(ip[13])) + "." + strconv.Itoa(int(ip[14])) + "." + strconv.Itoa(int(ip[15])),
		dst: strconv.Itoa(int(ip[16])) + "." + strconv.Itoa(int(ip[17])) + "." + strconv.Itoa(int(ip[18])) + "." + strconv.Itoa(int(ip[19]))}
	if !regexp.MustCompile(`^(SIP/2\.0 [1-6]\d\d [A-Za-z ]+|[A-Z]+ sips?:\S+ SIP/2\.0)$`).MatchString(m.start) {
		t.Fatalf("frame %d: bad start line %q", frame, m.start)
	}
	for _, l := range lines[1:] {
		name, value, ok := strings.Cut(l, ": ")
		if !ok {
			t.Fatalf("frame %d: bad header line %q", frame, l)
		}
		name = strings.ToLower(name)
		if name == "via" {
			m.vias++
		}
		if _, seen := m.headers[name]; !seen {
			m.headers[name] = value
		}
	}
	for _, h := range []string{"via", "from", "to", "call-id", "cseq", "content-length"} {
		if m.headers[h] == "" {
			t.Fatalf("frame %d: no %s header", frame, h)
		}
	}
	if cl, _ := strconv.Atoi(m.headers["content-length"]); cl != len(body) {
		t.Fatalf("frame %d: Content-Length %d, body %d bytes", frame, cl, len(body))
	}
	return m
}

func TestCaptureHoldsExactlyTheMessagesAskedFor(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 7, 998, 5001} {
		msgs := readCapture(t, generateBytes(t, testConfig(n)))
		if len(msgs) != n {
			t.Errorf("-messages %d: capture holds %d", n, len(msgs))
		}
		for i := 1; i < len(msgs); i++ {
			if msgs[i].at.Before(msgs[i-1].at) {
				t.Fatalf("-messages %d: frame %d is earlier than frame %d", n, i+1, i)
			}
		}
	}
}

func TestSameSeedGivesSameFile(t *testing.T) {
	a := generateBytes(t, testConfig(3000))
	b := generateBytes(t, testConfig(3000))
	if !bytes.Equal(a, b) {
		t.Error("two runs with the same seed differ")
	}
	other := testConfig(3000)
	other.seed++
	if bytes.Equal(a, generateBytes(t, other)) {
		t.Error("a different seed gave the same file")
	}
}

func TestMixHasEveryMessageKindAtRealisticSizes(t *testing.T) {
	msgs := readCapture(t, generateBytes(t, testConfig(20000)))
	kinds := map[string]int{}
	var total int
	for _, m := range msgs {
		k := m.method()
		if k == "" {
			k = strconv.Itoa(m.status()) + " " + m.cseqMethod()
		}
		kinds[k]++
		size := len(m.body) + len(m.start) // lower bound is enough for the mean check below
		for name, v := range m.headers {
			size += len(name) + len(v)
		}
		total += size
	}
	for _, k := range []string{"REGISTER", "401 REGISTER", "200 REGISTER", "INVITE", "407 INVITE",
		"ACK", "100 INVITE", "180 INVITE", "200 INVITE", "BYE", "200 BYE"} {
		if kinds[k] == 0 {
			t.Errorf("no %s in the mix: %v", k, kinds)
		}
	}
	if kinds["INVITE"] != 2*kinds["407 INVITE"] {
		t.Errorf("every call should send two INVITEs around one 407: %v", kinds)
	}
	if mean := total / len(msgs); mean < 400 || mean > 900 {
		t.Errorf("mean message size %d, want 400-900", mean)
	}
}

// TestIdentifiersAreDistinct: each transaction has its own branch (RFC 3261
// §8.1.1.7; the ACK to a non-2xx shares its INVITE's), each challenge its own
// nonce, each call its own Call-ID.
func TestIdentifiersAreDistinct(t *testing.T) {
	msgs := readCapture(t, generateBytes(t, testConfig(20000)))
	branchRe := regexp.MustCompile(`branch=(z9hG4bK[0-9a-f]{16})`)
	branches, nonces, callIDs := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for i, m := range msgs {
		switch {
		case m.method() == "ACK" && m.headers["proxy-authorization"] == "":
			// the ACK of the 407, same transaction as the first INVITE
		case m.method() != "":
			br := branchRe.FindStringSubmatch(m.headers["via"])
			if br == nil || branches[br[1]] {
				t.Fatalf("frame %d: branch missing or reused: %s", i+1, m.headers["via"])
			}
			branches[br[1]] = true
		case m.status() == 401 || m.status() == 407:
			h := m.headers["www-authenticate"] + m.headers["proxy-authenticate"]
			n := regexp.MustCompile(`nonce="([0-9a-f]{32})"`).FindStringSubmatch(h)
			if n == nil || nonces[n[1]] {
				t.Fatalf("frame %d: nonce missing or reused: %s", i+1, h)
			}
			nonces[n[1]] = true
		}
		if m.method() == "INVITE" && m.headers["proxy-authorization"] == "" {
			if callIDs[m.headers["call-id"]] {
				t.Fatalf("frame %d: Call-ID reused by a new call", i+1)
			}
			callIDs[m.headers["call-id"]] = true
		}
	}
}

// TestHealthyAccountsStayRegistered checks the property that makes the
// capture a healthy load: every granted binding is refreshed before it
// expires (RFC 3261 §10.2.4), and only the wrong-password accounts fail,
// each with at least three rejected answers in a row.
func TestHealthyAccountsStayRegistered(t *testing.T) {
	cfg := testConfig(20000)
	cfg.aors, cfg.rate, cfg.failFraction = 200, 2.5, 0.02 // slow traffic: over two hours
	msgs := readCapture(t, generateBytes(t, cfg))
	end := msgs[len(msgs)-1].at
	if span := end.Sub(msgs[0].at); span < 2*time.Hour {
		t.Fatalf("capture spans %s, too short to see refreshes", span)
	}
	type account struct {
		grants        []time.Time
		rejectedInRow int
		maxRejected   int
		goodDigests   int
		badDigests    int
	}
	accounts := map[string]*account{}
	aor := func(m sipMessage) *account {
		user := regexp.MustCompile(`<sip:(\d+)@`).FindStringSubmatch(m.headers["to"])[1]
		if accounts[user] == nil {
			accounts[user] = &account{}
		}
		return accounts[user]
	}
	lastCredentials := map[string]bool{} // Call-ID → the last REGISTER carried credentials
	for i, m := range msgs {
		if m.cseqMethod() != "REGISTER" {
			continue
		}
		a := aor(m)
		switch {
		case m.method() == "REGISTER":
			cred := m.headers["authorization"] != ""
			lastCredentials[m.headers["call-id"]] = cred
			if cred && digestMatches(m) {
				a.goodDigests++
			} else if cred {
				a.badDigests++
			}
		case m.status() == 200:
			if m.param("contact", "expires") != "3600" || m.headers["expires"] != "3600" {
				t.Fatalf("frame %d: grant is not 3600 s: %v", i+1, m.headers)
			}
			a.grants = append(a.grants, m.at)
			a.rejectedInRow = 0
		case m.status() == 401 && lastCredentials[m.headers["call-id"]]:
			a.rejectedInRow++
			a.maxRejected = max(a.maxRejected, a.rejectedInRow)
		}
	}
	var healthy, failing int
	for user, a := range accounts {
		if len(a.grants) == 0 {
			failing++
			if a.goodDigests > 0 || a.badDigests == 0 {
				t.Errorf("account %s never registers, yet sends %d right and %d wrong digests", user, a.goodDigests, a.badDigests)
			}
			if a.maxRejected < 3 {
				t.Errorf("account %s never registers but is rejected only %d times in a row", user, a.maxRejected)
			}
			continue
		}
		healthy++
		if a.maxRejected > 0 || a.badDigests > 0 {
			t.Errorf("account %s registers but also has %d rejected credentials, %d wrong digests", user, a.maxRejected, a.badDigests)
		}
		for i, g := range a.grants {
			deadline := g.Add(3600 * time.Second)
			if deadline.After(end) {
				break
			}
			if i+1 == len(a.grants) || !a.grants[i+1].Before(deadline) {
				t.Errorf("account %s: binding granted at %s not refreshed before %s", user, g, deadline)
			}
		}
	}
	if failing != 4 || healthy < 190 {
		t.Errorf("%d accounts register and %d fail; want 196 and 4", healthy, failing)
	}
}

// digestMatches recomputes the RFC 2617 qop=auth response with the
// password the healthy accounts are given ("pw-" + user).
func digestMatches(m sipMessage) bool {
	h := func(s string) string { sum := md5.Sum([]byte(s)); return hex.EncodeToString(sum[:]) }
	user := m.param("authorization", "username")
	ha1 := h(user + ":" + m.param("authorization", "realm") + ":pw-" + user)
	ha2 := h("REGISTER:" + m.param("authorization", "uri"))
	want := h(ha1 + ":" + m.param("authorization", "nonce") + ":00000001:" +
		m.param("authorization", "cnonce") + ":auth:" + ha2)
	return m.param("authorization", "response") == want
}
