package rules

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/sipdiag/sipdiag/decode"
)

// CredentialsRejected is AUTH003.
var CredentialsRejected = &Rule{
	ID: "AUTH003", Name: "credentials-rejected", Severity: Warning,
	Title: "the server rejects the credentials the UA answers a challenge with",
	Doc: `The UA answered a 401/407 challenge with credentials for the challenged realm, computed over the
nonce the server had just given (so the nonce is fresh, not stale; RFC 7616 §3.3), and the server
answered 401/407 again or 403 Forbidden (RFC 3261 §22.2, §22.4). The digest response did not
match what the server computed from its stored password: the password is wrong, or the username
is not the one the server knows (often the authentication username differs from the phone
number), or the realm the password was set for differs. A 403 after credentials can also mean
the credentials were accepted but the account may not do this request (call this destination),
so it is reported with less confidence unless the reason phrase or Warning speaks of
authentication. A rejection repeated in a loop is AUTH004; a wrong realm is AUTH001.`,
	Fix: `Re-enter the username and password of the account on the UA. Make sure the username is the
authentication username the provider gave (often not the number or extension), and check case
and trailing whitespace in both. On Cisco CUBE, check "credentials username ... password ..."
(sip-ua) and "authentication username ... password ..." (sip-ua or dial-peer). If the provider
says the password is right, ask it which username and realm it expects.`,
	Refs: []string{"RFC 3261 §22.2", "RFC 3261 §22.4", "RFC 7616 §3.3", "RFC 7616 §3.4"},
	Thresholds: []Threshold{
		{Name: "min-rejections", Default: "1", Doc: "rejected answers for one account and method before it is reported; 1, since a single rejection of credentials computed over a fresh nonce already means they are wrong (RULES.md)"},
		{Name: "group-accounts", Default: "5", Doc: "accounts with rejected credentials from one source address that are reported as one finding on the source (a PBX with a wrong bulk password, or password guessing); 5, as REG004"},
	},
	// A binding whose refresh is rejected lapses.
	Explains: []string{"REG001"},
	Run:      runCredentialsRejected,
}

type rejectKey struct {
	subject, method string
	ua              netip.Addr
}

type rejectState struct {
	first, last *decode.AuthExchange
	count       int
	kinds       map[string]int // "401→401": count
	oldNonce    int            // answers that did not use the challenge's nonce
	policy403   int            // 403s whose reason/Warning says nothing about authentication
	withoutChal int            // 403s to credentials whose challenge is not in the capture
	resolved    *decode.AuthExchange
	calls       callIDs
}

