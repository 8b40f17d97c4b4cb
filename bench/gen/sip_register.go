package main

import (
	"strconv"
	"time"
)

// The REGISTER exchange of RFC 3261 §10.2 with a digest challenge (§22.2).

const registerURI = "sip:" + realm

// regTxn is what one REGISTER transaction and its response share.
type regTxn struct {
	branch  uint64
	fromTag uint64
	toTag   uint64 // the registrar's To tag on its responses
	cseq    uint32
}

// appendRegister writes a REGISTER asking for registrationExpires seconds;
// cred is nil for the first attempt, before any challenge.
func appendRegister(b []byte, a *account, t *regTxn, cred *credentials) []byte {
	b = append(b, "REGISTER "+registerURI+" SIP/2.0\r\n"...)
	b = appendRequestVia(b, a.host, t.branch)
	b = append(b, "Max-Forwards: 70\r\n"...)
	b = appendAddr(b, "From", a, t.fromTag)
	b = appendAddr(b, "To", a, 0)
	b = appendCallID(b, a.callID)
	b = appendCSeq(b, t.cseq, "REGISTER")
	b = append(b, "Contact: <"...)
	b = appendContactURI(b, a)
	b = append(b, ";transport=udp>\r\n"...)
	if cred != nil {
		b = appendCredentials(b, "Authorization", cred)
	}
	b = append(b, "Expires: "+strconv.Itoa(registrationExpires)+"\r\n"...)
	b = append(b, allowMethods...)
	b = append(b, "Supported: path, gruu, outbound\r\n"...)
	b = appendUserAgent(b, a)
	return appendEnd(b, nil)
}

// appendRegisterChallenge writes the registrar's 401 with a fresh nonce.
func appendRegisterChallenge(b []byte, a *account, t *regTxn, n nonce) []byte {
	b = append(b, "SIP/2.0 401 Unauthorized\r\n"...)
	b = appendRegisterResponseHeaders(b, a, t)
	b = appendChallenge(b, "WWW-Authenticate", n)
	b = appendServer(b)
	return appendEnd(b, nil)
}

// appendRegisterOK writes the 200 OK granting the binding; the Contact's
// expires parameter and the Expires header agree (RFC 3261 §10.3 step 8).
func appendRegisterOK(b []byte, a *account, t *regTxn, now time.Time) []byte {
	b = append(b, "SIP/2.0 200 OK\r\n"...)
	b = appendRegisterResponseHeaders(b, a, t)
	b = append(b, "Contact: <"...)
	b = appendContactURI(b, a)
	b = append(b, ";transport=udp>;expires="+strconv.Itoa(registrationExpires)+"\r\n"...)
	b = append(b, "Expires: "+strconv.Itoa(registrationExpires)+"\r\n"...)
	b = append(b, "Date: "...)
	b = now.UTC().AppendFormat(b, "Mon, 02 Jan 2006 15:04:05 GMT")
	b = append(b, "\r\n"...)
	b = appendServer(b)
	return appendEnd(b, nil)
}

func appendRegisterResponseHeaders(b []byte, a *account, t *regTxn) []byte {
	b = appendResponseVia(b, a.host, t.branch)
	b = appendAddr(b, "From", a, t.fromTag)
	b = appendAddr(b, "To", a, t.toTag)
	b = appendCallID(b, a.callID)
	return appendCSeq(b, t.cseq, "REGISTER")
}
