package decode

// Observers are the callbacks the correlator calls as pieces complete, in
// capture order. For one completed transaction the order is: the
// transaction, then its registration event (REGISTER) or the dialog it
// confirms (a 2xx to INVITE), then the auth exchange it resolves, if any
// (Correlator.complete). Pointers handed to a callback stay valid
// after it returns but must be treated as read-only. A transaction that
// timed out (State TimedOut, no Final) and is answered afterwards, while
// it still lingers, is handed over a second time, now with its Final:
// observers that count must look at the pointer they already saw.
type Observers struct {
	Transaction  []func(*Transaction)
	Registration []func(*RegistrationEvent)
	Auth         []func(*AuthExchange)
	Dialog       []func(*Dialog) // a dialog confirmed by a 2xx to INVITE
}

func (o *Observers) transaction(t *Transaction) {
	for _, f := range o.Transaction {
		f(t)
	}
}

func (o *Observers) registration(e *RegistrationEvent) {
	for _, f := range o.Registration {
		f(e)
	}
}

func (o *Observers) auth(a *AuthExchange) {
	for _, f := range o.Auth {
		f(a)
	}
}

func (o *Observers) dialog(d *Dialog) {
	for _, f := range o.Dialog {
		f(d)
	}
}
