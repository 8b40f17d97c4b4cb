package capture

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// repairBoth runs text through the fast path and through the full repair
// alone, and returns what each emitted and recorded; fast reports whether
// the fast path took the message.
func repairBoth(text string, lines []int, truncated bool) (fast bool, got, want []string) {
	run := func(full bool) (out []string, took bool) {
		var r repairer
		r = repairer{
			problem: func(line int, msg string) { out = append(out, fmt.Sprintf("problem L%d %s", line, msg)) },
			emit: func(line int, p []byte, tr bool) []byte {
				out = append(out, fmt.Sprintf("L%d truncated=%v view=%s %q", line, tr, viewString(r.view), p))
				if ref := viewByLines(p, r.b.viewAt); ref != viewString(r.view) {
					out = append(out, viewMismatch+ref)
				}
				return nil
			},
		}
		m := &TextMessage{Line: 10, Text: []byte(text), Lines: lines, Truncated: truncated}
		if lines == nil {
			m.BodyLine = 11
		}
		if full {
			truncated := r.split(m)
			if r.blanks*3 >= len(r.lines) {
				r.undoDoubleSpacing()
			}
			r.rebuild(m.Line, m.Truncated || truncated)
			return out, false
		}
		return out, r.repairFast(m)
	}
	want, _ = run(true)
	got, fast = run(false)
	return fast, got, want
}

const viewMismatch = "view read from the noted lines differs: "

// checkViews fails t when a repair's view was not what its lines say.
func checkViews(t *testing.T, text string, outs ...[]string) {
	t.Helper()
	for _, out := range outs {
		for _, s := range out {
			if strings.HasPrefix(s, viewMismatch) {
				t.Errorf("%q: %s", text, s)
			}
		}
	}
}

// viewByLines reads the view of p as finish did before it kept each
// line's colon and kind: every noted line read afresh by sipView.header
// (name, colon and value found again), up to the line's end found again.
// A line whose noted colon is not the one found again is reported too.
func viewByLines(p []byte, lines []viewLineAt) string {
	v, _ := startView(p)
	for _, h := range lines {
		line := lineAt(p, h.at)
		if c := headerColon(line); c != h.colon {
			return fmt.Sprintf("colon %d noted at %d, %d found", h.colon, h.at, c)
		}
		if h.end >= 0 && h.end != h.at+len(line) {
			return fmt.Sprintf("end %d noted at %d, %d found", h.end, h.at, h.at+len(line))
		}
		v.header(line)
	}
	return viewString(v)
}

var fastRepairCases = []string{
	"OPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\nFrom: <sip:c@d>;tag=1\nTo: <sip:a@b>\nCall-ID: x\nCSeq: 1 OPTIONS\nContent-Length: 0\n",
	"SIP/2.0 200 OK\nVia: SIP/2.0/UDP 10.0.0.1:5060;rport=5060;received=10.0.0.1;branch=z9hG4bK1\nFrom: \"A b\" <sip:c@d>;tag=1\nTo: <sip:a@b>;tag=2\nCall-ID: x\nCSeq: 1 INVITE\nContent-Type: application/sdp\nContent-Length: 39\n\nv=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\n",
	"INVITE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h\nContent-Type: text/plain\nContent-Length: 12\n\nhello\n\nworld\n",
	"INVITE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h\nContent-Type: application/sdp\nContent-Length: 100\n\nv=0\n\no=- 1 1 IN IP4 h\n",
	"INVITE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h\nContent-Length: 3\n\nv=0\nafter the body\n",
	"INVITE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h\nContent-Length: 3\n\nv=0 o=- 1 1 IN IP4 h\n",
	"SIP/2.0 401 Unauthorized Via: SIP/2.0/UDP h;branch=z9 Content-Length: 0\n",
	"SIP/2.0 180 Ringing <- ringing\nVia: SIP/2.0/UDP h\n",
	"INVITE sip:a@b SIP/2.0 \nVia: SIP/2.0/UDP h\n",
	"INVITE sip:a@b SIP/2.0\n\n\n\nVia: x\n",
	"INVITE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h\nTo: <sip:a@b>\n   ;tag=1\n",
	"INVITE sip:a@b SIP/2.0\nExpires: 180 Allow-Events: telephone-event\nContent-Length: 0\n",
	"INVITE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h\nContent-Length: 300\n\nv=0\n",
	"INVITE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h\nContent-Length: 0\n\nINVITE sip:c@d SIP/2.0\nVia: x\n",
	"INVITE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h\n// a comment\nContent-Length: 0\n",
	"INVITE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h\nContent-Type: application/sdp\nContent-Length: 10\n\nv=0\n a=sendonly\n",
	"INVITE sip:a@b SIP/2.0\nFrom: <sip:c@d>;tag=1\nTo: <sip:a@b>  <- the callee\nCall-ID: x <-- id\nVia: SIP/2.0/UDP h <-x\nCSeq: 1 INVITE <-= y\nContent-Length: 0\n",
	"INVITE sip:a@b SIP/2.0\nTo: x<-\nFrom: <-sip:c@d>\nVia: a <-\nCall-ID: <\n-\nCSeq: 1 INVITE\nContent-Length: 0\n",
}

// The fast path writes what the full repair writes, or leaves the message
// to it.
func TestRepairFastSameAsFull(t *testing.T) {
	took := 0
	for _, text := range fastRepairCases {
		for _, lines := range [][]int{nil, {3, 4, 9}} {
			fast, got, want := repairBoth(text, lines, false)
			checkViews(t, text, got, want)
			if fast {
				took++
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%q:\nfast %q\nfull %q", text, got, want)
				}
			} else if len(got) != 0 {
				t.Errorf("%q: the fast path gave up after emitting %q", text, got)
			}
		}
	}
	// the clean messages must take the fast path, or it is no use
	if took < 6 {
		t.Errorf("the fast path took %d messages", took)
	}
	if fast, _, _ := repairBoth(fastRepairCases[1], nil, true); !fast {
		t.Error("a clean message with an SDP body did not take the fast path")
	}
}

func FuzzRepairFast(f *testing.F) {
	for _, c := range fastRepairCases {
		f.Add(c, false)
	}
	f.Fuzz(func(t *testing.T, text string, truncated bool) {
		text = strings.ReplaceAll(text, "\r\n", "\n")
		fast, got, want := repairBoth(text, nil, truncated)
		checkViews(t, text, got, want)
		if fast && !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\nfast %q\nfull %q", text, got, want)
		}
		if !fast && len(got) != 0 {
			t.Errorf("%q: the fast path gave up after emitting %q", text, got)
		}
	})
}
