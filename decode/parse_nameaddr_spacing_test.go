package decode

import "testing"

// TestNameAddrSpacingShortcuts: parseNameAddrFast takes '"name" <' and
// '>;' without its LWS loops; every other spacing around the display
// name's end and the '>' must read as the reference reads it, through
// the fast parser (parseNameAddrInto, untrimmed too) and ParseNameAddr.
func TestNameAddrSpacingShortcuts(t *testing.T) {
	for _, v := range []string{
		`"A" <sip:a@h>`, `"A"<sip:a@h>`, `"A"  <sip:a@h>`, "\"A\"\t<sip:a@h>", `"A" x<sip:a@h>`, `"A" `, `"A" <`,
		`"A" <sip:a@h>;tag=1`, `"A" <sip:a@h> ;tag=1`, `"A" <sip:a@h>  `, "\"A\" <sip:a@h>\r\n", `"A" <sip:a@h>x`,
		`<sip:a@h>;tag=1`, `<sip:a@h> ;tag=1`, `<sip:a@h>;`, `<sip:a@h> ; tag=1`, `<sip:a@h>;tag=1 `,
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
