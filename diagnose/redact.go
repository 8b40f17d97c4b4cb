package diagnose

import "regexp"

// Secrets that must not end up in a ticket: the digest response and the
// nonces it was computed over (RFC 3261 §22.4, RFC 7616 §3.4: with the nonce
// and response an attacker can brute-force the password offline), and
// Cisco IOS "password 0|7 ..." strings (type 7 is reversible).
var (
	digestSecret = regexp.MustCompile(`(?i)\b(c?nonce|response)(\s*=\s*)("(?:[^"\\]|\\.)*"|[^,\s]+)`)
	iosPassword  = regexp.MustCompile(`(?i)\b(password\s+[07]\s+)\S+`)
)

// Redact hides secrets in s.
func Redact(s string) string {
	s = digestSecret.ReplaceAllString(s, `$1$2"<redacted>"`)
	return iosPassword.ReplaceAllString(s, `${1}<redacted>`)
}
