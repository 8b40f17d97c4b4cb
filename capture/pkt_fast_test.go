package capture

import (
	"encoding/binary"
	"reflect"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// newFrameInput is an input with no source, fed frames by hand.
func newFrameInput() *input {
	r := &Reader{opt: Options{}.withDefaults()}
	r.infos = []InputInfo{{}}
	in := &input{r: r, info: &r.infos[0], opt: r.opt}
	in.frame, in.ts = 7, t0
	return in
}

// fastAndGeneral decodes frame with decodeLink (fast path first) and with
// decodeLinkGeneral on two fresh inputs and fails unless both queued the
// same Datagrams and recorded the same Problems, ports and counts. It
// reports whether the fast path took the frame.
func fastAndGeneral(t *testing.T, frame []byte) bool {
	t.Helper()
	fast, general := newFrameInput(), newFrameInput()
	took := newFrameInput().ethIPv4UDPFast(frame, 7, t0)
	fast.decodeLink(linkEthernet, frame)
	general.decodeLinkGeneral(linkEthernet, frame)
	if !reflect.DeepEqual(fast.queue, general.queue) {
		t.Fatalf("frame %x:\nfast    %+v\ngeneral %+v", frame, fast.queue, general.queue)
	}
	if !reflect.DeepEqual(fast.r.problems, general.r.problems) {
		t.Fatalf("frame %x: problems\nfast    %+v\ngeneral %+v", frame, fast.r.problems, general.r.problems)
	}
	if fast.sipPorts != general.sipPorts || *fast.info != *general.info {
		t.Fatalf("frame %x: ports or counts differ: %+v / %+v", frame, *fast.info, *general.info)
	}
	return took
}

// fastPathPayloads are UDP payloads around the fast path's edges: every
// known method, case and spelling variants, junk, status lines good and
// bad, HEP, and control characters where a start line forbids them.
func fastPathPayloads() [][]byte {
	var ps [][]byte
	for _, m := range knownMethods {
		ps = append(ps, sipReq(m, 1), sipReq(strings.ToLower(m), 1), sipReq("xx"+m, 1), sipReq(m+"X", 1))
		ps = append(ps, []byte(m+" sip:a@b SIP/2.0"), []byte(m+" sip:a@b SIP/2.0 "), []byte(m+"  sip:a@b SIP/2.0\r\n"),
			[]byte(m+" sip:a@b sip/2.0\n"), []byte(m+" sip:a@b SIP/2.1\r\n"), []byte(m+" "), []byte(m), []byte(m+" sip:a\x7fb SIP/2.0\r\n"),
			[]byte(m+" sip:\xc3\xa9@b SIP/2.0\r\n"), []byte(m+"\tsip:a@b SIP/2.0\r\n"), []byte(m+" sip:a@b\x00 SIP/2.0\r\n"))
	}
	for _, s := range []string{
		"SIP/2.0 200 OK\r\n", "SIP/2.0 200 OK", "SIP/2.0 200", "SIP/2.0 200\r\n", "SIP/2.0 20 OK\r\n", "SIP/2.0 2000 OK\r\n",
		"SIP/2.0 200 O\x01K\r\n", "SIP/2.0 200 O\tK\r\n", "SIP/2.0 200 O\x7fK\r\n", "sip/2.0 200 OK\r\n", "SIP/2.0  200 OK\r\n",
		"SIP/2.0 407 Proxy Authentication Required\r\nCSeq: 1 INVITE\r\n\r\n", "SIP/2.0 200 \xe2\x80\x9cOK\xe2\x80\x9d\r\n",
		"SIP/2.0 ", "SIP/2.0", "SIP/2.0 abc\r\n", "junk\r\nSIP/2.0 200 OK\r\n", "\r\n\r\nINVITE sip:a@b SIP/2.0\r\n",
		"HEP3\x00\x10xxxxxxxxxxxxxxxxxxxxxx", "\x02\x10\x02xxxxxxxxxxxxxxxxxxx", "", "x", "REGISTER", "REGISTERsip:a@b SIP/2.0",
		"SUBSCRIBE", "SUBSCRIB sip:a@b SIP/2.0\r\n", "SUBSCRIBEsip:a@b SIP/2.0\r\n", "INV\x00TE sip:a@b SIP/2.0\r\n",
		"FOO sip:a@b SIP/2.0\r\n", "INVITE sip:a@b SIP/2.0\r\n",
	} {
		ps = append(ps, []byte(s))
	}
	return ps
}

// TestFastPathMatchesGeneral holds the Ethernet/IPv4/UDP fast path to the
// general decoders on many frame shapes, each also cut at every length.
func TestFastPathMatchesGeneral(t *testing.T) {
	var frames [][]byte
	for _, p := range fastPathPayloads() {
		base := withEth(udp4(t, addrA, addrB, 5060, 5080, p))
		frames = append(frames, base)
		// Ethernet padding and a trailer after the IP packet
		frames = append(frames, append(append([]byte(nil), base...), 0, 0, 0, 0, 'S', 'I', 'P'))
		// tunnel ports, IPv6, TCP
		frames = append(frames, withEth(udp4(t, addrA, addrB, 5060, portVXLAN, p)), withEth(udp4(t, addrA, addrB, portGTPU, 5060, p)),
			withEth(udp4(t, addrA, addrB, 5060, portGTPU, p)), withEth(udp6(t, addr6A, addr6B, 5060, 5060, p)),
			withEth(tcp4(t, addrA, addrB, 5060, 5060, 1, false, false, p)))
	}
	// header variants of one frame: each edit below is one the fast
	// path must either follow exactly or leave to the general path
	base := withEth(udp4(t, addrA, addrB, 5060, 5060, sipReq("INVITE", 1)))
	edit := func(f func(b []byte)) {
		b := append([]byte(nil), base...)
		f(b)
		frames = append(frames, b)
	}
	ip, udp := 14, 34
	edit(func(b []byte) { binary.BigEndian.PutUint16(b[ip+2:], 0) })                          // TSO: no total length
	edit(func(b []byte) { binary.BigEndian.PutUint16(b[ip+2:], 19) })                         // below the header
	edit(func(b []byte) { binary.BigEndian.PutUint16(b[ip+2:], 20) })                         // header only
	edit(func(b []byte) { binary.BigEndian.PutUint16(b[ip+2:], 27) })                         // UDP header cut
	edit(func(b []byte) { binary.BigEndian.PutUint16(b[ip+2:], 40) })                         // payload cut
	edit(func(b []byte) { binary.BigEndian.PutUint16(b[ip+2:], 0xffff) })                     // beyond the frame
	edit(func(b []byte) { b[ip+6] = 0x40 })                                                   // DF
	edit(func(b []byte) { b[ip+6] = 0x20 })                                                   // MF
	edit(func(b []byte) { b[ip+7] = 0x01 })                                                   // offset
	edit(func(b []byte) { b[ip+6] = 0x80 })                                                   // reserved flag
	edit(func(b []byte) { b[ip] = 0x46 })                                                     // IHL 6
	edit(func(b []byte) { b[ip] = 0x44 })                                                     // IHL too small
	edit(func(b []byte) { b[ip] = 0x65 })                                                     // version 6
	edit(func(b []byte) { b[ip+9] = protoTCP })                                               // not UDP
	edit(func(b []byte) { binary.BigEndian.PutUint16(b[udp+4:], 0) })                         // UDP length 0
	edit(func(b []byte) { binary.BigEndian.PutUint16(b[udp+4:], 7) })                         // below the header
	edit(func(b []byte) { binary.BigEndian.PutUint16(b[udp+4:], 8) })                         // empty payload
	edit(func(b []byte) { binary.BigEndian.PutUint16(b[udp+4:], 20) })                        // in the start line
	edit(func(b []byte) { binary.BigEndian.PutUint16(b[udp+4:], 0xffff) })                    // beyond the packet
	edit(func(b []byte) { b[12], b[13] = 0x81, 0x00 })                                        // VLAN (a bad one)
	edit(func(b []byte) { b[12], b[13] = 0x86, 0xdd })                                        // says IPv6
	vlan := append(append(append([]byte(nil), base[:12]...), 0x81, 0x00, 0, 5), base[12:]...) // a good VLAN tag
	frames = append(frames, vlan)
	frames = append(frames, ipv4Fragments(t, layers.IPProtocolUDP, append(sipReq("INVITE", 1), bigSIP()...), 512)...)

	took := 0
	for _, f := range frames {
		for n := 0; n <= len(f); n++ {
			if fastAndGeneral(t, f[:n]) {
				took++
			}
		}
	}
	if took == 0 {
		t.Fatal("the fast path took no frame")
	}
	// the common frames must go the fast way, or the test checks nothing
	for _, m := range knownMethods {
		if !fastAndGeneral(t, withEth(udp4(t, addrA, addrB, 5060, 5060, sipReq(m, 1)))) {
			t.Errorf("%s request not taken by the fast path", m)
		}
	}
	if !fastAndGeneral(t, withEth(udp4(t, addrA, addrB, 5060, 5060, sipResp(200, "INVITE")))) {
		t.Error("status line not taken by the fast path")
	}
}

// FuzzFastPathMatchesGeneral: for any Ethernet frame, the fast path and
// the general decoders queue the same.
func FuzzFastPathMatchesGeneral(f *testing.F) {
	f.Add(withEth(udp4(f, addrA, addrB, 5060, 5060, sipReq("INVITE", 1))))
	f.Add(withEth(udp4(f, addrA, addrB, 5060, 5060, sipReq("SUBSCRIBE", 1))))
	f.Add(withEth(udp4(f, addrA, addrB, 5060, 5060, sipResp(407, "INVITE"))))
	f.Add(withEth(udp4(f, addrA, addrB, 5060, 5060, []byte("SIP/2.0 200 OK"))))
	f.Add(withEth(udp4(f, addrA, addrB, 5060, 5060, []byte("xxREGISTER sip:a@b SIP/2.0\r\n"))))
	f.Fuzz(func(t *testing.T, frame []byte) {
		fastAndGeneral(t, frame)
	})
}

// TestKnownMethodLen: each known method, and nothing else, is found with
// its length.
func TestKnownMethodLen(t *testing.T) {
	word := func(s string) (uint64, []byte) {
		p := []byte(s + "        ")
		return binary.LittleEndian.Uint64(p), p
	}
	for _, m := range knownMethods {
		if w, p := word(m + " sip:"); knownMethodLen(w, p) != len(m) {
			t.Errorf("%s: %d", m, knownMethodLen(w, p))
		}
		for _, bad := range []string{strings.ToLower(m), m[:len(m)-1], "X" + m, m + "X"} {
			if w, p := word(bad + " sip:"); knownMethodLen(w, p) != 0 {
				t.Errorf("%q taken as a method", bad)
			}
		}
	}
}

// knownStartAgrees fails if startsWithKnownStartLine accepts p while
// findSIPStart, which sipDatagram then skips, would not return 0.
func knownStartAgrees(t *testing.T, p []byte) bool {
	t.Helper()
	ok := startsWithKnownStartLine(p)
	if got := findSIPStart(p); ok && got != 0 {
		t.Fatalf("startsWithKnownStartLine(%q) but findSIPStart = %d", p, got)
	}
	return ok
}

// TestKnownStartLineMeansStartAtZero: sipDatagram's shortcut agrees with
// findSIPStart on every edge payload, cut at every length.
func TestKnownStartLineMeansStartAtZero(t *testing.T) {
	taken := 0
	for _, p := range fastPathPayloads() {
		for n := 0; n <= len(p); n++ {
			if knownStartAgrees(t, p[:n]) {
				taken++
			}
		}
	}
	if taken == 0 {
		t.Fatal("no payload taken")
	}
}

func FuzzKnownStartLineMeansStartAtZero(f *testing.F) {
	for _, p := range fastPathPayloads()[:40] {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p []byte) { knownStartAgrees(t, p) })
}

// manyUDP6 is manyUDP over IPv6, which the general path decodes.
func manyUDP6(t testing.TB, n int) []byte {
	a := withEth(udp6(t, addr6A, addr6B, 5060, 5060, sipReq("REGISTER", 1)))
	b := withEth(udp6(t, addr6B, addr6A, 5060, 5060, sipResp(401, "REGISTER")))
	var frames [][]byte
	for i := 0; i < n; i++ {
		frames = append(frames, a, b)
	}
	return pcapBytes(t, layers.LinkTypeEthernet, recs(frames...))
}

func BenchmarkReaderUDP6(b *testing.B) {
	data := manyUDP6(b, 10000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		readToEnd(b, data)
	}
}
