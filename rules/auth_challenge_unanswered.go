package rules

import (
	"cmp"
	"fmt"
	"hash/maphash"
	"math"
	"math/bits"
	"net/netip"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/sipdiag/sipdiag/decode"
)

// ChallengeUnanswered is AUTH002.
var ChallengeUnanswered = &Rule{
	ID: "AUTH002", Name: "challenge-unanswered", Severity: Warning,
	Title: "the UA does not answer the server's authentication challenge",
	Doc: `A 401/407 asks the UA to repeat the request with credentials (RFC 3261 §22.2, §8.1.3.5): same
Call-ID, CSeq one higher, an Authorization or Proxy-Authorization computed for the challenged
realm. Here no request with credentials from that UA followed within Timer F (64·T1 = 32 s,
§17.1.2.2) although the capture went on long enough to show one. A retry with credentials on a
new Call-ID counts as an answer. What the UA did instead (a new request without credentials,
nothing at all) is shown. A UA stays silent when it has no credentials for the challenged realm
(CUBE chooses credentials by realm and terminates the request when none matches: AUTH001), when
it does not support the algorithm or qop offered (SHA-256 only, auth-int: AUTH007), or when it
is configured without authentication. A challenge whose window the capture cuts short is not
judged; the summary says so. When many UAs (addresses) are silent on one account, the first five
(group-uas) are reported on their own and the others as one finding on the account: a fleet
provisioned without the password, or a flood or scan using the account's name. Likewise one UA
silent on many accounts gets five findings (group-accounts) and one for the rest: an extension
scan (SIPVicious svwar) or a PBX without these passwords. Past 50 silent UA/account pairs in all
(group-all), the pairs neither fold takes are reported as one finding for the capture: a scan
spread over many addresses and accounts. Folded pairs keep no state once quiet, so a scan of a
million accounts costs neither memory nor a million findings.`,
	Fix: `Look at the challenge's realm and algorithm first. (1) Give the UA credentials for the
challenged realm: on Cisco CUBE, the realm of the dial-peer "authentication", the sip-ua
"credentials" or the sip-ua "authentication" line must equal the challenge's realm, or carry no
realm at all (then the challenge's realm is used); see AUTH001. (2) If the challenge offers only
algorithm=SHA-256 or qop=auth-int, have the server also offer MD5/qop=auth or upgrade the UA.
(3) If the UA is configured without authentication, add the account's username and password.`,
	Refs: []string{"RFC 3261 §8.1.3.5", "RFC 3261 §22.2", "RFC 3261 §17.1.2.2", "RFC 7616 §3.3", "Cisco CUBE: multiple registrars and realm matching"},
	Thresholds: []Threshold{
		{Name: "answer-within", Default: "32s", Doc: "time the UA has to answer a challenge: Timer F = 64·T1 = 32 s (RFC 3261 §17.1.2.2); the correlator closes a challenge at 32 s, a longer value also accepts later answers on another Call-ID"},
		{Name: "group-uas", Default: "5", Doc: "UAs (addresses) silent on one account and method that get a finding of their own; the silences of further UAs on that account are reported as one finding on the account, and those UAs keep no state once quiet; 0 gives every UA its own finding"},
		{Name: "group-accounts", Default: "5", Doc: "accounts one UA (address) is silent on for a method that get a finding of their own; its silences on further accounts are reported as one finding on the UA (an extension scan), and those accounts keep no state once quiet; 0: no such fold"},
		{Name: "group-all", Default: "50", Doc: "silent UA/account pairs in the whole capture that get a finding of their own; the further pairs that neither fold above takes are reported as one finding for the capture (a scan spread over many addresses and accounts); 0: no limit"},
	},
	// A binding whose refresh was challenged and never answered lapses.
	Explains: []string{"REG001"},
	Run:      runChallengeUnanswered,
}

// silence is one unanswered challenge, waiting for what the UA did next.
type silence struct {
	ex   *decode.AuthExchange
	at   int64               // time of the challenge
	next *decode.Transaction // first request of this UA for the account after it
	late *decode.Transaction // credentials for it that came after the window
}

