package capture

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// FuzzOpenPcap feeds arbitrary bytes to Open and drains the Reader: it must
// never panic, and what it yields must be consistent.
func FuzzOpenPcap(f *testing.F) {
	f.Add(twoMessages(f))
	m := string(sipReq("REGISTER", 1))
	f.Add(pcapBytes(f, layers.LinkTypeEthernet, recs(
		withEth(tcp4(f, addrA, addrB, 40000, 5060, 1, true, false, nil)),
		withEth(tcp4(f, addrA, addrB, 40000, 5060, 2, false, false, []byte(m[:30]))),
		withEth(tcp4(f, addrA, addrB, 40000, 5060, 32, false, true, []byte(m[30:]+m))),
	)))
	f.Add(pcapBytes(f, layers.LinkTypeRaw, recs(udp6(f, addr6A, addr6B, 2152, 2152, []byte{0x30, 0xff, 0, 4, 0, 0, 0, 1, 0x45, 0, 0, 0}))))
	f.Add([]byte("\n\r\r\n\x1c\x00\x00\x00\x4d\x3c\x2b\x1a\x01\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\x1c\x00\x00\x00"))
	f.Add([]byte("AAA : SIP/2.0")) // read as a text log: line numbers, no frames
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Open([]string{"-"}, bytes.NewReader(data), Options{MaxProblems: 10})
		if err != nil {
			return
		}
		defer r.Close()
		for n := 0; n < 100000; n++ {
			d, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			// A capture's datagrams carry a frame number, a text log's
			// messages a line number instead (and frame 0).
			in := r.Inputs()[0]
			if d.Line > 0 {
				if d.Frame != 0 || int64(d.Line) > in.Lines {
					t.Fatalf("text message at frame %d, line %d of %d", d.Frame, d.Line, in.Lines)
				}
			} else if d.Frame < 1 || d.Frame > in.Frames {
				t.Fatalf("frame %d of %d", d.Frame, in.Frames)
			}
			if d.Kind == KindSIP && len(d.Payload) == 0 {
				t.Fatal("empty SIP payload")
			}
		}
		if int64(len(r.Problems())) > r.ProblemCount() || len(r.Problems()) > 10 {
			t.Fatalf("problems kept %d of %d", len(r.Problems()), r.ProblemCount())
		}
	})
}

// FuzzDecodeFrame feeds one arbitrary frame to every link-layer decoder,
// twice (so TCP, SCTP and fragment state sees a second packet), reaching
// the tunnel and transport decoders faster than mutating whole files.
func FuzzDecodeFrame(f *testing.F) {
	f.Add(withEth(udp4(f, addrA, addrB, 5060, 5060, sipReq("INVITE", 1))))
	f.Add(withEth(tcp4(f, addrA, addrB, 1, 5060, 9, false, false, sipReq("INVITE", 1))))
	f.Add(withEth(udp4(f, addrA, addrB, 5, 9060, hep3(addrA, addrB, 1, 2, 17, t0, sipReq("BYE", 2)))))
	f.Add(udp6(f, addr6A, addr6B, 2152, 2152, []byte{0x34, 0xff, 0, 40, 0, 0, 0, 1, 0, 0, 0, 0x85, 1, 0, 0, 0}))
	links := []uint32{linkNull, linkEthernet, linkPPP, linkRaw, linkLoop, linkLinuxSLL, linkIPv4, linkIPv6, linkLinuxSLL2}
	f.Fuzz(func(t *testing.T, frame []byte) {
		r := &Reader{opt: Options{}.withDefaults()}
		r.infos = []InputInfo{{}}
		in := &input{r: r, info: &r.infos[0], opt: r.opt}
		for round := 0; round < 2; round++ {
			for _, l := range links {
				in.frame++
				in.ts = t0.Add(time.Duration(in.frame) * time.Second)
				in.decodeLink(l, frame)
			}
		}
		in.maybeSweep()
		in.finish()
		for _, d := range in.queue {
			if d.Kind == KindSIP && len(d.Payload) == 0 {
				t.Fatal("empty SIP payload")
			}
		}
	})
}
