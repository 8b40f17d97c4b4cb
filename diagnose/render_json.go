package diagnose

import (
	"encoding/json"
	"io"
)

// WriteJSON renders the report as indented JSON (schema SchemaVersion).
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