// recentChallenge is a challenge to one UA, followed from the moment it is
// seen until the UA answers it (on any Call-ID) or it drops out of the
// ring; the correlator's verdict on it comes only at Timer F. It is
// followed (not yet answered, nor judged) while its bit is set in the
// account's live; a late answer to it is in the account's late. 64 bytes:
// what a transaction of the UA compares is in one cache line.
type recentChallenge struct {
	id    decode.Ref          // the challenged request: AuthExchange.Challenge.Request
	at    int64               // time of the challenge
	txn   *decode.Transaction // the challenged transaction (for its Call-ID, and Transaction.AnsweredChallenge)
	nonce string
	next  *decode.Transaction // the UA's first request after it (until answered)
}

// settle marks ring entry i answered (or judged) and lets go of what it
// points to: the challenge and its nonce would stay alive for as long as
// the UA's ring is not overwritten, which on a long capture is to the end
// for most UAs.
func (s *silenceState) settle(i int) {
	c := &s.ring[i]
	c.next, c.txn, c.nonce = nil, nil, ""
	s.open--
	s.live &^= 1 << i
	s.dropLate(i)
}

// lateOf is the late answer to ring entry i, nil when there is none.
func (s *silenceState) lateOf(i int) *decode.Transaction {
	if s.hasLate&(1<<i) == 0 {
		return nil // late[i] is not read: it lies in another cache line
	}
	return s.late[i]
}

func (s *silenceState) setLate(i int, t *decode.Transaction) {
	s.late[i] = t
	s.hasLate |= 1 << i
}

func (s *silenceState) dropLate(i int) {
	if s.hasLate&(1<<i) != 0 {
		s.late[i] = nil
		s.hasLate &^= 1 << i
	}
}

// silenceState is one UA (address) sending one method for one account.
// What every transaction of the UA reads comes first, in the first cache
// line: the account, the method, what of it is followed, and what a
// challenge and the idle check read; then the head's other fields, the
// late answers and the Call-IDs (a line each), then the ring, an entry
// a cache line: 448 bytes, a size class whose objects start on a cache
// line (448 = 7·64), as do the entries then. An account reused after
// being forgotten resets only its head: ring entries at or beyond n are
// never read (every loop stops at min(n, 4), live has no bit for them),
// and a forgotten account's entries are all settled, so hold no pointers
// (nor does late: hasLate is 0).
type silenceState struct {
	silenceHead
	late  [4]*decode.Transaction // late answers to the ring's entries, where hasLate says
	calls callIDs
	ring  [4]recentChallenge
}

type silenceHead struct {
	subject, method string
	open            int8   // ring entries still followed (not answered): 0 to 4
	live            uint8  // which ring entries those are, one bit each
	nwait           uint8  // len(waiting), which lies past the first cache line
	hasLate         uint8  // which ring entries have a late answer in late
	gen             uint32 // bumped when forgotten (see idleCheck)
	n               int    // challenges seen; the ring holds the last four
	lastAt          int64  // time of the latest challenge
	first           *silence

	// waiting are the unanswered challenges whose window is still open
	// in delivery order: a transaction completing later may still show an
	// answer on another Call-ID. Bounded by maxWaiting. Set by setWaiting.
	waiting []*silence
	ua      netip.Addr
	last    *silence
	count   int32 // silences found (once first is set)
	// place is where its silences are reported (silentAccounts), decided
	// when the first is counted; in a fold, first stays nil and the
	// account can be forgotten once quiet.
	place placement
}

// setWaiting sets waiting and its length in nwait.
func (s *silenceHead) setWaiting(w []*silence) {
	s.waiting, s.nwait = w, uint8(len(w))
}

const maxWaiting = 64

