package decode

import (
	"fmt"
	"testing"
)

// Dialogs are found by their key, and those that started before the cutoff
// are forgotten while the others stay found.
func TestDialogTableForgetIdle(t *testing.T) {
	dt := newDialogTable()
	keyOf := func(i int) []byte {
		return appendDialogKey(nil, []byte(fmt.Sprintf("call-%d", i)), []byte("a"), []byte("b"))
	}
	for i := 0; i < 3000; i++ {
		k := keyOf(i)
		dt.put(dt.hash(k), &Dialog{Start: Ref{Time: int64(i)}, key: string(k)})
	}
	dt.forgetIdle(1000)
	if dt.len() != 2000 {
		t.Fatalf("%d dialogs left, want 2000", dt.len())
	}
	for i := 0; i < 3000; i++ {
		k := keyOf(i)
		d := dt.get(dt.hash(k), k)
		if (d != nil) != (i >= 1000) || (d != nil && d.Start.Time != int64(i)) {
			t.Fatalf("dialog %d: %+v", i, d)
		}
	}
}
