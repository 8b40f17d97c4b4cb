// Package capture turns input files into SIP datagrams.
//
// It sniffs the format (pcap or pcapng, plain or gzip/zstd compressed;
// other capture formats and text logs are recognised and refused with a
// FormatError that says how to convert them),
// walks the link layer and any tunnels down to UDP, TCP, SCTP or WebSocket,
// reassembles IP fragments and TCP streams, frames SIP by Content-Length, and
// keeps ICMP destination-unreachable errors that quote a SIP packet.
// Frame numbers are the ones Wireshark shows for the same file.
//
// Memory is bounded by the number of open streams and fragment sets, never by
// the size of the file: a Reader yields one Datagram at a time.
package capture
