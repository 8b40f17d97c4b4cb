package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/sipdiag/sipdiag/capture"
	"github.com/sipdiag/sipdiag/diagnose"
)

// digestValue finds the values that must never leave sipdiag: digest
// nonces, cnonces, responses, opaque values (RFC 3261 §22.4, RFC 7616 §3).
var digestValue = regexp.MustCompile(`(?i)\b(?:nextnonce|c?nonce|response|opaque|rspauth)\s*=\s*"?([^",\s]+)`)

// capturedSecrets reads a capture the way sipdiag does and returns every
// digest secret in it, and every IP address.
func capturedSecrets(t *testing.T, path string) (secrets, hosts []string, err error) {
	t.Helper()
	rd, err := capture.Open([]string{path}, nil, capture.Options{})
	if err != nil {
		return nil, nil, err
	}
	defer rd.Close()
	seen := map[string]bool{}
	for {
		d, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range digestValue.FindAllSubmatch(d.Payload, -1) {
			// short values (nc-like, "auth") could occur by chance elsewhere
			if v := string(m[1]); len(v) >= 6 && !seen[v] {
				seen[v] = true
				secrets = append(secrets, v)
			}
		}
		for _, a := range []string{d.Src.Addr().String(), d.Dst.Addr().String()} {
			if !seen[a] {
				seen[a] = true
				hosts = append(hosts, a)
			}
		}
	}
	sort.Strings(secrets)
	return secrets, hosts, nil
}

// TestEverySampleEveryFormat runs every sample through every format: each
// must render, JSON must validate against the committed schema, HTML must
// be self-contained, and no digest secret read from the capture may appear
// in any output unless --no-redact asks for it.
func TestEverySampleEveryFormat(t *testing.T) {
	schemaData, err := os.ReadFile("../../schema/report-v1.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(schemaData, &schema); err != nil {
		t.Fatal(err)
	}
	leakChecked := 0
	for _, in := range allSamples(t) {
		secrets, hosts, err := capturedSecrets(t, in)
		if err != nil {
			// a text format this build does not read yet: nothing to render
			t.Logf("skipping %s: %v", in, err)
			continue
		}
		leakChecked += len(secrets)
		for _, format := range formats {
			for _, variant := range variants[format] {
				args := append([]string{"--format", format, "--fail-on", "none"}, variant...)
				code, out, stderr := runCLI(t, nil, append(args, in)...)
				name := in + " " + strings.Join(args, " ")
				if code != exitOK {
					t.Errorf("%s: exit %d: %s", name, code, stderr)
					continue
				}
				for _, s := range secrets {
					if strings.Contains(out, s) {
						t.Errorf("%s: the digest value %q from the capture is in the output", name, s)
					}
				}
				if len(variant) > 1 { // the pseudonymised variant
					for _, h := range hosts {
						if regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(h) + `($|[^0-9])`).MatchString(out) {
							t.Errorf("%s: the address %s is in the output despite --redact-hosts", name, h)
						}
					}
				}
				checkFormat(t, name, format, out, schema)
			}
		}
		// The check above can fail: without redaction the secrets show.
		if len(secrets) > 0 {
			_, out, _ := runCLI(t, nil, "--format", "html", "--no-redact", "--ladder=all", "--fail-on", "none", in)
			found := false
			for _, s := range secrets {
				found = found || strings.Contains(out, s)
			}
			if !found {
				t.Errorf("%s: --no-redact --format html shows none of %v", in, secrets)
			}
		}
	}
	if leakChecked == 0 {
		t.Error("no sample holds a digest value: the leak check checked nothing")
	}
}

