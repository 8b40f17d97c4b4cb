package decode

import "strconv"

// Every map key the correlator builds is made here, next to the rule it
// follows. Keys are appended to a reusable buffer so that a lookup costs no
// allocation (the compiler does not copy for m[string(buf)]).

// magicCookie marks a branch built by an RFC 3261 client (§8.1.1.7); only such
// branches are unique enough to key a transaction on.
const magicCookie = "z9hG4bK"

// appendTxnKey builds the client transaction key of RFC 3261 §17.1.3: the
// branch of the top Via plus the CSeq method, where ACK matches the INVITE it
// acknowledges (§17.1.1.3: the ACK for a non-2xx final response carries the
// INVITE's branch). The method is passed upper-cased.
//
// Messages from RFC 2543 elements carry no magic cookie; for them the key
// falls back to the fields §17.2.3 lists for matching such messages, which a
// response copies from its request: Call-ID, CSeq, From tag and the top Via
// sent-by.
func appendTxnKey(dst []byte, branch []byte, method string, callID []byte, cseq uint32, fromTag []byte, sentBy []byte) []byte {
	if hasCookie(branch) {
		return appendBranchKey(dst, branch, method)
	}
	if method == "ACK" {
		method = "INVITE"
	}
	dst = append(dst, '2')
	dst = append(dst, callID...)
	dst = append(dst, 0)
	dst = strconv.AppendUint(dst, uint64(cseq), 10)
	dst = append(dst, 0)
	dst = append(dst, method...)
	dst = append(dst, 0)
	dst = append(dst, fromTag...)
	dst = append(dst, 0)
	return append(dst, sentBy...)
}

// appendBranchKey is appendTxnKey for a branch with the magic cookie, which
// the correlator has checked already.
func appendBranchKey(dst []byte, branch []byte, method string) []byte {
	dst = append(dst, 'b')
	dst = append(dst, branch...)
	// The method as one byte when it is a usual one (no copy of its
	// name); any other follows 0xFF. After the last 0 byte (a method has
	// none) the two forms cannot meet, so the key still tells every
	// (branch, method) apart.
	if c := methodCode(method); c != 0 {
		return append(dst, 0, c)
	}
	dst = append(dst, 0, 0xFF)
	return append(dst, method...)
}

// methodCode numbers the usual methods (upper-cased) for appendBranchKey,
// ACK as INVITE (§17.1.1.3); 0 for the others.
func methodCode(method string) byte {
	switch method {
	case "INVITE", "ACK":
		return 1
	case "REGISTER":
		return 2
	case "BYE":
		return 3
	case "CANCEL":
		return 4
	case "OPTIONS":
		return 5
	case "NOTIFY":
		return 6
	case "SUBSCRIBE":
		return 7
	}
	return 0
}

// appendRegKey keys a registration: the address-of-record (To URI, RFC 3261
// §10.2) at one registrar (the Request-URI host, §10.2: "the Request-URI names
// the domain of the location service").
func appendRegKey(dst []byte, aor, registrar string) []byte {
	dst = append(dst, aor...)
	dst = append(dst, 0)
	return append(dst, registrar...)
}

// appendDialogKey keys a dialog: Call-ID, local and remote tag (§12).
func appendDialogKey(dst []byte, callID, fromTag, toTag []byte) []byte {
	dst = append(dst, callID...)
	dst = append(dst, 0)
	dst = append(dst, fromTag...)
	dst = append(dst, 0)
	return append(dst, toTag...)
}
