package decode

import (
	"reflect"
	"testing"
)

// TestParseCSeqFastPath holds ParseCSeq's one-pass path for
// "1*DIGIT SP Method" equal to the reference parser at its edges: the
// 2**31 limit, ten and eleven digits, other LWS, a non-token method.
func TestParseCSeqFastPath(t *testing.T) {
	for _, v := range []string{
		"1 INVITE", " 1 INVITE ", "2147483647 INVITE", "2147483648 INVITE",
		"0000000001 ACK", "00000000001 ACK", "99999999999 BYE", "1  INVITE",
		"1\tINVITE", "1 INV ITE", "1 ", "1 I", "1", " INVITE", "1 INVITE\r\n x",
		"4294967297 A", "1 <A>", "1x INVITE",
	} {
		got, gok := ParseCSeq([]byte(v))
		want, wok := refParseCSeq([]byte(v))
		if gok != wok || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseCSeq(%q) = %+v %v, reference %+v %v", v, got, gok, want, wok)
		}
	}
}
