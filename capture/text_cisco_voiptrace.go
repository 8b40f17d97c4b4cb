package capture

import "bytes"

// IOS-XE `show voip trace` (CUBE 17.3+), TEXT-FORMATS.md §1: the same
// envelope as `debug ccsip messages` with `CUBE_VT` in the tag, a trace
// index instead of a sequence number, a "Cover Buffer" summary per call,
// and from 17.8 the transport and both addresses on the Received:/Sent:
// line ("Received: SIP UDP message from 8.41.17.71:5099 to
// 8.44.25.45:5060"), the only Cisco CUBE output that prints the peer. The
// ccsip ingester reads all of it; this file only claims the format.

func init() {
	registerTextFormat(&TextFormat{
		Name:     "cisco-voip-trace",
		Title:    "Cisco IOS-XE show voip trace",
		Detect:   detectCiscoVoipTrace,
		New:      func() TextIngester { return newCCSIPIngester() },
		Priority: 1,
	})
}

var ciscoCoverBuffer = []byte("-- Cover Buffer --")

// detectCiscoVoipTrace: `CUBE_VT/` in a ccsip tag, or the trace's call
// summary header, which nothing else prints.
func detectCiscoVoipTrace(sample [][]byte) int {
	for _, l := range sample {
		if bytes.Contains(l, ccsipCubeVT) && bytes.Contains(l, ccsipDisplayMsg) {
			return 100
		}
		if bytes.Contains(l, ciscoCoverBuffer) {
			return 100
		}
	}
	return 0
}
