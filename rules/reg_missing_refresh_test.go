package rules

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/decode"
)

const sec = int64(1e9)

// grantEvent builds the registration event of a 2xx to a REGISTER for
// contact, granting expires seconds at time at (seconds).
func grantEvent(r *decode.Registration, contact string, at int64, expires int, frame int64) *decode.RegistrationEvent {
	t := &decode.Transaction{
		Method: "REGISTER", CallID: contact, Contact: contact, ToAOR: r.AOR, FromAOR: r.AOR,
		Client: netip.MustParseAddrPort("10.0.0.5:5060"), Server: netip.MustParseAddrPort("10.0.0.1:5060"),
		Request: decode.Ref{Frame: frame, Time: at * sec},
		Final:   &decode.Response{At: decode.Ref{Frame: frame + 1, Time: at * sec}, Status: 200, Granted: expires},
	}
	kind := decode.RegGranted
	if r.Bound {
		kind = decode.RegRefreshed
	}
	r.Bound, r.Granted, r.Deadline = true, expires, (at+int64(expires))*sec
	return &decode.RegistrationEvent{Kind: kind, Reg: r, Txn: t}
}

func runREG001(t *testing.T, events []*decode.RegistrationEvent, end int64) []Finding {
	t.Helper()
	r, err := NewRunner([]*Rule{MissingRefresh}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		for _, f := range r.Observers().Registration {
			f(e)
		}
	}
	return r.Finish(&decode.Trace{Span: decode.Span{First: 0, Last: end * sec}})
}

// Two devices on one AOR: the desk phone's hour-long binding must not hide
// the softphone's lapsed one-minute binding (bindings are per contact,
// RFC 3261 §10.3).
func TestMissingRefreshPerContact(t *testing.T) {
	reg := &decode.Registration{AOR: "sip:100@pbx.example", Registrar: "pbx.example"}
	events := []*decode.RegistrationEvent{
		grantEvent(reg, "sip:100@10.0.0.5:5060", 0, 3600, 1),
		grantEvent(reg, "sip:100@10.0.0.6:5062", 10, 60, 3),
		grantEvent(reg, "sip:100@10.0.0.5:5060", 100, 3600, 5),
	}
	fs := runREG001(t, events, 300)
	if len(fs) != 1 || !strings.Contains(fs[0].Evidence[0].Note, "10.0.0.6:5062") || fs[0].At.Frame != 4 {
		t.Fatalf("want one lapse of the softphone's binding, got %+v", fs)
	}
}

func TestMissingRefreshWindows(t *testing.T) {
	for _, tc := range []struct {
		name  string
		end   int64 // capture end, seconds
		fires bool
	}{
		{"capture ends before the expiry", 50, false},
		{"capture ends inside the grace period", 64, false}, // 60 s + 5 s grace
		{"capture goes on past expiry and grace", 66, true},
	} {
		reg := &decode.Registration{AOR: "sip:a@x", Registrar: "x"}
		fs := runREG001(t, []*decode.RegistrationEvent{grantEvent(reg, "sip:a@10.0.0.5", 0, 60, 1)}, tc.end)
		if (len(fs) == 1) != tc.fires {
			t.Errorf("%s: findings %v", tc.name, fs)
		}
	}
	// A refresh that comes late is a lapse too.
	reg := &decode.Registration{AOR: "sip:a@x", Registrar: "x"}
	fs := runREG001(t, []*decode.RegistrationEvent{
		grantEvent(reg, "sip:a@10.0.0.5", 0, 60, 1),
		grantEvent(reg, "sip:a@10.0.0.5", 90, 60, 3),
	}, 100)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "refreshed only 30 s after it expired") {
		t.Errorf("late refresh: %+v", fs)
	}
}

