package decode

// Digest exchanges (RFC 3261 §22.2, §8.1.3.5): a 401/407 opens a pending
// challenge for the UA that got it; the UA's next request with the same
// Call-ID either carries credentials (the answer) or not (it gave up on the
// challenge); the answer's final response is the outcome. A rejecting
// 401/407 is itself the next challenge, so a wrong password shows as a chain
// of exchanges with outcome AuthRejected.

// linkRequest connects a new request to the challenge it answers, if any.
func (c *Correlator) linkRequest(t *Transaction) {
	if c.pending.len() == 0 && t.Credentials == nil {
		return // nothing to answer, nothing to record
	}
	h := c.pending.hash(t.CallIDHash, t.Client)
	a := c.pending.get(h, t.CallID, t.Client)
	ok := a != nil
	if ok && a.Method != t.Method && t.Method != "ACK" {
		// A different method on the same Call-ID (e.g. a BYE in a dialog
		// whose re-INVITE was challenged) neither answers nor abandons it.
		if t.Credentials == nil {
			return
		}
	}
	if ok {
		c.pending.remove(h, a)
		if t.Credentials == nil {
			a.Outcome = AuthUnanswered
			a.Next = t
			c.emitAuth(a)
		} else {
			a.Answer = t
			t.answers = a
			// Compared now, while the challenge is recent: observers
			// read the result at the answer's completion.
			t.challenged = a.Challenge
			n, cn := a.Challenge.Final.Challenge.Nonce, t.Credentials.Nonce
			t.nonceAgrees = n == "" || cn == "" || n == cn
			a.realms = a.compareRealms()
		}
		return
	}
	if t.Credentials != nil {
		// Credentials without a challenge in the capture: a UA reusing a
		// nonce from before the capture began (RFC 7616 §3.4 allows it).
		t.answers = &AuthExchange{
			Subject: t.Subject(), Method: t.Method, CallID: t.CallID,
			Client: t.Client, Answer: t,
		}
	}
}

// resolveAuth settles the exchange a completed transaction answered, then
// opens a new pending challenge if its final response is one.
func (c *Correlator) resolveAuth(t *Transaction) {
	// Only a request with credentials answers an exchange (linkRequest).
	if a := t.answers; a != nil {
		t.answers = nil
		t.challenged = nil // valid during the first hand-over only
		a.Outcome = authOutcome(t)
		c.emitAuth(a)
	}
	if t.Final == nil || t.Final.Challenge == nil || t.Orphan {
		return
	}
	a := &AuthExchange{
		Subject: t.Subject(), Method: t.Method, CallID: t.CallID,
		Client: t.Client, Challenge: t,
	}
	h := c.pending.hash(t.CallIDHash, t.Client)
	if old := c.pending.get(h, t.CallID, t.Client); old != nil {
		old.Outcome = AuthUnanswered
		old.Next = t
		c.emitAuth(old)
		c.pending.remove(h, old)
	}
	c.pending.put(h, a)
	c.queue.push(t.Final.At.Time+int64(TimerF), h, t, dlAuthExpire)
}

func authOutcome(t *Transaction) AuthOutcome {
	if t.Final == nil {
		return AuthNoResponse
	}
	switch s := t.Final.Status; {
	case s >= 200 && s < 300:
		return AuthAccepted
	case s == 401 || s == 407:
		if t.Final.Challenge != nil && t.Final.Challenge.Stale {
			return AuthStale
		}
		return AuthRejected
	case s == 403:
		return AuthRejected
	default:
		return AuthOther
	}
}

func (c *Correlator) emitAuth(a *AuthExchange) {
	c.tr.AuthExchanges++
	c.obs.auth(a)
}
