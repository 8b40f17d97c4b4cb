package main

// idSource hands out identifiers (Call-IDs, branches, tags, nonces) that
// never repeat within one capture yet look random: splitmix64 is a bijection
// on 64-bit values, so distinct counter values give distinct identifiers.
type idSource struct {
	key uint64
	n   uint64
}

func (s *idSource) next() uint64 {
	s.n++
	return splitmix64(s.n ^ s.key)
}

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

const hexDigits = "0123456789abcdef"

// appendHex64 appends v as exactly 16 lower-case hex digits.
func appendHex64(b []byte, v uint64) []byte {
	for shift := 60; shift >= 0; shift -= 4 {
		b = append(b, hexDigits[v>>uint(shift)&0xf])
	}
	return b
}

// appendHex32 appends the low 32 bits of v as exactly 8 hex digits (tags).
func appendHex32(b []byte, v uint64) []byte {
	for shift := 28; shift >= 0; shift -= 4 {
		b = append(b, hexDigits[v>>uint(shift)&0xf])
	}
	return b
}

// nonce is a server nonce: 128 bits, written as 32 hex digits.
type nonce [2]uint64

func (s *idSource) nonce() nonce { return nonce{s.next(), s.next()} }

func appendNonce(b []byte, n nonce) []byte {
	return appendHex64(appendHex64(b, n[0]), n[1])
}
