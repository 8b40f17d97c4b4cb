package diagnose

import (
	"bytes"
	"encoding/json"
	"testing"
)

// encoderJSON is the report as a json.Encoder indents it itself: what
// WriteJSON must write byte for byte.
func encoderJSON(t *testing.T, r *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWriteJSONMatchesEncoderIndent(t *testing.T) {
	reports := map[string]*Report{
		"fixture":      fixtureReport(RedactOptions{}),
		"empty":        {},
		"deep-and-odd": {Inputs: []Input{{Name: `a"b\c` + "\x01\n\t<&>\u2028é\xff"}}, Diagnoses: []Diagnosis{{Rules: []string{}, Findings: []Finding{{CallIDs: []string{`\"`, `\\`, `"`}, Evidence: []Evidence{{Note: `x\\"y`}}}}, Score: 1e-7}}, Flows: []Flow{{Hosts: []string{}, Diagnoses: []int{1, 2}, Messages: []FlowMessage{{Text: "[{,:}]"}}}}},
	}
	for name, r := range reports {
		var got bytes.Buffer
		if err := WriteJSON(&got, r); err != nil {
			t.Fatal(err)
		}
		if want := encoderJSON(t, r); !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s: WriteJSON differs from the Encoder's indentation:\n got %q\nwant %q", name, got.Bytes(), want)
		}
	}
}

func TestIndentJSONCases(t *testing.T) {
	for _, src := range []string{
		`{}`, `[]`, `[[],{}]`, `{"a":[]}`, `{"a":{"b":[1,2,{}]}}`, `"x"`, `""`, `"\\"`, `"\\\""`,
		`{"\"":"\\","k\\\\":"v\"}"}`, `[{"a":"[1,2]"},{"b":"{:}"}]`, `-1.5e-07`, `null`, `[true,false,null]`,
		`[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]`,
	} {
		var want bytes.Buffer
		if err := json.Indent(&want, []byte(src+"\n"), "", "  "); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := indentJSON(nil, []byte(src+"\n")); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s:\n got %q\nwant %q", src, got, want.Bytes())
		}
	}
}

// FuzzIndentJSON holds indentJSON to json.Indent on every valid JSON
// value, compacted as encoding/json writes it; on other input it must
// only not fail.
func FuzzIndentJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":"c\"d"}],"e":{}}`, `[[],[[]],""]`, `"\\\\"`, `{"x":"\u2028"}`, "[\"\x7f\"]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var compact bytes.Buffer
		if json.Compact(&compact, in) != nil {
			indentJSON(nil, in) // must not panic
			return
		}
		src := append(compact.Bytes(), '\n')
		var want bytes.Buffer
		if err := json.Indent(&want, src, "", "  "); err != nil {
			t.Fatal(err)
		}
		if got := indentJSON(nil, src); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%q:\n got %q\nwant %q", src, got, want.Bytes())
		}
	})
}