func runChallengeUnanswered(p *Pass) error {
	window, err := p.Duration("answer-within")
	if err != nil {
		return err
	}
	groupUAs, err := p.Int("group-uas")
	if err != nil {
		return err
	}
	groupAccounts, err := p.Int("group-accounts")
	if err != nil {
		return err
	}
	groupAll, err := p.Int("group-all")
	if err != nil {
		return err
	}
	silent := silentAccounts{groupUAs: groupUAs, groupAccounts: groupAccounts, groupAll: groupAll}
	// Per UA address, then by account and method: one map lookup per
	// transaction, and one UA rarely acts for more than a few accounts.
	var uas uaTable // by addrKey, in first-seen order
	var order []*silenceState
	var cutShort int
	var cutExample *decode.AuthExchange
	var idle idleQueue

	find := func(u *uaSeen, ua netip.Addr, subject, method string, create bool) *silenceState {
		for _, s := range u.own[:u.nown] {
			if s.subject == subject && s.method == method {
				return s
			}
		}
		if u.more != nil {
			if s := u.more.find(subject, method); s != nil {
				return s
			}
		}
		if !create {
			return nil
		}
		s := idle.reuse()
		s.silenceHead = silenceHead{subject: subject, method: method, ua: ua, gen: s.gen}
		u.add(s)
		return s
	}
	answer := func(t *decode.Transaction, at int64, ch *decode.Transaction, nonce string) (inTime, late bool) {
		return answerOf(t, at, window, ch, nonce)
	}
	// placeOf decides where the silences of s go, once.
	placeOf := func(s *silenceState) placement {
		if s.place == placeUndecided {
			s.place = silent.place(s.subject, s.method, s.ua)
		}
		return s.place
	}
	// closedBy tells whether x's window closed long before now: nothing
	// the UA sends can answer it in time any more.
	closedBy := func(x *silence, now int64) bool {
		return now-x.at > int64(window)+int64(decode.Linger)
	}
	count := func(s *silenceState, x *silence) {
		if s.first == nil {
			if placeOf(s) != placeOwn {
				silent.fold(s.place, s.subject, s.method, s.ua, x)
				return
			}
			s.first = x
			order = append(order, s)
		}
		s.last = x
		s.count++
		s.calls.add(x.ex.CallID)
	}

	// closed counts the silences of s whose window closed long before now
	// into its fold, when s is in one or goes to one: a UA silent once
	// that never sends again is then forgotten at its idle check rather
	// than kept to the end. The silences of a pair with a finding of its
	// own wait, as before, for what the UA does next, which the finding
	// tells.
	closed := func(uaKey uint64, s *silenceState, now int64) {
		anyClosed := slices.ContainsFunc(s.waiting, func(x *silence) bool { return closedBy(x, now) })
		if !anyClosed || placeOf(s) == placeOwn {
			return
		}
		kept := s.waiting[:0]
		for _, x := range s.waiting {
			if closedBy(x, now) {
				count(s, x)
			} else {
				kept = append(kept, x)
			}
		}
		clear(s.waiting[len(kept):])
		if u := uas.get(uaKey); u != nil {
			u.followed -= int32(len(s.waiting) - len(kept))
		}
		s.setWaiting(kept)
	}

	var now int64
	p.OnTransaction(func(t *decode.Transaction) {
		if t.Request.Time > now {
			now = t.Request.Time
			idle.forget(now, &uas, closed)
		}
		if t.Orphan || t.Method == "ACK" || t.Method == "CANCEL" {
			return
		}
		challenge := t.Final != nil && t.Final.Challenge != nil
		ua := t.Client.Addr()
		uaKey := addrKey(ua)
		u := uas.get(uaKey)
		if u == nil {
			if !challenge && t.Credentials == nil {
				return // only UAs that were challenged are followed
			}
			u = uas.add(uaKey)
		}
		u.note(t, challenge)
		if u.followed == 0 && !challenge {
			return // nothing of this UA is being followed: the common case
		}
		s := find(u, ua, t.Subject(), t.Method, challenge)
		if s == nil {
			return
		}
		before := int(s.open) + int(s.nwait)
		// Only the entries still followed: the others would be skipped,
		// and each sits in its own cache line.
		for m := s.live; m != 0 && s.open > 0; m &= m - 1 {
			i := bits.TrailingZeros8(m)
			c := &s.ring[i]
			if c.id == t.Request {
				continue
			}
			if c.next == nil && t.Request.Time > c.at {
				c.next = t
			}
			inTime, late := answer(t, c.at, c.txn, c.nonce)
			switch {
			case inTime:
				s.settle(i)
			case late && s.lateOf(i) == nil:
				s.setLate(i, t)
			}
		}
		if s.nwait > 0 {
			kept := s.waiting[:0]
			for _, x := range s.waiting {
				if x.next == nil && t.Request.Time > x.at {
					x.next = t
				}
				inTime, late := answer(t, x.at, x.ex.Challenge, x.ex.Challenge.Final.Challenge.Nonce)
				switch {
				case inTime:
					// Answered on another Call-ID: not a silence.
				case late:
					x.late = t
					count(s, x)
				case closedBy(x, t.Request.Time):
					count(s, x)
				default:
					kept = append(kept, x)
				}
			}
			// kept shares waiting's array: the silences dropped from it
			// would stay alive there, and with them their exchanges.
			clear(s.waiting[len(kept):])
			s.setWaiting(kept)
		}
		if challenge {
			i := s.n % len(s.ring)
			c := &s.ring[i]
			if s.n >= len(s.ring) && s.live&(1<<i) != 0 {
				s.open-- // overwritten while still followed
			}
			s.dropLate(i)
			*c = recentChallenge{id: t.Request, at: t.Final.At.Time, txn: t, nonce: t.Final.Challenge.Nonce}
			s.lastAt = max(s.lastAt, c.at)
			idle.push(uaKey, s, c.at+idleAfter)
			s.n++
			s.open++
			s.live |= 1 << i
		}
		u.followed += int32(int(s.open) + int(s.nwait) - before)
	})

	p.OnAuth(func(a *decode.AuthExchange) {
		if a.Outcome != decode.AuthUnanswered || challengeOf(a) == nil {
			return
		}
		if cr := a.Challenge.Credentials; cr != nil && !a.Challenge.Final.Challenge.Stale &&
			(cr.Realm == "" || a.Challenge.Final.Challenge.Realm == "" || cr.Realm == a.Challenge.Final.Challenge.Realm) {
			// The challenge rejected credentials the UA had just sent for
			// this realm: a UA that then stops has credentials, they are
			// wrong (AUTH003, AUTH004), and it gave up retrying them.
			return
		}
		if a.CaptureEnded {
			cutShort++
			if cutExample == nil {
				cutExample = a
			}
			return
		}
		u := uas.get(addrKey(a.Client.Addr()))
		if u == nil {
			u = uas.add(addrKey(a.Client.Addr()))
		}
		s := find(u, a.Client.Addr(), a.Subject, a.Method, true)
		before := int(s.open) + int(s.nwait)
		defer func() { u.followed += int32(int(s.open) + int(s.nwait) - before) }()
		x := &silence{ex: a, at: a.Challenge.Final.At.Time, next: a.Next}
		for i := 0; i < min(s.n, len(s.ring)); i++ {
			c := &s.ring[i]
			if c.id != a.Challenge.Request {
				continue
			}
			if s.live&(1<<i) == 0 {
				return // answered on another Call-ID before the verdict
			}
			if c.next != nil && (x.next == nil || c.next.Request.Time < x.next.Request.Time) {
				x.next = c.next
			}
			x.late = s.lateOf(i)
			s.settle(i) // follow it no more
		}
		if len(s.waiting) == maxWaiting {
			count(s, s.waiting[0])
			// Delete moves the rest down and clears the freed end: the
			// array keeps no counted silence alive, and is reused.
			s.setWaiting(slices.Delete(s.waiting, 0, 1))
		}
		s.setWaiting(append(s.waiting, x))
	})

	p.AtEnd(func(tr *decode.Trace) {
		// The silences still waiting, counted in the order of their
		// challenges (the UAs' order when at the same time): the last
		// one a fold shows is then the latest.
		type waitingAtEnd struct {
			s *silenceState
			x *silence
		}
		var left []waitingAtEnd
		for _, k := range uas.keys() {
			for _, s := range uas.get(k).list() {
				for _, x := range s.waiting {
					left = append(left, waitingAtEnd{s, x})
				}
				s.setWaiting(nil)
			}
		}
		slices.SortStableFunc(left, func(a, b waitingAtEnd) int { return cmp.Compare(a.x.at, b.x.at) })
		for _, w := range left {
			if tr.Span.Last-w.x.at < int64(window) {
				cutShort++ // a window longer than Timer F, cut by the end
				if cutExample == nil {
					cutExample = w.x.ex
				}
				continue
			}
			count(w.s, w.x)
		}
		if cutShort > 0 {
			p.Undecided(fmt.Sprintf("%d challenge(s) (the first to %s for %s at %s) came less than %s before the capture ends: whether the UA would answer cannot be told",
				cutShort, cutExample.Method, cutExample.Subject, cutExample.Challenge.Final.At.T().Format("15:04:05"), seconds(window)))
		}
		for _, s := range order {
			reportSilence(p, s, tr, window, uas.get(addrKey(s.ua)))
		}
		silent.report(p, window)
	})
	return nil
}

