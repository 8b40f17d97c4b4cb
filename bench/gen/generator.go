package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"
)

// config is what the command line decides.
type config struct {
	messages     int     // SIP messages to write, exactly
	aors         int     // accounts (addresses-of-record)
	failFraction float64 // share of accounts with a wrong password
	rate         float64 // mean SIP messages per second: sets the capture's span
	seed         uint64
	start        time.Time
	format       string // "pcap" (default) or "ccsip": CUBE debug ccsip text
}

// messageWriter writes each SIP message out: as a pcap frame, or as the
// text a CUBE logs with "debug ccsip messages" (ccsip.go).
type messageWriter interface {
	// payload returns an empty slice to append the next message to.
	payload() []byte
	// write writes msg, sent from src to dst at microsecond offset at.
	write(msg []byte, at int64, src, dst endpoint) error
	// written is the number of bytes written so far (for pcap: frame
	// bytes, without the file's record headers).
	written() int64
}

// generator interleaves all flows in timestamp order and writes them out.
type generator struct {
	cfg     config
	rng     *rand.Rand
	ids     idSource
	out     messageWriter
	queue   eventQueue
	budget  int   // messages not yet reserved by any flow
	now     int64 // timestamp of the message being written, µs since start
	last    int64 // timestamp of the last message written
	accts   []account
	healthy []*account
	body    []byte // scratch space for SDP bodies
	stats   stats
	err     error
}

// generate writes cfg.messages SIP messages as a pcap to w.
func generate(w io.Writer, cfg config) (stats, error) {
	if cfg.messages < 0 {
		return stats{}, errors.New("-messages must not be negative")
	}
	if cfg.aors < 2 {
		return stats{}, errors.New("-aors must be at least 2 (calls need a caller and a callee)")
	}
	if cfg.failFraction < 0 || cfg.failFraction > 0.5 {
		return stats{}, errors.New("-fail must be between 0 and 0.5")
	}
	if !(cfg.rate > 0) {
		return stats{}, errors.New("-rate must be positive")
	}
	var out messageWriter
	switch cfg.format {
	case "", "pcap":
		fw, err := newFrameWriter(w, cfg.start)
		if err != nil {
			return stats{}, err
		}
		out = fw
	case "ccsip":
		out = newCCSIPWriter(w, cfg.start, registrar)
	default:
		return stats{}, fmt.Errorf("-format %q: want pcap or ccsip", cfg.format)
	}
	g := &generator{
		cfg:    cfg,
		rng:    rand.New(rand.NewPCG(cfg.seed, 0x5ee0_d1a9)),
		ids:    idSource{key: splitmix64(cfg.seed)},
		out:    out,
		budget: cfg.messages,
		body:   make([]byte, 0, 512),
	}
	failing := int(math.Round(float64(cfg.aors) * cfg.failFraction))
	if cfg.failFraction > 0 && failing == 0 {
		failing = 1
	}
	g.accts = newAccounts(cfg.aors, failing, g.rng, &g.ids)
	for i := range g.accts {
		if !g.accts[i].failing {
			g.healthy = append(g.healthy, &g.accts[i])
		}
	}
	if err := g.startFlows(failing); err != nil {
		return stats{}, err
	}
	g.run()
	g.fill()
	g.stats.bytes = g.out.written()
	g.stats.span = time.Duration(g.last) * time.Microsecond
	g.stats.failingAORs = failing
	return g.stats, g.err
}

// startFlows puts every account's first registration at a random point of
// its cycle (the capture starts in the middle of ongoing traffic) and starts
// calls at whatever rate remains after registrations to reach cfg.rate.
func (g *generator) startFlows(failing int) error {
	healthy := len(g.healthy)
	regRate := float64(healthy) * registrationMessages / (refreshInterval / 1e6)
	failRate := float64(failing) * failingMessages / (meanFailingCycle / 1e6)
	callRate := (g.cfg.rate - regRate - failRate) / callMessages
	if callRate <= 0 {
		return fmt.Errorf("registrations alone need %.0f messages/s; raise -rate or lower -aors", regRate+failRate)
	}
	for i := range g.accts {
		a := &g.accts[i]
		if a.failing {
			g.queue.push(g.between(0, meanFailingCycle), &failingFlow{acct: a})
		} else {
			g.queue.push(g.between(0, refreshInterval), &registrationFlow{acct: a})
		}
	}
	g.queue.push(0, &callSpawner{meanGap: 1e6 / callRate})
	return nil
}

func (g *generator) run() {
	for g.queue.len() > 0 && g.err == nil {
		ev := g.queue.pop()
		g.now = ev.at
		ev.f.step(g)
	}
}

// fill tops the capture up to exactly cfg.messages with OPTIONS keepalives
// once every flow has stopped; at most a few messages are left over. They
// follow the last message written: flows that woke up after it found the
// budget spent and wrote nothing.
func (g *generator) fill() {
	g.now = g.last
	for g.budget > 0 && g.err == nil {
		o := options{to: g.healthyAccount(), branch: g.ids.next(), callID: g.ids.next(),
			fromTag: g.ids.next(), toTag: g.ids.next()}
		g.budget--
		g.now += g.between(serverDelayMin, serverDelayMax)
		g.send("OPTIONS", appendOptions(g.payload(), &o), registrar, o.to.ua)
		if g.budget > 0 {
			g.budget--
			g.now += g.between(serverDelayMin, serverDelayMax)
			g.send("200", appendOptionsOK(g.payload(), &o), o.to.ua, registrar)
		}
	}
}

// reserve promises n messages of the budget to a flow about to start.
func (g *generator) reserve(n int) bool {
	if g.budget < n {
		return false
	}
	g.budget -= n
	return true
}

// after schedules f to step again delay microseconds from now.
func (g *generator) after(delay int64, f flow) { g.queue.push(g.now+delay, f) }

// between returns a uniformly random duration in [lo, hi).
func (g *generator) between(lo, hi int64) int64 { return lo + g.rng.Int64N(hi-lo) }

func (g *generator) healthyAccount() *account { return g.healthy[g.rng.IntN(len(g.healthy))] }

// wallClock is the capture time of the message being written.
func (g *generator) wallClock() time.Time {
	return g.cfg.start.Add(time.Duration(g.now) * time.Microsecond)
}

// payload returns the buffer to build the next message in.
func (g *generator) payload() []byte { return g.out.payload() }

// send writes msg from src to dst at g.now; kind feeds the summary.
func (g *generator) send(kind string, msg []byte, src, dst endpoint) {
	if g.err != nil {
		return
	}
	if len(msg) > maxPayload {
		g.err = fmt.Errorf("a %s message of %d bytes does not fit one UDP datagram", kind, len(msg))
		return
	}
	g.stats.add(kind, len(msg))
	g.last = g.now
	g.err = g.out.write(msg, g.now, src, dst)
}
