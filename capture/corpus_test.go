package capture

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// corpusDir finds ../shared/corpus next to the repository root; tests that
// need it skip when it is absent.
func corpusDir(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Skip(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		c := filepath.Join(d, "..", "shared", "corpus")
		if st, err := os.Stat(filepath.Join(c, "pcap")); err == nil && st.IsDir() {
			return c
		}
		if filepath.Dir(d) == d {
			t.Skip("../shared/corpus not found")
		}
	}
}

// tsharkFrames reads corpus/tshark_fields/<file>.tsv: frame number ->
// number of SIP messages tshark decoded in that frame.
func tsharkFrames(t *testing.T, path string) map[int64]int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[int64]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		cols := strings.Split(line, "\t")
		for len(cols) < 6 {
			cols = append(cols, "")
		}
		frame, err := strconv.ParseInt(cols[0], 10, 64)
		if err != nil {
			t.Fatalf("%s: bad frame number in %q", path, line)
		}
		count := func(s string) int {
			if s == "" {
				return 0
			}
			return strings.Count(s, ",") + 1
		}
		// every message has a method (request) or a status (response);
		// neither can hold a comma, unlike a fuzzed CSeq
		out[frame] = max(count(cols[3])+count(cols[4]), 1)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// corpusUnreadable are the corpus files Open must refuse, and the format
// the error must name.
var corpusUnreadable = map[string]string{
	"trex_sip_short1_v6.erf": "Endace ERF",
	"sipnab_c07-sip-r2.cap":  "Network Monitor 2.x",
}

// corpusDifferences lists, per file, the frames where we knowingly differ
// from tshark: frame -> our message count (0 = we find none), and why.
var corpusDifferences = map[string]struct {
	frames map[int64]int
	why    string
}{
	"sipnab_metasploit-sip-invite-spoof.pcap": {
		frames: map[int64]int{3: 1},
		why: "frame 3 is an ICMP port unreachable quoting only the UDP header of a " +
			"datagram to port 5060, which carried SIP in frame 1; tshark sees no SIP " +
			"bytes in it, we keep it as KindICMPUnreachable on purpose",
	},
	"lbnl_SIP-Bruteforce-Single-IP.pcap": {
		frames: map[int64]int{1974: 1, 1975: 1, 1976: 1, 1977: 1, 1978: 1, 1979: 1},
		why: "REGISTER/401 between udp port 1293 and 5060; tshark gives port 1293 to " +
			"its PKTC dissector, we detect SIP by the start line on any port",
	},
}

func TestCorpus(t *testing.T) {
	dir := corpusDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "pcap", "*"))
	if err != nil || len(files) == 0 {
		t.Skip("no corpus captures")
	}
	var table strings.Builder
	fmt.Fprintf(&table, "%-45s %-12s %7s %7s %7s %5s\n", "file", "format", "frames", "tshark", "ours", "probs")
	for _, path := range files {
		name := filepath.Base(path)
		if strings.HasSuffix(name, ".md") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			r, err := Open([]string{path}, nil, Options{})
			if want, bad := corpusUnreadable[name]; bad {
				var fe *FormatError
				if !errors.As(err, &fe) || !strings.Contains(fe.Error(), want) || !strings.Contains(fe.Error(), "editcap -F pcapng") {
					t.Fatalf("Open = %v, want a FormatError naming %q with an editcap hint", err, want)
				}
				fmt.Fprintf(&table, "%-45s %-12s %s\n", name, "refused", fe.Error())
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer r.Close()
			ours := map[int64]int{}
			for {
				d, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				ours[d.Frame]++
			}
			want := tsharkFrames(t, filepath.Join(dir, "tshark_fields", name+".tsv"))
			if diff, ok := corpusDifferences[name]; ok {
				for f, n := range diff.frames {
					if n == 0 {
						delete(want, f)
					} else {
						want[f] = n
					}
				}
			}
			if diff, ok := corpusDifferences[name]; ok {
				t.Logf("known difference from tshark: %s", diff.why)
			}
			compareFrames(t, want, ours)
			info := r.Inputs()[0]
			fmt.Fprintf(&table, "%-45s %-12s %7d %7d %7d %5d\n", name, info.Format, info.Frames, sum(want), sum(ours), info.Problems)
			for _, p := range r.Problems() {
				t.Logf("problem: frame %d offset %d: %s", p.Frame, p.Offset, p.Message)
			}
		})
	}
	t.Logf("\n%s", table.String())
}

func compareFrames(t *testing.T, want, got map[int64]int) {
	t.Helper()
	var frames []int64
	seen := map[int64]bool{}
	for f := range want {
		frames, seen[f] = append(frames, f), true
	}
	for f := range got {
		if !seen[f] {
			frames = append(frames, f)
		}
	}
	sort.Slice(frames, func(i, j int) bool { return frames[i] < frames[j] })
	bad := 0
	for _, f := range frames {
		if want[f] != got[f] {
			bad++
			if bad <= 20 {
				t.Errorf("frame %d: tshark %d SIP messages, ours %d", f, want[f], got[f])
			}
		}
	}
	if bad > 20 {
		t.Errorf("... %d frames differ in all", bad)
	}
}

func sum(m map[int64]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