func runCredentialsRejected(p *Pass) error {
	minRejections, err := p.Int("min-rejections")
	if err != nil {
		return err
	}
	if minRejections < 1 {
		minRejections = 1
	}
	states := map[rejectKey]*rejectState{}
	var order []rejectKey
	// The accounts that have a state: every accepted exchange asks, and
	// nearly always for an account that has none, which a string-keyed
	// map answers at half the cost of states' struct key.
	stateSubjects := map[string]struct{}{}
	// Nonces the capture saw servers give each UA in a challenge. Credentials
	// on one of them that reach the rules without their challenge came after
	// the correlator closed it at Timer F: a late answer, which AUTH002
	// reports with its refusal (a server refusing an aged nonce may well
	// say "403 Wrong password"). Bounded like the other per-call maps.
	// Kept as hashes of (UA, nonce): the nonce strings would keep their
	// challenges alive.
	challenged := newHashSet(maxWatchedCalls)
	p.OnTransaction(func(t *decode.Transaction) {
		if t.Final != nil && t.Final.Challenge != nil && t.Final.Challenge.Nonce != "" {
			challenged.add(t.Client.Addr(), t.Final.Challenge.Nonce)
		}
	})

	p.OnAuth(func(a *decode.AuthExchange) {
		if a.Answer == nil || a.Answer.Credentials == nil {
			return
		}
		k := rejectKey{a.Subject, a.Method, a.Client.Addr()}
		switch a.Outcome {
		case decode.AuthAccepted, decode.AuthOther:
			// The credentials worked (AuthOther: the request failed later
			// for another reason): what was rejected before is resolved.
			// A 5xx does not show that: a busy server may refuse before
			// it looks at the credentials.
			if f := a.Answer.Final; a.Outcome == decode.AuthOther && (f == nil || f.Status >= 500) {
				return
			}
			if _, some := stateSubjects[a.Subject]; !some {
				return
			}
			if s := states[k]; s != nil && s.resolved == nil {
				s.resolved = a
			}
			return
		case decode.AuthRejected:
		default:
			return
		}
		final := a.Answer.Final
		if final == nil {
			return
		}
		ch := challengeOf(a)
		cr := a.Answer.Credentials
		if ch == nil && cr.Nonce != "" && challenged.has(a.Client.Addr(), cr.Nonce) {
			return // a late answer to a challenge in the capture: AUTH002
		}
		if ch == nil && final.Status != 403 {
			// Credentials reusing a nonce from before the capture and
			// re-challenged: the normal end of a nonce's life, not a
			// wrong password. If the fresh answer fails, that one counts.
			return
		}
		if final.Status != 403 && speaksOfNonce(final) {
			// "401 nonce has changed" (Cirpack), "stale nonce": the server
			// refuses the nonce, not the password, without saying
			// stale=true. The next answer, on a fresh nonce, tells.
			return
		}
		if ch != nil && ch.Realm != "" && cr.Realm != "" && ch.Realm != cr.Realm {
			return // credentials for another realm: AUTH001
		}
		s := states[k]
		if s == nil {
			s = &rejectState{first: a, kinds: map[string]int{}}
			states[k] = s
			stateSubjects[a.Subject] = struct{}{}
			order = append(order, k)
		}
		s.last = a
		s.count++
		s.resolved = nil // failing again after a success: not resolved
		s.calls.add(a.CallID)
		if ch != nil {
			s.kinds[fmt.Sprintf("%d→%d", a.Challenge.Final.Status, final.Status)]++
			if ch.Nonce != "" && cr.Nonce != "" && ch.Nonce != cr.Nonce {
				s.oldNonce++
			}
		} else {
			s.kinds[fmt.Sprintf("credentials→%d", final.Status)]++
			s.withoutChal++
		}
		if final.Status == 403 && !speaksOfAuth(final) {
			s.policy403++
		}
	})

	groupAccounts, err := p.Int("group-accounts")
	if err != nil {
		return err
	}
	p.AtEnd(func(*decode.Trace) {
		accounts := map[netip.Addr]map[string]bool{}
		for _, k := range order {
			if states[k].count >= minRejections {
				if accounts[k.ua] == nil {
					accounts[k.ua] = map[string]bool{}
				}
				accounts[k.ua][k.subject] = true
			}
		}
		grouped := map[netip.Addr]bool{}
		for _, k := range order {
			s := states[k]
			if s.count < minRejections {
				continue
			}
			// A log that gives no addresses has no source to fold on.
			if groupAccounts < 1 || len(accounts[k.ua]) < groupAccounts || !k.ua.IsValid() {
				reportRejections(p, k, s)
				continue
			}
			if !grouped[k.ua] {
				grouped[k.ua] = true
				var g []rejectKey
				for _, k2 := range order {
					if k2.ua == k.ua && states[k2].count >= minRejections {
						g = append(g, k2)
					}
				}
				reportRejectionsFromSource(p, k.ua, g, states, len(accounts[k.ua]))
			}
		}
	})
	return nil
}

// reportRejectionsFromSource reports many accounts whose credentials are
// rejected from one address as one finding on the source.
func reportRejectionsFromSource(p *Pass, src netip.Addr, g []rejectKey, states map[rejectKey]*rejectState, accounts int) {
	first, last := states[g[0]], states[g[0]]
	var names []string
	seen := map[string]bool{}
	count, resolved := 0, 0
	var calls callIDs
	servers := map[netip.Addr]bool{}
	for _, k := range g {
		s := states[k]
		servers[s.first.Answer.Server.Addr()] = true
		if !seen[k.subject] && len(names) < 3 {
			names = append(names, k.subject)
		}
		seen[k.subject] = true
		count += s.count
		if s.resolved != nil {
			resolved++
		}
		calls.add(s.first.CallID)
		if s.last.Answer.Final.At.Time > last.last.Answer.Final.At.Time {
			last = s
		}
	}
	msg := fmt.Sprintf("the server rejected the credentials of %d accounts from %s (%s, ...), %s in all: every account this source tries fails, so either a PBX/SBC there has wrong passwords for all its accounts or someone is guessing passwords",
		accounts, src, strings.Join(names, ", "), times(count))
	if resolved > 0 {
		msg += fmt.Sprintf("; %d of them got in later", resolved)
	}
	conf := High
	if len(servers) >= scanServers {
		msg += fmt.Sprintf("; it tries them at %d servers, which a scanner does, not a PBX", len(servers))
		conf = Low
	}
	cr := first.first.Answer.Credentials
	ev := []Evidence{
		requestEvidence(first.first.Answer, "first answer: "+credentialsNote(cr)+nonceNote(first.first)),
		finalEvidence(first.first.Answer, "rejected: "+authRejectionNote(first.first.Answer.Final)),
		requestEvidence(last.last.Answer, "last answer: "+credentialsNote(last.last.Answer.Credentials)),
		finalEvidence(last.last.Answer, "rejected: "+authRejectionNote(last.last.Answer.Final)),
	}
	p.Report(Finding{
		Subject: sourceSubject(src), At: first.first.Answer.Request, Message: msg,
		Evidence: ev, CallIDs: calls.ids, Affected: count, Confidence: conf,
	})
}

