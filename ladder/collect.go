// Package ladder collects the messages of chosen SIP flows (one Call-ID
// each) for ladder diagrams. It runs as a second pass over the inputs,
// after the rules have named the flows worth drawing, so the first pass
// stays streaming; every flow and every flow's length is capped, so memory
// does not grow with the size of the capture either.
package ladder

import (
	"bytes"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/sipdiag/sipdiag/capture"
	"github.com/sipdiag/sipdiag/decode"
)

// Selection says which flows to collect.
type Selection struct {
	CallIDs []string // these Call-IDs
	All     bool     // every Call-ID (up to Options.MaxFlows)
}

// Options cap what is kept. The zero value means the defaults.
type Options struct {
	MaxFlows    int // flows kept; default 50
	MaxMessages int // messages kept per flow; default 200 (Total still counts all)
	MaxText     int // bytes of each message's text kept; 0 keeps no text
}

func (o Options) withDefaults() Options {
	if o.MaxFlows <= 0 {
		o.MaxFlows = 50
	}
	if o.MaxMessages <= 0 {
		o.MaxMessages = 200
	}
	return o
}

// Message is what a ladder shows of one message.
type Message struct {
	At       decode.Ref
	Src, Dst netip.AddrPort
	Label    string // "REGISTER", "401 Unauthorized", "ICMP port unreachable"
	CSeq     string // "2 REGISTER"
	Text     string // the message (capped to Options.MaxText), empty unless asked
}

// Flow is the messages of one Call-ID in capture order.
type Flow struct {
	CallID   string
	Messages []Message
	Total    int64 // messages of this Call-ID seen, kept or not
}

// Collect reads src to the end and returns the selected flows in the order
// their first message appears. Messages that are not SIP are skipped (the
// first pass has reported them). An error from src ends the pass and is
// returned with what was collected.
func Collect(src decode.Source, sel Selection, opt Options) ([]*Flow, error) {
	opt = opt.withDefaults()
	want := make(map[string]bool, len(sel.CallIDs))
	for _, id := range sel.CallIDs {
		want[id] = true
	}
	byID := map[string]*Flow{}
	var order []*Flow
	var m decode.Message
	for {
		d, err := src.Next()
		if err == io.EOF {
			return order, nil
		}
		if err != nil {
			return order, err
		}
		if m.Scan(d.Payload) != nil {
			continue
		}
		id := string(bytes.TrimSpace(m.Get(decode.HCallID)))
		if id == "" || !(sel.All || want[id]) {
			continue
		}
		f := byID[id]
		if f == nil {
			if len(order) >= opt.MaxFlows {
				continue
			}
			f = &Flow{CallID: id}
			byID[id] = f
			order = append(order, f)
		}
		f.Total++
		if len(f.Messages) >= opt.MaxMessages {
			continue
		}
		f.Messages = append(f.Messages, messageOf(d, &m, opt.MaxText))
	}
}

func messageOf(d *capture.Datagram, m *decode.Message, maxText int) Message {
	msg := Message{At: decode.RefOf(d), Src: d.Src, Dst: d.Dst, CSeq: string(bytes.TrimSpace(m.Get(decode.HCSeq)))}
	switch {
	case d.Kind == capture.KindICMPUnreachable:
		// Src/Dst describe the quoted packet; the error travels back to
		// its sender from whoever refused it (RFC 792, RFC 4443 §3.1).
		msg.Label = "ICMP unreachable"
		if d.ICMP.PortUnreachable {
			msg.Label = "ICMP port unreachable"
		}
		msg.Src = netip.AddrPortFrom(d.ICMP.From, 0)
		if !d.ICMP.From.IsValid() {
			msg.Src = d.Dst
		}
		msg.Dst = d.Src
	case m.Request:
		msg.Label = string(m.Method)
	default:
		msg.Label = strings.TrimSpace(strconv.Itoa(m.StatusCode) + " " + string(m.ReasonPhrase))
	}
	if maxText > 0 {
		raw := m.Raw
		if len(raw) == 0 {
			raw = d.Payload
		}
		cut := len(raw) > maxText
		if cut {
			raw = raw[:maxText]
		}
		msg.Text = strings.ToValidUTF8(string(raw), "\uFFFD")
		if cut {
			msg.Text += "\n… (cut at " + strconv.Itoa(maxText) + " bytes)"
		}
	}
	return msg
}
