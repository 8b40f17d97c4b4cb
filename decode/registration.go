package decode

import "strings"

// registration updates the registration a completed REGISTER belongs to and
// tells the observers what happened (RFC 3261 §10.2 and §10.3).
func (c *Correlator) registration(t *Transaction) {
	registrar, ok := c.strs.registrars[t.RequestURI]
	if !ok {
		// Copies, not the transaction's strings: the map and the
		// registrations outlive the transaction, and would keep its
		// txnBox alive. registrarOf returns the copy or a new string.
		ruri := strings.Clone(t.RequestURI)
		registrar = registrarOf(ruri)
		if len(c.strs.registrars) < c.strs.max {
			c.strs.registrars[ruri] = registrar
		}
	}
	c.key = appendRegKey(c.key[:0], t.ToAOR, registrar)
	r, ok := c.regs[string(c.key)]
	if !ok {
		r = &Registration{AOR: t.ToAOR, Registrar: registrar, First: t.Request}
		c.regs[string(c.key)] = r
	}
	r.Attempts++
	r.Last = t.LastSend
	r.Client, r.Server = t.Client, t.Server
	if t.Contact != "" {
		r.Contact = t.Contact
	}
	ev := RegistrationEvent{Reg: r, Txn: t}
	switch {
	case t.Final == nil:
		r.Unanswered++
		ev.Kind = RegNoResponse
	case t.Final.Challenge != nil && (t.Final.Status == 401 || t.Final.Status == 407):
		r.Challenges++
		ev.Kind = RegChallenged
	case t.Final.Status >= 200 && t.Final.Status < 300:
		r.Last = t.Final.At
		if t.Final.Granted == 0 {
			// Expires: 0 or Contact: * removes the binding (§10.2.2).
			ev.Kind = RegDeregistered
			r.Bound, r.Deadline, r.Granted = false, 0, 0
			break
		}
		r.Grants++
		ev.Kind = RegGranted
		if r.Bound && r.Deadline >= t.Final.At.Time {
			ev.Kind = RegRefreshed
		}
		r.Bound = true
		r.Granted = t.Final.Granted
		if r.Granted < 0 {
			r.Granted = 3600
		}
		r.Deadline = t.Final.At.Time + int64(r.Granted)*1e9
	case t.Final.Status >= 300:
		r.Failures++
		ev.Kind = RegFailed
	}
	c.obs.registration(&ev)
	if r.Grants == 0 && r.Failures == 0 && !r.Bound {
		c.regsIdle.noteIdle(r)
	}
	c.key = c.regsIdle.forgetIdle(c.now, c.regs, c.key)
}

// registrarOf names the registrar by the host[:port] of the Request-URI:
// "sip:registrar.example.com;transport=tcp" -> "registrar.example.com".
func registrarOf(ruri string) string {
	u, ok := ParseURI([]byte(ruri))
	if !ok || len(u.Host) == 0 {
		return ruri
	}
	h := lowerASCII(string(u.Host))
	if u.Port != 0 && u.Port != 5060 {
		return h + ":" + itoa(u.Port)
	}
	return h
}
