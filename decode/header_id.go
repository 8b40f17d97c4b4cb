package decode

// HeaderID names the headers the scanner indexes for O(1) lookup. Every
// other header scans as HOther and stays reachable through GetName or by
// walking Message.Headers.
type HeaderID uint8

// Known headers. The order is part of no wire format; only the names are.
const (
	HOther HeaderID = iota
	HVia
	HFrom
	HTo
	HCallID
	HCSeq
	HContact
	HContentLength
	HContentType
	HExpires
	HMinExpires
	HRetryAfter
	HWWWAuthenticate
	HProxyAuthenticate
	HAuthorization
	HProxyAuthorization
	HAuthenticationInfo
	HWarning
	HReason
	HUserAgent
	HServer
	HMaxForwards
	HRoute
	HRecordRoute
	HSupported
	HRequire
	HAllow
	HEvent
	HSubject
	HReferTo
	HAcceptContact
	HSessionExpires
	HPAssertedIdentity
	numHeaderIDs
)

// headerNames holds the canonical spelling of each HeaderID.
var headerNames = [numHeaderIDs]string{
	HOther:              "",
	HVia:                "Via",
	HFrom:               "From",
	HTo:                 "To",
	HCallID:             "Call-ID",
	HCSeq:               "CSeq",
	HContact:            "Contact",
	HContentLength:      "Content-Length",
	HContentType:        "Content-Type",
	HExpires:            "Expires",
	HMinExpires:         "Min-Expires",
	HRetryAfter:         "Retry-After",
	HWWWAuthenticate:    "WWW-Authenticate",
	HProxyAuthenticate:  "Proxy-Authenticate",
	HAuthorization:      "Authorization",
	HProxyAuthorization: "Proxy-Authorization",
	HAuthenticationInfo: "Authentication-Info",
	HWarning:            "Warning",
	HReason:             "Reason",
	HUserAgent:          "User-Agent",
	HServer:             "Server",
	HMaxForwards:        "Max-Forwards",
	HRoute:              "Route",
	HRecordRoute:        "Record-Route",
	HSupported:          "Supported",
	HRequire:            "Require",
	HAllow:              "Allow",
	HEvent:              "Event",
	HSubject:            "Subject",
	HReferTo:            "Refer-To",
	HAcceptContact:      "Accept-Contact",
	HSessionExpires:     "Session-Expires",
	HPAssertedIdentity:  "P-Asserted-Identity",
}

// String returns the canonical header name ("" for HOther).
func (h HeaderID) String() string {
	if h < numHeaderIDs {
		return headerNames[h]
	}
	return ""
}

// compactNames maps a one-letter compact header name (lower case) to its
// full name: RFC 3261 §7.3.3 (i m e l c f s k t v), RFC 3265 §7.2 (o u),
// RFC 3515 §2.1 (r), RFC 3841 (a j d), RFC 3892 (b), RFC 4028 (x),
// RFC 4474 (y n).
var compactNames = [26]string{
	'a' - 'a': "Accept-Contact",
	'b' - 'a': "Referred-By",
	'c' - 'a': "Content-Type",
	'd' - 'a': "Request-Disposition",
	'e' - 'a': "Content-Encoding",
	'f' - 'a': "From",
	'i' - 'a': "Call-ID",
	'j' - 'a': "Reject-Contact",
	'k' - 'a': "Supported",
	'l' - 'a': "Content-Length",
	'm' - 'a': "Contact",
	'n' - 'a': "Identity-Info",
	'o' - 'a': "Event",
	'r' - 'a': "Refer-To",
	's' - 'a': "Subject",
	't' - 'a': "To",
	'u' - 'a': "Allow-Events",
	'v' - 'a': "Via",
	'x' - 'a': "Session-Expires",
	'y' - 'a': "Identity",
}

// compactIDs is compactNames resolved to HeaderIDs (HOther where the full
// name is not an indexed header).
var compactIDs [26]HeaderID

// headerSlots is a perfect hash table of the full names: headerHash of a
// canonical name lands on a slot of its own (TestHeaderHashPerfect), so
// lookup costs one hash and one comparison.
var headerSlots [128]HeaderID

// headerHash mixes the length and the case-folded first and last bytes of
// a header name. |0x20 folds ASCII letters; other bytes only need to hash
// to something, the comparison after the lookup rejects them.
func headerHash(name []byte) int {
	return (len(name)*2 + int(name[0]|0x20) + int(name[len(name)-1]|0x20)*13) & 127
}

func init() {
	for id := HVia; id < numHeaderIDs; id++ {
		slot := headerHash([]byte(headerNames[id]))
		if headerSlots[slot] == HOther {
			headerSlots[slot] = id
		}
	}
	for i, name := range compactNames {
		if name != "" {
			compactIDs[i] = lookupFull([]byte(name))
		}
	}
}

// HeaderIDOf returns the HeaderID of a header name, matching case-
// insensitively and accepting compact forms; HOther when not indexed.
func HeaderIDOf(name []byte) HeaderID {
	if len(name) == 1 {
		c := lower(name[0])
		if c >= 'a' && c <= 'z' {
			return compactIDs[c-'a']
		}
		return HOther
	}
	return lookupFull(name)
}

func lookupFull(name []byte) HeaderID {
	if len(name) == 0 {
		return HOther
	}
	if id := headerSlots[headerHash(name)]; id != HOther && equalFold(name, headerNames[id]) {
		return id
	}
	return HOther
}
