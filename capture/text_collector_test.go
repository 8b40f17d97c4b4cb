package capture

import (
	"fmt"
	"testing"
	"time"
)

// ciscoCollectorPrefixRef is ciscoCollectorPrefix's ISO 8601 branch as it
// was: the stamp's end found first, then its separators checked.
func ciscoCollectorPrefixRef(l []byte, i int) (int, TextStamp, bool) {
	if i < len(l) && isDigitByte(l[i]) {
		var st TextStamp
		e := i
		for e < len(l) && l[e] != ' ' {
			e++
		}
		if e-i < 19 || l[i+4] != '-' || l[i+7] != '-' || l[i+10] != 'T' {
			return i, st, false
		}
		t, err := time.Parse(time.RFC3339Nano, string(l[i:e]))
		if err != nil {
			return i, st, false
		}
		st = TextStamp{Time: t, Precision: time.Second}
		return ciscoCollectorHost(l, i, e, st)
	}
	return ciscoCollectorPrefix(l, i)
}

var collectorCases = []string{
	"2023-09-06T09:13:00+02:00 cube1 000123: Mar  5 09:00:00.000: //-1/x/SIP/Msg/ccsipDisplayMsg:",
	"2023-09-06T09:13:00.123456+02:00 cube1 x",
	"2023-09-06T09:13:00Z host: x",
	"000004: Mar  5 09:00:00.007: //55683/24CE89736208/SIP/Transport/x",
	"2023-09-06T09:13", "2023-09-06 09:13:00 host x", "2023-09-06T", "0", "12345678901", "2023-09-06T09:13:00+02:00",
	"Mar  5 09:00:00.000 cube1 000123: x", "<189>2023-09-06T09:13:00Z cube x",
}

func TestCollectorPrefixSameAsRef(t *testing.T) {
	for _, c := range collectorCases {
		for i := 0; i <= len(c); i++ {
			checkCollector(t, []byte(c), i)
		}
	}
}

func checkCollector(t *testing.T, l []byte, i int) {
	t.Helper()
	j1, st1, ok1 := ciscoCollectorPrefix(l, i)
	j2, st2, ok2 := ciscoCollectorPrefixRef(l, i)
	if a, b := fmt.Sprint(j1, st1, ok1), fmt.Sprint(j2, st2, ok2); a != b {
		t.Errorf("%q at %d: %s, want %s", l, i, a, b)
	}
}

func FuzzCollectorPrefix(f *testing.F) {
	for _, c := range collectorCases {
		f.Add(c, uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, i uint8) {
		checkCollector(t, []byte(s), min(int(i), len(s)))
	})
}
