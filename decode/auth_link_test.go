package decode

import (
	"strings"
	"testing"
	"time"
)

// challengedRegister is a REGISTER challenged with a 401 and sent again
// with creds, which the registrar accepts.
func challengedRegister(creds string) []step {
	return []step{
		{0, ua, reg, registerMsg(1, "z9hG4bKc1", "")},
		{10 * time.Millisecond, reg, ua, response("401 Unauthorized", "z9hG4bKc1", 1, challenge)},
		{20 * time.Millisecond, ua, reg, registerMsg(2, "z9hG4bKc2", creds)},
		{30 * time.Millisecond, reg, ua, response("200 OK", "z9hG4bKc2", 2, "")},
	}
}

// A request with credentials names, while it is handed over the first
// time, the challenged transaction it answers and whether the nonces
// agree; afterwards, and for requests without credentials, nothing.
func TestAnsweredChallenge(t *testing.T) {
	for _, tc := range []struct {
		name, creds string
		agrees      bool
	}{
		{"same nonce", creds, true},
		{"another nonce", strings.Replace(creds, `nonce="n1"`, `nonce="n0"`, 1), false},
		{"no nonce", strings.Replace(creds, `nonce="n1", `, "", 1), true},
	} {
		steps := challengedRegister(tc.creds)
		var challenged, answer *Transaction
		var during *Transaction
		var agrees bool
		obs := &Observers{
			Transaction: []func(*Transaction){func(x *Transaction) {
				if ch, ok := x.AnsweredChallenge(); x.CSeq == 1 {
					challenged = x
					if ch != nil {
						t.Errorf("%s: the challenged request answers %p", tc.name, ch)
					}
				} else {
					answer, during, agrees = x, ch, ok
				}
			}},
			Auth: []func(*AuthExchange){func(a *AuthExchange) {
				if ch, _ := a.Answer.AnsweredChallenge(); ch != nil {
					t.Errorf("%s: still set after the hand-over", tc.name)
				}
			}},
		}
		c := NewCorrelator(obs, Options{})
		feedSteps(t, c, steps)
		c.Finish()
		if answer == nil || challenged == nil || during != challenged || agrees != tc.agrees {
			t.Errorf("%s: answer %v answers %p (challenge %p), nonces agree %v, want %v", tc.name, answer != nil, during, challenged, agrees, tc.agrees)
		}
	}
}

// RealmsDiffer, compared when the correlator pairs the answer, says what
// comparing the exchange's realms afterwards says.
func TestRealmsDifferPaired(t *testing.T) {
	for _, tc := range []struct {
		name, creds string
		differ      bool
	}{
		{"same realm", creds, false},
		{"another realm", strings.Replace(creds, `realm="example.com"`, `realm="other.example"`, 1), true},
		{"no realm", strings.Replace(creds, `realm="example.com", `, "", 1), false},
	} {
		steps := challengedRegister(tc.creds)
		_, rec := correlate(t, steps)
		var paired int
		for _, a := range rec.auths {
			if a.Answer == nil || a.Challenge == nil {
				continue
			}
			paired++
			fresh := *a
			fresh.realms = realmsUnknown
			if a.realms == realmsUnknown || a.RealmsDiffer() != fresh.RealmsDiffer() || a.RealmsDiffer() != tc.differ {
				t.Errorf("%s: paired %v (%d), compared afresh %v, want %v", tc.name, a.RealmsDiffer(), a.realms, fresh.RealmsDiffer(), tc.differ)
			}
		}
		if paired != 1 {
			t.Errorf("%s: %d exchanges with a challenge and an answer", tc.name, paired)
		}
	}
}
