package decode

import "hash/maphash"

// dialogTable finds confirmed dialogs by a 64-bit hash of their key
// (appendDialogKey), in a slotTable: each dialog is put by the 2xx to its
// INVITE and removed by its BYE (or when idle for long).
type dialogTable struct {
	seed maphash.Seed
	slotTable[*Dialog]
}

func newDialogTable() dialogTable {
	return dialogTable{seed: maphash.MakeSeed(), slotTable: newSlotTable[*Dialog](1024)}
}

func (dt *dialogTable) hash(key []byte) uint64 { return maphash.Bytes(dt.seed, key) }

// get returns the dialog with key (whose hash is h), nil if none.
func (dt *dialogTable) get(h uint64, key []byte) *Dialog {
	for i, mask := dt.home(h); ; i = (i + 1) & mask {
		s := &dt.slots[i]
		if s.p == nil {
			return nil
		}
		if s.h == h && s.p.key == string(key) {
			return s.p
		}
	}
}

// forgetIdle removes the dialogs that started before the cutoff (Unix ns).
func (dt *dialogTable) forgetIdle(cutoff int64) {
	var idle []*Dialog
	dt.each(func(d *Dialog) {
		if d.Start.Time < cutoff {
			idle = append(idle, d)
		}
	})
	for _, d := range idle {
		dt.remove(dt.hash([]byte(d.key)), d)
	}
}
