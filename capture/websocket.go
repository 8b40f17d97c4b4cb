package capture

import (
	"encoding/binary"

	"github.com/sipdiag/sipdiag/internal/sipframe"
)

// WebSocket opcodes (RFC 6455 §5.2).
const (
	wsContinuation = 0x0
	wsText         = 0x1
	wsBinary       = 0x2
	wsClose        = 0x8
)

// wsHeader parses a frame header. ok is false when data does not hold the
// whole header yet.
func wsHeader(data []byte) (fin bool, rsv, op byte, mask []byte, hlen int, plen uint64, ok bool) {
	if len(data) < 2 {
		return
	}
	fin, rsv, op = data[0]&0x80 != 0, data[0]&0x70, data[0]&0x0f
	plen, hlen = uint64(data[1]&0x7f), 2
	switch plen {
	case 126:
		if len(data) < 4 {
			return
		}
		plen, hlen = uint64(binary.BigEndian.Uint16(data[2:4])), 4
	case 127:
		if len(data) < 10 {
			return
		}
		plen, hlen = binary.BigEndian.Uint64(data[2:10]), 10
	}
	if data[1]&0x80 != 0 {
		if len(data) < hlen+4 {
			return
		}
		mask = data[hlen : hlen+4]
		hlen += 4
	}
	return fin, rsv, op, mask, hlen, plen, true
}

// frameWS reads WebSocket frames; each complete text or binary message is
// one SIP message (RFC 7118 §5.1).
func (in *input) frameWS(k flowKey, s *tcpStream) {
	c := &s.content
	for {
		data := s.buf[s.start:]
		fin, rsv, op, mask, h, l, ok := wsHeader(data)
		if !ok {
			return
		}
		if l > uint64(in.opt.MaxStreamBuffer) {
			in.problemf("WebSocket frame of %d bytes in %s -> %s; stream skipped", l, k.src, k.dst)
			c.kind = contentIgnored
			return
		}
		if uint64(len(data)-h) < l {
			return
		}
		payload := data[h : h+int(l)]
		s.start += h + int(l)
		if rsv != 0 {
			// RSV1 means permessage-deflate (RFC 7692), which we do not undo
			in.problemf("compressed WebSocket frames in %s -> %s; stream skipped", k.src, k.dst)
			c.kind = contentIgnored
			return
		}
		if mask != nil {
			for i := range payload {
				payload[i] ^= mask[i&3]
			}
		}
		switch op {
		case wsText, wsBinary:
			if fin {
				in.wsMessage(k, payload)
				continue
			}
			c.wsMsg, c.inWS = append([]byte(nil), payload...), true
		case wsContinuation:
			if !c.inWS {
				continue
			}
			c.wsMsg = append(c.wsMsg, payload...)
			if fin {
				// wsMsg is handed over: the next message gets a new buffer
				msg := c.wsMsg
				c.wsMsg, c.inWS = nil, false
				in.wsMessage(k, msg)
			}
		case wsClose:
			c.kind = contentIgnored
			return
		}
	}
}

// wsMessage emits one WebSocket message if it is SIP; other messages are
// not ours and are skipped quietly.
func (in *input) wsMessage(k flowKey, p []byte) {
	in.sipDatagram(k.src, k.dst, WS, p)
}

// looksLikeWSFrameWithSIP recognises a stream joined after its handshake:
// a final text or binary frame whose (unmasked) payload starts a SIP
// message.
func looksLikeWSFrameWithSIP(data []byte) bool {
	fin, rsv, op, mask, h, l, ok := wsHeader(data)
	if !ok || !fin || rsv != 0 || (op != wsText && op != wsBinary) || l < 12 || len(data) < h+12 {
		return false
	}
	var head [64]byte
	n := copy(head[:], data[h:min(len(data), h+int(min(l, 64)))])
	if mask != nil {
		for i := 0; i < n; i++ {
			head[i] ^= mask[i&3]
		}
	}
	// the first line may be longer than the copy; a prefix check is enough
	return sipframe.IsStartLine(head[:n]) || startsLikeSIP(head[:n])
}

// startsLikeSIP is a looser test for a start line cut before its end:
// "SIP/2.0 " or a method name and a space followed by "sip".
func startsLikeSIP(b []byte) bool {
	if len(b) >= 8 && equalFold(b[:8], "SIP/2.0 ") {
		return true
	}
	for _, m := range knownMethods {
		if len(b) > len(m)+4 && equalFold(b[:len(m)], m) && b[len(m)] == ' ' && equalFold(b[len(m)+1:len(m)+4], "sip") {
			return true
		}
	}
	return false
}
