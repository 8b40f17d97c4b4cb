package capture

import (
	"encoding/binary"
	"reflect"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// toBigEndian rewrites a little-endian classic pcap file as the same
// file written on a big-endian host (every header field byte-swapped).
func toBigEndian(t *testing.T, le []byte) []byte {
	t.Helper()
	be := append([]byte(nil), le...)
	swap32 := func(b []byte) { binary.BigEndian.PutUint32(b, binary.LittleEndian.Uint32(b)) }
	swap16 := func(b []byte) { binary.BigEndian.PutUint16(b, binary.LittleEndian.Uint16(b)) }
	swap32(be[0:4])
	swap16(be[4:6])
	swap16(be[6:8])
	for _, off := range []int{8, 12, 16, 20} {
		swap32(be[off : off+4])
	}
	for i := 24; i+16 <= len(be); {
		incl := int(binary.LittleEndian.Uint32(le[i+8 : i+12]))
		for j := 0; j < 16; j += 4 {
			swap32(be[i+j : i+j+4])
		}
		i += 16 + incl
	}
	return be
}

// A big-endian capture reads exactly like its little-endian twin: times,
// frames and payloads.
func TestPcapBigEndianMatchesLittle(t *testing.T) {
	le := pcapBytes(t, layers.LinkTypeEthernet, recs(
		withEth(udp4(t, addrA, addrB, 5060, 5060, sipReq("REGISTER", 1))),
		withEth(udp4(t, addrB, addrA, 5060, 5060, sipResp(401, "REGISTER"))),
	))
	be := toBigEndian(t, le)
	if binary.BigEndian.Uint32(be[0:4]) != pcapMagicMicro {
		t.Fatalf("magic not rewritten: % x", be[:4])
	}
	want, _ := readAllFrom(t, le)
	got, _ := readAllFrom(t, be)
	if len(want) != 2 || !reflect.DeepEqual(got, want) {
		t.Fatalf("big-endian read %d datagrams %+v, little-endian %d %+v", len(got), got, len(want), want)
	}
}
