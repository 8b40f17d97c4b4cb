// Package diagnose turns findings into a ranked report: it groups findings
// by subject, merges a root cause with the symptoms it explains, scores and
// orders the diagnoses, redacts secrets (and, on request, pseudonymises
// numbers and hosts), and renders the Report as text, JSON, Markdown or
// HTML, with ladders of the flows a second pass collected. Renderers only
// format; every number they print is computed here first. It also renders
// the rule catalogue, the JSON Schema of the report and the README's
// generated tables.
package diagnose

// Rewrites the README's rule and JSON-field tables and schema/ from the code.
//go:generate go test -run ^(TestREADMEGenerated|TestSchemaMatchesTypes)$ -update
