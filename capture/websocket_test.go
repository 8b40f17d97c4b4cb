package capture

import (
	"encoding/binary"
	"testing"
)

// wsFrame builds a WebSocket frame (RFC 6455 §5.2); a client frame is
// masked.
func wsFrame(op byte, fin bool, masked bool, payload []byte) string {
	b0 := op
	if fin {
		b0 |= 0x80
	}
	h := []byte{b0}
	m := byte(0)
	if masked {
		m = 0x80
	}
	switch {
	case len(payload) < 126:
		h = append(h, m|byte(len(payload)))
	case len(payload) < 65536:
		h = append(h, m|126)
		h = binary.BigEndian.AppendUint16(h, uint16(len(payload)))
	default:
		h = append(h, m|127)
		h = binary.BigEndian.AppendUint64(h, uint64(len(payload)))
	}
	p := append([]byte(nil), payload...)
	if masked {
		key := []byte{0x37, 0xfa, 0x21, 0x3d}
		h = append(h, key...)
		for i := range p {
			p[i] ^= key[i&3]
		}
	}
	return string(h) + string(p)
}

func TestWebSocket(t *testing.T) {
	upgrade := "GET / HTTP/1.1\r\nHost: proxy.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: sip\r\nSec-WebSocket-Version: 13\r\n\r\n"
	m1 := sipReq("REGISTER", 1)
	big := sipReq("MESSAGE", 2)
	stream := upgrade +
		wsFrame(wsText, true, true, m1) +
		wsFrame(0x9, true, true, []byte("ping")) +
		wsFrame(wsText, false, true, big[:20]) +
		wsFrame(wsContinuation, false, true, big[20:40]) +
		wsFrame(wsContinuation, true, true, big[40:])
	cut := len(upgrade) + 10
	gs, r := readAllFrom(t, tcpCapture(t, []seg{{0, stream[:cut], false}, {cut, stream[cut:], false}}, true))
	if len(gs) != 2 {
		t.Fatalf("got %d messages, want 2: %+v", len(gs), gs)
	}
	if gs[0].Text != string(m1) || gs[0].Transport != WS || gs[0].Frame != 3 {
		t.Errorf("first: %+v", gs[0])
	}
	if gs[1].Text != string(big) || gs[1].Transport != WS {
		t.Errorf("fragmented message: %q", gs[1].Text)
	}
	if r.ProblemCount() != 0 {
		t.Errorf("problems %+v", r.Problems())
	}

	// a server direction joined after the handshake: unmasked frames
	resp := sipResp(200, "REGISTER")
	gs, _ = readAllFrom(t, tcpCapture(t, []seg{{0, wsFrame(wsText, true, false, resp), false}}, false))
	if len(gs) != 1 || gs[0].Text != string(resp) || gs[0].Transport != WS {
		t.Errorf("joined mid-stream: %+v", gs)
	}
}
