package decode

import (
	"testing"
	"unsafe"
)

// TestFieldsOfGet: a sub-slice of raw comes back as the substring of text
// at the same offset (no copy); bytes elsewhere (another array with the
// same contents, a slice whose capacity was cut, an unquoted copy) come
// back as a copy with the same contents.
func TestFieldsOfGet(t *testing.T) {
	raw := []byte(`Digest realm="r\"x", nonce="n"`)
	f := fieldsOf{raw: raw, text: string(raw)}
	shared := func(s string) bool {
		base := uintptr(unsafe.Pointer(unsafe.StringData(f.text)))
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		return p >= base && p < base+uintptr(len(f.text))
	}
	other := []byte(string(raw))
	for _, c := range []struct {
		what   string
		sub    []byte
		want   string
		shared bool
	}{
		{"sub-slice", raw[7:12], "realm", true},
		{"sub-slice at the end", raw[len(raw)-2 : len(raw)-1], "n", true},
		{"whole", raw, string(raw), true},
		{"other array", other[7:12], "realm", false},
		{"capacity cut", raw[7:12:12], "realm", false},
		{"unquoted copy", Unquote(raw[14:18]), `r"x`, false},
		{"empty", raw[3:3], "", false},
	} {
		got := f.get(c.sub)
		if got != c.want {
			t.Errorf("%s: get = %q, want %q", c.what, got, c.want)
		}
		if c.want != "" && shared(got) != c.shared {
			t.Errorf("%s: shares text = %v, want %v", c.what, shared(got), c.shared)
		}
	}
}
