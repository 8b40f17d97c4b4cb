package rules

import (
	"fmt"
	"hash/maphash"
	"net/netip"

	"github.com/sipdiag/sipdiag/decode"
)

// RealmMismatch is AUTH001.
var RealmMismatch = &Rule{
	ID: "AUTH001", Name: "realm-mismatch", Severity: Critical,
	Title: "credentials use a realm that the server did not challenge for",
	Doc: `A digest response is computed over the realm (RFC 3261 §22.4, RFC 7616 §3.4): credentials
for another realm can never be accepted. Two shapes show in a trace:
(a) the UA answers a 401/407 with an Authorization whose realm differs from the challenge's — it
has credentials bound to a fixed realm, often an old one;
(b) (with --config) the challenge's realm matches no configured credentials and the UA gives up:
Cisco CUBE matches the realm against the dial-peer's "authentication", then sip-ua
"credentials", then sip-ua "authentication" lines, and with no match terminates the request
without answering (an entry without a realm answers any realm);
(c) the UA answered challenges of realm A successfully earlier in the trace, then the server
challenges with realm B and the UA never answers: the provider moved platforms or changed the
realm, and a UA that picks credentials by realm (Cisco CUBE, linphone with realm-bound
credentials) silently has none for B.`,
	Fix: `Set the credentials' realm to the challenged one, or remove the realm from the credentials so
the challenge's realm is used. With --config the evidence shows the exact lines to change. On Cisco CUBE: drop "realm ..." from the "authentication username
... password ... realm ..." (dial-peer) or "credentials ... realm ..." (sip-ua) line, or change it
to the realm the provider now sends. If the realm changed without notice, raise it with the
provider.`,
	Refs:     []string{"RFC 3261 §22.4", "RFC 7616 §3.4", "Cisco CUBE: multiple registrars and realm matching"},
	Explains: []string{"AUTH002", "AUTH003", "AUTH004", "AUTH005", "REG001"},
	Run:      runRealmMismatch,
}

type realmPair struct{ subject, challenged, answered string }

type realmSeen struct {
	first, last *decode.AuthExchange
	earlier     *acceptedAnswer // (b), (c): the accepted answer with the old realm
	count       int
	calls       callIDs
}

// acceptedAnswer is what the report cites of an account's last accepted
// answer, read from the exchange (acceptedRef) when a finding needs it.
type acceptedAnswer struct {
	client                     netip.Addr // the exchange's UA
	callID                     string     // the exchange's Call-ID
	from, to                   netip.AddrPort
	request                    decode.Ref
	method, requestURI         string
	sends                      int
	proxy                      bool
	username, realm, uri, algo string
}

func acceptedOf(a *decode.AuthExchange) acceptedAnswer {
	t, cr := a.Answer, a.Answer.Credentials
	return acceptedAnswer{
		client: a.Client.Addr(), callID: a.CallID, from: t.Client, to: t.Server, request: t.Request,
		method: t.Method, requestURI: t.RequestURI, sends: t.Sends,
		proxy: cr.Proxy, username: cr.Username, realm: cr.Realm, uri: cr.URI, algo: cr.Algorithm,
	}
}

// acceptedRef is an account's last accepted exchange as it was accepted:
// the exchange, whose fields acceptedOf reads do not change afterwards,
// and the copies of its answer sent by then (a retransmission while the
// transaction lingers adds to Sends).
type acceptedRef struct {
	a     *decode.AuthExchange
	sends int
	_     [8]byte // makes its slotTable slot 32 bytes: two to a cache line, none across two
}

// answer is acceptedOf as of the acceptance.
func (r *acceptedRef) answer() acceptedAnswer {
	ok := acceptedOf(r.a)
	ok.sends = r.sends
	return ok
}

