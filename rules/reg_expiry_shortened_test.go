package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/decode"
)

// register feeds a REGISTER asking `asked` seconds at t0, answered at once
// with status (granting `granted` when 2xx).
func register(f *synFeeder, reg *decode.Registration, kind decode.RegEvent, t0 float64, frame int64, asked, status, granted int) *decode.Transaction {
	t := synAnswer(synReq("REGISTER", reg.AOR, "r1", synUA, t0, frame), status, t0+0.01)
	t.Requested = asked
	if status/100 == 2 {
		t.Final.Granted = granted
	}
	f.reg(kind, reg, t)
	return t
}

func TestExpiryShortened(t *testing.T) {
	for _, tc := range []struct {
		name       string
		refreshAt  float64 // 0: none
		end        float64
		want       string
		wantFrames []int64
	}{
		{"UA keeps its own timer", 45, 60, "its next REGISTER came 45 s after a 30 s grant, 15 s after the binding expired", []int64{1, 2, 3}},
		{"UA follows the grant", 25, 60, "the UA follows the grant (next REGISTER 25 s after it)", []int64{1, 2, 3}},
		{"capture ends first", 0, 20, "the capture ends before the granted expiry", []int64{1, 2}},
		{"no refresh", 0, 100, "no REGISTER followed before the granted expiry", []int64{1, 2}},
	} {
		f := newSynFeeder(t, []*Rule{ExpiryShortened}, nil)
		reg := &decode.Registration{AOR: synAOR, Registrar: "pbx.example"}
		register(f, reg, decode.RegGranted, 0, 1, 3600, 200, 30)
		if tc.refreshAt > 0 {
			kind := decode.RegRefreshed
			if tc.refreshAt > 30 {
				kind = decode.RegGranted
			}
			register(f, reg, kind, tc.refreshAt, 3, 3600, 200, 30)
		}
		fs := f.finish(tc.end)
		if len(fs) != 1 {
			t.Fatalf("%s: want one finding, got %v", tc.name, fs)
		}
		g := fs[0]
		if !strings.Contains(g.Message, "asked pbx.example for 3600 s and was granted 30 s") || !strings.Contains(g.Message, tc.want) {
			t.Errorf("%s: message %q", tc.name, g.Message)
		}
		var frames []int64
		for _, e := range g.Evidence {
			frames = append(frames, e.At.Frame)
		}
		if len(frames) != len(tc.wantFrames) {
			t.Errorf("%s: evidence frames %v, want %v", tc.name, frames, tc.wantFrames)
		}
	}
}

func TestExpiryShortenedNearMisses(t *testing.T) {
	for _, tc := range []struct {
		name           string
		asked, granted int
	}{
		{"granted what was asked", 3600, 3600},
		{"granted more than asked", 60, 120},
		{"shaved by less than 10%", 3600, 3300},
		{"expiry not asked for", -1, 60},
		{"de-registration", 0, 0},
	} {
		f := newSynFeeder(t, []*Rule{ExpiryShortened}, nil)
		reg := &decode.Registration{AOR: synAOR, Registrar: "pbx.example"}
		kind := decode.RegGranted
		if tc.asked == 0 {
			kind = decode.RegDeregistered
		}
		register(f, reg, kind, 0, 1, tc.asked, 200, tc.granted)
		if fs := f.finish(4000); len(fs) != 0 {
			t.Errorf("%s: want nothing, got %v", tc.name, fs)
		}
	}
	// The cut threshold is a threshold.
	f := newSynFeeder(t, []*Rule{ExpiryShortened}, map[string]string{"REG002.min-cut-percent": "5"})
	reg := &decode.Registration{AOR: synAOR, Registrar: "pbx.example"}
	register(f, reg, decode.RegGranted, 0, 1, 3600, 200, 3300)
	if fs := f.finish(4000); len(fs) != 1 {
		t.Errorf("min-cut-percent=5: 3600 -> 3300 must count, got %v", fs)
	}
}

// With --config, REG002 cites the router's `registrar ... expires` line
// that asks for more than the registrar grants, and the edit; nothing when
// the configuration already agrees, names another registrar, or the
// REGISTER came from another address than the router's.
func TestExpiryShortenedConfig(t *testing.T) {
	const withExpires = "interface GigabitEthernet0/0\n ip address 10.0.0.5 255.255.255.0\n!\nsip-ua\n registrar ipv4:10.0.0.1:5060 expires %d\n!\n"
	for _, tc := range []struct {
		name   string
		config string
		want   string // "" : no configuration evidence
	}{
		{"router asks too much", fmt.Sprintf(withExpires, 3600),
			`the router's configuration asks for more (cube.cfg line 5: registrar ipv4:10.0.0.1:5060 expires 3600): change it to "registrar ipv4:10.0.0.1:5060 expires 30"`},
		{"configuration already agrees", fmt.Sprintf(withExpires, 30), ""},
		{"another registrar", "sip-ua\n registrar ipv4:10.9.9.9 expires 3600\n!\n", ""},
		{"another router", strings.Replace(fmt.Sprintf(withExpires, 3600), "10.0.0.5", "10.0.0.99", 1), ""},
		{"no configuration", "", ""},
	} {
		f := newSynFeeder(t, []*Rule{ExpiryShortened}, nil)
		if tc.config != "" {
			f.r.SetConfig(parseCube(t, tc.config))
		}
		reg := &decode.Registration{AOR: synAOR, Registrar: "pbx.example"}
		register(f, reg, decode.RegGranted, 0, 1, 3600, 200, 30)
		fs := f.finish(20)
		if len(fs) != 1 {
			t.Fatalf("%s: want one finding, got %v", tc.name, fs)
		}
		g := fs[0]
		var cited bool
		for _, e := range g.Evidence {
			if strings.Contains(e.Summary, "cube.cfg line") {
				cited = true
			}
		}
		if tc.want == "" {
			if cited || strings.Contains(g.Message, "configuration") {
				t.Errorf("%s: no configuration evidence expected, got %q %+v", tc.name, g.Message, g.Evidence)
			}
			continue
		}
		if !cited || !strings.Contains(g.Message, tc.want) || len(g.Evidence) != 4 {
			t.Errorf("%s: message %q, evidence %+v", tc.name, g.Message, g.Evidence)
		}
	}
}
