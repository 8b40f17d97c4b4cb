package capture

import "testing"

// needsWorkNaive is the definition needsWork's table tricks must match:
// some byte is marked in textSpecial and does start something to undo.
func needsWorkNaive(raw []byte) bool {
	for i := range raw {
		if textSpecial[raw[i]] != 0 && specialAt(raw, i) {
			return true
		}
	}
	return false
}

func TestNeedsWorkMatchesDefinition(t *testing.T) {
	var z normaliser
	for _, s := range []string{
		"", "a", "<", "<b", "x<b", "xx<sip:1@h>", "From: <sip:1@h>;tag=1", "abcdefg<br />", "abcdefgh<br />",
		"> quoted", "` code", "a>b", "a`b", "&amp;", "x&#0", "#012", "ab#012", "x\\_y", "xy\\_", "^M", "a^M",
		"x^Mb", "[email protected]", "ab[email protected]", "a[b]", "tab\there", "bell\x07", "caf\xc3\xa9",
		"0123456<", "01234567<b", "0123456789abcde<", "0123456789abcdef<m", "<mark>", "x<0", "x< ",
	} {
		if got, want := z.needsWork([]byte(s)), needsWorkNaive([]byte(s)); got != want {
			t.Errorf("needsWork(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzNeedsWork(f *testing.F) {
	f.Add([]byte("Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1<br>"))
	f.Add([]byte("0123456789abcdef<m"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var z normaliser
		if got, want := z.needsWork(raw), needsWorkNaive(raw); got != want {
			t.Errorf("needsWork(%q) = %v, want %v", raw, got, want)
		}
	})
}
