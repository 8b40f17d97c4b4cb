package diagnose

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"
)

// Secrets that must not end up in a ticket:
//   - the digest response and the values it was computed over (RFC 3261
//     §22.4, RFC 7616 §3.4: with the nonce and the response an attacker can
//     guess the password offline), the opaque, Authentication-Info's
//     nextnonce and rspauth (RFC 3261 §20.1, RFC 7616 §3.5), and HTTP Basic
//     credentials (base64 of user:password);
//   - Cisco IOS/CUBE configuration secrets: "password 0|7 …", "secret 5 …",
//     "key 7 …" (type 7 is reversible, type 0 is clear text), a bare
//     "username U password P" and "pre-shared-key …".
var (
	digestSecret = regexp.MustCompile(`(?i)\b(nextnonce|c?nonce|response|opaque|rspauth)(\s*=\s*)("(?:[^"\\]|\\.)*"|[^,\s]+)`)
	basicAuth    = regexp.MustCompile(`(?i)\b(Basic\s+)[A-Za-z0-9+/]{8,}={0,2}`)
	iosTyped     = regexp.MustCompile(`(?i)\b((?:password|secret|key)\s+[0-9]\s+)\S+`)
	iosUntyped   = regexp.MustCompile(`(?i)\b(username\s+\S+\s+password\s+)([^0-9\s<]\S*)`)
	iosPSK       = regexp.MustCompile(`(?i)\b(pre-shared-key\s+(?:[0-9]\s+)?)\S+`)
	// Configuration lines pasted with a log: IOS "enable secret …",
	// "password …", "key-string …", "tacacs-server key …", SNMP
	// communities, and Asterisk/PJSIP "secret=" / "password=" /
	// "md5secret=" lines.
	iosLine       = regexp.MustCompile(`(?im)^(\s*(?:enable\s+)?(?:password|secret)\s+(?:[0-9]\s+)?)[^=\s]\S*`)
	iosKeys       = regexp.MustCompile(`(?i)\b((?:key-string|(?:tacacs|radius)-server\s+key)\s+(?:[0-9]\s+)?)\S+`)
	snmpCommunity = regexp.MustCompile(`(?i)\b(snmp-server\s+community\s+)\S+`)
	confSecret    = regexp.MustCompile(`(?im)^(\s*(?:secret|password|md5secret)\s*=\s*)\S+`)
)

// Identifiers pseudonymised on request: phone numbers in SIP/tel URIs and
// digest usernames (RFC 3966 global numbers and extensions alike), and IP
// addresses anywhere.
var (
	// The number must end the user part (or the tel: URI): "sip:192.168…"
	// is a host, not a number.
	uriNumber    = regexp.MustCompile(`(?i)\b(sips?:|tel:)(\+?[0-9][0-9()\-]{2,})([@;>\s",]|$)`)
	quotedNumber = regexp.MustCompile(`(?i)((?:\busername\s*=\s*)?")(\+?[0-9][0-9()\-]{2,})(")`)
	ipv4         = regexp.MustCompile(`\b[0-9]{1,3}(?:\.[0-9]{1,3}){3}\b`)
	ipv6         = regexp.MustCompile(`[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.[0-9]{1,3}){0,3}`)
)

// Placeholder replaces every secret.
const Placeholder = "<redacted>"

// RedactOptions say what to hide.
type RedactOptions struct {
	Secrets bool // digest values and configuration secrets (default in the CLI)
	Numbers bool // pseudonymise phone numbers: num-1, num-2, …
	Hosts   bool // pseudonymise IP addresses: ip-1, ip-2, …
}

// Redactor hides secrets and replaces identifiers with pseudonyms that
// stay the same for the same input across one report, so that a ladder
// still reads ("ip-1 sends REGISTER to ip-2").
type Redactor struct {
	opt   RedactOptions
	names map[string]string // original → pseudonym
	count map[string]int    // per prefix
	// secrets remembers Redact's answers: a report repeats the same
	// fix, doc and evidence texts across its findings, and the regexps
	// (no literal prefix under (?i), so they try every byte) cost ~70k
	// instructions per text. Bounded by maxRedactMemo.
	secrets map[string]string
}

// maxRedactMemo bounds the texts a Redactor remembers (a report has a few
// thousand distinct texts at most; beyond that each is redacted anew).
const maxRedactMemo = 4096

// NewRedactor returns a Redactor; the zero options redact nothing.
func NewRedactor(opt RedactOptions) *Redactor {
	return &Redactor{opt: opt, names: map[string]string{}, count: map[string]int{}}
}

