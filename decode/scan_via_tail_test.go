package decode

import (
	"reflect"
	"strings"
	"testing"
)

// sameViaAsReference fails when ParseVia(v) differs from the reference
// parser's reading.
func sameViaAsReference(t *testing.T, v []byte) {
	t.Helper()
	got, gok := ParseVia(v)
	want, wok := refParseVia(v)
	if gok != wok || !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: ParseVia %+v %v, reference %+v %v", v, got, gok, want, wok)
	}
}

// TestViaBranchTail holds parseViaFast's last-word shortcut for the end of
// a branch value equal to the reference parser, for every branch length
// around the word size and with a valid or invalid byte at each end.
func TestViaBranchTail(t *testing.T) {
	for n := 1; n <= 26; n++ {
		for _, tail := range []string{"", ";rport", "\"", "x\"", " ", "<", ";"} {
			for _, host := range []string{"h", "10.0.0.1:5060"} {
				v := []byte("SIP/2.0/UDP " + host + ";branch=" + strings.Repeat("z", n) + tail)
				sameViaAsReference(t, v)
			}
		}
	}
}

// TestViaPortDigits holds parseViaFast's four-digit port shortcut equal
// to the reference parser for ports of one to seven digits, leading
// zeros, values past 65535 and what follows them.
func TestViaPortDigits(t *testing.T) {
	for _, port := range []string{"5", "50", "506", "5060", "65535", "65536", "99999", "05060", "005060", "1234567", "0000"} {
		for _, tail := range []string{"", ";branch=z9hG4bKx", "x", " ;rport", ":1", "5"} {
			v := []byte("SIP/2.0/UDP 10.0.0.1:" + port + tail)
			sameViaAsReference(t, v)
		}
	}
}

// TestViaTransportWord holds parseViaFast's "UDP " word shortcut equal to
// the reference parser for the transport in any case, near misses of it
// and what follows it.
func TestViaTransportWord(t *testing.T) {
	for _, tr := range []string{"UDP", "udp", "uDp", "UDPX", "UD", "U", "", "UD\x00", "UDp", "TCP", "UD@", "ud\x10", "UDP\x00", "vdp", "UEP"} {
		for _, tail := range []string{" h", "  h", "\th", " ", "", "/h", " h:5060;branch=z9hG4bKx", "\r\n h", " host.example.com", " 10.0.0.1:5060"} {
			v := []byte("SIP/2.0/" + tr + tail)
			sameViaAsReference(t, v)
		}
	}
}

// TestViaServerParams holds parseViaFast's shortcuts for "rport=port"
// (four digits and ';') and "received=address" (eight bytes at a time)
// equal to the reference parser, for values around the word size, bad
// bytes at each place and what follows them.
func TestViaServerParams(t *testing.T) {
	values := []string{"", "5", "506", "5060", "50600", "506a", "5\"60", "5060 ", "1.2.3.4", "10.20.9.89", "10.20.13.71",
		"192.168.100.200", "abcdefgh", "abcdefg\"", "[2001:db8::1]", "1234567890123456", "12345678\x00"}
	for _, name := range []string{"rport", "received", "RPORT", "Received"} {
		for _, val := range values {
			for _, tail := range []string{"", ";", ";branch=z9hG4bKx", ";rport", " ;x", "\"", ",x"} {
				v := []byte("SIP/2.0/UDP 10.0.0.1:5060;" + name + "=" + val + tail)
				sameViaAsReference(t, v)
			}
		}
	}
}

// TestFourDigits holds fourDigits and fourDigitValue to a byte loop for
// every byte value in each position (the others digits) and for every
// four-digit number.
func TestFourDigits(t *testing.T) {
	ref := func(b [4]byte) (int, bool) {
		n := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	check := func(b [4]byte) {
		x := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
		want, wok := ref(b)
		if got := fourDigits(x); got != wok {
			t.Fatalf("%q: fourDigits %v, want %v", b[:], got, wok)
		}
		if wok && fourDigitValue(x) != want {
			t.Fatalf("%q: value %d, want %d", b[:], fourDigitValue(x), want)
		}
	}
	for pos := 0; pos < 4; pos++ {
		for c := 0; c < 256; c++ {
			for _, other := range []byte{'0', '9', '5'} {
				b := [4]byte{other, other, other, other}
				b[pos] = byte(c)
				check(b)
			}
		}
	}
	for n := 0; n < 10000; n++ {
		check([4]byte{byte('0' + n/1000), byte('0' + n/100%10), byte('0' + n/10%10), byte('0' + n%10)})
	}
}
