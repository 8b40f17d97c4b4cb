package rules

import (
	"net/netip"
	"testing"

	"github.com/sipdiag/sipdiag/decode"
)

// TestAcceptedAnswerCitesLikeTheTransaction checks that the by-value copy
// of an accepted answer gives the same evidence as the transaction did.
func TestAcceptedAnswerCitesLikeTheTransaction(t *testing.T) {
	answer := &decode.Transaction{
		Method: "REGISTER", RequestURI: "sip:example.com", CallID: "c1", Sends: 3,
		Client:  netip.MustParseAddrPort("192.0.2.1:5060"),
		Server:  netip.MustParseAddrPort("198.51.100.2:5060"),
		Request: decode.Ref{Input: 1, Frame: 42, Time: 7e9},
		Credentials: &decode.AuthCredentials{Proxy: true, Username: "alice", Realm: "old.example",
			URI: "sip:example.com", Algorithm: "MD5", Nonce: "n", Header: "Proxy-Authorization: Digest ..."},
	}
	a := &decode.AuthExchange{Subject: "sip:alice@example.com", Method: "REGISTER", CallID: "c1", Client: answer.Client, Answer: answer}
	ok := acceptedOf(a)
	got := ok.evidence()
	want := requestEvidence(answer, "earlier answer, accepted: "+credentialsNote(answer.Credentials))
	if got != want {
		t.Fatalf("evidence\n got %+v\nwant %+v", got, want)
	}
	if ok.client != answer.Client.Addr() || ok.realm != "old.example" || ok.username != "alice" || ok.callID != "c1" {
		t.Fatalf("accepted answer %+v", ok)
	}
}

// An accepted exchange kept by reference cites its answer as it was when
// accepted: a copy of the request retransmitted afterwards (while the
// transaction lingers) does not change what it says.
func TestAcceptedRefKeepsTheAcceptance(t *testing.T) {
	answer := &decode.Transaction{
		Method: "REGISTER", RequestURI: "sip:example.com", CallID: "c1", Sends: 1,
		Client:      netip.MustParseAddrPort("192.0.2.1:5060"),
		Server:      netip.MustParseAddrPort("198.51.100.2:5060"),
		Request:     decode.Ref{Input: 1, Frame: 42, Time: 7e9},
		Credentials: &decode.AuthCredentials{Username: "alice", Realm: "old.example", URI: "sip:example.com"},
	}
	a := &decode.AuthExchange{Subject: "sip:alice@example.com", Method: "REGISTER", CallID: "c1", Client: answer.Client, Answer: answer}
	want := acceptedOf(a)
	r := acceptedRef{a: a, sends: a.Answer.Sends}
	answer.Sends = 2
	if got := r.answer(); got != want {
		t.Fatalf("kept by reference\n got %+v\nwant %+v", got, want)
	}
}
