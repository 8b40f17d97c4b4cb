package decode

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"
)

// waitTable counts as a map of counts does, with hashes chosen to share
// home slots (multiples of 64 all start at slot 0 of the first table), so
// that runs form and removals must shift entries back.
func TestWaitTableMatchesCounts(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	w := newWaitTable()
	want := map[uint64]int{}
	keys := make([]uint64, 200)
	for i := range keys {
		keys[i] = uint64(rng.Intn(8))<<6 | uint64(rng.Intn(3)) | uint64(i)<<20
	}
	for step := 0; step < 20000; step++ {
		k := keys[rng.Intn(len(keys))]
		if want[k] > 0 && rng.Intn(2) == 0 {
			w.done(k)
			if want[k]--; want[k] == 0 {
				delete(want, k)
			}
		} else {
			w.add(k)
			want[k]++
		}
		if step%97 == 0 {
			for _, k := range keys {
				if got := w.has(k); got != (want[k] > 0) {
					t.Fatalf("step %d: has(%#x) = %v, want count %d", step, k, got, want[k])
				}
			}
			if w.n != len(want) {
				t.Fatalf("step %d: %d slots used, want %d", step, w.n, len(want))
			}
		}
	}
}

// CallQuiet is false while another request of the Call-ID waits for any
// response, true once none does, and false for good once a message came
// timestamped earlier than one before it (Reordered says so from then on).
func TestCallQuiet(t *testing.T) {
	reg2 := func(at time.Duration, n int) step {
		return step{at, ua, reg, registerMsg(n, fmt.Sprintf("z9hG4bKq%d", n), "")}
	}
	resp2 := func(at time.Duration, status string, n int) step {
		return step{at, reg, ua, response(status, fmt.Sprintf("z9hG4bKq%d", n), n, "")}
	}
	steps := []step{
		reg2(0, 1),                                                                // never answered: times out at 32 s
		reg2(time.Second, 2), resp2(time.Second+10*time.Millisecond, "200 OK", 2), // 1 still waits
		reg2(40*time.Second, 3), resp2(40*time.Second+10*time.Millisecond, "100 Trying", 3),
		reg2(41*time.Second, 4), resp2(41*time.Second+10*time.Millisecond, "200 OK", 4), // 3 has a response
		resp2(42*time.Second, "200 OK", 3),
		reg2(50*time.Second, 5), resp2(45*time.Second, "200 OK", 5), // timestamped before the request
		reg2(60*time.Second, 6), resp2(60*time.Second+10*time.Millisecond, "200 OK", 6),
	}
	var order []string
	obs := &Observers{Transaction: []func(*Transaction){func(x *Transaction) {
		o := fmt.Sprintf("%d:%v", x.CSeq, x.CallQuiet)
		if x.Reordered {
			o += "/reordered"
		}
		order = append(order, o)
	}}}
	c := NewCorrelator(obs, Options{})
	feedSteps(t, c, steps)
	c.Finish()
	want := "2:false 1:true 4:true 3:true 5:false/reordered 6:false/reordered"
	if s := strings.Join(order, " "); s != want {
		t.Errorf("hand-overs %s, want %s", s, want)
	}
	if len(c.waits.slots) == 0 || c.waits.n != 0 {
		t.Errorf("%d Call-IDs still counted as waiting after Finish", c.waits.n)
	}
}
