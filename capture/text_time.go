package capture

import (
	"time"
)

// timeline turns the stamps a log prints into times on one line of time.
// A full stamp is used as it is. A stamp without a year (IOS, syslog) gets
// the year of a SIP Date header near it, else textDefaultYear, and moves
// to the next year when December turns into January. A stamp with only a
// time of day or an uptime keeps its order and intervals from a nominal
// date (a Date header's, else textDefaultYear-01-01), a day added each time
// the clock goes back past midnight. A message with no stamp takes the time
// of the message before it.
type timeline struct {
	last time.Time // time of the previous message, zero if none

	year      int        // year for year-less stamps, 0 until chosen
	prevMonth time.Month // month of the previous year-less stamp

	// the last year-less UTC stamp and the time it became: a stamp of the
	// same day is moved by the same amount (withYear is a time.Date)
	sameDay        bool
	prevDay        int64
	prevIn, prevAt time.Time

	base       time.Time // nominal date for date-less stamps, zero until chosen
	days       int       // midnights passed
	prevOffset time.Duration
	haveOffset bool
}

// textDefaultYear is the year given to year-less logs when no Date header
// says better: a leap year (so Feb 29 exists) and well inside the range of
// UnixNano.
const textDefaultYear = 2000

// at returns the time of a stamp. dateHint returns a SIP Date header
// (RFC 3261 §20.17) from the messages around it, when there is one.
func (t *timeline) at(s TextStamp, dateHint func() (time.Time, bool)) time.Time {
	if s.Time.IsZero() {
		return t.last
	}
	var out time.Time
	switch {
	case s.NoDate:
		out = t.dateless(s.Time, dateHint)
	case s.NoYear:
		out = t.yearless(s.Time, dateHint)
	default:
		out = s.Time
	}
	t.last = out
	return out
}

func (t *timeline) yearless(st time.Time, dateHint func() (time.Time, bool)) time.Time {
	utc := st.Location() == time.UTC
	var day int64
	if utc {
		day = unixDay(st)
		if t.sameDay && day == t.prevDay {
			// same day, same month: no rollover to look for
			return t.prevAt.Add(st.Sub(t.prevIn))
		}
	}
	out := t.yearlessDay(st, dateHint)
	t.sameDay, t.prevDay, t.prevIn, t.prevAt = utc, day, st, out
	return out
}

// unixDay is the number of the UTC day of t, counted from 1970-01-01.
func unixDay(t time.Time) int64 {
	u := t.Unix()
	d := u / 86400
	if u%86400 < 0 {
		d--
	}
	return d
}

func (t *timeline) yearlessDay(st time.Time, dateHint func() (time.Time, bool)) time.Time {
	if t.year == 0 {
		t.year = textDefaultYear
		if d, ok := dateHint(); ok {
			// the stamp is local time, the Date header GMT: take the
			// year that puts them closest (a log of Dec 31 with a Date
			// of Jan 1 keeps the old year)
			best := time.Duration(1<<63 - 1)
			for _, y := range []int{d.Year() - 1, d.Year(), d.Year() + 1} {
				diff := withYear(st, y).Sub(d)
				if diff < 0 {
					diff = -diff
				}
				if diff < best {
					best, t.year = diff, y
				}
			}
		}
	} else if t.prevMonth == time.December && st.Month() == time.January {
		t.year++
	}
	t.prevMonth = st.Month()
	return withYear(st, t.year)
}

func withYear(st time.Time, y int) time.Time {
	return time.Date(y, st.Month(), st.Day(), st.Hour(), st.Minute(), st.Second(), st.Nanosecond(), st.Location())
}

func (t *timeline) dateless(st time.Time, dateHint func() (time.Time, bool)) time.Time {
	// the stamp's offset from the start of its own year: a time of day,
	// or an uptime of days and hours
	off := st.Sub(time.Date(st.Year(), time.January, 1, 0, 0, 0, 0, st.Location()))
	if t.base.IsZero() {
		t.base = time.Date(textDefaultYear, time.January, 1, 0, 0, 0, 0, time.UTC)
		if d, ok := dateHint(); ok {
			t.base = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
		}
	} else if t.haveOffset && off < t.prevOffset-12*time.Hour && off < 24*time.Hour {
		t.days++ // the clock went past midnight
	}
	t.prevOffset, t.haveOffset = off, true
	return t.base.AddDate(0, 0, t.days).Add(off)
}

// parseSIPDate reads a Date header (RFC 3261 §20.17: an RFC 1123 date in
// GMT); tolerant of a missing weekday.
func parseSIPDate(b []byte) (time.Time, bool) {
	s := string(b)
	for _, layout := range []string{time.RFC1123, "Mon, 2 Jan 2006 15:04:05 MST", "2 Jan 2006 15:04:05 MST", time.RFC1123Z} {
		if d, err := time.Parse(layout, s); err == nil && d.Year() > 1970 && d.Year() < 2200 {
			return d, true
		}
	}
	return time.Time{}, false
}
