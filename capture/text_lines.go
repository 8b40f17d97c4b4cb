package capture

import (
	"bufio"
	"bytes"
	"io"
)

// maxTextLine caps one log line: a longer one is cut there and the rest of
// it skipped (with a problem), so that a file with no line breaks cannot
// make the reader hold all of it.
const maxTextLine = 1 << 20

// lineReader yields the lines of a text input one at a time, numbered from
// 1, without their line ending (LF, CRLF, or a lone CR in a file that uses
// only CR). Memory is one read buffer plus the longest line.
type lineReader struct {
	br     *bufio.Reader
	n      int  // number of the line last returned
	crOnly bool // the input ends lines with CR alone (classic Mac OS)
	long   []byte
	err    error // the read error that ended the input, io.EOF at the end
	cut    int   // line number of the last line cut at maxTextLine, 0 if none
	read   int64 // bytes consumed
	delim  byte  // '\n', or '\r' in a CR-only file

	// win is what br holds and has not been handed out: lines are cut
	// from it directly, without a call into br per line. took is what
	// was handed out from it and is still to be discarded from br.
	win  []byte
	took int

	// clean is how many bytes at the start of win are known to hold
	// nothing the normaliser undoes (cleanSpan); stop says the byte at
	// win[clean] does. lineClean says the line last returned lies in
	// such a span: only its first byte is left to check (textSource.raw).
	clean     int
	stop      bool
	lineClean bool
}

func newLineReader(br *bufio.Reader) *lineReader {
	r := &lineReader{br: br}
	// A CR-only file is recognised from its first block: it has CRs and no
	// LF at all. Elsewhere a lone CR stays inside the line for the
	// normaliser, which splits it there.
	head, _ := br.Peek(sniffSize)
	if bytes.IndexByte(head, '\r') >= 0 && bytes.IndexByte(head, '\n') < 0 {
		r.crOnly = true
	}
	r.delim = '\n'
	if r.crOnly {
		r.delim = '\r'
	}
	return r
}

// next returns the next line, valid until the following call, or false at
// the end of the input (r.err says why).
func (r *lineReader) next() ([]byte, bool) {
	if line, ok := r.nextInWindow(); ok {
		return line, true
	}
	return r.nextRead()
}

// nextInWindow is next for a line that lies whole in the window; false,
// having read and taken nothing, when the window holds no whole line.
func (r *lineReader) nextInWindow() ([]byte, bool) {
	if i := bytes.IndexByte(r.win, r.delim); i >= 0 {
		// what br.ReadSlice would return, without the call
		line := r.win[:i]
		if i > r.clean && !r.stop && !r.crOnly {
			r.clean, r.stop = scanClean(r.win, i, r.clean)
		}
		r.lineClean = i <= r.clean && !r.crOnly
		r.clean, r.stop = passClean(i, r.clean, r.stop)
		r.win = r.win[i+1:]
		r.took += i + 1
		r.read += int64(i + 1)
		r.n++
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		return line, true
	}
	return nil, false
}

// scanClean extends the clean span (clean bytes at the start of win) to
// cover the line of i > clean bytes at the start of win if it can:
// cleanSpan scans on from clean, at most cleanScanAhead bytes past it
// unless the line is longer. stop says that a byte to undo ended it.
func scanClean(win []byte, i, clean int) (int, bool) {
	limit := min(len(win), max(i, clean+cleanScanAhead))
	clean = cleanSpan(win, clean, limit)
	return clean, clean < limit
}

// passClean returns the clean span once the line of i bytes and its line
// feed are taken from the start of the window.
func passClean(i, clean int, stop bool) (int, bool) {
	if clean -= i + 1; clean < 0 {
		return 0, false
	}
	return clean, stop
}

// lineRun is lines taken from the window together (takeRun): text, read
// at log lines n to n+lines-1, each ending in "\n"; keep is the length of
// text up to the end of its last non-empty line and keepLines the number
// of lines then (0, 0 when all are empty).
type lineRun struct {
	text                      []byte
	n, lines, keep, keepLines int
}

// takeRun takes from the window, as next would one by one, the lines that
// follow, as long as each is whole in the window, is clean (lineClean),
// has no CR before its line feed (the text holds each line as next
// returns it) and take says yes to it. It stops before the first other
// line, which is left for next; the run is valid until then.
func (r *lineReader) takeRun(take func(line []byte) bool) (run lineRun) {
	if r.crOnly {
		return run
	}
	win, clean, stop := r.win, r.clean, r.stop
	k := 0 // bytes of win taken
	for {
		i := bytes.IndexByte(win[k:], '\n')
		if i < 0 {
			break
		}
		if i > clean && !stop {
			// what next would find out about the window, kept
			// whether or not the line is taken
			clean, stop = scanClean(win[k:], i, clean)
		}
		line := win[k : k+i]
		if i > clean || i > 0 && line[i-1] == '\r' || !take(line) {
			break
		}
		clean, stop = passClean(i, clean, stop)
		k += i + 1
		run.lines++
		if i > 0 {
			run.keep, run.keepLines = k, run.lines
		}
	}
	r.clean, r.stop = clean, stop
	if run.lines > 0 {
		run.text, run.n = win[:k], r.n+1
		r.win = win[k:]
		r.took += k
		r.read += int64(k)
		r.n += run.lines
		r.lineClean = true
	}
	return run
}

// nextRead is next when the rest of br's buffer holds no whole line: it
// reads from br, then takes what br holds as the new window.
func (r *lineReader) nextRead() ([]byte, bool) {
	if r.took > 0 {
		r.br.Discard(r.took) // bytes already buffered: cannot fail
		r.took = 0
	}
	r.win = nil
	r.clean, r.stop, r.lineClean = 0, false, false
	line, ok := r.read1()
	if ok && r.err == nil {
		// Peek within what is buffered reads nothing and moves nothing:
		// line stays valid
		r.win, _ = r.br.Peek(r.br.Buffered())
	}
	return line, ok
}

// read1 reads one line from br.
func (r *lineReader) read1() ([]byte, bool) {
	if r.err != nil {
		return nil, false
	}
	delim := r.delim
	line, err := r.br.ReadSlice(delim)
	r.read += int64(len(line))
	if err == bufio.ErrBufferFull {
		line = r.readLong(line, delim)
		err = nil
		if r.err != nil && r.err != io.EOF {
			return nil, false
		}
	}
	if err != nil {
		r.err = err
		if len(line) == 0 {
			return nil, false
		}
	}
	r.n++
	if n := len(line); n > 0 && line[n-1] == delim {
		line = line[:n-1]
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, true
}

// readLong gathers a line longer than the read buffer into r.long, up to
// maxTextLine, skipping the rest of it.
func (r *lineReader) readLong(first []byte, delim byte) []byte {
	r.long = append(r.long[:0], first...)
	for {
		chunk, err := r.br.ReadSlice(delim)
		r.read += int64(len(chunk))
		if room := maxTextLine - len(r.long); room > 0 {
			if len(chunk) > room {
				r.long = append(r.long, chunk[:room]...)
				r.cut = r.n + 1
			} else {
				r.long = append(r.long, chunk...)
			}
		} else if len(chunk) > 0 {
			r.cut = r.n + 1
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			r.err = err
		}
		return r.long
	}
}