// answerOf tells whether t answers the challenge of ch, sent at `at` with
// nonce: a request with credentials from the same UA for the same account
// within the window (a UA may retry on a new Call-ID), on the challenge's
// nonce when both show one (an answer to a later challenge is not an answer
// to this one). A request with credentials on the same Call-ID or nonce
// after the window is a late answer.
func answerOf(t *decode.Transaction, at int64, window time.Duration, ch *decode.Transaction, nonce string) (inTime, late bool) {
	if t.Credentials == nil || t.Request.Time <= at {
		return false, false
	}
	if c, agrees := t.AnsweredChallenge(); c != nil && c == ch {
		// The correlator paired t with ch (same Call-ID and client) and
		// compared the nonces as answerByNonce does when t was sent,
		// while both were in the CPU caches.
		if t.Request.Time-at <= int64(window) {
			return agrees, false
		}
		return false, true
	}
	return answerByNonce(t, at, window, ch.CallID, nonce)
}

// answerByNonce is answerOf for a request with credentials sent after the
// challenge, from its nonce and Call-ID.
func answerByNonce(t *decode.Transaction, at int64, window time.Duration, callID, nonce string) (inTime, late bool) {
	sameNonce := nonce != "" && t.Credentials.Nonce == nonce
	if t.Request.Time-at <= int64(window) {
		return sameNonce || nonce == "" || t.Credentials.Nonce == "", false
	}
	return false, sameNonce || t.CallID == callID
}

