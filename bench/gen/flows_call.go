package main

// Call flows: a spawner starting calls at random (Poisson) times between
// registered accounts, and the call itself.

const (
	callMessages = 10 // INVITE 407 ACK INVITE 100 180 200 ACK BYE 200

	ringMin = 2_000_000 // 180 → 200: someone picks up
	ringMax = 15_000_000
	talkMin = 10_000_000 // 200/ACK → BYE
	talkMax = 300_000_000
	// ringingDelay is the callee's alerting after the proxy forwarded the INVITE.
	ringingDelayMin = 50_000
	ringingDelayMax = 500_000
)

// callSpawner starts a new call at exponentially distributed intervals.
type callSpawner struct {
	meanGap float64 // microseconds between call starts
}

func (s *callSpawner) step(g *generator) {
	if !g.reserve(callMessages) {
		return
	}
	caller := g.healthyAccount()
	callee := g.healthyAccount()
	for callee == caller {
		callee = g.healthyAccount()
	}
	c := &callFlow{call: call{
		caller:        caller,
		callee:        callee,
		fromTag:       g.ids.next(),
		toTag:         g.ids.next(),
		proxyTag:      g.ids.next(),
		branch:        [4]uint64{g.ids.next(), g.ids.next(), g.ids.next(), g.ids.next()},
		nonce:         g.ids.nonce(),
		sessionID:     g.ids.next(),
		callerRTP:     uint16(10000 + 2*g.rng.IntN(10000)),
		calleeRTP:     uint16(10000 + 2*g.rng.IntN(10000)),
		calleeHangsUp: g.rng.IntN(2) == 0,
	}}
	var b [40]byte
	c.callID = string(appendHex64(b[:0], g.ids.next())) + "@" + caller.host
	c.cred.uri = c.requestURI()
	g.after(0, c)
	g.after(int64(g.rng.ExpFloat64()*s.meanGap)+1, s)
}

type callFlow struct {
	call
	state int
}

func (f *callFlow) step(g *generator) {
	c := &f.call
	ua, next := c.caller.ua, int64(0)
	switch f.state {
	case 0:
		g.body = appendSDP(g.body[:0], c.caller, c.sessionID, c.callerRTP)
		g.send("INVITE", appendInvite(g.payload(), g.body, c, false), ua, registrar)
		next = g.between(serverDelayMin, serverDelayMax)
	case 1:
		g.send("407", appendInviteChallenge(g.payload(), c), registrar, ua)
		next = g.between(200, 1_000)
	case 2:
		g.send("ACK", appendAckForChallenge(g.payload(), c), ua, registrar)
		next = g.between(uaDelayMin, uaDelayMax)
	case 3:
		c.cred = answer(c.caller.ha1, c.caller.user, "INVITE", c.cred.uri, c.nonce, g.ids.next())
		g.body = appendSDP(g.body[:0], c.caller, c.sessionID, c.callerRTP)
		g.send("INVITE", appendInvite(g.payload(), g.body, c, true), ua, registrar)
		next = g.between(serverDelayMin, serverDelayMax)
	case 4:
		g.send("100", appendInviteResponse(g.payload(), nil, c, "100 Trying"), registrar, ua)
		next = g.between(ringingDelayMin, ringingDelayMax)
	case 5:
		g.send("180", appendInviteResponse(g.payload(), nil, c, "180 Ringing"), registrar, ua)
		next = g.between(ringMin, ringMax)
	case 6:
		g.body = appendSDP(g.body[:0], c.callee, c.sessionID^0xffff, c.calleeRTP)
		g.send("200", appendInviteResponse(g.payload(), g.body, c, "200 OK"), registrar, ua)
		next = g.between(uaDelayMin, uaDelayMax)
	case 7:
		g.send("ACK", appendAckFor2xx(g.payload(), c), ua, registrar)
		next = g.between(talkMin, talkMax)
	case 8:
		if c.calleeHangsUp {
			g.send("BYE", appendBye(g.payload(), c), registrar, ua)
		} else {
			g.send("BYE", appendBye(g.payload(), c), ua, registrar)
		}
		next = g.between(serverDelayMin, uaDelayMax)
	case 9:
		if c.calleeHangsUp {
			g.send("200", appendByeOK(g.payload(), c), ua, registrar)
		} else {
			g.send("200", appendByeOK(g.payload(), c), registrar, ua)
		}
		return
	}
	f.state++
	g.after(next, f)
}
