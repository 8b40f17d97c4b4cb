package decode

import (
	"strings"
	"testing"
)

// TestNameAddrSpacingShortcuts: parseNameAddrFast takes '"name" <' and
// '>;' without its LWS loops; every other spacing around the display
// name's end and the '>' must read as the reference reads it, through
// the fast parser (parseNameAddrInto, untrimmed too) and ParseNameAddr.
func TestNameAddrSpacingShortcuts(t *testing.T) {
	for _, v := range []string{
		`"A" <sip:a@h>`, `"A"<sip:a@h>`, `"A"  <sip:a@h>`, "\"A\"\t<sip:a@h>", `"A" x<sip:a@h>`, `"A" `, `"A" <`,
		`"A" <sip:a@h>;tag=1`, `"A" <sip:a@h> ;tag=1`, `"A" <sip:a@h>  `, "\"A\" <sip:a@h>\r\n", `"A" <sip:a@h>x`,
		`<sip:a@h>;tag=1`, `<sip:a@h> ;tag=1`, `<sip:a@h>;`, `<sip:a@h> ; tag=1`, `<sip:a@h>;tag=1 `,
		`"A" xsip:a@h>`, `"A" >sip:a@h>`, "\"A\"\x00<sip:a@h>", "\"A\" \x00sip:a@h>",
	} {
		checkSameAsReference(t, []byte(v))
		var na NameAddr
		ok := parseNameAddrInto(&na, []byte(v))
		rna, rok := refParseNameAddr([]byte(v))
		if ok != rok || string(na.Display) != string(rna.Display) || string(na.URI) != string(rna.URI) ||
			string(na.Params) != string(rna.Params) || string(na.Tag) != string(rna.Tag) {
			t.Errorf("parseNameAddrInto(%q) = %q %v, reference %q %v", v, na, ok, rna, rok)
		}
	}
}

// TestNameAddrDisplayWords: quoted display names of every length up to
// 20 bytes, with an escape or an early '"' at every place, or left open,
// read as the reference reads them (the closing quote is searched eight
// bytes at a time by quotedPlainEnd, the rest by quoteEndShort).
func TestNameAddrDisplayWords(t *testing.T) {
	for n := 0; n <= 20; n++ {
		name := strings.Repeat("n", n)
		checkSameAsReference(t, []byte(`"`+name+`" <sip:a@h>;tag=1`))
		checkSameAsReference(t, []byte(`"`+name))
		for pos := 0; pos < n; pos++ {
			for _, c := range []string{`\"`, `\\`, `"`, `\`} {
				checkSameAsReference(t, []byte(`"`+name[:pos]+c+name[pos:]+`" <sip:a@h>`))
			}
		}
	}
}
