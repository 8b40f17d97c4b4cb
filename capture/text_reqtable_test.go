package capture

import (
	"net/netip"
	"testing"
)

// runReqTable applies ops to a reqTable and to the map it replaces, as
// the orienter does (a put clears both once they hold limit entries),
// and fails t when a get or a length differs.
func runReqTable(t *testing.T, ops []byte, limit int) {
	t.Helper()
	var tab reqTable
	ref := map[uint64]reqSide{}
	for i, op := range ops {
		// few distinct keys, so that puts overwrite and gets hit; some
		// share their low bits (the slot), some are 0
		h := uint64(op>>2) << (8 * (op % 4))
		switch op % 3 {
		case 0, 1:
			if len(ref) >= limit {
				clear(ref)
				tab.clear()
			}
			v := reqSide{peer: netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 0, op}), uint16(i))}
			ref[h] = v
			tab.put(h, v)
		case 2:
			got, ok := tab.get(h)
			want, wok := ref[h]
			if ok != wok || got != want {
				t.Fatalf("op %d: get(%#x) = %v %v, want %v %v", i, h, got, ok, want, wok)
			}
		}
		if tab.len() != len(ref) {
			t.Fatalf("op %d: %d entries, want %d", i, tab.len(), len(ref))
		}
	}
	for h, want := range ref {
		if got, ok := tab.get(h); !ok || got != want {
			t.Fatalf("at the end: get(%#x) = %v %v, want %v", h, got, ok, want)
		}
	}
}

func TestReqTableSameAsMap(t *testing.T) {
	var ops []byte
	for i := 0; i < 20000; i++ {
		ops = append(ops, byte(i*37+i/7))
	}
	runReqTable(t, ops, maxReqs)
	runReqTable(t, ops, 50) // cleared often
	runReqTable(t, ops, 1000)
}

func FuzzReqTable(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 255, 254, 2, 5, 8}, uint8(3))
	f.Fuzz(func(t *testing.T, ops []byte, limit uint8) {
		runReqTable(t, ops, 1+int(limit))
	})
}
