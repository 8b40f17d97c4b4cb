package rules

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/sipdiag/sipdiag/decode"
)

// RegistrationRejected is REG004.
var RegistrationRejected = &Rule{
	ID: "REG004", Name: "registration-rejected", Severity: Critical,
	Title: "the registrar refuses the registration for a reason other than the credentials",
	Doc: `A REGISTER ended in a final failure that is not about the digest credentials (RFC 3261 §10.3,
§21): 403 Forbidden without a challenge before it, 404, 400, 420, 480, 405, 3xx, other 5xx or
6xx. The status code says what the registrar objects to, and each finding explains its code in
plain words: 403 without a challenge is a policy (source address not on the allow-list, account
disabled, User-Agent blocked, or a ban after failed attempts: AUTH005); 404 an unknown user or
domain; 400 a request the registrar cannot read; 420 a required extension it does not support;
480 a registrar that cannot serve the user now; 5xx a failing registrar or a proxy that cannot
reach it; 6xx a definitive refusal. Not here: 401/407 with a challenge (the AUTH rules), 403
after credentials (AUTH003), 423 (REG003), 408 and 503 (TXN002, overload). The reason phrase,
Warning and Retry-After are quoted because registrars often name the cause there. A refusal
followed by a successful registration in the capture is reported with low confidence.`,
	Fix: `Act on the status code (each finding names the fix for its code): 403 without challenge: have
the provider allow the source address (the public one it sees) and enable the account; 404: set
the username and the registrar domain exactly as the provider gave them; 400: read the reason
phrase/Warning, look for a SIP ALG or a malformed header; 420: disable the extension named in
Unsupported; 480/5xx: retry later and have the provider check the registrar and its backend;
6xx: ask the provider why the account is refused.`,
	Refs: []string{"RFC 3261 §10.3", "RFC 3261 §21.4", "RFC 3261 §21.5", "RFC 3261 §21.6", "RFC 3261 §20.43"},
	Thresholds: []Threshold{
		{Name: "min-refusals", Default: "1", Doc: "refusals with one status code for one account before it is reported; 1, since a final refusal leaves the UA unregistered (RULES.md)"},
		{Name: "group-accounts", Default: "5", Doc: "accounts refused with one code from one source address that are reported as one finding on the source (a PBX or SBC registering many accounts, or a scanner); 5, below which one finding per account is still readable"},
	},
	// A binding whose refresh is refused lapses.
	Explains: []string{"REG001"},
	Run:      runRegistrationRejected,
}

// refusal explains one status code: what it means and what to do.
type refusal struct {
	meaning, fix string
}