// idleAfter is how long after its latest challenge an account with
// nothing left to follow is forgotten: by then the correlator has given
// the verdict on every challenge in its ring (at Timer F, on the capture
// clock that only moves forward), so a ring entry answered on another
// Call-ID can no longer be needed to discard a verdict; and the window of
// a silence waiting in a fold (answer-within + Linger, 64 s by default) has
// closed, so the idle check counts it and lets go of its exchange. Any
// longer only holds memory: under a scan of 1,000 new accounts a second,
// 4·Timer F kept 326 MB live against 205 MB. Forgetting them keeps memory
// proportional to the accounts challenged in the last minute, not to
// every account the capture ever saw challenged.
const idleAfter = int64(decode.TimerF + decode.Linger) // the default answer-within (Timer F) plus Linger

// forgettable tells whether s was never found silent, follows no
// challenge, waits for nothing and was last challenged more than idleAfter
// before now: a new challenge would start it afresh, as if first seen.
func (s *silenceState) forgettable(now int64) bool {
	return s.first == nil && s.open == 0 && s.nwait == 0 && now-s.lastAt > idleAfter
}

// idleQueue holds the accounts to look at once they may have become
// forgettable, roughly in the order they may: one entry per challenge, so
// checking costs nothing per transaction and nothing per idle account.
// The accounts it forgets are kept for reuse: an account is typically
// forgotten between two calls and the next call's challenge needs one again.
type idleQueue struct {
	q    []idleCheck
	head int // q[head:] are pending; the slice is compacted rather than slid
	free []*silenceState
}

// idleCheck is one entry; gen is the account's generation when it was
// pushed: an entry of an account forgotten since (and maybe reused for
// another) is stale and skipped, as it would have found nothing to do.
type idleCheck struct {
	ua  uint64 // the UA's key in the uaTable
	s   *silenceState
	due int64
	gen uint32
}

func (q *idleQueue) push(ua uint64, s *silenceState, due int64) {
	if q.head > 0 && len(q.q) == cap(q.q) && 2*q.head >= len(q.q) {
		n := copy(q.q, q.q[q.head:])
		clear(q.q[n:])
		q.q, q.head = q.q[:n], 0
	}
	q.q = append(q.q, idleCheck{ua, s, due, s.gen})
}

// forget drops the accounts due by now that are forgettable; one that is
// not yet (still following a challenge) is looked at again later, one
// challenged again since has a later entry of its own. uas holds the UAs.
func (q *idleQueue) forget(now int64, uas *uaTable, closed func(ua uint64, s *silenceState, now int64)) {
	for q.head < len(q.q) && q.q[q.head].due < now {
		e := q.q[q.head]
		q.q[q.head] = idleCheck{}
		q.head++
		switch {
		case e.gen != e.s.gen:
			// Forgotten since: nothing left to do.
		case e.s.first != nil || e.s.lastAt+idleAfter > e.due:
			// Reported, or challenged since: nothing to do here.
		default:
			if e.s.nwait > 0 {
				closed(e.ua, e.s, now)
			}
			if !e.s.forgettable(now) {
				q.push(e.ua, e.s, now+idleAfter)
				break
			}
			if u := uas.get(e.ua); u != nil {
				u.forget(e.s)
				if u.forgettable() {
					uas.remove(e.ua)
				}
			}
			// Kept for reuse, it holds nothing: its waiting list's array
			// may still point to silences counted long ago.
			e.s.gen++
			e.s.silenceHead = silenceHead{gen: e.s.gen}
			q.free = append(q.free, e.s)
		}
	}
}

