// Package sipframe finds SIP message boundaries in raw bytes: whether a
// buffer starts with a SIP start line, and how long the message is
// (headers up to the empty line, plus Content-Length bytes of body,
// RFC 3261 §18.3 and §20.14). capture uses it to detect SIP on any port and
// to frame messages in TCP and WebSocket streams.
package sipframe
