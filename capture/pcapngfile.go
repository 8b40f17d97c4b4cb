package capture

import (
	"bufio"
	"io"
	"time"

	"github.com/gopacket/gopacket/pcapgo"
)

// pcapngFile reads pcapng through pcapgo, resolving each packet's link type
// from its interface (a file may mix interfaces of different link types).
type pcapngFile struct {
	r     *pcapgo.NgReader
	count *countingReader
}

func newPcapngFile(r *bufio.Reader) (*pcapngFile, error) {
	c := &countingReader{r: r}
	ng, err := pcapgo.NewNgReader(c, pcapgo.NgReaderOptions{SkipUnknownVersion: true, WantMixedLinkType: true})
	if err != nil {
		return nil, err
	}
	return &pcapngFile{r: ng, count: c}, nil
}

func (f *pcapngFile) next() (data []byte, ts time.Time, link uint32, err error) {
	data, ci, err := f.r.ZeroCopyReadPacketData()
	if err != nil {
		return nil, time.Time{}, 0, err
	}
	iface, ierr := f.r.Interface(ci.InterfaceIndex)
	if ierr != nil {
		return nil, time.Time{}, 0, ierr
	}
	return data, ci.Timestamp, uint32(iface.LinkType), nil
}

// offset is how far pcapgo has read; it buffers ahead, so this is only
// close to the failing block.
func (f *pcapngFile) offset() int64 { return f.count.n }

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