// explainRefusal chooses the explanation of a final response to REGISTER
// (RFC 3261 §21 for the codes; the field guides for their usual causes).
func explainRefusal(status int) refusal {
	switch status {
	case 400:
		return refusal{"the registrar cannot read the REGISTER: a malformed or missing header (the reason phrase or Warning often names it), often made by a SIP ALG rewriting the packet",
			"read the reason phrase and Warning, compare the REGISTER with RFC 3261 §10.2, disable SIP ALG on the router/firewall, upgrade the UA"}
	case 403:
		return refusal{"the registrar refuses without asking for credentials: the source address is not on its allow-list, the account is disabled or suspended, the User-Agent is blocked, or the source was banned after failed attempts",
			"have the provider allow the source address it sees (the public address after NAT) and check that the account is active; if a burst of failures came first, see AUTH005"}
	case 404:
		return refusal{"the registrar does not know this user or domain: the user part of the AOR or the domain (Request-URI, To) is wrong — a typo, the number in another format, an IP address where the provider expects its domain",
			"set the username/AOR exactly as the provider gave it and the registrar domain to the provider's SIP domain"}
	case 405:
		return refusal{"the server the REGISTER went to does not accept registrations: it is a proxy, gateway or trunk endpoint, not a registrar",
			"point the UA's registrar setting at the provider's registrar"}
	case 410:
		return refusal{"the account is gone: the registrar knew it but it no longer exists",
			"ask the provider for the current account or registrar"}
	case 420:
		return refusal{"the REGISTER requires an extension (Require/Proxy-Require: path, outbound, gruu, sec-agree, ...) that the registrar does not support; its Unsupported header names it",
			"disable that extension on the UA, or have the registrar support it"}
	case 480:
		return refusal{"the registrar cannot serve this user now: its backend (database, HSS, home registrar) is unavailable or the user is temporarily barred",
			"retry later (honour Retry-After); ask the provider to check the registrar and its backend"}
	case 482, 483:
		return refusal{"the REGISTER loops between proxies or exceeds Max-Forwards: a routing loop on the way to the registrar",
			"fix the routes (outbound proxy, DNS SRV) so that the REGISTER reaches the registrar once"}
	case 494:
		return refusal{"the registrar requires a security agreement (RFC 3329 sec-agree, IMS) that the UA did not offer",
			"enable sec-agree/IPsec or TLS on the UA as the provider requires"}
	case 500:
		return refusal{"the registrar failed internally (often its database or location service)",
			"retry later; ask the provider to check the registrar's logs"}
	case 502, 504:
		return refusal{"a proxy on the way could not get an answer from the registrar behind it (502 a bad response, 504 a timeout)",
			"ask the provider to check the path from its edge proxy to the registrar; retry later"}
	case 513:
		return refusal{"the REGISTER is too large for the path (often over UDP with many Contacts or long headers)",
			"register over TCP, or trim the headers the UA adds"}
	case 603:
		return refusal{"the registrar declines this registration definitively (policy)",
			"ask the provider why the account is refused"}
	case 604:
		return refusal{"the user does not exist anywhere, says the registrar",
			"set the username/AOR and domain exactly as the provider gave them"}
	}
	switch {
	case status == 401 || status == 407:
		return refusal{"the registrar answers with a challenge status but no usable challenge header (WWW-Authenticate/Proxy-Authenticate missing or unreadable), so the UA cannot authenticate",
			"check the registrar's authentication setup; look for an ALG or SBC that strips the header"}
	case status >= 300 && status < 400:
		return refusal{"the registrar redirects the REGISTER elsewhere (the Contact of the response names where)",
			"register with the registrar the redirect names, or configure it as the registrar/outbound proxy"}
	case status >= 500 && status < 600:
		return refusal{"the registrar or a server before it fails",
			"retry later (honour Retry-After); ask the provider to check the registrar"}
	case status >= 600:
		return refusal{"a definitive refusal: no registrar will accept this registration",
			"ask the provider why the account is refused"}
	}
	return refusal{"the registrar refuses the REGISTER as a bad request",
		"compare the REGISTER with what the provider expects; the reason phrase and Warning give the detail"}
}

// explainedElsewhere reports the refusals other rules own: challenges
// (AUTH rules), 403 after credentials (AUTH003), 423 (REG003), 408 and 503
// (TXN002, overload).
func explainedElsewhere(t *decode.Transaction) bool {
	switch s := t.Final.Status; {
	case s < 300:
		return true
	case (s == 401 || s == 407) && t.Final.Challenge != nil:
		return true
	case s == 403 && t.Credentials != nil:
		return true
	case s == 423, s == 408, s == 503:
		return true
	}
	return false
}

type refusalKey struct {
	subject string
	status  int
}

type refusalState struct {
	src         netip.Addr
	reg         *decode.Registration
	first, last *decode.Transaction
	count       int
	resolved    *decode.Transaction // a later successful registration
	calls       callIDs
}

