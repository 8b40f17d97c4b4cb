package diagnose

import (
	"net/netip"
	"slices"
	"sort"

	"github.com/sipdiag/sipdiag/ladder"
	"github.com/sipdiag/sipdiag/rules"
)

// CallIDs lists the Call-IDs the findings name, as captured (before
// redaction), in order: what a second pass collects for the ladders.
func CallIDs(findings []rules.Finding) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range findings {
		for _, id := range f.CallIDs {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// AddFlows adds collected flows to the report: redacted like the rest,
// laid out in columns, the evidence messages marked decisive, each linked
// to the diagnoses that name it. Flows of diagnoses come first, by rank.
func (r *Report) AddFlows(flows []*ladder.Flow) {
	b := builder{inputs: r.Inputs, red: r.red}
	for _, lf := range flows {
		f := Flow{CallID: b.text(lf.CallID), Total: lf.Total, Messages: []FlowMessage{}, Diagnoses: []int{}}
		decisive := map[Location]bool{}
		for _, d := range r.Diagnoses {
			named := false
			for _, fd := range d.Findings {
				if !slices.Contains(fd.CallIDs, f.CallID) {
					continue
				}
				named = true
				decisive[fd.At] = true
				for _, e := range fd.Evidence {
					decisive[e.At] = true
				}
			}
			if named {
				f.Diagnoses = append(f.Diagnoses, d.Rank)
			}
		}
		cols := columnsOf(lf.Messages)
		index := map[string]int{}
		for _, m := range lf.Messages {
			src, dst := cols.name(m.Src), cols.name(m.Dst)
			for _, h := range []string{src, dst} {
				if _, ok := index[h]; !ok {
					index[h] = len(f.Hosts)
					f.Hosts = append(f.Hosts, h)
				}
			}
			at := b.location(m.At)
			f.Messages = append(f.Messages, FlowMessage{
				At: at, Src: b.red.Addr(addrString(m.Src)), Dst: b.red.Addr(addrString(m.Dst)),
				From: index[src], To: index[dst], Label: b.text(m.Label), CSeq: m.CSeq,
				Decisive: decisive[at], Text: b.text(m.Text),
			})
		}
		for i, h := range f.Hosts {
			f.Hosts[i] = b.red.Addr(h)
		}
		if f.Hosts == nil {
			f.Hosts = []string{}
		}
		r.Flows = append(r.Flows, f)
	}
	sort.SliceStable(r.Flows, func(i, j int) bool {
		a, b := r.Flows[i].Diagnoses, r.Flows[j].Diagnoses
		switch {
		case len(a) == 0 || len(b) == 0:
			return len(a) > len(b)
		}
		return a[0] < b[0]
	})
}

func addrString(a netip.AddrPort) string {
	switch {
	case !a.IsValid():
		return "?"
	case a.Port() == 0:
		return a.Addr().String()
	}
	return a.String()
}

// columns decides what a ladder column is: an IP address, or ip:port for
// an address seen with more than one port in the flow (two UAs on one
// host, a loopback test bed).
type columns struct{ multiPort map[netip.Addr]bool }

func columnsOf(ms []ladder.Message) columns {
	ports := map[netip.Addr]map[uint16]bool{}
	for _, m := range ms {
		for _, a := range []netip.AddrPort{m.Src, m.Dst} {
			if !a.IsValid() || a.Port() == 0 {
				continue
			}
			if ports[a.Addr()] == nil {
				ports[a.Addr()] = map[uint16]bool{}
			}
			ports[a.Addr()][a.Port()] = true
		}
	}
	c := columns{multiPort: map[netip.Addr]bool{}}
	for a, ps := range ports {
		c.multiPort[a] = len(ps) > 1
	}
	return c
}

func (c columns) name(a netip.AddrPort) string {
	if !a.IsValid() {
		return "?"
	}
	if c.multiPort[a.Addr()] && a.Port() != 0 {
		return a.String()
	}
	return a.Addr().String()
}
