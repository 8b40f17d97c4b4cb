package rules

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sipdiag/sipdiag/decode"
)

// requestEvidence points at the first copy of a transaction's request.
func requestEvidence(t *decode.Transaction, note string) Evidence {
	return Evidence{At: t.Request, Src: t.Client, Dst: t.Server, Summary: requestSummary(t), Note: note}
}

// finalEvidence points at a transaction's final response.
func finalEvidence(t *decode.Transaction, note string) Evidence {
	return Evidence{At: t.Final.At, Src: t.Server, Dst: t.Client, Summary: statusSummary(t.Final), Note: note}
}

func requestSummary(t *decode.Transaction) string {
	s := t.Method + " " + t.RequestURI
	if t.Sends > 1 {
		s += fmt.Sprintf(" (sent %d times)", t.Sends)
	}
	return s
}

func statusSummary(r *decode.Response) string {
	s := strconv.Itoa(r.Status)
	if r.Reason != "" {
		s += " " + r.Reason
	}
	return s
}

// credentialsNote quotes what identifies credentials (never the response).
func credentialsNote(c *decode.AuthCredentials) string {
	name := "Authorization"
	if c.Proxy {
		name = "Proxy-Authorization"
	}
	s := fmt.Sprintf("%s: username=%q realm=%q", name, c.Username, c.Realm)
	if c.URI != "" {
		s += fmt.Sprintf(" uri=%q", c.URI)
	}
	if c.Algorithm != "" {
		s += " algorithm=" + c.Algorithm
	}
	return s
}

// challengeNote quotes a challenge; renderers redact the nonce.
func challengeNote(c *decode.AuthChallenge) string {
	if c.Header != "" {
		return c.Header
	}
	return fmt.Sprintf("realm=%q", c.Realm)
}

// seconds prints a duration the way engineers say it: "32 s", "5.5 s", "250 ms".
func seconds(d time.Duration) string {
	s := d.Seconds()
	switch {
	case s >= 10:
		return fmt.Sprintf("%.0f s", s)
	case s >= 1:
		return fmt.Sprintf("%.1f s", s)
	case d >= 10*time.Millisecond:
		return fmt.Sprintf("%.0f ms", s*1000)
	default:
		return fmt.Sprintf("%.1f ms", s*1000)
	}
}

// times says "once", "twice", "5 times".
func times(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return fmt.Sprintf("%d times", n)
}

func since(a, b decode.Ref) time.Duration { return time.Duration(b.Time - a.Time) }

// median of a few durations (the period of a loop).
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	c := append([]time.Duration(nil), ds...)
	sort.Slice(c, func(i, j int) bool { return c[i] < c[j] })
	return c[len(c)/2]
}

// callIDs collects distinct Call-IDs in first-seen order, up to max.
type callIDs struct {
	ids  []string
	seen map[string]bool
}

func (c *callIDs) add(id string) {
	if id == "" || c.seen[id] || len(c.ids) >= 8 {
		return
	}
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	c.seen[id] = true
	c.ids = append(c.ids, id)
}

// mentions reports whether r's reason phrase or Warning contains one of
// words (lower case), without regard to case: servers often name the cause
// of a refusal there.
func mentions(r *decode.Response, words ...string) bool {
	text := strings.ToLower(r.Reason + " " + r.Warning)
	for _, w := range words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// sourceSubject is the subject of a finding on a source address rather
// than an account (AUTH003, AUTH004, REG004 and TXN001 folding many
// accounts or servers, AUTH005's banned source). diagnose merges findings
// by exact subject: AUTH005 explains AUTH003, AUTH004 and REG004 on the
// same source only because they spell it alike.
func sourceSubject(a netip.Addr) string { return "source " + a.String() }