func runRegistrationRejected(p *Pass) error {
	minRefusals, err := p.Int("min-refusals")
	if err != nil {
		return err
	}
	states := map[refusalKey]*refusalState{}
	var order []refusalKey
	open := map[*decode.Registration][]*refusalState{} // not yet followed by a success

	p.OnRegistration(func(e *decode.RegistrationEvent) {
		t := e.Txn
		switch e.Kind {
		case decode.RegGranted, decode.RegRefreshed, decode.RegDeregistered:
			for _, s := range open[e.Reg] {
				s.resolved = t
			}
			delete(open, e.Reg)
			return
		case decode.RegFailed:
		default:
			return
		}
		if t.Final == nil || explainedElsewhere(t) {
			return
		}
		k := refusalKey{t.Subject(), t.Final.Status}
		s := states[k]
		if s == nil {
			s = &refusalState{src: t.Client.Addr(), reg: e.Reg, first: t}
			states[k] = s
			order = append(order, k)
		}
		if s.resolved != nil || s.count == 0 {
			s.resolved = nil // refused (again) after a success: not resolved
			open[e.Reg] = append(open[e.Reg], s)
		}
		s.last = t
		s.count++
		s.calls.add(t.CallID)
	})

	groupAccounts, err := p.Int("group-accounts")
	if err != nil {
		return err
	}
	p.AtEnd(func(*decode.Trace) {
		type sourceKey struct {
			src    netip.Addr
			status int
		}
		groups := map[sourceKey][]*refusalState{}
		// Servers each source was refused by, whatever the code: a source
		// refused by many servers is scanning.
		servers := map[netip.Addr]map[netip.Addr]bool{}
		for _, k := range order {
			s := states[k]
			if s.count < minRefusals {
				continue
			}
			sk := sourceKey{s.src, k.status}
			groups[sk] = append(groups[sk], s)
			if servers[s.src] == nil {
				servers[s.src] = map[netip.Addr]bool{}
			}
			servers[s.src][s.first.Server.Addr()] = true
		}
		for _, k := range order {
			s := states[k]
			if s.count < minRefusals {
				continue
			}
			g := groups[sourceKey{s.src, k.status}]
			switch {
			case groupAccounts < 1 || len(g) < groupAccounts || !s.src.IsValid():
				// (a log that gives no addresses has no source to fold on)
				reportRefusal(p, k, s, len(servers[s.src]))
			case g[0] == s:
				reportRefusalsFromSource(p, k.status, g, len(servers[s.src]))
			}
		}
	})
	return nil
}

// scanServers is how many servers refusing one source make it look like a
// scanner: a UA or PBX registers with one registrar, or two for redundancy.
const scanServers = 3

// reportRefusalsFromSource reports many accounts refused alike from one
// address as one finding on the source: one cause, not one per account.
func reportRefusalsFromSource(p *Pass, status int, g []*refusalState, servers int) {
	why := explainRefusal(status)
	first := g[0]
	var accounts []string
	registrars := map[string]bool{}
	count := 0
	var calls callIDs
	last := first
	for _, s := range g {
		if len(accounts) < 3 {
			accounts = append(accounts, s.first.Subject())
		}
		registrars[s.reg.Registrar] = true
		count += s.count
		calls.add(s.first.CallID)
		if s.last.Final.At.Time > last.last.Final.At.Time {
			last = s
		}
	}
	msg := fmt.Sprintf("REGISTERs from %s for %d accounts (%s, ...) at %d registrar(s) refused with %s (%s in all): %s. Fix: %s",
		first.src, len(g), strings.Join(accounts, ", "), len(registrars), statusSummary(first.first.Final), times(count), why.meaning, why.fix)
	conf := High
	if servers >= scanServers {
		msg += fmt.Sprintf(". One source refused for many accounts by %d servers looks like a scan (SIPVicious, friendly-scanner), not a misconfigured UA", servers)
		conf = Low
	}
	ev := []Evidence{
		requestEvidence(first.first, fmt.Sprintf("first account: To %s, Contact %s", first.first.ToAOR, first.first.Contact)),
		finalEvidence(first.first, refusalNote(first.first.Final)),
		finalEvidence(last.last, fmt.Sprintf("last refusal, account %s: %s", last.last.Subject(), refusalNote(last.last.Final))),
	}
	p.Report(Finding{
		Subject: sourceSubject(first.src), At: first.first.Final.At, Message: msg,
		Evidence: ev, CallIDs: calls.ids, Affected: count, Confidence: conf,
	})
}