// allSamples is every input under samples/ (captures and text logs, with
// or without a .want), not the generator scripts.
func allSamples(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir("../../samples", func(path string, d os.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && d.Name() == "gen":
			return filepath.SkipDir
		case d.IsDir(), strings.HasSuffix(path, ".want"), strings.HasSuffix(path, ".md"):
			return nil
		}
		out = append(out, path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// variants are the flag sets each format is run with: plain, every flow
// drawn, and pseudonymised (where the flag changes what is printed).
var variants = map[string][][]string{
	"text":     {nil, {"--ladder=all"}, {"--redact-hosts", "--redact-numbers", "--ladder"}},
	"json":     {nil, {"--redact-hosts", "--redact-numbers", "--ladder=all"}},
	"markdown": {nil, {"--redact-hosts", "--redact-numbers"}},
	"html":     {{"--ladder=all"}, {"--redact-hosts", "--redact-numbers"}},
}

func checkFormat(t *testing.T, name, format, out string, schema map[string]any) {
	t.Helper()
	switch format {
	case "json":
		if errs := diagnose.ValidateJSON(schema, []byte(out)); len(errs) > 0 {
			t.Errorf("%s: JSON does not validate:\n%s", name, strings.Join(errs, "\n"))
		}
	case "html":
		if !strings.HasPrefix(out, "<!DOCTYPE html>") || !strings.HasSuffix(out, "</html>\n") {
			t.Errorf("%s: not a whole HTML page", name)
		}
		// Self-contained: no script, no stylesheet or image to fetch, no
		// URL but the SVG namespace name (which is never fetched).
		rest := strings.ReplaceAll(out, `xmlns="http://www.w3.org/2000/svg"`, "")
		for _, bad := range []string{"<script", "<link", "<img", "src=", "url(http", "@import", "http://", "https://"} {
			if strings.Contains(rest, bad) {
				t.Errorf("%s: HTML contains %q", name, bad)
			}
		}
	case "markdown":
		if !strings.HasPrefix(out, "# sipdiag report\n") || strings.Count(out, "```")%2 != 0 {
			t.Errorf("%s: not a well-formed Markdown report", name)
		}
	}
}

func TestLadderFlags(t *testing.T) {
	code, out, _ := runCLI(t, nil, "--ladder", "--width", "80", loopSample)
	if code != exitDiagnoses || !strings.Contains(out, "Ladder: Call-ID 09873ea069ed8bb3") || !strings.Contains(out, "* frame 2 ") {
		t.Errorf("--ladder: exit %d:\n%s", code, out)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "|") && len([]rune(l)) > 80 {
			t.Errorf("ladder line wider than --width 80: %q", l)
		}
	}
	_, out, _ = runCLI(t, nil, "--call-id", "nope", loopSample)
	if !strings.Contains(out, "no flow to draw") {
		t.Errorf("--call-id of an absent flow:\n%s", out)
	}
	_, out, _ = runCLI(t, nil, "--call-id", "09873ea069ed8bb3", "--format", "json", loopSample)
	var r diagnose.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Flows) != 1 || r.Flows[0].Total != 32 {
		t.Errorf("--call-id with json: %v %+v", err, r.Flows)
	}
	if code, _, _ := runCLI(t, nil, "--ladder=some", loopSample); code != exitUsage {
		t.Errorf("--ladder=some: exit %d, want usage error", code)
	}
	if code, _, _ := runCLI(t, nil, "--format", "html", "rules"); code != exitUsage {
		t.Errorf("rules --format html: exit %d, want usage error", code)
	}
}

// A ladder from stdin needs the second pass over a copy of stdin.
func TestLadderFromStdin(t *testing.T) {
	data, err := os.ReadFile(loopSample)
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, data, "--format", "markdown", "-")
	if code != exitDiagnoses || !strings.Contains(out, "```text\nCall-ID 09873ea069ed8bb3") || !strings.Contains(out, "* frame 32") {
		t.Errorf("markdown from stdin: exit %d, stderr %s:\n%s", code, stderr, out)
	}
}

func TestRulesCatalogueFormats(t *testing.T) {
	_, out, _ := runCLI(t, nil, "--format", "markdown", "rules")
	var b bytes.Buffer
	diagnose.WriteRuleTable(&b, nil)
	if !strings.HasPrefix(out, b.String()) || !strings.Contains(out, "| AUTH001 | realm-mismatch | critical |") {
		t.Errorf("rules --format markdown:\n%s", out)
	}
	_, out, _ = runCLI(t, nil, "--format", "json", "explain", "AUTH005")
	var docs []diagnose.RuleDoc
	if err := json.Unmarshal([]byte(out), &docs); err != nil || len(docs) != 1 || docs[0].ID != "AUTH005" || len(docs[0].Thresholds) != 2 {
		t.Errorf("explain --format json: %v %+v", err, docs)
	}
}