// evidence cites the accepted answer as requestEvidence would.
func (o *acceptedAnswer) evidence() Evidence {
	t := decode.Transaction{Method: o.method, RequestURI: o.requestURI, Sends: o.sends}
	cr := decode.AuthCredentials{Proxy: o.proxy, Username: o.username, Realm: o.realm, URI: o.uri, Algorithm: o.algo}
	return Evidence{At: o.request, Src: o.from, Dst: o.to, Summary: requestSummary(&t),
		Note: "earlier answer, accepted: " + credentialsNote(&cr)}
}

func runRealmMismatch(p *Pass) error {
	wrong := map[realmPair]*realmSeen{}      // part (a)
	unanswered := map[realmPair]*realmSeen{} // part (c)
	noConfig := map[realmPair]*realmSeen{}   // part (b)
	var order, orderB, orderC []realmPair    // report in first-seen order
	// The last accepted exchange per account; part (c) compares with it
	// only when the unanswered challenge went to the same UA address.
	// In a slotTable by a hash of the account (the value in the
	// slot), overwritten in place: a map would cost a second lookup per
	// accepted exchange. It holds the
	// exchange, read only when a challenge goes unanswered: copying what
	// acceptedOf reads (four cache lines) for every accepted exchange cost
	// a cache miss a line once the accounts outgrow the caches. Two
	// accounts share a hash with probability 2⁻⁶⁴.
	var accepted slotTable[acceptedRef]
	seed := maphash.MakeSeed()
	router := routerSeen{} // part (b): who the router is, when the configuration cannot say

	p.OnAuth(func(a *decode.AuthExchange) {
		router.learn(p.Config(), a)
		// The challenge is read only where needed: most exchanges are
		// accepted answers, whose challenge lies out of the CPU caches.
		switch {
		case a.RealmsDiffer(): // the challenge, a.Answer and its credentials are there, with two realms
			k := realmPair{a.Subject, challengeOf(a).Realm, a.Answer.Credentials.Realm}
			s := wrong[k]
			if s == nil {
				s = &realmSeen{first: a}
				wrong[k] = s
				order = append(order, k)
			}
			s.last = a
			s.count++
			s.calls.add(a.CallID)
		case a.Outcome == decode.AuthAccepted && a.Answer != nil && a.Answer.Credentials != nil:
			*accepted.put(maphash.String(seed, a.Subject)) = acceptedRef{a: a, sends: a.Answer.Sends}
		case a.Outcome != decode.AuthUnanswered:
		case unansweredRealm(a) != "" && unconfiguredRealm(p.Config(), a, unansweredRealm(a), router):
			ch := challengeOf(a)
			k := realmPair{a.Subject, ch.Realm, ""}
			s := noConfig[k]
			if s == nil {
				s = &realmSeen{first: a}
				if r := accepted.get(maphash.String(seed, a.Subject)); r != nil {
					earlier := r.answer()
					s.earlier = &earlier
				}
				noConfig[k] = s
				orderB = append(orderB, k)
			}
			s.last = a
			s.count++
			s.calls.add(a.CallID)
		case unansweredRealm(a) != "":
			ch := challengeOf(a)
			r := accepted.get(maphash.String(seed, a.Subject))
			if r == nil {
				return
			}
			ok := r.answer()
			if ok.client != a.Client.Addr() || ok.realm == "" || ok.realm == ch.Realm {
				return
			}
			k := realmPair{a.Subject, ch.Realm, ok.realm}
			s := unanswered[k]
			if s == nil {
				earlier := ok
				s = &realmSeen{first: a, earlier: &earlier}
				unanswered[k] = s
				orderC = append(orderC, k)
			}
			s.last = a
			s.count++
			s.calls.add(a.CallID)
			s.calls.add(ok.callID)
		}
	})

	p.AtEnd(func(*decode.Trace) {
		for _, k := range order {
			s := wrong[k]
			ev := []Evidence{
				finalEvidence(s.first.Challenge, challengeNote(s.first.Challenge.Final.Challenge)),
				requestEvidence(s.first.Answer, credentialsNote(s.first.Answer.Credentials)),
			}
			if s.first.Answer.Final != nil {
				ev = append(ev, finalEvidence(s.first.Answer, "the server rejects credentials for the wrong realm"))
			}
			if s.count > 1 {
				ev = append(ev, requestEvidence(s.last.Answer, fmt.Sprintf("still realm %q, %d times in all", k.answered, s.count)))
			}
			if c := p.Config(); c != nil && isRouter(c, s.first.Challenge, s.first.Answer.Credentials.Username, router) {
				ev = append(ev, realmConfigEvidence(c, s.first, k.challenged, k.answered, s.first.Answer.Credentials.Username)...)
			}
			p.Report(Finding{
				Subject: k.subject,
				At:      s.first.Answer.Request,
				Message: fmt.Sprintf("the server challenges for realm %q but the UA answers with credentials for realm %q (%s)",
					k.challenged, k.answered, times(s.count)),
				Evidence: ev, CallIDs: s.calls.ids, Affected: s.count,
			})
		}
		for _, k := range orderB {
			reportUnconfiguredRealm(p, k, noConfig[k])
		}
		for _, k := range orderC {
			s := unanswered[k]
			ok := s.earlier
			ev := []Evidence{
				ok.evidence(),
				finalEvidence(s.first.Challenge, "new realm: "+challengeNote(s.first.Challenge.Final.Challenge)),
			}
			conf := High
			what := "and no request with credentials follows"
			switch {
			case s.first.Next != nil:
				ev = append(ev, requestEvidence(s.first.Next, "the UA sends this instead of answering the challenge"))
				what = "and the UA does not answer it"
			case s.first.CaptureEnded:
				conf = Low
				what = "and the capture ends before the UA could answer (cannot tell whether it would)"
			}
			p.Report(Finding{
				Subject: k.subject,
				At:      s.first.Challenge.Final.At,
				Message: fmt.Sprintf("the realm changed from %q (answered successfully earlier) to %q %s",
					k.answered, k.challenged, what),
				Evidence: ev, CallIDs: s.calls.ids, Affected: s.count, Confidence: conf,
			})
		}
	})
	return nil
}