func reportRefusal(p *Pass, k refusalKey, s *refusalState, servers int) {
	why := explainRefusal(k.status)
	if k.status == 403 {
		why = refine403(s.first.Final, why)
	}
	f := s.first.Final
	msg := fmt.Sprintf("REGISTER for %s to %s refused with %s", k.subject, s.reg.Registrar, statusSummary(f))
	if s.count > 1 {
		msg += " (" + times(s.count) + ")"
	}
	msg += ": " + why.meaning
	if k.status == 403 && s.reg.Challenges == 0 {
		msg += "; this registrar never challenged this account in the capture"
	}
	msg += ". Fix: " + why.fix
	conf := High
	if servers >= scanServers {
		msg += fmt.Sprintf(". The same source is refused by %d servers: this looks like a scan, not a misconfigured UA", servers)
		conf = Low
	}
	if s.resolved != nil && s.resolved.Final != nil {
		msg += fmt.Sprintf(". Registered at %s later, so it was resolved during the capture", refText(s.resolved.Final.At))
		conf = Low
	}
	asked := ""
	if s.first.Requested >= 0 {
		asked = fmt.Sprintf("; asks for %d s", s.first.Requested)
	}
	ev := []Evidence{
		requestEvidence(s.first, fmt.Sprintf("To %s, Contact %s%s", s.first.ToAOR, s.first.Contact, asked)),
		finalEvidence(s.first, refusalNote(f)),
	}
	if s.count > 1 {
		ev = append(ev, finalEvidence(s.last, fmt.Sprintf("refusal %d: %s", s.count, refusalNote(s.last.Final))))
	}
	p.Report(Finding{
		Subject: k.subject, At: f.At, Message: msg,
		Evidence: ev, CallIDs: s.calls.ids, Affected: s.count, Confidence: conf,
	})
}

// refusalNote quotes a refusal with what registrars put there to explain
// it: Warning (RFC 3261 §20.43), Retry-After (§20.33), Reason (RFC 3326).
func refusalNote(r *decode.Response) string {
	s := "refused: " + statusSummary(r)
	if r.Warning != "" {
		s += "; Warning: " + r.Warning
	}
	if r.ReasonHdr != "" {
		s += "; Reason: " + r.ReasonHdr
	}
	if r.RetryAfter >= 0 {
		s += fmt.Sprintf("; Retry-After: %d", r.RetryAfter)
	}
	return s
}

// refine403 narrows the causes of a 403 without challenge when the reason
// phrase or Warning names one (registrars often do: Kamailio "403 Forbidden
// - too many failed authentications", "source not allowed").
func refine403(r *decode.Response, why refusal) refusal {
	switch {
	case mentions(r, "too many", "banned", "blocked", "blacklist", "flood", "rate limit", "pike"):
		return refusal{"the registrar says the source is banned or rate-limited (its reason phrase or Warning names it), usually after a burst of failed attempts",
			"fix the credentials first, then ask the provider to lift the ban or wait for it to expire (see AUTH005)"}
	case mentions(r, "not allowed", "allow", "acl", "source", "ip address", "address"):
		return refusal{"the registrar says the source address is not allowed (its reason phrase or Warning names it): an allow-list or IP-authentication trunk",
			"have the provider add the source address it sees (the public address after NAT) to its allow-list"}
	case mentions(r, "disabled", "suspended", "inactive", "blocked account", "expired"):
		return refusal{"the registrar says the account is disabled or suspended (its reason phrase or Warning names it)",
			"ask the provider to enable the account"}
	case mentions(r, "user-agent", "user agent"):
		return refusal{"the registrar refuses this User-Agent (its reason phrase or Warning names it)",
			"ask the provider which devices it accepts, or change the User-Agent the UA sends if the provider allows it"}
	}
	return why
}
