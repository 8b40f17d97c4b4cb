package decode

import (
	"reflect"
	"strings"
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
		// the one-digit shortcut's edges
		"0 ACK", "9 BYE", "/ BYE", ": BYE", "1 ", "12 A", "1 \tA", "\x001 A", "1\x00A",
	} {
		got, gok := ParseCSeq([]byte(v))
		want, wok := refParseCSeq([]byte(v))
		if gok != wok || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseCSeq(%q) = %+v %v, reference %+v %v", v, got, gok, want, wok)
		}
	}
}

// TestParseCSeqKnownMethods holds the known-method shortcut of
// ParseCSeq equal to the reference parser for every known method, its
// lower case, and a method one byte longer or shorter or with a
// non-token byte.
func TestParseCSeqKnownMethods(t *testing.T) {
	for _, m := range []string{"INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "PRACK", "SUBSCRIBE",
		"NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE"} {
		for _, meth := range []string{m, m[:len(m)-1], m + "X", m + "<", m + " ", "<" + m, strings.ToLower(m), m[:1] + "\x00" + m[2:]} {
			v := "7 " + meth
			got, gok := ParseCSeq([]byte(v))
			want, wok := refParseCSeq([]byte(v))
			if gok != wok || !reflect.DeepEqual(got, want) {
				t.Errorf("ParseCSeq(%q) = %+v %v, reference %+v %v", v, got, gok, want, wok)
			}
		}
	}
}
