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

// pcapFile reads a classic pcap file record by record. Records are cut
// straight out of its own read window (zero-copy), so a record costs one
// bounds check instead of bufio's Peek and Discard. A record stays valid
// until the window moves, which only a fill does (nextFill): records
// taken by peek and consume, as readAhead takes them, stay valid together
// until the next call of next that needs a fill.
type pcapFile struct {
	r         io.Reader
	bigEndian bool  // the file's byte order (else little-endian), read without a binary.ByteOrder interface call per field
	fracNanos int64 // nanoseconds per unit of a record's fraction field: 1000 (microseconds) or 1
	extraHdr  int   // 8 for the modified format
	link      uint32
	fcsLen    int // bytes of FCS at the end of each frame, from the link type field
	win       []byte
	lo, hi    int   // win[lo:hi] is read and not yet handed out
	rerr      error // the read error met at hi, reported once the window is used up
	pos       int64
	recordOff int64
}

// pcapWindow is the read window: a record (at most maxRecordLen and its
// header) kept from the previous fill leaves at least readSize free, so
// every read asks for readSize or more and passes bufio.Reader's buffer by.
const pcapWindow = readSize + maxRecordLen + 64

func newPcapFile(r *bufio.Reader) (*pcapFile, error) {
	var h [24]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, fmt.Errorf("pcap file header cut short: %w", err)
	}
	f := &pcapFile{r: r, pos: 24, fracNanos: 1000}
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
		f.fracNanos = 1
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
	f.win = make([]byte, pcapWindow)
	return f, nil
}

// fill makes the window hold at least need unread bytes if the input has
// them; it returns how many it holds. The unread bytes move to the front
// first (less than one record), then reads run until need is met or the
// input fails; the failure is kept for when the window runs dry.
func (f *pcapFile) fill(need int) int {
	if f.lo > 0 {
		f.hi = copy(f.win, f.win[f.lo:f.hi])
		f.lo = 0
	}
	// an io.Reader may return no data and no error now and then: as
	// bufio.Reader does, only many such reads in a row are a failure
	for empty := 0; f.hi < need && f.rerr == nil; {
		n, err := f.r.Read(f.win[f.hi:])
		f.hi += n
		if err != nil {
			f.rerr = err
		} else if n > 0 {
			empty = 0
		} else if empty++; empty >= 100 {
			f.rerr = io.ErrNoProgress
		}
	}
	return f.hi
}

// next returns the next record. err is io.EOF at a clean end, and a
// descriptive error (with io.ErrUnexpectedEOF) when the file is cut.
func (f *pcapFile) next() (data []byte, ts time.Time, link uint32, err error) {
	if data, ts, n, ok := f.peek(); ok {
		f.consume(n)
		return data, ts, f.link, nil
	}
	return f.nextFill()
}

// peek returns the next record, without taking it, when the window holds
// all of it (the usual case): one slice of the window, the header read
// from it without further bounds checks. n is the record's size with its
// header, for consume. ok is false for any other record (one that needs a
// fill, a bad length): next's nextFill takes it.
func (f *pcapFile) peek() (data []byte, ts time.Time, n int, ok bool) {
	hl := 16 + f.extraHdr
	rest := f.win[f.lo:f.hi]
	if len(rest) < hl {
		return nil, time.Time{}, 0, false
	}
	h := rest[:16]
	var sec, frac, incl uint32
	if f.bigEndian {
		sec, frac, incl = binary.BigEndian.Uint32(h[0:4]), binary.BigEndian.Uint32(h[4:8]), binary.BigEndian.Uint32(h[8:12])
	} else {
		sec, frac, incl = binary.LittleEndian.Uint32(h[0:4]), binary.LittleEndian.Uint32(h[4:8]), binary.LittleEndian.Uint32(h[8:12])
	}
	end := hl + int(incl)
	if incl > maxRecordLen || end > len(rest) {
		return nil, time.Time{}, 0, false
	}
	data, ts = f.withoutFCS(rest[hl:end]), f.timeOf(sec, frac)
	return data, ts, end, true
}

// consume takes the record peek returned, of n bytes.
func (f *pcapFile) consume(n int) {
	f.recordOff = f.pos
	f.lo += n
	f.pos += int64(n)
}

// nextFill is next for a record that the window does not hold whole: it
// fills the window first, or reports the record's damage.
func (f *pcapFile) nextFill() (data []byte, ts time.Time, link uint32, err error) {
	hl := 16 + f.extraHdr
	f.recordOff = f.pos
	if f.hi-f.lo < hl {
		if n := f.fill(hl); n < hl {
			return nil, time.Time{}, 0, f.cut(n, hl, "record header")
		}
	}
	incl := f.u32(f.win[f.lo+8 : f.lo+12])
	if incl > maxRecordLen {
		f.lo += hl
		f.pos += int64(hl)
		return nil, time.Time{}, 0, fmt.Errorf("record claims %d bytes, more than %d: the file is corrupt", incl, maxRecordLen)
	}
	end := hl + int(incl)
	if f.hi-f.lo < end {
		if n := f.fill(end); n < end {
			// the header was read: only the data is reported cut
			f.lo, f.hi = n, n
			f.pos += int64(n)
			return nil, time.Time{}, 0, f.cut(n-hl, int(incl), "record data")
		}
	}
	// the window holds the whole record now: peek reads it
	data, ts, n, _ := f.peek()
	f.consume(n)
	return data, ts, f.link, nil
}

// cut is the error of a record that the input ends (or fails) inside:
// io.EOF before its first byte, else what was read of it.
func (f *pcapFile) cut(got, want int, what string) error {
	err := f.rerr
	if err == io.EOF {
		if got == 0 && what == "record header" {
			return io.EOF
		}
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("%s cut short after %d of %d bytes: %w", what, got, want, err)
}

// withoutFCS cuts the frame check sequence the link type field says
// each record ends with.
func (f *pcapFile) withoutFCS(data []byte) []byte {
	if f.fcsLen > 0 && len(data) >= f.fcsLen {
		return data[:len(data)-f.fcsLen]
	}
	return data
}

// timeOf is a record's time stamp.
func (f *pcapFile) timeOf(sec, frac uint32) time.Time {
	return time.Unix(int64(sec), int64(frac)*f.fracNanos)
}

func (f *pcapFile) u32(b []byte) uint32 {
	if f.bigEndian {
		return binary.BigEndian.Uint32(b)
	}
	return binary.LittleEndian.Uint32(b)
}

// offset is where the last record read (or attempted) starts.
func (f *pcapFile) offset() int64 { return f.recordOff }
