package decode

import (
	"strings"
	"testing"
	"time"
)

// A ringing INVITE waits for Timer C, not Timer B (RFC 3261 §17.1.1.2,
// §16.6): answered at 100 s it is completed and handed over once, however
// long the capture goes on; unanswered it times out once Timer C ran out.
func TestRingingInviteWaitsTimerC(t *testing.T) {
	inv := strings.NewReplacer("REGISTER sip:", "INVITE sip:", "1 REGISTER", "1 INVITE", "reg-1@", "call-1@").Replace(registerMsg(1, "z9hG4bKinv", ""))
	resp := func(status string) string {
		return strings.NewReplacer("1 REGISTER", "1 INVITE", "reg-1@", "call-1@").Replace(response(status, "z9hG4bKinv", 1, ""))
	}
	later := func(at time.Duration, n int) step {
		return step{at, ua, reg, registerMsg(n, "z9hG4bKr"+string(rune('a'+n)), "")}
	}
	for _, answered := range []bool{true, false} {
		steps := []step{{0, ua, reg, inv}, {10 * time.Millisecond, reg, ua, resp("180 Ringing")}, later(60*time.Second, 2)}
		if answered {
			steps = append(steps, step{100 * time.Second, reg, ua, resp("200 OK")})
		}
		steps = append(steps, later(170*time.Second, 3), later(200*time.Second, 4), later(400*time.Second, 5))
		_, rec := correlate(t, steps)
		var seen []*Transaction
		var pos []int
		for i, x := range rec.txns {
			if x.Method == "INVITE" {
				seen = append(seen, x)
				pos = append(pos, i)
			}
		}
		if len(seen) != 1 {
			t.Fatalf("answered %v: INVITE handed over %d times", answered, len(seen))
		}
		x := seen[0]
		if answered && (x.State != Completed || x.Status() != 200) {
			t.Errorf("answered: state %v status %d", x.State, x.Status())
		}
		if !answered {
			// Timer C runs out at 180 s: after the REGISTER of 60 s
			// timed out (92 s), before the one of 170 s (202 s).
			if x.State != TimedOut {
				t.Errorf("unanswered: state %v", x.State)
			}
			var before int
			for _, y := range rec.txns[:pos[0]] {
				if y.Method == "REGISTER" {
					before++
				}
			}
			if before != 1 {
				t.Errorf("unanswered: timed out after %d REGISTERs, want 1 (Timer C at 180 s)", before)
			}
		}
	}
}
