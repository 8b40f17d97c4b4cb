package diagnose

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/internal/golden"
)

const schemaPath = "../schema/report-v1.schema.json"

// The committed schema is what the Go types generate (go test ./diagnose
// -update rewrites it).
func TestSchemaMatchesTypes(t *testing.T) {
	got, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	// Fields may be added; renaming or removing one needs a new SchemaVersion.
	golden.Check(t, schemaPath, got, "go test ./diagnose -update")
}

// Reports, with and without flows, validate against the committed schema.
func TestReportsValidateAgainstSchema(t *testing.T) {
	schema := loadSchema(t)
	fs, tr := fixture()
	plain := Build(fs, tr, nil, Options{Redact: RedactOptions{Secrets: true}})
	for name, r := range map[string]*Report{"plain": plain, "flows": fixtureReport(RedactOptions{Secrets: true})} {
		var b bytes.Buffer
		WriteJSON(&b, r)
		if errs := ValidateJSON(schema, b.Bytes()); len(errs) > 0 {
			t.Errorf("%s: %s", name, strings.Join(errs, "\n"))
		}
	}
	// The validator itself: a wrong type, a missing field and an unknown
	// field are caught.
	bad := []byte(`{"schema_version": "1", "inputs": [], "bogus": 1}`)
	errs := ValidateJSON(schema, bad)
	joined := strings.Join(errs, "\n")
	for _, want := range []string{"schema_version: want integer", "missing required \"diagnoses\"", "bogus: not in the schema"} {
		if !strings.Contains(joined, want) {
			t.Errorf("validator missed %q in:\n%s", want, joined)
		}
	}
}

func loadSchema(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return s
}
