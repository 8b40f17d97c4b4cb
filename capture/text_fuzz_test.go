package capture

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzTextDetect runs any text through detection and the whole text path
// (normalise, ingest, repair, orient, time): no panic, no ingester
// failure, and every message comes out with CRLF line ends only.
func FuzzTextDetect(f *testing.F) {
	f.Add([]byte(bareOptions))
	f.Add([]byte("INVITE sip:a@b SIP/2.0 Via: SIP/2.0/UDP h;branch=z9 Content-Length: 3 v=0 s=-\n"))
	f.Add([]byte("\nINVITE sip:a@b SIP/2.0\n\nVia: SIP/2.0/UDP x.x.x.x:\n   5060\n\n"))
	f.Add([]byte("E..p..@.3....REGISTER sip:a@b SIP/2.0\nContent-Length: 99\n\nabc\nSIP/2.0 200 OK\n"))
	f.Add([]byte("007592: Apr  7 07:28:56.046: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:\nReceived:\nINVITE sip:1000@10.106.117.5:5060 SIP/2.0\n"))
	f.Add([]byte("<--- Received SIP request (477 bytes) from UDP:46.19.209.44:5060 --->\nOPTIONS sip:a@b SIP/2.0\n\n"))
	f.Add([]byte("recv 10 bytes from udp/[1.2.3.4]:5060 at 07:36:14.784706:\n" + strings.Repeat("-", 72) + "\nBYE sip:a SIP/2.0\n"))
	for _, ext := range []string{"*.txt", "*.log"} {
		files, _ := filepath.Glob(filepath.Join("..", "samples", "text", "*", ext))
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil && len(data) < 16<<10 {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		detectTextFormat(bytes.Split(data, []byte("\n")))
		checkTextPath(t, data, "")
	})
}

// checkTextPath reads data as stdin through Open, the text format detected
// (format "") or forced: no reader failure, and every message of a text
// input comes out with CRLF line ends only.
func checkTextPath(t *testing.T, data []byte, format string) {
	r, err := Open([]string{"-"}, bytes.NewReader(data), Options{InputFormat: format})
	if err != nil {
		return
	}
	defer r.Close()
	for {
		d, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("format %q: %v", format, err)
		}
		if strings.HasPrefix(r.Inputs()[0].Format, "text/") && !d.Synthetic &&
			bytes.Count(d.Payload, []byte("\n")) != bytes.Count(d.Payload, []byte("\r\n")) {
			t.Fatalf("format %q: bare LF in %q", format, d.Payload)
		}
	}
	for _, p := range r.Problems() {
		if strings.Contains(p.Message, "reader failed") {
			t.Fatalf("format %q: line %d: %s", format, p.Line, p.Message)
		}
	}
}

// FuzzTextCiscoVoipTrace: IOS-XE `show voip trace` output goes through the
// ccsip ingester (text_cisco_voiptrace.go only claims the format), but its
// own shapes — the Cover Buffer block, the `CUBE_VT` tag, trace indexes
// instead of sequence numbers, and the 17.8 "Received: SIP UDP message
// from A to B" line — are seeded here so the fuzzer starts from them.
func FuzzTextCiscoVoipTrace(f *testing.F) {
	ciscoFuzzSeeds(f, "../samples/text/cisco-voip-trace/*.log",
		"../../shared/corpus/text-formats/cisco_voip_trace/*.txt",
		"../../shared/corpus/text/cisco-doc_cube-voip-trace_*.txt")
	f.Add([]byte("------------------ Cover Buffer ---------------\nSearch-key     = 2001:9015:17\n  Timestamp      = *Mar 18 14:02:11.402\n-----------------------------------------------\n" +
		"0: *Mar 18 14:02:11.402: //17/3F1A5C2E8011/CUBE_VT/SIP/Msg/ccsipDisplayMsg:\nReceived: SIP TCP message from 10.1.1.20:51012 to 10.1.1.1:5060 \nINVITE sip:9@10.1.1.1:5060 SIP/2.0\nVia: SIP/2.0/TCP 10.1.1.20:5060;branch=z9hG4bK2b\nContent-Length: 0\n\n"))
	f.Add([]byte("1: *Mar 18 14:02:11.402: //17/3F1A5C2E8011/CUBE_VT/SIP/Msg/ccsipDisplayMsg:\nSent: SIP UDP message from [2001:db8::1]:5060 to [2001:db8::2]:\nSIP/2.0 100 Trying\n"))
	f.Fuzz(func(t *testing.T, data []byte) { ciscoFuzzCheck(t, newCCSIPIngester(), data) })
}

// FuzzTextBare: SIP messages pasted with no envelope at all (a ticket's
// body, a web UI's message view) — annotations after the start line, smart
// quotes, indented blocks, junk between messages.
func FuzzTextBare(f *testing.F) {
	seeds := []string{
		bareOptions,
		"Hi, here it is:\n\nREGISTER sip:a SIP/2.0      <- phone\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: “A” <sip:a@b>;tag=1\n\nthanks\n",
		"    INVITE sip:a@b SIP/2.0\n    Via: x\n    Content-Length: 4\n\n    v=0\n  SIP/2.0 200 OK\n",
	}
	files, _ := filepath.Glob(filepath.Join("..", "samples", "text", "bare", "*.txt"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 16<<10 {
			seeds = append(seeds, string(b))
		}
	}
	slFuzz(f, func() TextIngester { return &bareIngester{} }, seeds...)
}

// FuzzTextForcedFormat runs any text through the whole text path (Open,
// normalise, ingest, repair, orient, time) with the format forced as
// --input-format does, one format per run chosen by the first byte: a
// format's ingester then meets text its detector would have refused.
func FuzzTextForcedFormat(f *testing.F) {
	formats := TextFormats()
	for i, tf := range formats {
		for _, s := range slSampleSeeds(tf.Name) {
			f.Add(byte(i), []byte(s))
		}
	}
	f.Add(byte(0), []byte(bareOptions))
	f.Fuzz(func(t *testing.T, pick byte, data []byte) {
		checkTextPath(t, data, formats[int(pick)%len(formats)].Name)
	})
}
