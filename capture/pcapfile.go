package capture

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// Classic libpcap file magics (pcap-savefile(5)); "modified" is Alexey
// Kuznetzov's variant whose record headers carry 8 more bytes.
const (
	pcapMagicMicro    = 0xa1b2c3d4
	pcapMagicNano     = 0xa1b23c4d
	pcapMagicModified = 0xa1b2cd34
)

// maxRecordLen refuses records larger than this: a corrupt length would
// otherwise make us allocate or skip gigabytes (Wireshark uses 256 KiB for
// most link types).
const maxRecordLen = 256 << 10

// pcapFile reads a classic pcap file record by record into one reused
// buffer.
type pcapFile struct {
	r         *bufio.Reader
	bigEndian bool // the file's byte order (else little-endian), read without a binary.ByteOrder interface call per field
	nano      bool
	extraHdr  int // 8 for the modified format
	link      uint32
	fcsLen    int // bytes of FCS at the end of each frame, from the link type field
	buf       []byte
	hdr       [24]byte
	pos       int64
	recordOff int64
}

func newPcapFile(r *bufio.Reader) (*pcapFile, error) {
	var h [24]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, fmt.Errorf("pcap file header cut short: %w", err)
	}
	f := &pcapFile{r: r, pos: 24}
	magic := binary.LittleEndian.Uint32(h[:4])
	switch magic {
	case pcapMagicMicro, pcapMagicNano, pcapMagicModified:
	default:
		f.bigEndian = true
		magic = binary.BigEndian.Uint32(h[:4])
	}
	switch magic {
	case pcapMagicMicro:
	case pcapMagicNano:
		f.nano = true
	case pcapMagicModified:
		f.extraHdr = 8
	default:
		return nil, errors.New("not a pcap file")
	}
	lt := f.u32(h[20:24])
	f.link = lt & 0x0fffffff
	// pcap-linktype(7): bit 26 says the next 4 bits hold the FCS length
	// in 16-bit words.
	if lt&0x04000000 != 0 {
		f.fcsLen = int(lt>>28) * 2
	}
	f.link &= 0xffff
	return f, nil
}

// next returns the next record. err is io.EOF at a clean end, and a
// descriptive error (with io.ErrUnexpectedEOF) when the file is cut.
func (f *pcapFile) next() (data []byte, ts time.Time, link uint32, err error) {
	hl := 16 + f.extraHdr
	f.recordOff = f.pos
	// The header is read in place (Peek) rather than copied out; a short
	// read falls back to ReadFull for its error reporting.
	hdr, err := f.r.Peek(hl)
	n := len(hdr)
	inPlace := err == nil // hdr is still in the read buffer, not yet discarded
	if !inPlace {
		n, err = io.ReadFull(f.r, f.hdr[:hl])
		hdr = f.hdr[:hl]
	}
	if err != nil {
		if err == io.EOF {
			return nil, time.Time{}, 0, io.EOF
		}
		return nil, time.Time{}, 0, fmt.Errorf("record header cut short after %d of %d bytes: %w", n, hl, io.ErrUnexpectedEOF)
	}
	sec, frac, incl := f.u32(hdr[0:4]), f.u32(hdr[4:8]), f.u32(hdr[8:12])
	if incl > maxRecordLen {
		if inPlace {
			f.r.Discard(hl)
		}
		f.pos += int64(hl)
		return nil, time.Time{}, 0, fmt.Errorf("record claims %d bytes, more than %d: the file is corrupt", incl, maxRecordLen)
	}
	if inPlace && hl+int(incl) <= f.r.Size() {
		// Header and record in one Peek, the usual case.
		if all, perr := f.r.Peek(hl + int(incl)); perr == nil {
			data = all[hl:]
			f.r.Discard(len(all))
			f.pos += int64(len(all))
			return f.record(data, sec, frac)
		}
	}
	if inPlace {
		f.r.Discard(hl)
	}
	f.pos += int64(hl)
	if int(incl) <= f.r.Size() {
		// Zero-copy: the record stays in the read buffer until the next
		// read, which is as long as a Datagram's Payload is promised.
		data, err = f.r.Peek(int(incl))
		n, _ = f.r.Discard(len(data))
	} else {
		if cap(f.buf) < int(incl) {
			f.buf = make([]byte, incl)
		}
		f.buf = f.buf[:incl]
		n, err = io.ReadFull(f.r, f.buf)
		data = f.buf
	}
	f.pos += int64(n)
	if err != nil {
		return nil, time.Time{}, 0, fmt.Errorf("record data cut short after %d of %d bytes: %w", n, incl, io.ErrUnexpectedEOF)
	}
	return f.record(data, sec, frac)
}

// record finishes next for a record read in full: the time stamp and
// the FCS cut.
func (f *pcapFile) record(data []byte, sec, frac uint32) ([]byte, time.Time, uint32, error) {
	nsec := int64(frac) * 1000
	if f.nano {
		nsec = int64(frac)
	}
	if f.fcsLen > 0 && len(data) >= f.fcsLen {
		data = data[:len(data)-f.fcsLen]
	}
	return data, time.Unix(int64(sec), nsec), f.link, nil
}

func (f *pcapFile) u32(b []byte) uint32 {
	if f.bigEndian {
		return binary.BigEndian.Uint32(b)
	}
	return binary.LittleEndian.Uint32(b)
}

// offset is where the last record read (or attempted) starts.
func (f *pcapFile) offset() int64 { return f.recordOff }