// reuse returns a forgotten account to fill in, or a new one.
func (q *idleQueue) reuse() *silenceState {
	if n := len(q.free); n > 0 {
		s := q.free[n-1]
		q.free[n-1] = nil
		q.free = q.free[:n-1]
		return s
	}
	return &silenceState{}
}

// forget removes the account s from u, keeping the others in order (the
// end visits them in it).
func (u *uaSeen) forget(s *silenceState) {
	if i := slices.Index(u.own[:u.nown], s); i >= 0 {
		copy(u.own[i:], u.own[i+1:u.nown])
		u.nown--
		u.own[u.nown] = nil
		if u.more != nil {
			// The first of the others moves up into own.
			if first := u.more.popFirst(); first != nil {
				u.own[u.nown] = first
				u.nown++
			}
		}
		return
	}
	if u.more != nil {
		u.more.remove(s)
	}
}

// forgettable tells whether u follows no account and knows nothing worth
// keeping: at most one account it answered for and one server that
// challenged it (which the next transaction would note again). Forgetting
// such UAs keeps the table proportional to the UAs challenged lately, not
// to every address a scan came from; a UA that answered for several
// accounts or was challenged by several servers is kept, as the scanner
// test of its findings reads that.
func (u *uaSeen) forgettable() bool {
	return u.nown == 0 && u.followed == 0 &&
		(u.more == nil || (u.more.live == 0 && u.more.answeredSet == nil && u.more.challengers == nil))
}

// add appends the account s to u's.
func (u *uaSeen) add(s *silenceState) {
	if int(u.nown) < len(u.own) {
		u.own[u.nown] = s // own is full before more holds any
		u.nown++
		return
	}
	u.extra().add(s)
}

// list is u's accounts in the order they were added.
func (u *uaSeen) list() []*silenceState {
	l := slices.Clone(u.own[:u.nown])
	if u.more != nil {
		for _, s := range u.more.accounts[u.more.head:] {
			if s != nil {
				l = append(l, s)
			}
		}
	}
	return l
}

// find returns the account for subject and method, nil if there is none.
func (m *uaMore) find(subject, method string) *silenceState {
	if m.live == 0 {
		return nil
	}
	if i, ok := m.index[foldKey{subject, method}]; ok {
		return m.accounts[i]
	}
	return nil
}

func (m *uaMore) add(s *silenceState) {
	if m.index == nil {
		m.index = map[foldKey]int{}
	}
	m.index[foldKey{s.subject, s.method}] = len(m.accounts)
	m.accounts = append(m.accounts, s)
	m.live++
}

// remove takes s out; the hole it leaves is reclaimed by compact.
func (m *uaMore) remove(s *silenceState) {
	k := foldKey{s.subject, s.method}
	if i, ok := m.index[k]; ok && m.accounts[i] == s {
		m.accounts[i] = nil
		delete(m.index, k)
		m.live--
		m.compact()
	}
}

// popFirst takes out and returns the first account, nil if none.
func (m *uaMore) popFirst() *silenceState {
	for ; m.head < len(m.accounts); m.head++ {
		if s := m.accounts[m.head]; s != nil {
			m.remove(s)
			return s
		}
	}
	return nil
}

// compact moves the accounts down over the holes once they are more than
// half of the slice: forgetting an account costs O(1) amortised, and the
// slice stays proportional to the accounts followed.
func (m *uaMore) compact() {
	if len(m.accounts) < 16 || 2*m.live > len(m.accounts) {
		return
	}
	kept := m.accounts[:0]
	for _, s := range m.accounts[m.head:] {
		if s != nil {
			m.index[foldKey{s.subject, s.method}] = len(kept)
			kept = append(kept, s)
		}
	}
	clear(m.accounts[len(kept):])
	m.accounts, m.head = kept, 0
}

func (u *uaSeen) extra() *uaMore {
	if u.more == nil {
		u.more = &uaMore{}
	}
	return u.more
}

