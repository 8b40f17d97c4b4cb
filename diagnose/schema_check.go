package diagnose

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// ValidateJSON checks doc against the subset of JSON Schema that
// JSONSchema emits (type, properties, required, items, $ref, enum), and
// strictly: a property the schema does not list is an error too, so a
// field added to the output without a schema update is caught.
func ValidateJSON(schema map[string]any, doc []byte) []string {
	var v any
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return []string{err.Error()}
	}
	defs, _ := schema["$defs"].(map[string]any)
	var errs []string
	var check func(s map[string]any, v any, path string)
	check = func(s map[string]any, v any, path string) {
		if ref, ok := s["$ref"].(string); ok {
			check(defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any), v, path)
			return
		}
		if enum, ok := s["enum"].([]any); ok {
			found := false
			for _, e := range enum {
				found = found || fmt.Sprint(e) == fmt.Sprint(v)
			}
			if !found {
				errs = append(errs, fmt.Sprintf("%s: %v not in %v", path, v, enum))
			}
		}
		switch s["type"] {
		case "object":
			obj, ok := v.(map[string]any)
			if !ok {
				errs = append(errs, path+": want object")
				return
			}
			props, _ := s["properties"].(map[string]any)
			req, _ := s["required"].([]any)
			for _, r := range req {
				if _, ok := obj[r.(string)]; !ok {
					errs = append(errs, fmt.Sprintf("%s: missing required %q", path, r))
				}
			}
			keys := make([]string, 0, len(obj))
			for k := range obj {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				ps, ok := props[k].(map[string]any)
				if !ok {
					errs = append(errs, path+"."+k+": not in the schema")
					continue
				}
				check(ps, obj[k], path+"."+k)
			}
		case "array":
			arr, ok := v.([]any)
			if !ok {
				errs = append(errs, path+": want array")
				return
			}
			for i, e := range arr {
				check(s["items"].(map[string]any), e, fmt.Sprintf("%s[%d]", path, i))
			}
		case "string":
			if _, ok := v.(string); !ok {
				errs = append(errs, path+": want string")
			}
		case "boolean":
			if _, ok := v.(bool); !ok {
				errs = append(errs, path+": want boolean")
			}
		case "integer", "number":
			n, ok := v.(json.Number)
			if !ok {
				errs = append(errs, fmt.Sprintf("%s: want %s", path, s["type"]))
				return
			}
			if s["type"] == "integer" {
				if _, err := n.Int64(); err != nil {
					errs = append(errs, path+": want integer")
				}
			}
		}
	}
	check(schema, v, "$")
	return errs
}
