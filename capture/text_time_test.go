package capture

import (
	"testing"
	"time"
)

func noHint() (time.Time, bool) { return time.Time{}, false }

func hint(s string) func() (time.Time, bool) {
	return func() (time.Time, bool) { return parseSIPDate([]byte(s)) }
}

func stamp(s string) time.Time {
	t, err := time.Parse("Jan _2 15:04:05.000", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestTimelineYearless(t *testing.T) {
	var tl timeline
	// IOS "Apr  7 07:28:56.046" with a Date header of the evening before
	// (GMT vs local): the Date's year
	got := tl.at(TextStamp{Time: stamp("Apr  7 07:28:56.046"), NoYear: true}, hint("Wed, 06 Apr 2022 18:28:16 GMT"))
	if want := time.Date(2022, 4, 7, 7, 28, 56, 46e6, time.UTC); !got.Equal(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestTimelineYearlessDefaultAndRollover(t *testing.T) {
	var tl timeline
	a := tl.at(TextStamp{Time: stamp("Dec 31 23:59:59.500"), NoYear: true}, noHint)
	b := tl.at(TextStamp{Time: stamp("Jan  1 00:00:00.250"), NoYear: true}, noHint)
	if a.Year() != textDefaultYear || b.Year() != textDefaultYear+1 {
		t.Errorf("years %d %d", a.Year(), b.Year())
	}
	if d := b.Sub(a); d != 750*time.Millisecond {
		t.Errorf("interval over New Year %v", d)
	}
}

func TestTimelineYearlessDateHintAcrossNewYear(t *testing.T) {
	var tl timeline
	// local Dec 31 evening, Date header already Jan 1 GMT: the old year
	got := tl.at(TextStamp{Time: stamp("Dec 31 22:00:00.000"), NoYear: true}, hint("Sat, 01 Jan 2022 03:00:00 GMT"))
	if got.Year() != 2021 {
		t.Errorf("year %d, want 2021", got.Year())
	}
}

func TestTimelineDateless(t *testing.T) {
	var tl timeline
	tod := func(h, m, s int) TextStamp {
		return TextStamp{Time: time.Date(0, 1, 1, h, m, s, 0, time.UTC), NoDate: true}
	}
	a := tl.at(tod(23, 59, 58), noHint)
	b := tl.at(tod(0, 0, 3), noHint) // past midnight
	c := tl.at(TextStamp{}, noHint)  // no stamp: the time before
	if d := b.Sub(a); d != 5*time.Second {
		t.Errorf("interval over midnight %v", d)
	}
	if !c.Equal(b) {
		t.Errorf("unstamped message at %v, want %v", c, b)
	}
	if a.Year() != textDefaultYear {
		t.Errorf("nominal year %d", a.Year())
	}
}

func TestTimelineUptime(t *testing.T) {
	var tl timeline
	up := func(d time.Duration) TextStamp {
		return TextStamp{Time: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Add(d), NoDate: true}
	}
	a := tl.at(up(8*24*time.Hour), noHint) // "1w1d"
	b := tl.at(up(8*24*time.Hour+time.Hour), noHint)
	if b.Sub(a) != time.Hour {
		t.Errorf("uptime interval %v", b.Sub(a))
	}
}

func TestTimelineFullStampAsIs(t *testing.T) {
	var tl timeline
	want := time.Date(2021, 4, 2, 17, 28, 37, 360956000, time.FixedZone("", 3600))
	if got := tl.at(TextStamp{Time: want, Precision: time.Microsecond}, noHint); !got.Equal(want) {
		t.Errorf("got %v", got)
	}
}

// Messages with the same stamp are ordered by their sequence numbers.
func TestSeqOrdersTies(t *testing.T) {
	s := &textSource{}
	at := time.Date(2024, 1, 1, 0, 0, 1, 0, time.UTC)
	for _, seq := range []int64{5, 7, 6, 8} {
		s.push(&textMsg{synthetic: true, seq: seq, stamp: TextStamp{Time: at}})
	}
	s.push(&textMsg{synthetic: true, seq: 1, stamp: TextStamp{Time: at.Add(time.Second)}})
	var got []int64
	for _, m := range s.window {
		got = append(got, m.seq)
	}
	if len(got) != 5 || got[0] != 5 || got[1] != 6 || got[2] != 7 || got[3] != 8 || got[4] != 1 {
		t.Errorf("order %v", got)
	}
}