// unansweredRealm is the realm of a's challenge, "" when there is none.
func unansweredRealm(a *decode.AuthExchange) string {
	if ch := challengeOf(a); ch != nil {
		return ch.Realm
	}
	return ""
}

// challengeOf returns the challenge an exchange answers, if the capture has it.
func challengeOf(a *decode.AuthExchange) *decode.AuthChallenge {
	if a.Challenge == nil || a.Challenge.Final == nil {
		return nil
	}
	return a.Challenge.Final.Challenge
}

// reportUnconfiguredRealm is part (b): the challenge, what the UA did
// instead, the configured entries that were consulted, and the edits.
func reportUnconfiguredRealm(p *Pass, k realmPair, s *realmSeen) {
	c := p.Config()
	ch := s.first.Challenge
	ev := []Evidence{finalEvidence(ch, challengeNote(ch.Final.Challenge))}
	if s.first.Next != nil {
		ev = append(ev, requestEvidence(s.first.Next, "the UA sends this instead of answering the challenge"))
	}
	user := aorUser(k.subject)
	if s.earlier != nil {
		ev = append(ev, s.earlier.evidence())
		user = s.earlier.username
	}
	ev = append(ev, realmConfigEvidence(c, s.first, k.challenged, "", user)...)
	configured := consultedRealms(c, configLegs(c, ch)[0], k.challenged)
	conf := configConfidence(c, ch)
	if s.first.CaptureEnded {
		conf = Medium // the configuration says so; the capture ends before it could show it
	}
	p.Report(Finding{
		Subject: k.subject,
		At:      ch.Final.At,
		Message: fmt.Sprintf("the server challenges for realm %q and no configured credentials match it (%s): the router terminates the request instead of answering (%s)",
			k.challenged, configured, times(s.count)),
		Evidence: ev, CallIDs: s.calls.ids, Affected: s.count, Confidence: conf,
	})
}
