package main

// OPTIONS keepalives from the registrar to a registered UA (RFC 3261 §11),
// used to fill the last few messages so the capture holds exactly the
// number asked for.

type options struct {
	to      *account
	branch  uint64
	callID  uint64
	fromTag uint64
	toTag   uint64
}

func appendOptions(b []byte, o *options) []byte {
	b = append(b, "OPTIONS "...)
	b = appendContactURI(b, o.to)
	b = append(b, " SIP/2.0\r\n"...)
	b = appendOptionsHeaders(b, o, 0)
	b = append(b, "Max-Forwards: 70\r\n"...)
	b = appendServer(b)
	return appendEnd(b, nil)
}

func appendOptionsOK(b []byte, o *options) []byte {
	b = append(b, "SIP/2.0 200 OK\r\n"...)
	b = appendOptionsHeaders(b, o, o.toTag)
	b = append(b, allowMethods...)
	b = append(b, "Accept: application/sdp\r\n"...)
	b = appendUserAgent(b, o.to)
	return appendEnd(b, nil)
}

func appendOptionsHeaders(b []byte, o *options, toTag uint64) []byte {
	b = append(b, "Via: SIP/2.0/UDP "+registrarHost+":5060;branch=z9hG4bK"...)
	b = appendHex64(b, o.branch)
	b = append(b, "\r\nFrom: <sip:keepalive@"+realm+">;tag="...)
	b = appendHex32(b, o.fromTag)
	b = append(b, "\r\nTo: <"...)
	b = appendContactURI(b, o.to)
	b = append(b, '>')
	if toTag != 0 {
		b = append(b, ";tag="...)
		b = appendHex32(b, toTag)
	}
	b = append(b, "\r\nCall-ID: "...)
	b = appendHex64(b, o.callID)
	b = append(b, "@"+registrarHost+"\r\n"...)
	return appendCSeq(b, 1, "OPTIONS")
}
