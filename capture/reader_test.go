package capture

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/klauspost/compress/zstd"
)

// twoMessages is a small Ethernet pcap with a REGISTER and its 401.
func twoMessages(t testing.TB) []byte {
	return pcapBytes(t, layers.LinkTypeEthernet, recs(
		withEth(udp4(t, addrA, addrB, 5060, 5060, sipReq("REGISTER", 1))),
		withEth(udp4(t, addrB, addrA, 5060, 5060, sipResp(401, "REGISTER"))),
	))
}

func checkTwo(t *testing.T, data []byte, format string) {
	t.Helper()
	gs, r := readAllFrom(t, data)
	if len(gs) != 2 || gs[0].Frame != 1 || gs[1].Frame != 2 || !gs[1].Time.Equal(t0.Add(time.Millisecond)) {
		t.Fatalf("got %+v", gs)
	}
	if f := r.Inputs()[0].Format; f != format {
		t.Errorf("format %q, want %q", f, format)
	}
}

func TestCompressedInputs(t *testing.T) {
	plain := twoMessages(t)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	checkTwo(t, gz.Bytes(), "pcap+gzip")

	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	checkTwo(t, enc.EncodeAll(plain, nil), "pcap+zstd")
}

// rewriteHeader turns a little-endian microsecond pcap into another
// flavour: big-endian, nanosecond or the modified (Kuznetzov) format.
func rewritePcap(t *testing.T, le []byte, order binary.ByteOrder, magic uint32, extra int) []byte {
	out := make([]byte, 0, len(le)*2)
	h := make([]byte, 24)
	order.PutUint32(h[0:], magic)
	order.PutUint16(h[4:], 2)
	order.PutUint16(h[6:], 4)
	order.PutUint32(h[16:], binary.LittleEndian.Uint32(le[16:]))
	order.PutUint32(h[20:], binary.LittleEndian.Uint32(le[20:]))
	out = append(out, h...)
	for off := 24; off+16 <= len(le); {
		sec := binary.LittleEndian.Uint32(le[off:])
		usec := binary.LittleEndian.Uint32(le[off+4:])
		incl := binary.LittleEndian.Uint32(le[off+8:])
		orig := binary.LittleEndian.Uint32(le[off+12:])
		if magic == pcapMagicNano {
			usec *= 1000
		}
		rh := make([]byte, 16+extra)
		order.PutUint32(rh[0:], sec)
		order.PutUint32(rh[4:], usec)
		order.PutUint32(rh[8:], incl)
		order.PutUint32(rh[12:], orig)
		out = append(out, rh...)
		out = append(out, le[off+16:off+16+int(incl)]...)
		off += 16 + int(incl)
	}
	return out
}

func TestPcapFlavours(t *testing.T) {
	le := twoMessages(t)
	checkTwo(t, rewritePcap(t, le, binary.BigEndian, pcapMagicMicro, 0), "pcap")
	checkTwo(t, rewritePcap(t, le, binary.LittleEndian, pcapMagicNano, 0), "pcap")
	checkTwo(t, rewritePcap(t, le, binary.BigEndian, pcapMagicNano, 0), "pcap")
	checkTwo(t, rewritePcap(t, le, binary.LittleEndian, pcapMagicModified, 8), "pcap")
}

