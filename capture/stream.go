package capture

import (
	"bytes"

	"github.com/sipdiag/sipdiag/internal/sipframe"
)

// contentKind is what a TCP stream direction was found to carry.
type contentKind uint8

const (
	contentUnknown contentKind = iota // nothing recognised yet
	contentSIP                        // SIP framed by Content-Length (RFC 3261 §18.3)
	contentWS                         // WebSocket frames carrying SIP (RFC 7118)
	contentHEP                        // HEP3 packets back to back
	contentIgnored                    // something else (TLS, HTTP...): skipped quietly
)

// Limits for recognising a stream's content.
const (
	maxHTTPHeader   = 16 << 10 // an HTTP upgrade request larger than this is not one
	maxUnknownLine  = 4 << 10  // a first line longer than this is not a SIP start line
	keepSearchBytes = 1 << 10  // bytes kept while looking for a start line
)

type streamContent struct {
	kind   contentKind
	resync bool   // the next bytes are mid-message: look for a start line first
	wsMsg  []byte // a fragmented WebSocket message being assembled
	inWS   bool   // wsMsg is in use
}

func (c *streamContent) ignored() bool { return c.kind == contentIgnored }
func (c *streamContent) isSIP() bool   { return c.kind == contentSIP }

// lostSync is called after a hole: SIP resumes at the next start line;
// WebSocket and HEP framing cannot be found again, so the stream is
// recognised afresh.
func (c *streamContent) lostSync() {
	switch c.kind {
	case contentSIP:
		c.resync = true
	case contentWS, contentHEP:
		*c = streamContent{}
	}
}

// streamData frames whatever the stream's in-order bytes hold.
func (in *input) streamData(k flowKey, s *tcpStream) {
	for {
		switch s.content.kind {
		case contentUnknown:
			if !in.recognise(k, s) {
				return
			}
		case contentSIP:
			in.frameSIP(k, s, TCP)
			return
		case contentWS:
			in.frameWS(k, s)
			return
		case contentHEP:
			in.frameHEP(k, s)
			return
		default:
			s.buf, s.start = nil, 0
			return
		}
	}
}

// recognise decides what a stream carries from its first bytes. It returns
// false when it needs more bytes.
func (in *input) recognise(k flowKey, s *tcpStream) bool {
	s.start += keepaliveLen(s.buf[s.start:])
	data := s.buf[s.start:]
	c := &s.content
	switch {
	case len(data) == 0:
		return false
	case sipframe.IsStartLine(data):
		c.kind = contentSIP
	case bytes.HasPrefix(data, []byte("HEP3")):
		c.kind = contentHEP
	case bytes.HasPrefix(data, []byte("GET ")) || bytes.HasPrefix(data, []byte("HTTP/1.")):
		// RFC 6455 §4: the opening handshake, an HTTP Upgrade
		end := bytes.Index(data, []byte("\r\n\r\n"))
		if end < 0 {
			if len(data) > maxHTTPHeader {
				c.kind = contentIgnored
			}
			return len(data) > maxHTTPHeader
		}
		if containsFold(data[:end], "websocket") {
			c.kind = contentWS
			s.start += end + 4
		} else {
			c.kind = contentIgnored
		}
	case looksLikeWSFrameWithSIP(data):
		c.kind = contentWS // joined after the handshake
	case !looksLikeText(data[:min(len(data), 64)]):
		c.kind = contentIgnored
	default:
		// text: maybe SIP joined mid-message; look for a start line
		if i := findStreamStart(data); i >= 0 {
			s.start += i
			c.kind = contentSIP
			return true
		}
		if len(data) > keepSearchBytes {
			s.start += len(data) - keepSearchBytes
		}
		return false
	}
	return true
}

// frameSIP cuts SIP messages out of the stream by Content-Length (RFC 3261
// §18.3) and emits each one at the frame where it completes.
func (in *input) frameSIP(k flowKey, s *tcpStream, t Transport) {
	c := &s.content
	for {
		s.start += keepaliveLen(s.buf[s.start:])
		data := s.buf[s.start:]
		if len(data) == 0 {
			return
		}
		if c.resync || !sipframe.IsStartLine(data) {
			i := findStreamStart(data)
			if i < 0 {
				if bytes.IndexByte(data, '\n') < 0 && len(data) < maxUnknownLine {
					return // perhaps a start line still arriving
				}
				if !c.resync {
					in.problemf("bytes that are not SIP in SIP stream %s -> %s skipped", k.src, k.dst)
					c.resync = true
				}
				// keep the last, unfinished line: it may be a start line
				s.start += bytes.LastIndexByte(data, '\n') + 1
				return
			}
			if i > 0 && !c.resync {
				in.problemf("%d bytes that are not SIP in SIP stream %s -> %s skipped", i, k.src, k.dst)
			}
			s.start += i
			c.resync = false
			continue
		}
		n, ok, err := sipframe.Len(data)
		if !ok {
			if len(data) > in.opt.MaxStreamBuffer {
				in.problemf("SIP message in stream %s -> %s longer than %d bytes dropped", k.src, k.dst, in.opt.MaxStreamBuffer)
				s.start += len(data)
				c.resync = true
			}
			return
		}
		if err != nil {
			in.problemf("SIP message in stream %s -> %s: %v; RFC 3261 §18.3 requires it on streams, body taken as empty", k.src, k.dst, err)
		}
		in.emit(Datagram{Src: k.src, Dst: k.dst, Transport: t, Kind: KindSIP, Payload: data[:n:n]})
		s.start += n
	}
}

// frameHEP splits back-to-back HEP3 packets (each carries its length).
func (in *input) frameHEP(k flowKey, s *tcpStream) {
	for {
		data := s.buf[s.start:]
		if len(data) < 6 {
			return
		}
		l := int(data[4])<<8 | int(data[5])
		if !bytes.HasPrefix(data, []byte("HEP3")) || l < 6 {
			in.problemf("HEP stream %s -> %s lost its framing; rest skipped", k.src, k.dst)
			s.content.kind = contentIgnored
			return
		}
		if len(data) < l {
			return
		}
		in.decodeHEP3(data[:l])
		s.start += l
	}
}

// findStreamStart returns the offset of the first line in data that is a
// SIP start line, or -1. Only lines holding "SIP/2.0" are tried. A body
// without a final line end glues onto the next request line
// ("bodyREGISTER sip:..."); a known method at the end of the token is
// taken as the start.
func findStreamStart(data []byte) int {
	from := 0
	for {
		v := bytes.Index(data[from:], sipVersion)
		if v < 0 {
			return -1
		}
		v += from
		ls := bytes.LastIndexByte(data[:v], '\n') + 1
		if sipframe.IsStartLine(data[ls:]) {
			start, _ := trimMethodPrefix(data, ls)
			return start
		}
		from = v + len(sipVersion)
	}
}

// keepaliveLen counts the CR and LF bytes at the front of data: the
// CRLFCRLF ping and CRLF pong of RFC 5626 §3.5.1, and stray line ends
// between messages, which RFC 3261 §7.5 says to ignore.
func keepaliveLen(data []byte) int {
	n := 0
	for n < len(data) && (data[n] == '\r' || data[n] == '\n') {
		n++
	}
	return n
}

func trimKeepalive(data []byte) []byte { return data[keepaliveLen(data):] }

// containsFold reports whether s (ASCII) occurs in b ignoring case.
func containsFold(b []byte, s string) bool {
	for i := 0; i+len(s) <= len(b); i++ {
		if equalFold(b[i:i+len(s)], s) {
			return true
		}
	}
	return false
}
