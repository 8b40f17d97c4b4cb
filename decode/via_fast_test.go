package decode

import (
	"reflect"
	"testing"
)

// TestViaFastParamShortcuts holds the readings parseViaFast and
// parseNameAddrFast take without scanParam ("branch=token", a bare
// "rport", "rport=x", "received=x", a lone ";tag=token") equal to the general parsers wherever the fast ones
// accept the value.
func TestViaFastParamShortcuts(t *testing.T) {
	for _, v := range []string{
		"SIP/2.0/UDP h;branch=z9hG4bK647de0f11dce73ee",
		"SIP/2.0/UDP h:5060;BRANCH=z9hG4bK1;rport",
		"SIP/2.0/UDP h;branch=a;branch=b",
		"SIP/2.0/UDP h;rport;branch=z9hG4bK647de0f11dce73ee;received=10.0.0.1",
		"SIP/2.0/UDP h;branch=",
		"SIP/2.0/UDP h;branch=;rport",
		"SIP/2.0/UDP h;branch=x y",
		"SIP/2.0/UDP h;branch=\"x\"",
		"SIP/2.0/UDP h;branchx=1",
		"SIP/2.0/UDP h;branch=[::1]",
		"SIP/2.0/UDP h;branch=x,y",
		"SIP/2.0/UDP h;bRaNcH=12345678;",
		"SIP/2.0/UDP h;rport",
		"SIP/2.0/UDP h;RPort;branch=x",
		"SIP/2.0/UDP h;rport;rport=5",
		"SIP/2.0/UDP h;rport=5060;rport",
		"SIP/2.0/UDP h;rportx;branch=x",
		"SIP/2.0/UDP h;rport ;branch=x",
		"SIP/2.0/UDP h;rport;",
		"SIP/2.0/UDP h;rport=5060;received=10.20.9.89;branch=z9hG4bK1",
		"SIP/2.0/UDP h;RECEIVED=10.0.0.1;Rport=1",
		"SIP/2.0/UDP h;received=a;received=b;rport=1;rport=2",
		"SIP/2.0/UDP h;received=;rport=",
		"SIP/2.0/UDP h;received=\"x\";rport=1 ",
		"SIP/2.0/UDP h;received=[::1];rport=x:y",
		"SIP/2.0/UDP h;receivedx=1;rportx=1",
		"SIP/2.0/UDP h;received=1;",
		"SIP/2.0/UDP h:5060",
		"SIP/2.0/UDP h:65535;branch=x",
		"SIP/2.0/UDP h:65536",
		"SIP/2.0/UDP h:005060",
		"SIP/2.0/UDP h:99999",
		"SIP/2.0/UDP h:",
		"SIP/2.0/UDP h:0",
	} {
		var fast Via
		if parseViaFast(&fast, trimLWS([]byte(v))) { // as parseViaInto calls it
			general, ok := parseViaGeneral([]byte(v))
			if !ok || !reflect.DeepEqual(fast, general) {
				t.Errorf("%q: fast %+v, general %+v (ok %v)", v, fast, general, ok)
			}
		}
	}
	for _, v := range []string{
		`"A" <sip:a@h>;tag=535c9447`,
		`<sip:a@h>;TAG=x`,
		`<sip:a@h>;tag=`,
		`<sip:a@h>;tag=x;y`,
		`<sip:a@h>;tag="x"`,
		`<sip:a@h>;tag=[x]:1`,
		`<sip:a@h>;tagg=1`,
		`<sip:a@h>;tag=x y`,
		`<sip:a@h>;tag=12345678`,
		`<sip:a@h>;tag=12345678;x`,
		`<sip:a@h>;tag=1234567890abcdef`,
		`<sip:a@h>;tag=1234567890abcde"`,
		`<sip:a@h>;tag=12345678 9`,
	} {
		var fast NameAddr
		if parseNameAddrFast(&fast, []byte(v)) {
			general, ok := parseNameAddrGeneral([]byte(v))
			if !ok || !reflect.DeepEqual(fast, general) {
				t.Errorf("%q: fast %+v, general %+v (ok %v)", v, fast, general, ok)
			}
		}
	}
}
