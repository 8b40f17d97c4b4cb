package capture

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

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

// pcapRecords reads every record of a classic pcap through newPcapFile,
// the bytes arriving as r delivers them; it returns the records (copied),
// and the error that ended the file (nil at a clean end).
func pcapRecords(t *testing.T, r io.Reader) ([][]byte, []int64, error) {
	t.Helper()
	f, err := newPcapFile(bufio.NewReaderSize(r, 16))
	if err != nil {
		t.Fatal(err)
	}
	var recs [][]byte
	var offs []int64
	for {
		data, _, _, err := f.next()
		if err == io.EOF {
			return recs, offs, nil
		}
		offs = append(offs, f.offset())
		if err != nil {
			return recs, offs, err
		}
		recs = append(recs, append([]byte(nil), data...))
	}
}

// The read window gives the same records whatever the sizes of the reads
// beneath it (one byte at a time, or short reads), and reports a file cut
// in a record's header or data, or a failing read, with where and why.
func TestPcapWindowReads(t *testing.T) {
	full := twoMessages(t)
	want, _, err := pcapRecords(t, bytes.NewReader(full))
	if err != nil || len(want) != 2 {
		t.Fatalf("%d records, %v", len(want), err)
	}
	for name, r := range map[string]io.Reader{
		"one byte": iotest.OneByteReader(bytes.NewReader(full)),
		"half":     iotest.HalfReader(bytes.NewReader(full)),
		"data+EOF": iotest.DataErrReader(bytes.NewReader(full)),
	} {
		got, _, err := pcapRecords(t, r)
		if err != nil || len(got) != 2 || !bytes.Equal(got[0], want[0]) || !bytes.Equal(got[1], want[1]) {
			t.Errorf("%s: %d records, %v", name, len(got), err)
		}
	}
	first := 16 + len(want[0])
	second := 24 + first
	for _, tc := range []struct {
		cut  int
		want string
	}{
		{second + 5, "record header cut short after 5 of 16 bytes: unexpected EOF"},
		{second + 16 + 7, fmt.Sprintf("record data cut short after 7 of %d bytes: unexpected EOF", len(want[1]))},
	} {
		recs, offs, err := pcapRecords(t, bytes.NewReader(full[:tc.cut]))
		if len(recs) != 1 || err == nil || err.Error() != tc.want || offs[1] != int64(second) {
			t.Errorf("cut at %d: %d records, offsets %v, error %v, want %q", tc.cut, len(recs), offs, err, tc.want)
		}
	}
	// A failing read (a corrupt gzip stream, a disk error) is named as it is.
	broken := io.MultiReader(bytes.NewReader(full[:second+20]), iotest.ErrReader(errors.New("gzip: invalid checksum")))
	if _, _, err := pcapRecords(t, broken); err == nil || !strings.Contains(err.Error(), "record data cut short after 4 of") || !strings.Contains(err.Error(), "invalid checksum") {
		t.Errorf("failing read: %v", err)
	}
}

// emptyReads returns (0, nil) before every read that gives data, as an
// io.Reader may ("discouraged", but allowed): bufio.Reader tolerates up
// to 100 such reads in a row, and so must the pcap read window.
type emptyReads struct {
	r     io.Reader
	empty bool
}

func (e *emptyReads) Read(p []byte) (int, error) {
	if e.empty = !e.empty; e.empty {
		return 0, nil
	}
	return e.r.Read(p)
}

func TestPcapWindowEmptyReads(t *testing.T) {
	full := twoMessages(t)
	want, _, err := pcapRecords(t, bytes.NewReader(full))
	if err != nil || len(want) != 2 {
		t.Fatalf("%d records, %v", len(want), err)
	}
	got, _, err := pcapRecords(t, iotest.HalfReader(&emptyReads{r: bytes.NewReader(full)}))
	if err != nil || len(got) != 2 || !bytes.Equal(got[0], want[0]) || !bytes.Equal(got[1], want[1]) {
		t.Errorf("empty reads: %d records, %v", len(got), err)
	}
}

// A link type field whose FCS bits say every frame ends with 4 bytes of
// FCS (pcap-linktype(7)): those bytes are cut before decoding, so the
// Datagrams are those of the same capture without them, nanosecond time
// stamps included.
func TestPcapFCSCut(t *testing.T) {
	frames := [][]byte{
		withEth(udp4(t, addrA, addrB, 5060, 5060, sipReq("INVITE", 1))),
		withEth(udp4(t, addrB, addrA, 5060, 5060, sipResp(200, "INVITE"))),
		{1, 2, 3}, // shorter than the FCS: kept whole
	}
	// no IP or UDP length to drop the FCS by (as with segmentation
	// offload): only the cut keeps it out of the payload
	for _, f := range frames[:2] {
		binary.BigEndian.PutUint16(f[14+2:], 0)
		binary.BigEndian.PutUint16(f[34+4:], 0)
	}
	plain := pcapBytes(t, layers.LinkTypeEthernet, recs(frames...))
	var withFCS [][]byte
	for _, f := range frames {
		if len(f) >= 4 {
			f = append(append([]byte(nil), f...), 0xde, 0xad, 0xbe, 0xef)
		}
		withFCS = append(withFCS, f)
	}
	fcs := pcapBytes(t, layers.LinkTypeEthernet, recs(withFCS...))
	binary.LittleEndian.PutUint32(fcs[20:24], 1|0x04000000|2<<28) // Ethernet, FCS of 2 16-bit words
	for _, data := range [][]byte{fcs, rewritePcap(t, fcs, binary.BigEndian, pcapMagicNano, 0)} {
		want, _ := readAllFrom(t, plain)
		got, _ := readAllFrom(t, data)
		if len(want) != 2 || !reflect.DeepEqual(got, want) {
			t.Fatalf("with FCS: %+v\nwithout: %+v", got, want)
		}
	}
}
