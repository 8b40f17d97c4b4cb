package main

import (
	"crypto/md5"
	"encoding/hex"
)

// Digest authentication with qop=auth and MD5 (RFC 2617 §3.2.2, kept by
// RFC 7616 and used by RFC 3261 §22.4): the responses are real, so a reader
// who knows the password can check them.
const (
	realm    = "voice.example.com"
	digestNC = "00000001"
)

// md5Hex returns the lower-case hex MD5 of the concatenated parts.
func md5Hex(parts ...string) [32]byte {
	h := md5.New()
	for _, p := range parts {
		h.Write([]byte(p))
	}
	var sum [md5.Size]byte
	var out [32]byte
	hex.Encode(out[:], h.Sum(sum[:0]))
	return out
}

// ha1 is H(username ":" realm ":" password), what a registrar stores.
func ha1(username, password string) string {
	h := md5Hex(username, ":", realm, ":", password)
	return string(h[:])
}

// credentials is one Authorization / Proxy-Authorization header's content.
type credentials struct {
	username string
	uri      string
	nonce    nonce
	cnonce   uint64
	response [32]byte
}

// answer builds the credentials a UA holding ha1 sends for method and uri
// after a challenge carrying n (RFC 2617 §3.2.2.1, request-digest with qop=auth).
func answer(ha1Hex, username, method, uri string, n nonce, cnonce uint64) credentials {
	var nb, cb [32]byte
	nonceText := string(appendNonce(nb[:0], n))
	cnonceText := string(appendHex64(cb[:0], cnonce))
	ha2 := md5Hex(method, ":", uri)
	resp := md5Hex(ha1Hex, ":", nonceText, ":", digestNC, ":", cnonceText, ":auth:", string(ha2[:]))
	return credentials{username: username, uri: uri, nonce: n, cnonce: cnonce, response: resp}
}
