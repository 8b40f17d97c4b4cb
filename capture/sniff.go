package capture

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// source yields the records of one capture file.
type source interface {
	next() (data []byte, ts time.Time, link uint32, err error)
	offset() int64
}

// sniffSize is how much of an input is peeked at to recognise it; an ERF
// check looks at the second record too, so this covers a big first record.
const sniffSize = 1 << 16

// readSize is the read buffer: large reads keep the syscall count low on
// multi-gigabyte captures.
const readSize = 1 << 20

// openInput opens name ("-" = stdin), removes a gzip or zstd wrapper and
// recognises the capture format. It returns the source, a format name for
// InputInfo and what must be closed afterwards.
func openInput(name string, stdin io.Reader, forced *TextFormat) (src source, format string, closers []io.Closer, err error) {
	var raw io.Reader
	if name == "-" {
		if stdin == nil {
			return nil, "", nil, fmt.Errorf("%s: no standard input to read", name)
		}
		raw = stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, "", nil, err
		}
		closers = append(closers, f)
		raw = f
	}
	fail := func(err error) (source, string, []io.Closer, error) {
		closeAll(closers)
		return nil, "", nil, err
	}
	br := bufio.NewReaderSize(raw, readSize)
	head, _ := br.Peek(4)
	wrapper := ""
	switch {
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fail(fmt.Errorf("%s: gzip stream unreadable: %w", name, err))
		}
		closers = append(closers, zr)
		br = bufio.NewReaderSize(zr, readSize)
		wrapper = "+gzip"
	case len(head) == 4 && binary.LittleEndian.Uint32(head) == 0xfd2fb528:
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		if err != nil {
			return fail(fmt.Errorf("%s: zstd stream unreadable: %w", name, err))
		}
		closers = append(closers, zstdCloser{zr})
		br = bufio.NewReaderSize(zr, readSize)
		wrapper = "+zstd"
	}
	head, perr := br.Peek(sniffSize)
	if len(head) == 0 {
		if perr != nil && perr != io.EOF {
			return fail(fmt.Errorf("%s: %w", name, perr))
		}
		return fail(&FormatError{Name: name, Format: "empty", Hint: "there is nothing to read"})
	}
	kind, ferr := recognise(name, head)
	if ferr != nil && forced != nil {
		// the user says it is a text log: read it as one
		kind, ferr = "text", nil
	}
	if ferr != nil {
		return fail(ferr)
	}
	switch kind {
	case "text":
		ts, err := newTextSource(name, br, forced)
		if err != nil {
			return fail(err)
		}
		return ts, "text/" + ts.format.Name + wrapper, closers, nil
	case "pcap":
		f, err := newPcapFile(br)
		if err != nil {
			return fail(fmt.Errorf("%s: %w", name, err))
		}
		return f, "pcap" + wrapper, closers, nil
	default: // pcapng
		f, err := newPcapngFile(br)
		if err != nil {
			return fail(fmt.Errorf("%s: pcapng header unreadable: %w", name, err))
		}
		return f, "pcapng" + wrapper, closers, nil
	}
}

// recognise names the format of an input from its first bytes. It returns
// "pcap", "pcapng" or "text", or a *FormatError for everything else.
func recognise(name string, head []byte) (string, error) {
	if len(head) >= 4 {
		le := binary.LittleEndian.Uint32(head)
		be := binary.BigEndian.Uint32(head)
		for _, m := range []uint32{pcapMagicMicro, pcapMagicNano, pcapMagicModified} {
			if le == m || be == m {
				return "pcap", nil
			}
		}
		if le == 0x0a0d0d0a {
			return "pcapng", nil
		}
	}
	unreadable := func(format string) error {
		return &FormatError{Name: name, Format: format, Hint: convertHint(name)}
	}
	switch {
	case bytes.HasPrefix(head, []byte("GMBU")):
		return "", unreadable("a Microsoft Network Monitor 2.x capture")
	case bytes.HasPrefix(head, []byte("RTSS")):
		return "", unreadable("a Microsoft Network Monitor 1.x capture")
	case bytes.HasPrefix(head, []byte("snoop\x00\x00\x00")):
		return "", unreadable("a Solaris snoop capture")
	case bytes.HasPrefix(head, []byte("XCP\x00")):
		return "", unreadable("a Network Instruments Observer capture")
	case looksLikeText(head):
		// Before the ERF heuristic: ERF has no magic, and two ASCII bytes
		// read as a record length (0x2020-0x7e7e) put a plausible second
		// "record" within reach of any text longer than ~8 KB. Real ERF
		// headers and packets hold NUL bytes (the loss counter, padding),
		// which text never does.
		return "text", nil
	case looksLikeERF(head):
		return "", unreadable("an Endace ERF capture")
	}
	// Windows ETL and other binary formats land here; Wireshark reads
	// most of them, so the same conversion applies.
	return "", &FormatError{Name: name, Format: "not a pcap or pcapng capture",
		Hint: convertHint(name) + " (Wireshark's editcap reads most capture formats, Windows ETL included)"}
}

// looksLikeERF applies a header heuristic, as ERF files have no magic: the
// first record header (and the second, when it is within reach) must hold
// a known record type, a record length of at least the 16-byte header and
// a wire length that fits the record (Endace ERF Types Reference).
func looksLikeERF(head []byte) bool {
	off, records := 0, 0
	for records < 2 && off+16 <= len(head) {
		typ := head[off+8] & 0x7f
		rlen := int(binary.BigEndian.Uint16(head[off+10 : off+12]))
		wlen := int(binary.BigEndian.Uint16(head[off+14 : off+16]))
		if typ == 0 || typ > 48 || rlen < 16 || wlen == 0 || wlen > 65535 {
			return false
		}
		records++
		off += rlen
	}
	// a single record must fill the whole input exactly
	return records == 2 || off == len(head)
}

// looksLikeText: the sniffed bytes have no NUL and almost no control
// characters other than tab, CR, LF, VT, FF and ESC (terminal colours).
// Bytes above 0x7F are allowed even when they are not UTF-8: pasted logs
// come in Latin-1 / Windows-1252 too, and the normaliser reads them so.
func looksLikeText(head []byte) bool {
	if len(head) > 4096 {
		head = head[:4096]
	}
	bad := 0
	for _, c := range head {
		switch {
		case c == 0:
			return false
		case c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\v' && c != '\f' && c != 0x1b, c == 0x7f:
			bad++
		}
	}
	return bad*100 <= len(head)
}

type zstdCloser struct{ d *zstd.Decoder }

func (z zstdCloser) Close() error { z.d.Close(); return nil }

func closeAll(cs []io.Closer) error {
	var first error
	for i := len(cs) - 1; i >= 0; i-- {
		if err := cs[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
