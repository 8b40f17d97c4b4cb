package capture

import (
	"bytes"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"
)

// cubeDebugText writes a CUBE `debug ccsip messages` log of about size
// bytes: calls of INVITE / 100 / 200 / ACK with sequence-numbered,
// millisecond-stamped headers and interleaved ccapi lines, as a CUBE
// prints them. It returns the text and the number of SIP messages.
func cubeDebugText(size int) ([]byte, int) {
	var b bytes.Buffer
	seq, msgs := 7592, 0
	at := time.Date(2024, time.April, 7, 7, 28, 56, 46e6, time.UTC)
	header := func(callID int, dir string) {
		seq += 17
		at = at.Add(3 * time.Millisecond)
		fmt.Fprintf(&b, "%06d: %s: //%d/286BC7C68020/SIP/Msg/ccsipDisplayMsg:\n%s: \n", seq, at.Format("Jan _2 15:04:05.000"), callID, dir)
		msgs++
	}
	for call := 0; b.Len() < size; call++ {
		cid := fmt.Sprintf("28E9846D-B50E11EC-%04X-C2D1F237@10.106.117.2", call&0xffff)
		header(-1, "Received")
		fmt.Fprintf(&b, "INVITE sip:1000@10.106.117.5:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.106.117.2:5060;branch=z9hG4bK%d\n"+
			"Remote-Party-ID: <sip:3001@10.106.117.2>;party=calling;screen=no;privacy=off\nFrom: <sip:3001@10.106.117.2>;tag=12EE76F8-%d\n"+
			"To: <sip:1000@10.106.117.5>\nDate: Sun, 07 Apr 2024 07:28:56 GMT\nCall-ID: %s\nSupported: 100rel,timer,resource-priority,replaces,sdp-anat\n"+
			"Min-SE:  1800\nCisco-Guid: 0678152134-3037598188-2149635505-3268538935\nUser-Agent: Cisco-SIPGateway/IOS-12.x\n"+
			"Allow: INVITE, OPTIONS, BYE, CANCEL, ACK, PRACK, UPDATE, REFER, SUBSCRIBE, NOTIFY, INFO, REGISTER\nCSeq: 101 INVITE\n"+
			"Max-Forwards: 70\nTimestamp: 1649269696\nContact: <sip:3001@10.106.117.2:5060>\nExpires: 180\nAllow-Events: telephone-event\n"+
			"Content-Type: application/sdp\nContent-Disposition: session;handling=required\nContent-Length: 247\n\n"+
			"v=0\no=CiscoSystemsSIP-GW-UserAgent 8965 7288 IN IP4 10.106.117.2\ns=SIP Call\nc=IN IP4 10.106.117.2\nt=0 0\n"+
			"m=audio 18406 RTP/AVP 0 101\nc=IN IP4 10.106.117.2\na=rtpmap:0 PCMU/8000\na=rtpmap:101 telephone-event/8000\na=fmtp:101 0-16\na=ptime:20\n\n",
			call, call, cid)
		fmt.Fprintf(&b, "%06d: %s: //89/286BC7C68020/CCAPI/ccCallSetupRequest:\n   Destination=, Calling IE Present=TRUE, Mode=0,\n   Outgoing Dial-peer=1000, Params=0x7FF65E441DE8, Progress Indication=NULL(0)\n\n", seq+1, at.Format("Jan _2 15:04:05.000"))
		for _, status := range []string{"100 Trying", "200 OK"} {
			header(89, "Sent")
			fmt.Fprintf(&b, "SIP/2.0 %s\nVia: SIP/2.0/UDP 10.106.117.2:5060;branch=z9hG4bK%d\nFrom: <sip:3001@10.106.117.2>;tag=12EE76F8-%d\n"+
				"To: <sip:1000@10.106.117.5>;tag=1C2F76-17F5\nDate: Sun, 07 Apr 2024 07:28:56 GMT\nCall-ID: %s\nTimestamp: 1649269696\n"+
				"CSeq: 101 INVITE\nAllow-Events: telephone-event\nServer: Cisco-SIPGateway/IOS-17.3.5\nContent-Length: 0\n\n", status, call, call, cid)
		}
		header(-1, "Received")
		fmt.Fprintf(&b, "ACK sip:1000@10.106.117.5:5060 SIP/2.0\nVia: SIP/2.0/UDP 10.106.117.2:5060;branch=z9hG4bKa%d\n"+
			"From: <sip:3001@10.106.117.2>;tag=12EE76F8-%d\nTo: <sip:1000@10.106.117.5>;tag=1C2F76-17F5\nCall-ID: %s\n"+
			"Max-Forwards: 70\nCSeq: 101 ACK\nContent-Length: 0\n\n", call, call, cid)
	}
	return b.Bytes(), msgs
}

// BenchmarkTextCCSIP measures the whole text path — read, normalise,
// detect, ingest, repair, orient, time — on a CUBE debug log, in MB/s.
func BenchmarkTextCCSIP(b *testing.B) {
	data, want := cubeDebugText(8 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	// The machine may be shared: besides MB/s of wall time, report MB per
	// second of CPU time used by this process (GC included).
	cpu0 := cpuTime()
	n0 := 0
	for b.Loop() {
		n0++
		r, n := readToEnd(b, data)
		if n != want || r.ProblemCount() != 0 {
			b.Fatalf("%d messages (want %d) as %s, %d problems: %+v", n, want, r.Inputs()[0].Format, r.ProblemCount(), r.Problems())
		}
	}
	if used := cpuTime() - cpu0; used > 0 {
		b.ReportMetric(float64(len(data))*float64(n0)/1e6/used.Seconds(), "MB/cpu-s")
	}
}

// cpuTime is the user and system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// The generated log reads as the benchmark expects, so that the speed
// measured is the speed of reading it right.
func TestCubeDebugTextReads(t *testing.T) {
	data, want := cubeDebugText(64 << 10)
	gs, r := readAllFrom(t, data)
	if len(gs) != want || r.ProblemCount() != 0 {
		t.Fatalf("%d messages, want %d; problems %+v", len(gs), want, r.Problems())
	}
	if f := r.Inputs()[0].Format; f != "text/cisco-ccsip" {
		t.Errorf("read as %s", f)
	}
	first := gs[0]
	if first.Line != 1 || first.Time.Year() != 2024 || first.Src.String() != "10.106.117.2:5060" || first.Dst.String() != "10.106.117.5:5060" {
		t.Errorf("first message line %d at %v %v -> %v", first.Line, first.Time, first.Src, first.Dst)
	}
}

// BenchmarkTextFile is BenchmarkTextCCSIP on a log named by
// SIPDIAG_TEXT_BENCH (a generated bench/out/ccsip-*.log, say), so that the
// text stage can be measured alone on it (under callgrind with
// -test.benchtime=1x: instructions without decode's).
func BenchmarkTextFile(b *testing.B) {
	path := os.Getenv("SIPDIAG_TEXT_BENCH")
	if path == "" {
		b.Skip("SIPDIAG_TEXT_BENCH names no log")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		readToEnd(b, data)
	}
}
