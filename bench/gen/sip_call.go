package main

import "strconv"

// An INVITE dialog through an authenticating proxy (RFC 3261 §13, §22.3):
// INVITE → 407 → ACK, INVITE with Proxy-Authorization → 100 → 180 → 200
// (SDP answer, RFC 3264) → ACK, then BYE → 200 from either side.

// call holds what the ten messages of one call share.
type call struct {
	caller, callee *account
	callID         string
	fromTag        uint64 // caller's tag
	toTag          uint64 // callee's tag, set by the 180/200
	proxyTag       uint64 // the proxy's To tag on its 407
	branch         [4]uint64
	nonce          nonce
	cred           credentials
	sessionID      uint64
	callerRTP      uint16
	calleeRTP      uint16
	calleeHangsUp  bool
}

const recordRoute = "<sip:10.0.0.10;lr>"

func (c *call) requestURI() string { return "sip:" + c.callee.user + "@" + realm }

// appendInvite writes the caller's INVITE: the first one without
// credentials (CSeq 1), the retry after the 407 with them (CSeq 2).
func appendInvite(b, body []byte, c *call, withCredentials bool) []byte {
	cseq, branch := uint32(1), c.branch[0]
	if withCredentials {
		cseq, branch = 2, c.branch[1]
	}
	b = append(b, "INVITE "...)
	b = append(b, c.cred.uri...)
	b = append(b, " SIP/2.0\r\n"...)
	b = appendRequestVia(b, c.caller.host, branch)
	b = append(b, "Max-Forwards: 70\r\n"...)
	b = appendAddr(b, "From", c.caller, c.fromTag)
	b = appendAddr(b, "To", c.callee, 0)
	b = appendCallID(b, c.callID)
	b = appendCSeq(b, cseq, "INVITE")
	b = append(b, "Contact: <"...)
	b = appendContactURI(b, c.caller)
	b = append(b, ">\r\n"...)
	if withCredentials {
		b = appendCredentials(b, "Proxy-Authorization", &c.cred)
	}
	b = append(b, allowMethods...)
	b = appendUserAgent(b, c.caller)
	b = append(b, "Content-Type: application/sdp\r\n"...)
	return appendEnd(b, body)
}

// appendInviteChallenge writes the proxy's 407 to the first INVITE.
func appendInviteChallenge(b []byte, c *call) []byte {
	b = append(b, "SIP/2.0 407 Proxy Authentication Required\r\n"...)
	b = appendResponseVia(b, c.caller.host, c.branch[0])
	b = appendAddr(b, "From", c.caller, c.fromTag)
	b = appendAddr(b, "To", c.callee, c.proxyTag)
	b = appendCallID(b, c.callID)
	b = appendCSeq(b, 1, "INVITE")
	b = appendChallenge(b, "Proxy-Authenticate", c.nonce)
	b = appendServer(b)
	return appendEnd(b, nil)
}

// appendAckForChallenge acknowledges the 407: same branch as the INVITE,
// it belongs to the INVITE's client transaction (RFC 3261 §17.1.1.3).
func appendAckForChallenge(b []byte, c *call) []byte {
	b = append(b, "ACK "...)
	b = append(b, c.cred.uri...)
	b = append(b, " SIP/2.0\r\n"...)
	b = appendRequestVia(b, c.caller.host, c.branch[0])
	b = append(b, "Max-Forwards: 70\r\n"...)
	b = appendAddr(b, "From", c.caller, c.fromTag)
	b = appendAddr(b, "To", c.callee, c.proxyTag)
	b = appendCallID(b, c.callID)
	b = appendCSeq(b, 1, "ACK")
	b = appendUserAgent(b, c.caller)
	return appendEnd(b, nil)
}

// appendInviteResponse writes 100, 180 or 200 to the authenticated INVITE;
// the 180 and 200 come from the callee through the proxy, so they carry the
// callee's tag, Contact and the proxy's Record-Route (RFC 3261 §16.6 step 4).
func appendInviteResponse(b, body []byte, c *call, status string) []byte {
	b = append(b, "SIP/2.0 "...)
	b = append(b, status...)
	b = append(b, "\r\n"...)
	b = appendResponseVia(b, c.caller.host, c.branch[1])
	b = appendAddr(b, "From", c.caller, c.fromTag)
	provisional := status == "100 Trying"
	if provisional {
		b = appendAddr(b, "To", c.callee, 0)
	} else {
		b = appendAddr(b, "To", c.callee, c.toTag)
	}
	b = appendCallID(b, c.callID)
	b = appendCSeq(b, 2, "INVITE")
	if provisional {
		b = appendServer(b)
		return appendEnd(b, nil)
	}
	b = append(b, "Record-Route: "+recordRoute+"\r\n"...)
	b = append(b, "Contact: <"...)
	b = appendContactURI(b, c.callee)
	b = append(b, ">\r\n"...)
	b = appendUserAgent(b, c.callee)
	if len(body) > 0 {
		b = append(b, "Content-Type: application/sdp\r\n"...)
	}
	return appendEnd(b, body)
}

