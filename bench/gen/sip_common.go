package main

import "strconv"

// Header helpers shared by every message. Each appends one complete header
// line (CRLF-terminated, RFC 3261 §7.3) to b.

const allowMethods = "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, NOTIFY, REFER, UPDATE\r\n"

// appendRequestVia is a UA's Via with rport (RFC 3581 §3) and an RFC 3261
// §8.1.1.7 branch (the magic cookie z9hG4bK, unique per transaction).
func appendRequestVia(b []byte, host string, branch uint64) []byte {
	b = append(b, "Via: SIP/2.0/UDP "...)
	b = append(b, host...)
	b = append(b, ":5060;rport;branch=z9hG4bK"...)
	b = appendHex64(b, branch)
	return append(b, "\r\n"...)
}

// appendResponseVia is the same Via as the server echoes it, with received
// and the filled-in rport the server must add (RFC 3581 §4).
func appendResponseVia(b []byte, host string, branch uint64) []byte {
	b = append(b, "Via: SIP/2.0/UDP "...)
	b = append(b, host...)
	b = append(b, ":5060;rport=5060;received="...)
	b = append(b, host...)
	b = append(b, ";branch=z9hG4bK"...)
	b = appendHex64(b, branch)
	return append(b, "\r\n"...)
}

// appendAddr writes a From or To header: "name" <sip:user@domain>;tag=...
// A zero tag leaves the tag out (a To before the dialog exists).
func appendAddr(b []byte, header string, a *account, tag uint64) []byte {
	b = append(b, header...)
	b = append(b, ": \""...)
	b = append(b, a.display...)
	b = append(b, "\" <sip:"...)
	b = append(b, a.user...)
	b = append(b, '@')
	b = append(b, realm...)
	b = append(b, '>')
	if tag != 0 {
		b = append(b, ";tag="...)
		b = appendHex32(b, tag)
	}
	return append(b, "\r\n"...)
}

// appendContact writes the UA's reachable address, user@ip:port.
func appendContactURI(b []byte, a *account) []byte {
	b = append(b, "sip:"...)
	b = append(b, a.user...)
	b = append(b, '@')
	b = append(b, a.host...)
	return append(b, ":5060"...)
}

func appendCSeq(b []byte, n uint32, method string) []byte {
	b = append(b, "CSeq: "...)
	b = strconv.AppendUint(b, uint64(n), 10)
	b = append(b, ' ')
	b = append(b, method...)
	return append(b, "\r\n"...)
}

func appendCallID(b []byte, id string) []byte {
	b = append(b, "Call-ID: "...)
	b = append(b, id...)
	return append(b, "\r\n"...)
}

// appendEnd writes Content-Length, the blank line ending the header
// section, and the body (RFC 3261 §20.14).
func appendEnd(b []byte, body []byte) []byte {
	b = append(b, "Content-Length: "...)
	b = strconv.AppendInt(b, int64(len(body)), 10)
	b = append(b, "\r\n\r\n"...)
	return append(b, body...)
}

// appendChallenge writes a WWW-Authenticate or Proxy-Authenticate header
// (RFC 3261 §20.44 / §20.27) offering MD5 with qop=auth.
func appendChallenge(b []byte, header string, n nonce) []byte {
	b = append(b, header...)
	b = append(b, ": Digest realm=\""...)
	b = append(b, realm...)
	b = append(b, "\", nonce=\""...)
	b = appendNonce(b, n)
	b = append(b, "\", qop=\"auth\", algorithm=MD5\r\n"...)
	return b
}

// appendCredentials writes an Authorization or Proxy-Authorization header
// (RFC 3261 §20.7 / §20.28).
func appendCredentials(b []byte, header string, c *credentials) []byte {
	b = append(b, header...)
	b = append(b, ": Digest username=\""...)
	b = append(b, c.username...)
	b = append(b, "\", realm=\""...)
	b = append(b, realm...)
	b = append(b, "\", nonce=\""...)
	b = appendNonce(b, c.nonce)
	b = append(b, "\", uri=\""...)
	b = append(b, c.uri...)
	b = append(b, "\", response=\""...)
	b = append(b, c.response[:]...)
	b = append(b, "\", algorithm=MD5, cnonce=\""...)
	b = appendHex64(b, c.cnonce)
	b = append(b, "\", qop=auth, nc="...)
	b = append(b, digestNC...)
	return append(b, "\r\n"...)
}

func appendServer(b []byte) []byte {
	b = append(b, "Server: "...)
	b = append(b, serverHeader...)
	return append(b, "\r\n"...)
}

func appendUserAgent(b []byte, a *account) []byte {
	b = append(b, "User-Agent: "...)
	b = append(b, a.userAgent...)
	return append(b, "\r\n"...)
}