// challengeEvent is a 401 to a REGISTER for contact at time at (seconds),
// with credentials on the request when withCreds.
func challengeEvent(r *decode.Registration, contact string, at int64, withCreds bool, frame int64) *decode.RegistrationEvent {
	t := &decode.Transaction{
		Method: "REGISTER", CallID: contact, Contact: contact, ToAOR: r.AOR, FromAOR: r.AOR,
		Client: netip.MustParseAddrPort("10.0.0.5:5060"), Server: netip.MustParseAddrPort("10.0.0.1:5060"),
		Request: decode.Ref{Frame: frame, Time: at * sec},
		Final: &decode.Response{At: decode.Ref{Frame: frame + 1, Time: at * sec}, Status: 401,
			Challenge: &decode.AuthChallenge{Scheme: "Digest", Realm: "x", Nonce: "n"}},
	}
	if withCreds {
		t.Credentials = &decode.AuthCredentials{Scheme: "Digest", Username: "a", Realm: "x", Nonce: "n"}
	}
	return &decode.RegistrationEvent{Kind: decode.RegChallenged, Reg: r, Txn: t}
}

// A refresh's 401 that the UA answers is the normal digest exchange
// (RFC 3261 §22.2), not a failed attempt; one left unanswered, or a 401
// to credentials, is.
func TestMissingRefreshChallengeIsNotFailure(t *testing.T) {
	for _, tc := range []struct {
		name   string
		events func(reg *decode.Registration) []*decode.RegistrationEvent
		want   string
		reject string
	}{
		{"late refresh answering its challenge", func(reg *decode.Registration) []*decode.RegistrationEvent {
			return []*decode.RegistrationEvent{
				grantEvent(reg, "sip:a@10.0.0.5", 0, 30, 1),
				challengeEvent(reg, "sip:a@10.0.0.5", 45, false, 3),
				grantEvent(reg, "sip:a@10.0.0.5", 45, 30, 5),
			}
		}, "refreshed only 15 s after it expired", "failed"},
		{"challenge never answered", func(reg *decode.Registration) []*decode.RegistrationEvent {
			return []*decode.RegistrationEvent{
				grantEvent(reg, "sip:a@10.0.0.5", 0, 30, 1),
				challengeEvent(reg, "sip:a@10.0.0.5", 27, false, 3),
			}
		}, "(1 refresh attempt(s) failed)", ""},
		{"answered, credentials rejected", func(reg *decode.Registration) []*decode.RegistrationEvent {
			return []*decode.RegistrationEvent{
				grantEvent(reg, "sip:a@10.0.0.5", 0, 30, 1),
				challengeEvent(reg, "sip:a@10.0.0.5", 27, false, 3),
				challengeEvent(reg, "sip:a@10.0.0.5", 27, true, 5),
			}
		}, "(1 refresh attempt(s) failed)", ""},
		{"challenged twice, neither answered", func(reg *decode.Registration) []*decode.RegistrationEvent {
			return []*decode.RegistrationEvent{
				grantEvent(reg, "sip:a@10.0.0.5", 0, 30, 1),
				challengeEvent(reg, "sip:a@10.0.0.5", 27, false, 3),
				challengeEvent(reg, "sip:a@10.0.0.5", 72, false, 5),
			}
		}, "(2 refresh attempt(s) failed)", ""},
	} {
		reg := &decode.Registration{AOR: "sip:a@x", Registrar: "x"}
		fs := runREG001(t, tc.events(reg), 100)
		if len(fs) != 1 || !strings.Contains(fs[0].Message, tc.want) || (tc.reject != "" && strings.Contains(fs[0].Message, tc.reject)) {
			t.Errorf("%s: %+v", tc.name, fs)
		}
	}
}

// A log without timestamps: the binding cannot be judged, and the note
// says why instead of printing 00:00:00 clock times.
func TestMissingRefreshNoTimestamps(t *testing.T) {
	r, err := NewRunner([]*Rule{MissingRefresh}, nil)
	if err != nil {
		t.Fatal(err)
	}
	reg := &decode.Registration{AOR: "sip:a@x", Registrar: "x"}
	for _, f := range r.Observers().Registration {
		f(grantEvent(reg, "sip:a@10.0.0.5", 0, 600, 1))
	}
	if fs := r.Finish(&decode.Trace{}); len(fs) != 0 {
		t.Fatalf("no finding expected, got %+v", fs)
	}
	notes := r.Undecided()
	if len(notes) != 1 || !strings.Contains(notes[0].Message, "the input has no timestamps") || strings.Contains(notes[0].Message, "00:") {
		t.Errorf("notes %+v", notes)
	}
}