// appendAckFor2xx is the ACK to the 200: its own transaction with a new
// branch, sent to the callee's Contact via the route set, repeating the
// INVITE's credentials (RFC 3261 §13.2.2.4).
func appendAckFor2xx(b []byte, c *call) []byte {
	b = append(b, "ACK "...)
	b = appendContactURI(b, c.callee)
	b = append(b, " SIP/2.0\r\n"...)
	b = appendRequestVia(b, c.caller.host, c.branch[2])
	b = append(b, "Max-Forwards: 70\r\n"...)
	b = append(b, "Route: "+recordRoute+"\r\n"...)
	b = appendAddr(b, "From", c.caller, c.fromTag)
	b = appendAddr(b, "To", c.callee, c.toTag)
	b = appendCallID(b, c.callID)
	b = appendCSeq(b, 2, "ACK")
	b = appendCredentials(b, "Proxy-Authorization", &c.cred)
	b = appendUserAgent(b, c.caller)
	return appendEnd(b, nil)
}

// appendBye ends the dialog. From the caller it goes out through the proxy;
// from the callee it arrives through the proxy with both Vias, and carries
// the callee's own CSeq space (RFC 3261 §12.2.1.1).
func appendBye(b []byte, c *call) []byte {
	b = append(b, "BYE "...)
	if c.calleeHangsUp {
		b = appendContactURI(b, c.caller)
		b = append(b, " SIP/2.0\r\n"...)
		b = appendByeVias(b, c)
		b = append(b, "Max-Forwards: 69\r\n"...)
		b = appendAddr(b, "From", c.callee, c.toTag)
		b = appendAddr(b, "To", c.caller, c.fromTag)
		b = appendCallID(b, c.callID)
		b = appendCSeq(b, 1, "BYE")
		b = appendUserAgent(b, c.callee)
		return appendEnd(b, nil)
	}
	b = appendContactURI(b, c.callee)
	b = append(b, " SIP/2.0\r\n"...)
	b = appendRequestVia(b, c.caller.host, c.branch[3])
	b = append(b, "Max-Forwards: 70\r\n"...)
	b = append(b, "Route: "+recordRoute+"\r\n"...)
	b = appendAddr(b, "From", c.caller, c.fromTag)
	b = appendAddr(b, "To", c.callee, c.toTag)
	b = appendCallID(b, c.callID)
	b = appendCSeq(b, 3, "BYE")
	b = appendUserAgent(b, c.caller)
	return appendEnd(b, nil)
}

// appendByeOK answers the BYE, echoing its Vias, From, To and CSeq.
func appendByeOK(b []byte, c *call) []byte {
	b = append(b, "SIP/2.0 200 OK\r\n"...)
	if c.calleeHangsUp {
		b = appendByeVias(b, c)
		b = appendAddr(b, "From", c.callee, c.toTag)
		b = appendAddr(b, "To", c.caller, c.fromTag)
		b = appendCallID(b, c.callID)
		b = appendCSeq(b, 1, "BYE")
		b = appendUserAgent(b, c.caller)
		return appendEnd(b, nil)
	}
	b = appendResponseVia(b, c.caller.host, c.branch[3])
	b = appendAddr(b, "From", c.caller, c.fromTag)
	b = appendAddr(b, "To", c.callee, c.toTag)
	b = appendCallID(b, c.callID)
	b = appendCSeq(b, 3, "BYE")
	b = appendUserAgent(b, c.callee)
	return appendEnd(b, nil)
}

// appendByeVias: the proxy's Via on top, then the callee's (RFC 3261 §16.6 step 8).
func appendByeVias(b []byte, c *call) []byte {
	b = append(b, "Via: SIP/2.0/UDP "+registrarHost+":5060;branch=z9hG4bK"...)
	b = appendHex64(b, c.branch[3])
	b = append(b, "\r\n"...)
	b = append(b, "Via: SIP/2.0/UDP "...)
	b = append(b, c.callee.host...)
	b = append(b, ":5060;rport=5060;branch=z9hG4bK"...)
	b = appendHex64(b, c.branch[3]^0x5bd1e995)
	return append(b, "\r\n"...)
}

// appendSDP writes a small audio offer/answer (RFC 4566, RFC 3264): G.711
// µ-law plus telephone-events (RFC 4733).
func appendSDP(b []byte, a *account, sessionID uint64, rtpPort uint16) []byte {
	b = append(b, "v=0\r\no=- "...)
	b = strconv.AppendUint(b, sessionID>>1, 10)
	b = append(b, " 1 IN IP4 "...)
	b = append(b, a.host...)
	b = append(b, "\r\ns=-\r\nc=IN IP4 "...)
	b = append(b, a.host...)
	b = append(b, "\r\nt=0 0\r\nm=audio "...)
	b = strconv.AppendUint(b, uint64(rtpPort), 10)
	b = append(b, " RTP/AVP 0 101\r\n"+
		"a=rtpmap:0 PCMU/8000\r\n"+
		"a=rtpmap:101 telephone-event/8000\r\n"+
		"a=fmtp:101 0-16\r\n"+
		"a=ptime:20\r\n"+
		"a=sendrecv\r\n"...)
	return b
}
