// Package decode scans SIP messages and correlates them.
//
// The scanner (Message.Scan) is tolerant and zero-copy: it indexes the start
// line and headers of one message in place, accepts CRLF or bare LF, folded
// header lines, compact header names and any letter case, and records what is
// malformed instead of failing. Typed views (Via, name-addr, digest
// challenges and credentials, CSeq, Expires, Warning, Reason, ...) are parsed
// on demand from the raw header values.
//
// The Correlator turns the stream of messages into transactions (RFC 3261
// §17.1.3), dialogs, registrations and digest-auth exchanges, keeping only
// the state of what is still open, and hands each completed piece to the
// observers that the rules register.
package decode
