package main

import (
	"bytes"
	"hash/fnv"
	"io"
	"strconv"
	"time"
)

// ccsipWriter writes the messages as a Cisco CUBE standing at the
// registrar's address logs them with "debug ccsip messages" plus "debug
// ccsip all" (TEXT-FORMATS.md §1): a sequence-numbered, millisecond
// stamped ccsipDisplayMsg tag, Sent:/Received:, the message with LF line
// ends and a blank line; between messages the transport, state-machine
// and CCAPI debug lines such a log interleaves. It feeds the text-log
// benchmark of sipdiag (bench/README.md).
type ccsipWriter struct {
	w     io.Writer
	start time.Time
	cube  endpoint
	msg   []byte // the message being built (payload)
	out   []byte // the text of one message with its debug lines
	seq   int
	n     int
	bytes int64
}

func newCCSIPWriter(w io.Writer, start time.Time, cube endpoint) *ccsipWriter {
	return &ccsipWriter{w: w, start: start, cube: cube, msg: make([]byte, 0, 2048), out: make([]byte, 0, 4096)}
}

func (c *ccsipWriter) payload() []byte { return c.msg[:0] }
func (c *ccsipWriter) written() int64  { return c.bytes }

func (c *ccsipWriter) write(msg []byte, at int64, src, dst endpoint) error {
	if cap(msg) > cap(c.msg) {
		c.msg = msg[:0] // keep the grown buffer
	}
	c.n++
	stamp := c.start.Add(time.Duration(at) * time.Microsecond)
	sent := src == c.cube
	peer := src
	if sent {
		peer = dst
	}
	leg, guid := ccsipLeg(msg)
	request := !bytes.HasPrefix(msg, []byte("SIP/2.0 "))
	o := c.out[:0]

	// what "debug ccsip all" prints before the message
	switch {
	case sent:
		o = c.prefix(o, stamp, leg, guid)
		o = append(o, "SIP/Transport/sipSPITransportSendMessage: msg=0x"...)
		o = appendHex(o, 0x7F4B8C000000+uint64(c.n%0xFFFFFF)*8)
		o = append(o, ", addr="...)
		o = appendIP(o, peer)
		o = append(o, ", port="...)
		o = strconv.AppendUint(o, uint64(peer.port), 10)
		o = append(o, ", sentBytes="...)
		o = strconv.AppendInt(o, int64(len(msg)), 10)
		o = append(o, ", useTLS=0, waitForRsp=0\n"...)
	case request && bytes.HasPrefix(msg, []byte("INVITE ")):
		o = c.prefix(o, stamp, -1, "xxxxxxxxxxxx")
		o = append(o, "SIP/Info/info/4096/sipSPIGetCallConfig: Peer tag 100 matched for incoming call\n"...)
	case c.n%5 == 0:
		o = c.prefix(o, stamp, -1, "xxxxxxxxxxxx")
		o = append(o, "SIP/Info/verbose/4096/ccsip_new_msg_preprocessor: Checking Invite Dialog\n"...)
	}

	o = c.prefix(o, stamp, leg, guid)
	if sent {
		o = append(o, "SIP/Msg/ccsipDisplayMsg:\nSent:\n"...)
	} else {
		o = c.prefixDone(o, "SIP/Msg/ccsipDisplayMsg:\nReceived:\n")
	}
	o = appendLF(o, msg)
	if !bytes.HasSuffix(o, []byte("\n\n")) {
		o = append(o, '\n') // a blank line after a message with a body
	}

	// and after it
	switch {
	case !sent && request && bytes.HasPrefix(msg, []byte("INVITE ")):
		o = c.prefix(o, stamp, leg, guid)
		o = append(o, "CCAPI/cc_api_call_setup_ind_common:\n"...)
		o = append(o, "   Interface=0x7F4B8C2E1D38, Call Info(\n"...)
		o = append(o, "   Calling Number=2001,(Calling Name=)(TON=Unknown, NPI=Unknown, Screening=Not Screened, Presentation=Allowed),\n"...)
		o = append(o, "   Called Number=2002(TON=Unknown, NPI=Unknown),\n"...)
		o = append(o, "   Calling Translated=FALSE, Subscriber Type Str=Unknown, FinalDestinationFlag=TRUE,\n"...)
		o = append(o, "   Incoming Dial-peer=100, Progress Indication=NULL(0), Calling IE Present=TRUE,\n"...)
		o = append(o, "   Source Trkgrp Route Label=, Target Trkgrp Route Label=, CLID Transparent=FALSE), Call Id=1\n"...)
	case c.n%3 == 0:
		o = c.prefix(o, stamp, leg, guid)
		o = append(o, "SIP/State/sipSPIChangeState: 0x7F4B8C2E1D28 : State change from (STATE_NONE, SUBSTATE_NONE)  to (STATE_IDLE, SUBSTATE_NONE)\n"...)
	}
	c.out = o
	c.bytes += int64(len(o))
	_, err := c.w.Write(o)
	return err
}