// Redact hides the secrets in s (not the identifiers).
func Redact(s string) string {
	ascii := foldsAsASCII(s)
	has := func(words ...string) bool {
		if !ascii {
			return true // let the regexps decide
		}
		for _, w := range words {
			if containsFoldASCII(s, w) {
				return true
			}
		}
		return false
	}
	if has("nonce", "response", "opaque", "rspauth") {
		if ascii {
			s = redactDigestASCII(s)
		} else {
			s = digestSecret.ReplaceAllString(s, `$1$2"`+Placeholder+`"`)
		}
	}
	if has("basic") {
		s = basicAuth.ReplaceAllString(s, `${1}`+Placeholder)
	}
	pw := has("password", "secret")
	key := has("key")
	// Prose ("the password is wrong") has the words but none of the
	// shapes below; the regexps run only where the shape may be there.
	maybe := func(shape func(s string, at, end int) bool, words ...string) bool {
		return !ascii || anyWordShaped(s, shape, words...)
	}
	if (pw || key) && maybe(typedAfter, "password", "secret", "key") {
		s = iosTyped.ReplaceAllString(s, `${1}`+Placeholder)
	}
	if has("username") && has("password") {
		s = iosUntyped.ReplaceAllString(s, `${1}`+Placeholder)
	}
	if has("pre-shared-key") {
		s = iosPSK.ReplaceAllString(s, `${1}`+Placeholder)
	}
	if pw && maybe(startsLine, "password", "secret") {
		s = iosLine.ReplaceAllString(s, `${1}`+Placeholder)
	}
	if key {
		s = iosKeys.ReplaceAllString(s, `${1}`+Placeholder)
	}
	if has("snmp-server") {
		s = snmpCommunity.ReplaceAllString(s, `${1}`+Placeholder)
	}
	if pw && maybe(assignedAfter, "password", "secret") {
		s = confSecret.ReplaceAllString(s, `${1}`+Placeholder)
	}
	return s
}

// foldsAsASCII reports whether the regexps' (?i) matching of s can be
// decided byte by byte as ASCII: it folds two non-ASCII letters onto ASCII
// ones (U+017F ſ onto s, U+212A Kelvin sign onto k), and a text without
// them — nearly all, arrows and dashes included — matches a word only
// where its ASCII bytes do.
func foldsAsASCII(s string) bool {
	return isASCII(s) || !strings.ContainsRune(s, 'ſ') && !strings.ContainsRune(s, '\u212a')
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// containsFoldASCII: s contains w (lower-case ASCII) in any case.
func containsFoldASCII(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if s[i]|0x20 == w[0] && strings.EqualFold(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

// String applies every enabled redaction to s.
func (r *Redactor) String(s string) string {
	if r == nil || s == "" {
		return s
	}
	if r.opt.Secrets {
		s = r.redactSecrets(s)
	}
	if r.opt.Numbers {
		s = uriNumber.ReplaceAllStringFunc(s, func(m string) string {
			sub := uriNumber.FindStringSubmatch(m)
			return sub[1] + r.pseudonym("num", sub[2]) + sub[3]
		})
		s = quotedNumber.ReplaceAllStringFunc(s, func(m string) string {
			sub := quotedNumber.FindStringSubmatch(m)
			return sub[1] + r.pseudonym("num", sub[2]) + sub[3]
		})
	}
	if r.opt.Hosts {
		s = ipv4.ReplaceAllStringFunc(s, func(m string) string {
			if a, err := netip.ParseAddr(m); err == nil && a.Is4() {
				return r.pseudonym("ip", a.String())
			}
			return m
		})
		if strings.Contains(s, ":") {
			s = ipv6.ReplaceAllStringFunc(s, func(m string) string {
				if a, err := netip.ParseAddr(m); err == nil && a.Is6() {
					return r.pseudonym("ip", a.String())
				}
				return m
			})
		}
	}
	return s
}

// redactSecrets is Redact(s), remembered per text.
func (r *Redactor) redactSecrets(s string) string {
	if red, ok := r.secrets[s]; ok {
		return red
	}
	red := Redact(s)
	if r.secrets == nil {
		r.secrets = map[string]string{}
	}
	if len(r.secrets) < maxRedactMemo {
		r.secrets[s] = red
	}
	return red
}

// Addr redacts an "ip:port" (or "[v6]:port") keeping the port readable.
func (r *Redactor) Addr(s string) string {
	if r == nil || !r.opt.Hosts || s == "" {
		return s
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return r.pseudonym("ip", ap.Addr().String()) + ":" + strconv.Itoa(int(ap.Port()))
	}
	return r.String(s)
}

func (r *Redactor) pseudonym(prefix, orig string) string {
	key := prefix + "\x00" + orig
	if p, ok := r.names[key]; ok {
		return p
	}
	r.count[prefix]++
	p := prefix + "-" + strconv.Itoa(r.count[prefix])
	r.names[key] = p
	return p
}
