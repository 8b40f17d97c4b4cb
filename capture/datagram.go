package capture

import (
	"net/netip"
	"time"
)

// Transport is the protocol that carried a SIP message.
type Transport uint8

const (
	TransportUnknown Transport = iota
	UDP
	TCP
	SCTP
	WS  // SIP over WebSocket (RFC 7118), plain
	TLS // decrypted TLS or a text log that says TLS
)

func (t Transport) String() string {
	switch t {
	case UDP:
		return "UDP"
	case TCP:
		return "TCP"
	case SCTP:
		return "SCTP"
	case WS:
		return "WS"
	case TLS:
		return "TLS"
	}
	return "?"
}

// Kind says what a Datagram carries.
type Kind uint8

const (
	// KindSIP: Payload is exactly one SIP message (framed by Content-Length on
	// stream transports).
	KindSIP Kind = iota
	// KindICMPUnreachable: an ICMP/ICMPv6 destination-unreachable that quotes a
	// packet which looked like SIP. Src/Dst/Transport describe the quoted
	// (original) packet, so it can be matched to the request it bounced; the
	// ICMP field holds the error itself.
	KindICMPUnreachable
)

// ICMPError describes an ICMP destination-unreachable (RFC 792, RFC 4443 §3.1).
type ICMPError struct {
	From            netip.Addr // who sent the ICMP error
	V6              bool
	Type            uint8
	Code            uint8 // 3 = port unreachable (v4), 4 = port unreachable (v6)
	PortUnreachable bool
}

// Datagram is one SIP message (or one ICMP error quoting one) as found in an
// input, with where it was found. Payload aliases the reader's buffer and is
// valid only until the next call to Reader.Next.
type Datagram struct {
	Input     int       // index into Reader.Inputs()
	Frame     int64     // 1-based frame number as Wireshark shows it (0 for text inputs)
	Line      int       // 1-based line of the message start in a text input (0 for captures)
	Time      time.Time // capture time; zero when the input has no timestamps
	Src, Dst  netip.AddrPort
	Transport Transport
	Kind      Kind
	Payload   []byte
	ICMP      ICMPError // set when Kind == KindICMPUnreachable
	// Truncated: the text log holds only part of this message (a cut log,
	// a syslog size limit, "[truncated]"); Payload is what was there.
	Truncated bool
	// Synthetic: Payload was built from a one-line packet summary (tshark
	// packet list), not logged: it has no real headers.
	Synthetic bool
}

// InputInfo describes one input file and what could be read from it.
type InputInfo struct {
	Name     string // as given on the command line ("-" for stdin)
	Format   string // "pcap", "pcapng", "text/<format>" (TextFormats) ...; compression is noted as "pcap+gzip"
	Frames   int64  // frames read (captures)
	Lines    int64  // lines read (text inputs)
	Messages int64  // SIP messages delivered
	Problems int64  // problems recorded for this input
	// Summaries counts the messages rebuilt from one-line packet
	// summaries (Datagram.Synthetic): they carry no real headers.
	Summaries int64
}

// Problem is input that could not be read: a truncated file, a malformed
// frame, a TCP gap. Nothing is dropped silently; each gets a Problem.
type Problem struct {
	Input   int
	Frame   int64 // 0 when not tied to a frame (e.g. file header)
	Line    int
	Offset  int64 // byte offset in the (decompressed) input, when known; for pcapng only near the damage (the reader buffers ahead)
	Time    time.Time
	Message string
}