func reportSilence(p *Pass, s *silenceState, tr *decode.Trace, window time.Duration, src *uaSeen) {
	x := s.first
	ch := x.ex.Challenge
	c := ch.Final.Challenge
	msg := fmt.Sprintf("the UA at %s did not answer the %s (realm %q) to its %s for %s with credentials within %s",
		s.ua, statusSummary(ch.Final), c.Realm, x.ex.Method, s.subject, seconds(window))
	if s.count > 1 {
		msg = fmt.Sprintf("the UA at %s answered none of %d challenges (%s, realm %q) to its %s for %s with credentials within %s",
			s.ua, s.count, statusSummary(ch.Final), c.Realm, x.ex.Method, s.subject, seconds(window))
	}
	ev := []Evidence{
		requestEvidence(ch, "the request"),
		finalEvidence(ch, "challenge: "+challengeNote(c)),
	}
	conf := High
	switch n := x.next; {
	case x.late != nil:
		l := x.late
		msg += fmt.Sprintf("; it answered only %.1f s later", since(ch.Final.At, l.Request).Seconds())
		ev = append(ev, requestEvidence(l, "late answer: "+credentialsNote(l.Credentials)))
		if l.Final != nil && l.Final.Status >= 300 {
			msg += fmt.Sprintf(", and the server refused that late answer (%s)", statusSummary(l.Final))
			if speaksOfNonce(l.Final) || (l.Final.Challenge != nil && l.Final.Challenge.Stale) {
				msg += ": the nonce had aged"
			}
			ev = append(ev, finalEvidence(l, "the late answer is refused: "+authRejectionNote(l.Final)))
		}
		msg += "; a UA this slow is waiting for someone to type the password, or its credentials prompt is blocked"
		conf = Medium
	case n == nil:
		quiet := time.Duration(tr.Span.Last - x.at)
		msg += fmt.Sprintf("; it sent no other %s for this account in the %s the capture goes on", x.ex.Method, seconds(quiet))
		ev = append(ev, Evidence{At: decode.Ref{Input: ch.Final.At.Input, Time: tr.Span.Last},
			Note: fmt.Sprintf("end of capture, %s after the challenge: no request with credentials", seconds(quiet))})
	case n.CallID != x.ex.CallID:
		msg += fmt.Sprintf("; %s later it started over with a new %s on another Call-ID, again without credentials",
			seconds(since(ch.Final.At, n.Request)), n.Method)
		ev = append(ev, requestEvidence(n, "what the UA sent next: no credentials, new Call-ID"))
	default:
		msg += fmt.Sprintf("; its next %s (%s later) carries no credentials", n.Method, seconds(since(ch.Final.At, n.Request)))
		ev = append(ev, requestEvidence(n, "what the UA sent next: no credentials"))
	}
	if c.Algorithm != "" && !strings.EqualFold(c.Algorithm, "MD5") && !strings.EqualFold(c.Algorithm, "MD5-sess") {
		msg += fmt.Sprintf("; the challenge asks for algorithm %s, which older UAs do not support", c.Algorithm)
	}
	if src != nil && (src.accounts() >= scanAccounts || src.servers() >= scanServers) {
		// A source that answers challenges for many other accounts, or is
		// challenged by many servers, is a scanner or password guesser
		// probing accounts, not a UA missing its credentials.
		msg += fmt.Sprintf("; the same source sent credentials for %d account(s) and was challenged by %d server(s): it looks like a scanner probing accounts rather than a UA without credentials",
			src.accounts(), src.servers())
		conf = Low
	}
	if s.count > 1 {
		ev = append(ev, finalEvidence(s.last.ex.Challenge, fmt.Sprintf("challenge %d, unanswered too: %s", s.count, challengeNote(s.last.ex.Challenge.Final.Challenge))))
	}
	p.Report(Finding{
		Subject: s.subject, At: ch.Final.At, Message: msg,
		Evidence: ev, CallIDs: s.calls.ids, Affected: int(s.count), Confidence: conf,
	})
}

