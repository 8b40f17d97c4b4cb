package decode

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// knownNameLen is matchName for a line of any length, as scanHeaders
// calls it: in place when 24 bytes are left, else knownNameLenPadded.
func knownNameLen(rest []byte) (id HeaderID, n int) {
	if len(rest) < 24 {
		return knownNameLenPadded(rest)
	}
	return matchName((*[24]byte)(rest))
}

// agreesWithGeneralPath checks knownNameLen's answer for a line against
// what the general path (token run, ':' right after, HeaderIDOf) reads.
func agreesWithGeneralPath(t *testing.T, line []byte) {
	t.Helper()
	id, n := knownNameLen(line)
	if n == 0 {
		return // the general path decides; nothing to agree on
	}
	end := 0
	for end < len(line) && tokenChars[line[end]] {
		end++
	}
	if end != n || n >= len(line) || line[n] != ':' {
		t.Fatalf("%q: fast path took %d bytes as the name, the token run ends at %d", line, n, end)
	}
	if want := HeaderIDOf(line[:n]); want != id || id == HOther {
		t.Fatalf("%q: fast path says %v, HeaderIDOf says %v", line, id, want)
	}
}

func TestKnownNameLenEveryName(t *testing.T) {
	var names []string
	for id := HVia; id < numHeaderIDs; id++ {
		names = append(names, headerNames[id], strings.ToLower(headerNames[id]), strings.ToUpper(headerNames[id]))
	}
	for _, full := range compactNames {
		if full != "" {
			names = append(names, full[:1], strings.ToLower(full[:1]))
		}
	}
	for _, name := range names {
		for _, tail := range []string{": v\r\n", ":\r\n", ":", " : v\r\n", "x: v\r\n", "-: v", ":" + strings.Repeat("x", 40)} {
			line := []byte(name + tail)
			agreesWithGeneralPath(t, line)
			id, n := knownNameLen(line)
			want := HeaderIDOf([]byte(name))
			if tail[0] == ':' && want != HOther && (id != want || n != len(name)) {
				t.Errorf("%q: got %v/%d, want %v/%d", line, id, n, want, len(name))
			}
			if tail[0] != ':' && n != 0 {
				t.Errorf("%q: fast path matched %v/%d", line, id, n)
			}
		}
	}
}

// Near misses: bytes that fold onto a name's letters or its '-' without
// being them must not match.
func TestKnownNameLenNearMisses(t *testing.T) {
	for _, line := range []string{
		"Call\rID: x\r\n", "Call_ID: x\r\n", "Call\x0dID: x", "CSeq\x00: 1 A", "C@ll-ID: x",
		"Vi\x01: x", "Content-Lengt: 0", "Content-Lengthh: 0", "To\x1a: x",
		"[o: x", "@: x", "{: x", "Max\rForwards: 70",
		// bytes sharing a letter's low five bits (pairKey) or ':''s
		"6: x", "\x16: x", "V\x1a x", "vz: x", "6ia: x", "\x16ia: x", "!llow: x", "Vi\x1a: x",
		"T\x1a", "4o: x", "\x14o: x", "\x03Seq: 1 A", "C\x13eq: 1 A", "Via\x1a x", "Via\x3b x",
	} {
		agreesWithGeneralPath(t, []byte(line))
		if _, n := knownNameLen([]byte(line)); n != 0 {
			t.Errorf("%q matched", line)
		}
	}
}

func FuzzKnownNameLen(f *testing.F) {
	f.Add([]byte("Via: SIP/2.0/UDP h\r\n"))
	f.Add([]byte("content-LENGTH:0"))
	f.Add([]byte("Call\rID: x"))
	f.Add([]byte("v:x"))
	f.Fuzz(func(t *testing.T, line []byte) {
		agreesWithGeneralPath(t, line)
		// the same line with room behind it must read the same
		id, n := knownNameLen(line)
		id2, n2 := knownNameLen(append(bytes.Clone(line), make([]byte, 30)...))
		if n > 0 && (id2 != id || n2 != n) {
			t.Fatalf("%q: %v/%d alone, %v/%d with room", line, id, n, id2, n2)
		}
	})
}

// FuzzTopVia holds Message.TopVia, which tries the fast Via reading on
// the whole header value, equal to ParseVia of the value's first element.
func FuzzTopVia(f *testing.F) {
	f.Add([]byte("SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport"))
	f.Add([]byte("SIP/2.0/UDP a;branch=\"x,y\", SIP/2.0/TCP b"))
	f.Add([]byte("SIP/2.0/UDP a;branch=x , SIP/2.0/TCP b;branch=y"))
	f.Add([]byte("SIP/2.0/UDP a;x=\"\\\",\", SIP/2.0/UDP b"))
	f.Fuzz(func(t *testing.T, v []byte) {
		if bytes.ContainsAny(v, "\r\n") {
			return // one header line
		}
		var m Message
		if m.Scan([]byte("OPTIONS sip:a SIP/2.0\r\nVia: "+string(v)+"\r\n\r\n")) != nil {
			return
		}
		val := m.Get(HVia)
		if val == nil {
			return
		}
		got, gok := m.TopVia()
		want, wok := ParseVia(firstElement(val))
		if gok != wok || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: TopVia %+v %v, ParseVia(first element) %+v %v", val, got, gok, want, wok)
		}
	})
}
