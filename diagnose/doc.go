// Package diagnose turns findings into a ranked report: it groups findings
// by subject, merges a root cause with the symptoms it explains, scores and
// orders the diagnoses, and renders the Report as text or JSON. Renderers
// only format; every number they print is computed here first.
package diagnose