// uaSeen is what one UA address did: per account and method, and across
// accounts (to tell a scanner from a UA). Everything a transaction of the
// UA reads is in its 56 bytes, in the cache line of its uaTable slot:
// followed, the first two accounts, and the first account it answered for
// and the first server that challenged it, by a 64-bit key each (comparing
// the strings would read the earlier message's bytes, another cache
// miss). What few UAs need is in more.
type uaSeen struct {
	followed int32  // challenges of its accounts still followed or waiting
	nown     uint8  // accounts in own; more holds any further ones
	sameLen  uint16 // see same
	own      [2]*silenceState
	// answered is accountKey of the first non-empty account it sent
	// credentials for, 0 for none yet; challenger is serverKey of the
	// first valid server that challenged it, 0 for none yet.
	answered, challenger uint64
	// same and sameLen are the bytes and length of the string it last
	// gave for its first account (nil: none): the same string again is
	// that account without hashing it, whose bytes lie out of the CPU
	// caches (the correlator's AOR cache).
	same *byte
	more *uaMore
}

// uaMore is what of a uaSeen only some UAs need.
type uaMore struct {
	// accounts are the accounts after own's, in the order added, nil where
	// one was forgotten or moved up into own; accounts[:head] are all nil,
	// live are the others, and index finds them: a UA can be challenged
	// on a million accounts (an extension scan).
	accounts    []*silenceState
	head, live  int
	index       map[foldKey]int
	answeredSet map[uint64]bool // by accountKey, from the second distinct account on
	challengers map[uint64]bool // by serverKey, from the second distinct server on
}

func newUASeen() *uaSeen { return &uaSeen{} }

// accountSeed seeds accountKey.
var accountSeed = maphash.MakeSeed()

// accountKey stands for an account (a subject) in uaSeen: two different
// strings share a key with probability 2⁻⁶³; never 0.
func accountKey(subject string) uint64 {
	return maphash.String(accountSeed, subject) | 1
}

// serverKey stands for a server address in uaSeen: 0 for the invalid
// address, else addrKey + 1 (exact for IPv4, a hash for IPv6 with zones
// apart, as netip.Addr's == keeps them).
func serverKey(a netip.Addr) uint64 {
	if !a.IsValid() {
		return 0
	}
	return addrKey(a) + 1
}

// sameAs notes subject, u's first account, as the string last given for it.
func (u *uaSeen) sameAs(subject string) {
	u.same, u.sameLen = nil, 0
	if len(subject) > 0 && len(subject) <= math.MaxUint16 {
		u.same, u.sameLen = unsafe.StringData(subject), uint16(len(subject))
	}
}

// accounts is the number of distinct accounts u sent credentials for.
func (u *uaSeen) accounts() int {
	if u.more != nil && u.more.answeredSet != nil {
		return len(u.more.answeredSet)
	}
	if u.answered != 0 {
		return 1
	}
	return 0
}

// servers is the number of distinct servers that challenged u.
func (u *uaSeen) servers() int {
	if u.more != nil && u.more.challengers != nil {
		return len(u.more.challengers)
	}
	if u.challenger != 0 {
		return 1
	}
	return 0
}

// scanAccounts is how many accounts one source answering challenges for
// makes it a multi-account prober rather than a UA (a PBX registering many
// accounts also reaches it: the finding is then kept, with low confidence).
const scanAccounts = 5

// note counts t's account when it carries credentials and its server when
// it was challenged (each capped at 64). An empty account is counted only
// once another one was (as the first, it would be "none yet"); an invalid
// server likewise.
func (u *uaSeen) note(t *decode.Transaction, challenged bool) {
	if t.Credentials != nil {
		switch subject := t.Subject(); {
		case u.answered == 0:
			if subject != "" {
				u.answered = accountKey(subject)
				u.sameAs(subject)
			}
		case u.same != nil && unsafe.StringData(subject) == u.same && len(subject) == int(u.sameLen):
			// The first account again, given as the same string.
		default:
			k := accountKey(subject)
			switch m := u.more; {
			case k == u.answered:
				// Counted (in answeredSet too, when there is one).
				u.sameAs(subject)
			case m == nil || m.answeredSet == nil:
				u.extra().answeredSet = map[uint64]bool{u.answered: true, k: true}
			case len(m.answeredSet) < 64:
				m.answeredSet[k] = true
			}
		}
	}
	if challenged {
		k, m := serverKey(t.Server.Addr()), u.more
		switch {
		case u.challenger == 0:
			u.challenger = k
		case k == u.challenger && (m == nil || m.challengers == nil):
		case m == nil || m.challengers == nil:
			u.extra().challengers = map[uint64]bool{u.challenger: true, k: true}
		case len(m.challengers) < 64:
			m.challengers[k] = true
		}
	}
}