func TestPcapngSeveralInterfaces(t *testing.T) {
	var b bytes.Buffer
	w, err := pcapgo.NewNgWriterInterface(&b, pcapgo.NgInterface{Name: "eth0", LinkType: layers.LinkTypeEthernet, SnapLength: 65535}, pcapgo.DefaultNgWriterOptions)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := w.AddInterface(pcapgo.NgInterface{Name: "tun0", LinkType: layers.LinkTypeRaw, SnapLength: 65535})
	if err != nil {
		t.Fatal(err)
	}
	m1, m2 := sipReq("INVITE", 1), sipResp(180, "INVITE")
	f1 := withEth(udp4(t, addrA, addrB, 5060, 5060, m1))
	f2 := udp4(t, addrB, addrA, 5060, 5060, m2)
	w.WritePacket(gopacket.CaptureInfo{Timestamp: t0, CaptureLength: len(f1), Length: len(f1), InterfaceIndex: 0}, f1)
	w.WritePacket(gopacket.CaptureInfo{Timestamp: t0.Add(time.Second), CaptureLength: len(f2), Length: len(f2), InterfaceIndex: raw}, f2)
	w.Flush()
	gs, r := readAllFrom(t, b.Bytes())
	if len(gs) != 2 || gs[0].Text != string(m1) || gs[1].Text != string(m2) || gs[1].Frame != 2 || !gs[1].Time.Equal(t0.Add(time.Second)) {
		t.Fatalf("got %+v, problems %+v", gs, r.Problems())
	}
	if r.Inputs()[0].Format != "pcapng" {
		t.Errorf("format %q", r.Inputs()[0].Format)
	}
}

func writeTemp(t *testing.T, name string, data []byte) string {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMergeByTime(t *testing.T) {
	// a.pcap has frames at 0, 2, 4 ms, b.pcap at 1, 3 ms and a tie at 4 ms
	mk := func(offsets []int, cseq int) []byte {
		var rs []rec
		for i, ms := range offsets {
			rs = append(rs, rec{t0.Add(time.Duration(ms) * time.Millisecond), withEth(udp4(t, addrA, addrB, 5060, 5060, sipReq("OPTIONS", cseq+i)))})
		}
		return pcapBytes(t, layers.LinkTypeEthernet, rs)
	}
	a := writeTemp(t, "a.pcap", mk([]int{0, 2, 4}, 10))
	b := mk([]int{1, 3, 4}, 20)
	r, err := Open([]string{a, "-"}, bytes.NewReader(b), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	gs := drain(t, r)
	var order []string
	for _, g := range gs {
		order = append(order, strings.Fields(strings.Split(g.Text, "CSeq: ")[1])[0]+"@"+itoa(g.Input)+":"+itoa(int(g.Frame)))
	}
	want := "10@0:1 20@1:1 11@0:2 21@1:2 12@0:3 22@1:3"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("merged order %s, want %s", got, want)
	}
	in := r.Inputs()
	if len(in) != 2 || in[0].Name != a || in[1].Name != "-" || in[0].Messages != 3 || in[1].Frames != 3 {
		t.Errorf("inputs %+v", in)
	}
}

func TestTruncatedFile(t *testing.T) {
	full := twoMessages(t)
	for _, cut := range []int{len(full) - 10, len(full) - len(sipResp(401, "REGISTER")) - 50} {
		gs, r := readAllFrom(t, full[:cut])
		if len(gs) != 1 || gs[0].Frame != 1 {
			t.Fatalf("cut at %d: got %+v, want the first datagram", cut, gs)
		}
		ps := r.Problems()
		firstLen := 16 + len(withEth(udp4(t, addrA, addrB, 5060, 5060, sipReq("REGISTER", 1))))
		if len(ps) != 1 || ps[0].Frame != 2 || ps[0].Offset != int64(24+firstLen) || !strings.Contains(ps[0].Message, "cut short") {
			t.Errorf("cut at %d: problems %+v", cut, ps)
		}
		if r.Inputs()[0].Problems != 1 {
			t.Errorf("input problems %d", r.Inputs()[0].Problems)
		}
	}
	// a corrupt record length ends the input the same way
	bad := append([]byte(nil), full...)
	binary.LittleEndian.PutUint32(bad[24+8:], 1<<30)
	gs, r := readAllFrom(t, bad)
	if len(gs) != 0 || r.ProblemCount() != 1 || !strings.Contains(r.Problems()[0].Message, "corrupt") {
		t.Errorf("corrupt length: %+v %+v", gs, r.Problems())
	}
}

func TestTruncatedInputDoesNotStopTheOthers(t *testing.T) {
	full := twoMessages(t)
	a := writeTemp(t, "cut.pcap", full[:len(full)-10])
	b := writeTemp(t, "ok.pcap", full)
	r, err := Open([]string{a, b}, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if gs := drain(t, r); len(gs) != 3 {
		t.Errorf("got %d datagrams, want 3", len(gs))
	}
	if r.ProblemCount() != 1 || r.Problems()[0].Input != 0 {
		t.Errorf("problems %+v", r.Problems())
	}
}

func TestUnreadableInputs(t *testing.T) {
	erf := make([]byte, 0, 64)
	for i := 0; i < 2; i++ { // two ERF Ethernet records of 32 bytes
		rec := make([]byte, 32)
		rec[8] = 2
		binary.BigEndian.PutUint16(rec[10:], 32)
		binary.BigEndian.PutUint16(rec[14:], 14)
		erf = append(erf, rec...)
	}
	cases := []struct {
		name, data, want string
	}{
		{"trace.erf", string(erf), "is an Endace ERF capture, which sipdiag cannot read; convert it with `editcap -F pcapng trace.erf trace.pcapng`"},
		{"x.cap", "GMBU\x00\x02" + strings.Repeat("\x00", 100), "Microsoft Network Monitor 2.x"},
		{"y.snoop", "snoop\x00\x00\x00\x00\x00\x00\x02", "Solaris snoop"},
		{"notes.txt", "Dear support,\nmy phone does not register.\n", "a text file with no SIP messages sipdiag recognises"},
		{"junk.bin", "\x01\x02\x03\x04\x05\x06\x07\x08\x00\x00\xff", "not a pcap or pcapng capture"},
		{"empty.pcap", "", "empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeTemp(t, c.name, []byte(c.data))
			_, err := Open([]string{p}, nil, Options{})
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("Open = %v, want a FormatError", err)
			}
			if !strings.Contains(strings.ReplaceAll(err.Error(), filepath.Dir(p)+"/", ""), c.want) {
				t.Errorf("error %q does not say %q", err, c.want)
			}
		})
	}
	if _, err := Open([]string{"/nonexistent/trace.pcap"}, nil, Options{}); err == nil {
		t.Error("a missing file opened")
	}
	if _, err := Open([]string{"-", "-"}, strings.NewReader(""), Options{}); err == nil {
		t.Error("stdin twice accepted")
	}
	// one bad input fails the whole Open
	good := writeTemp(t, "ok.pcap", twoMessages(t))
	if _, err := Open([]string{good, "-"}, strings.NewReader("GMBU"), Options{}); err == nil {
		t.Error("Open with one NetMon input succeeded")
	}
}

