package diagnose

import (
	"bytes"
	"encoding/json"
	"io"
)

// WriteJSON renders the report as indented JSON (schema SchemaVersion).
// The bytes are those of a json.Encoder with SetIndent("", "  ") and
// SetEscapeHTML(false); the encoder is asked for compact JSON and the
// indentation is added by indentJSON, since the Encoder's own pass runs
// the full JSON scanner over every byte and cost more than the encoding
// itself.
func WriteJSON(w io.Writer, r *Report) error {
	var compact bytes.Buffer
	enc := json.NewEncoder(&compact)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return err
	}
	_, err := w.Write(indentJSON(make([]byte, 0, 2*compact.Len()), compact.Bytes()))
	return err
}

// indentJSON appends src, compact JSON as encoding/json writes it (no
// whitespace outside strings, valid), to dst indented as json.Indent does
// with no prefix and two spaces: a line per element and member, ": "
// after a name, and an empty object or array kept as {} or []. Bytes
// after the value (the Encoder's newline) are copied. It does not check
// src: given anything but valid compact JSON its output is unspecified,
// but it never reads out of bounds.
func indentJSON(dst, src []byte) []byte {
	depth := 0
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '"':
			end := stringEnd(src, i+1)
			dst = append(dst, src[i:end]...)
			i = end - 1
		case '{', '[':
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, c, src[i+1])
				i++
				continue
			}
			depth++
			dst = append(dst, c)
			dst = appendIndentLine(dst, depth)
		case ',':
			dst = append(dst, c)
			dst = appendIndentLine(dst, depth)
		case ':':
			dst = append(dst, ':', ' ')
		case '}', ']':
			depth--
			dst = appendIndentLine(dst, depth)
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// stringEnd is the index just past the quote closing the JSON string whose
// contents start at src[from] (len(src) when it is not closed): the first
// quote not escaped, i.e. not preceded by an odd run of backslashes.
func stringEnd(src []byte, from int) int {
	for j := from; j < len(src); {
		k := bytes.IndexByte(src[j:], '"')
		if k < 0 {
			return len(src)
		}
		q := j + k
		n := 0
		for b := q - 1; b >= from && src[b] == '\\'; b-- {
			n++
		}
		if n%2 == 0 {
			return q + 1
		}
		j = q + 1
	}
	return len(src)
}

// appendIndentLine appends a newline and depth levels of two spaces.
func appendIndentLine(dst []byte, depth int) []byte {
	const spaces = "                                "
	dst = append(dst, '\n')
	if 2*depth <= len(spaces) {
		return append(dst, spaces[:max(2*depth, 0)]...)
	}
	for ; depth > 0; depth-- {
		dst = append(dst, ' ', ' ')
	}
	return dst
}