func reportRejections(p *Pass, k rejectKey, s *rejectState) {
	var kinds []string
	for kd := range s.kinds {
		kinds = append(kinds, kd)
	}
	sort.Strings(kinds)
	cr := s.first.Answer.Credentials
	msg := fmt.Sprintf("the server rejected the credentials of %s for %s %s (%s): username %q, realm %q",
		k.method, k.subject, times(s.count), strings.Join(kinds, " / "), cr.Username, cr.Realm)
	conf := High
	var doubts []string
	switch {
	case s.oldNonce == s.count:
		doubts = append(doubts, "the UA did not use the nonce of the challenge it answered, so the nonce alone may be why")
		conf = Low
	case s.withoutChal == s.count:
		doubts = append(doubts, "the challenge these credentials answer is not in the capture")
		conf = Medium
	}
	switch {
	case s.policy403 == s.count && k.method == "REGISTER":
		// A registrar's 403 to credentials is the wrong password (Asterisk
		// answers so) or a disabled account: no call policy is involved.
		doubts = append(doubts, "a 403 to a REGISTER with credentials can also mean the account is disabled")
	case s.policy403 == s.count:
		doubts = append(doubts, "a 403 after credentials can also mean the account may not do this request")
		if conf == High {
			conf = Medium
		}
	}
	if conf == High {
		msg += ": the password or the username is wrong"
	}
	for _, d := range doubts {
		msg += "; " + d
	}
	if s.resolved != nil && s.resolved.Answer.Final != nil {
		if s.resolved.Outcome == decode.AuthAccepted {
			msg += fmt.Sprintf("; then accepted at %s, so it was resolved during the capture", refText(s.resolved.Answer.Final.At))
		} else {
			msg += fmt.Sprintf("; later credentials passed (%s, %s), so it was resolved during the capture",
				refText(s.resolved.Answer.Final.At), statusSummary(s.resolved.Answer.Final))
		}
		conf = Low
	}
	var ev []Evidence
	if ch := challengeOf(s.first); ch != nil {
		ev = append(ev, finalEvidence(s.first.Challenge, "challenge: "+challengeNote(ch)))
	}
	ev = append(ev,
		requestEvidence(s.first.Answer, "answer: "+credentialsNote(cr)+nonceNote(s.first)),
		finalEvidence(s.first.Answer, "rejected: "+authRejectionNote(s.first.Answer.Final)),
	)
	if s.count > 1 {
		ev = append(ev, finalEvidence(s.last.Answer, fmt.Sprintf("rejection %d: %s", s.count, authRejectionNote(s.last.Answer.Final))))
	}
	p.Report(Finding{
		Subject: k.subject, At: s.first.Answer.Request, Message: msg,
		Evidence: ev, CallIDs: s.calls.ids, Affected: s.count, Confidence: conf,
	})
}

// nonceNote says whether an answer used the nonce of the challenge it answers.
func nonceNote(a *decode.AuthExchange) string {
	ch := challengeOf(a)
	if ch == nil || ch.Nonce == "" || a.Answer.Credentials.Nonce == "" {
		return ""
	}
	if ch.Nonce == a.Answer.Credentials.Nonce {
		return " (the challenge's own nonce)"
	}
	return " (not the challenge's nonce)"
}

// authRejectionNote quotes what a rejecting response says: its reason phrase
// and Warning (RFC 3261 §20.43), which often name the cause.
func authRejectionNote(r *decode.Response) string {
	s := statusSummary(r)
	if r.Warning != "" {
		s += "; Warning: " + r.Warning
	}
	if r.Challenge != nil && r.Challenge.Stale {
		s += "; stale=true"
	}
	return s
}

// speaksOfAuth reports whether a 403's reason phrase or Warning names
// authentication (Kamailio "403 Incorrect Authentication", Asterisk and
// IMS "Authentication Failed"), which tells a wrong password from a policy.
func speaksOfAuth(r *decode.Response) bool {
	return mentions(r, "auth", "password", "credential", "digest")
}

// speaksOfNonce reports whether a re-challenge's reason phrase or Warning
// blames the nonce rather than the credentials.
func speaksOfNonce(r *decode.Response) bool {
	return mentions(r, "nonce", "stale")
}

// refText names where a message is in a message text: "frame 12" in a
// capture, "line 230" in a text log.
func refText(r decode.Ref) string {
	if r.Frame == 0 && r.Line > 0 {
		return fmt.Sprintf("line %d", r.Line)
	}
	return fmt.Sprintf("frame %d", r.Frame)
}
