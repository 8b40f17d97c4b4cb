package decode

import "testing"

var contactSeeds = []string{
	"<sip:a@b>", "*", " * ", "\"A\" <sip:a@b>;expires=60", "<sip:a@b>;expires=x",
	"sip:a@b;expires=99999999999", "<sip:a@b;expires=5>", "", "<>", "junk",
	"<sip:a@b>;q=0.5;expires=0", "<sip:a@b>;expires", "<sip:a@b>;expires=\"1\"",
}

// contactOK is contactOKTrimmed for any v, as ParseContact takes it.
func contactOK(v []byte) bool { return contactOKTrimmed(trimLWS(v)) }

// TestContactOK holds Validate's contactOKTrimmed equal to
// ParseContact(v).ok.
func TestContactOK(t *testing.T) {
	for _, v := range contactSeeds {
		if got, want := contactOK([]byte(v)), ParseContact([]byte(v)).ok; got != want {
			t.Errorf("contactOK(%q) = %v, ParseContact ok %v", v, got, want)
		}
	}
}

func FuzzContactOK(f *testing.F) {
	for _, v := range contactSeeds {
		f.Add([]byte(v))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		if got, want := contactOK(v), ParseContact(v).ok; got != want {
			t.Fatalf("contactOK(%q) = %v, ParseContact ok %v", v, got, want)
		}
	})
}
