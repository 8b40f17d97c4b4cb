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
		var sample [][]byte
		for _, l := range bytes.Split(data, []byte("\n")) {
			sample = append(sample, l)
		}
		detectTextFormat(sample)
		r, err := Open([]string{"-"}, bytes.NewReader(data), Options{InputFormat: ""})
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
				t.Fatal(err)
			}
			if r.Inputs()[0].Format[:5] == "text/" && !d.Synthetic &&
				bytes.Count(d.Payload, []byte("\n")) != bytes.Count(d.Payload, []byte("\r\n")) {
				t.Fatalf("bare LF in %q", d.Payload)
			}
		}
		for _, p := range r.Problems() {
			if strings.Contains(p.Message, "reader failed") {
				t.Fatalf("line %d: %s", p.Line, p.Message)
			}
		}
	})
}
