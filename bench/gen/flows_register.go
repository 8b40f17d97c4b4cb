package main

// Registration flows: the healthy refresh cycle and the wrong-password loop.

// Delays, in microseconds, chosen to look like a LAN registrar.
const (
	serverDelayMin = 2_000  // registrar/proxy answering a request
	serverDelayMax = 15_000 //
	uaDelayMin     = 5_000  // UA answering a challenge
	uaDelayMax     = 40_000 //

	// A UA whose credentials are rejected tries again with the new nonce
	// after a few seconds, gives up after failingTries, and starts over after
	// a back-off — the retry storm of RULES.md AUTH004.
	failingTries      = 3
	failingRetryMin   = 5_000_000
	failingRetryMax   = 6_000_000
	failingBackoffMin = 240_000_000
	failingBackoffMax = 360_000_000
)

// Message counts of one cycle, reserved from the budget before it starts so
// that no exchange is cut off at the end of the capture.
const (
	registrationMessages = 4                  // REGISTER, 401, REGISTER, 200
	failingMessages      = 2 + 2*failingTries // REGISTER, 401, then (REGISTER, 401) × tries
	meanFailingCycle     = (failingBackoffMin + failingBackoffMax) / 2
)

// registrationFlow is one UA that registers, is challenged, answers with the
// right password, and refreshes at half the granted lifetime, forever.
type registrationFlow struct {
	acct  *account
	txn   regTxn
	nonce nonce
	state int
}

func (r *registrationFlow) step(g *generator) {
	a := r.acct
	switch r.state {
	case 0:
		if !g.reserve(registrationMessages) {
			return
		}
		a.cseq++
		r.txn = regTxn{branch: g.ids.next(), fromTag: g.ids.next(), cseq: a.cseq}
		g.send("REGISTER", appendRegister(g.payload(), a, &r.txn, nil), a.ua, registrar)
		g.after(g.between(serverDelayMin, serverDelayMax), r)
	case 1:
		r.txn.toTag = g.ids.next()
		r.nonce = g.ids.nonce()
		g.send("401", appendRegisterChallenge(g.payload(), a, &r.txn, r.nonce), registrar, a.ua)
		g.after(g.between(uaDelayMin, uaDelayMax), r)
	case 2:
		a.cseq++
		r.txn = regTxn{branch: g.ids.next(), fromTag: r.txn.fromTag, cseq: a.cseq}
		cred := answer(a.ha1, a.user, "REGISTER", registerURI, r.nonce, g.ids.next())
		g.send("REGISTER", appendRegister(g.payload(), a, &r.txn, &cred), a.ua, registrar)
		g.after(g.between(serverDelayMin, serverDelayMax), r)
	case 3:
		r.txn.toTag = g.ids.next()
		g.send("200", appendRegisterOK(g.payload(), a, &r.txn, g.wallClock()), registrar, a.ua)
		r.state = 0
		// Refresh at 45–55 % of the lifetime: never near expiry.
		g.after(g.between(refreshInterval*9/10, refreshInterval*11/10), r)
		return
	}
	r.state++
}

// failingFlow is a UA configured with a wrong password: every answer to a
// challenge is rejected with another 401 (RFC 3261 §22.2: the registrar
// challenges again when the credentials do not verify).
type failingFlow struct {
	acct  *account
	txn   regTxn
	nonce nonce
	tries int
	state int
}

func (f *failingFlow) step(g *generator) {
	a := f.acct
	switch f.state {
	case 0:
		if !g.reserve(failingMessages) {
			return
		}
		a.cseq++
		f.tries = 0
		f.txn = regTxn{branch: g.ids.next(), fromTag: g.ids.next(), cseq: a.cseq}
		g.send("REGISTER", appendRegister(g.payload(), a, &f.txn, nil), a.ua, registrar)
		g.after(g.between(serverDelayMin, serverDelayMax), f)
		f.state = 1
	case 1:
		f.txn.toTag = g.ids.next()
		f.nonce = g.ids.nonce()
		g.send("401", appendRegisterChallenge(g.payload(), a, &f.txn, f.nonce), registrar, a.ua)
		if f.tries == failingTries {
			f.state = 0
			g.after(g.between(failingBackoffMin, failingBackoffMax), f)
			return
		}
		if f.tries == 0 {
			g.after(g.between(uaDelayMin, uaDelayMax), f)
		} else {
			g.after(g.between(failingRetryMin, failingRetryMax), f)
		}
		f.state = 2
	case 2:
		a.cseq++
		f.tries++
		f.txn = regTxn{branch: g.ids.next(), fromTag: f.txn.fromTag, cseq: a.cseq}
		cred := answer(a.ha1, a.user, "REGISTER", registerURI, f.nonce, g.ids.next())
		g.send("REGISTER", appendRegister(g.payload(), a, &f.txn, &cred), a.ua, registrar)
		g.after(g.between(serverDelayMin, serverDelayMax), f)
		f.state = 1
	}
}