func TestMaxProblems(t *testing.T) {
	var frames [][]byte
	for i := 0; i < 5; i++ {
		frames = append(frames, withEth(udp4(t, addrA, addrB, 5060, 5060, append([]byte("\x00junk\n"), sipReq("OPTIONS", i)...))))
	}
	r, err := Open([]string{"-"}, bytes.NewReader(pcapBytes(t, layers.LinkTypeEthernet, recs(frames...))), Options{MaxProblems: 2})
	if err != nil {
		t.Fatal(err)
	}
	drain(t, r)
	if len(r.Problems()) != 2 || r.ProblemCount() != 5 || r.Inputs()[0].Problems != 5 {
		t.Errorf("kept %d, counted %d", len(r.Problems()), r.ProblemCount())
	}
}

func TestTruncatedPcapng(t *testing.T) {
	var b bytes.Buffer
	w, err := pcapgo.NewNgWriter(&b, layers.LinkTypeEthernet)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range [][]byte{
		withEth(udp4(t, addrA, addrB, 5060, 5060, sipReq("REGISTER", 1))),
		withEth(udp4(t, addrB, addrA, 5060, 5060, sipResp(401, "REGISTER"))),
	} {
		w.WritePacket(gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * time.Second), CaptureLength: len(f), Length: len(f)}, f)
	}
	w.Flush()
	full := b.Bytes()
	gs, r := readAllFrom(t, full[:len(full)-20])
	if len(gs) != 1 || r.ProblemCount() != 1 || r.Problems()[0].Frame != 2 {
		t.Errorf("got %d datagrams, problems %+v", len(gs), r.Problems())
	}
}
