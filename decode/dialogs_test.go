package decode

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"
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

// A Dialog keeps its key in itself when it fits and in a string of its own
// otherwise; either way the table finds it by the key's bytes, and the key
// reads what it was set from after the buffer it was built in is reused.
func TestDialogKeyInline(t *testing.T) {
	dt := newDialogTable()
	var keys [][]byte
	for _, n := range []int{1, 17, dialogKeyInline - 1, dialogKeyInline, dialogKeyInline + 1, 300} {
		k := appendDialogKey(nil, []byte(strings.Repeat("c", n)), []byte("ft"), []byte("tt"))
		keys = append(keys, k)
		d := &Dialog{}
		buf := append([]byte(nil), k...)
		d.setKey(buf)
		clear(buf) // the dialog must not share the caller's bytes
		if d.key != string(k) {
			t.Fatalf("len %d: key %q, want %q", len(k), d.key, k)
		}
		if inline := unsafe.StringData(d.key) == &d.keyBuf[0]; inline != (len(k) <= dialogKeyInline) {
			t.Errorf("len %d: held in the Dialog = %v", len(k), inline)
		}
		dt.put(dt.hash(k), d)
	}
	for _, k := range keys {
		if d := dt.get(dt.hash(k), k); d == nil || d.key != string(k) {
			t.Errorf("len %d: not found", len(k))
		}
	}
}

// A Dialog is 192 bytes, a size class whose objects start on a cache line,
// so that the key's header and its first 48 bytes share one.
func TestDialogSize(t *testing.T) {
	if n := unsafe.Sizeof(Dialog{}); n != 192 {
		t.Errorf("Dialog is %d bytes, want 192", n)
	}
	if off := unsafe.Offsetof(Dialog{}.keyBuf); off != 16 {
		t.Errorf("keyBuf at %d, want 16 (right after key)", off)
	}
}