// prefix appends "NNNNNN: Mon dd hh:mm:ss.mmm: //leg/GUID/" with the next
// sequence number (IOS "service sequence-numbers" and "service timestamps
// debug datetime msec").
func (c *ccsipWriter) prefix(o []byte, at time.Time, leg int, guid string) []byte {
	c.seq++
	s := strconv.Itoa(c.seq)
	for i := len(s); i < 6; i++ {
		o = append(o, '0')
	}
	o = append(o, s...)
	o = append(o, ": "...)
	o = at.AppendFormat(o, "Jan _2 15:04:05.000")
	o = append(o, ": //"...)
	o = strconv.AppendInt(o, int64(leg), 10)
	o = append(o, '/')
	o = append(o, guid...)
	return append(o, '/')
}

// prefixDone finishes a received message's tag: CUBE has not bound the
// message to a call leg yet, so the tag reads //-1/xxxxxxxxxxxx/.
func (c *ccsipWriter) prefixDone(o []byte, rest string) []byte {
	i := bytes.LastIndex(o, []byte("//"))
	o = append(o[:i], "//-1/xxxxxxxxxxxx/"...)
	return append(o, rest...)
}

// ccsipLeg derives a stable call leg number and GUID from the Call-ID.
func ccsipLeg(msg []byte) (int, string) {
	id := msg
	if i := bytes.Index(msg, []byte("\r\nCall-ID: ")); i >= 0 {
		id = msg[i+11:]
		if e := bytes.IndexByte(id, '\r'); e >= 0 {
			id = id[:e]
		}
	}
	h := fnv.New64a()
	h.Write(id)
	v := h.Sum64()
	const digits = "0123456789ABCDEF"
	var g [12]byte
	for i := range g {
		g[i] = digits[(v>>(4*i))&15]
	}
	return int(v%90000) + 1, string(g[:])
}

// appendLF appends a CRLF message with LF line ends, as IOS prints it.
func appendLF(o, msg []byte) []byte {
	for len(msg) > 0 {
		i := bytes.IndexByte(msg, '\n')
		if i < 0 {
			o = append(o, msg...)
			return append(o, '\n')
		}
		line := msg[:i]
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		o = append(o, line...)
		o = append(o, '\n')
		msg = msg[i+1:]
	}
	return o
}

func appendIP(o []byte, e endpoint) []byte {
	for i, b := range e.ip {
		if i > 0 {
			o = append(o, '.')
		}
		o = strconv.AppendUint(o, uint64(b), 10)
	}
	return o
}

// appendHex appends v in upper-case hexadecimal, as IOS prints pointers.
func appendHex(o []byte, v uint64) []byte {
	const digits = "0123456789ABCDEF"
	var b [16]byte
	i := len(b)
	for {
		i--
		b[i] = digits[v&15]
		v >>= 4
		if v == 0 {
			break
		}
	}
	return append(o, b[i:]...)
}
