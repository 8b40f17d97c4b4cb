package capture

// pcapReadAhead is how many Datagrams a classic pcap input may queue at
// once by reading ahead (a variable so that tests can turn it off). More
// saves few instructions and costs L1 misses: the decoder then reads
// payloads the start-line check touched longer ago (callgrind cache
// simulation, sip-100000: 1 -> 853.3 M instructions, 3.86 M D1 misses;
// 8 -> 840.1 M, 4.07 M; 32 -> 838.0 M, 4.69 M).
var pcapReadAhead = 8

// readAhead queues the Datagrams of the records that follow the one just
// read, while each lies whole in the read window and is taken by the
// Ethernet/IPv4/UDP fast path without a sweep being due. Each costs one
// loop turn instead of a Reader.Next -> advance -> readRecord -> decodeLink
// round. It stops, leaving the record unread, at the first record that
// is anything else, so everything that may record a Problem, sweep state
// or move the window (a fill) still happens one record at a time in
// readRecord, in the same order: the Datagrams, their order, and the
// Problems are those of reading record by record. The payloads stay valid
// as long as before: the window moves only in a fill, which waits until
// the queue is drained.
func (in *input) readAhead(f *pcapFile) {
	if f.link != linkEthernet {
		return
	}
	for len(in.queue) < pcapReadAhead {
		data, ts, n, ok := f.peek()
		if !ok || in.sweepDue(instantOf(ts)) || !in.ethIPv4UDPFast(data, in.frame+1, ts) {
			break
		}
		f.consume(n)
		in.frame++
		in.info.Frames++
		in.ts = ts // the record read last, as readRecord leaves them
	}
}
