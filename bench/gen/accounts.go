package main

import (
	"math/rand/v2"
	"strconv"
)

// The single registrar/proxy every UA talks to, and the SIP domain it serves.
var (
	registrar     = endpoint{ip: [4]byte{10, 0, 0, 10}, port: 5060}
	registrarHost = "10.0.0.10"
	serverHeader  = "kamailio (5.7.4 (x86_64/linux))"
)

// The binding lifetime UAs ask for and the registrar grants, and the UA's
// refresh point: half the lifetime, as most phones do, well before expiry
// (RFC 3261 §10.2.4).
const (
	registrationExpires = 3600       // seconds
	refreshInterval     = 1800 * 1e6 // microseconds
)

// account is one address-of-record with the UA registered for it.
type account struct {
	user      string // the AOR's user part, also the digest username
	display   string
	ua        endpoint
	host      string // the UA's IP address as text (Via sent-by, Contact)
	userAgent string
	ha1       string // H(A1) of the password the UA is configured with
	callID    string // kept across refreshes (RFC 3261 §10.2.4)
	cseq      uint32 // last REGISTER CSeq used by this UA
	failing   bool   // configured with a wrong password
}

var userAgents = []string{
	"Yealink SIP-T46U 108.86.0.20",
	"PolycomVVX-VVX_450-UA/6.4.3.5018",
	"Grandstream GXP2170 1.0.11.23",
	"Cisco-SIPGateway/IOS-17.6.5",
	"baresip v3.10.1 (x86_64/linux)",
	"Linphone/5.2.5 (belle-sip/5.2.94)",
}

var firstNames = []string{
	"Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi",
	"Ivan", "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil",
	"Trent", "Victor", "Walter", "Yusuf",
}

// newAccounts creates n accounts on UAs at 10.20.0.1 upwards, and marks
// failing of them (chosen at random) as configured with a wrong password.
func newAccounts(n, failing int, rng *rand.Rand, ids *idSource) []account {
	accts := make([]account, n)
	for i := range accts {
		a := &accts[i]
		addr := 10<<24 | 20<<16 + uint32(i) + 1 // 10.20.0.1, 10.20.0.2, ...
		a.ua = endpoint{ip: [4]byte{byte(addr >> 24), byte(addr >> 16), byte(addr >> 8), byte(addr)}, port: 5060}
		a.host = strconv.Itoa(int(a.ua.ip[0])) + "." + strconv.Itoa(int(a.ua.ip[1])) + "." +
			strconv.Itoa(int(a.ua.ip[2])) + "." + strconv.Itoa(int(a.ua.ip[3]))
		a.user = strconv.Itoa(100000 + i)
		a.display = firstNames[i%len(firstNames)] + " " + a.user[len(a.user)-3:]
		a.userAgent = userAgents[rng.IntN(len(userAgents))]
		a.ha1 = ha1(a.user, "pw-"+a.user)
		var b [40]byte
		a.callID = string(appendHex64(b[:0], ids.next())) + "@" + a.host
		a.cseq = uint32(rng.IntN(1000)) + 1
	}
	for _, i := range rng.Perm(n)[:failing] {
		accts[i].failing = true
		accts[i].ha1 = ha1(accts[i].user, "wrong-"+accts[i].user)
	}
	return accts
}
