package diagnose

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// The JSON contract is the Go types of report.go. The JSON Schema in
// schema/ and the README's field table are generated from them by
// reflection plus fieldDocs, so neither can drift from what WriteJSON
// prints: a field without a line here fails the tests.

type fieldDoc struct {
	doc  string
	enum []string
}

var fieldDocs = map[string]fieldDoc{
	"Report.schema_version":        {doc: "version of this contract; fields may be added without a bump, renaming or removing one bumps it"},
	"Report.inputs":                {doc: "each input file (or stdin) in command-line order"},
	"Report.diagnoses":             {doc: "the diagnoses, best-ranked first"},
	"Report.summary":               {doc: "what the inputs held"},
	"Report.problems":              {doc: "the first input problems (malformed or unreadable input), capture-level ones first"},
	"Report.problems_total":        {doc: "how many problems there were, listed or not"},
	"Report.undecided":             {doc: "what a rule could not tell because of the capture itself (it ended before a deadline)"},
	"Report.redacted":              {doc: "digest nonces, cnonces, responses, opaque values and configuration passwords are replaced by \"<redacted>\""},
	"Report.pseudonymised_numbers": {doc: "phone numbers are replaced by tokens num-1, num-2… (the same number, the same token)"},
	"Report.pseudonymised_hosts":   {doc: "IP addresses are replaced by tokens ip-1, ip-2… (the same address, the same token)"},
	"Report.flows":                 {doc: "message sequences for ladders; present only when a ladder was asked for (--ladder, or markdown/html)"},

	"Input.name":             {doc: "the file name as given; \"-\" for stdin"},
	"Input.format":           {doc: "the format recognised: pcap, pcapng, … (\"+gzip\"/\"+zstd\" when compressed), or \"text/<name>\" for a text log (`sipdiag formats`)"},
	"Input.frames":           {doc: "frames read (captures; 0 for text logs)"},
	"Input.lines":            {doc: "lines read (text logs only)"},
	"Input.summary_messages": {doc: "messages rebuilt from one-line packet summaries (a pasted tshark packet list): they carry no headers, so header-level checks could not run on them"},
	"Input.messages":         {doc: "SIP messages found"},
	"Input.problems":         {doc: "problems recorded for this input"},

	"Diagnosis.rank":               {doc: "1 for the most important diagnosis"},
	"Diagnosis.title":              {doc: "what is wrong, in one line (the root rule's title)"},
	"Diagnosis.severity":           {doc: "the highest severity of its findings", enum: []string{"critical", "warning", "info"}},
	"Diagnosis.confidence":         {doc: "how sure the root cause is, given what the capture shows", enum: []string{"high", "medium", "low"}},
	"Diagnosis.subject":            {doc: "the account (AOR), Call-ID or peer it is about"},
	"Diagnosis.cause":              {doc: "the root finding's message in plain words"},
	"Diagnosis.fix":                {doc: "what to change"},
	"Diagnosis.score":              {doc: "severity × confidence × reach; what the ranking sorts by"},
	"Diagnosis.rules":              {doc: "IDs of every rule involved, the root cause first"},
	"Diagnosis.findings":           {doc: fmt.Sprintf("the root finding(s) first, then the symptoms it explains; at most %d of each kind", FindingsShown)},
	"Diagnosis.findings_not_shown": {doc: fmt.Sprintf("findings left out of findings beyond %d causes and %d symptoms (absent when none); severity, confidence, score and rules count them too", FindingsShown, FindingsShown)},

	"Finding.rule":         {doc: "rule ID, e.g. AUTH001"},
	"Finding.name":         {doc: "rule slug, e.g. realm-mismatch"},
	"Finding.role":         {doc: "whether this finding is the cause or a symptom explained by it", enum: []string{"cause", "symptom"}},
	"Finding.severity":     {doc: "the rule's severity", enum: []string{"critical", "warning", "info"}},
	"Finding.confidence":   {doc: "how sure this finding is", enum: []string{"high", "medium", "low"}},
	"Finding.message":      {doc: "what the rule saw, with the values that show it"},
	"Finding.at":           {doc: "the message the finding is anchored on"},
	"Finding.evidence":     {doc: "the messages the finding rests on"},
	"Finding.filter":       {doc: "Wireshark display filter isolating the finding's flows by Call-ID"},
	"Finding.call_ids":     {doc: "the Call-IDs of the flows involved (redacted like the rest)"},
	"Finding.frames":       {doc: "Wireshark frame numbers of the evidence in the finding's input (empty for text inputs)"},
	"Finding.frame_filter": {doc: "Wireshark display filter selecting exactly those frames: frame.number in {…}"},

	"Location.input": {doc: "the input's name"},
	"Location.frame": {doc: "frame number as Wireshark shows it; 0 for text inputs"},
	"Location.line":  {doc: "1-based line in a text input; 0 for captures"},
	"Location.time":  {doc: "capture time, RFC 3339 UTC with microseconds; empty when the input has none"},

	"Evidence.at":      {doc: "where the message is"},
	"Evidence.src":     {doc: "sender ip:port (absent when unknown)"},
	"Evidence.dst":     {doc: "receiver ip:port (absent when unknown)"},
	"Evidence.summary": {doc: "the start line in short: \"401 Unauthorized\", \"REGISTER sip:example.com\""},
	"Evidence.note":    {doc: "the decisive header values and what they show"},

	"Summary.messages":         {doc: "SIP messages correlated"},
	"Summary.transactions":     {doc: "transactions (RFC 3261 §17)"},
	"Summary.dialogs":          {doc: "dialogs"},
	"Summary.registrations":    {doc: "registrations (per AOR and registrar)"},
	"Summary.auth_exchanges":   {doc: "digest challenge/answer exchanges"},
	"Summary.retransmissions":  {doc: "retransmitted requests and responses"},
	"Summary.orphan_responses": {doc: "responses whose request is not in the capture"},
	"Summary.icmp_errors":      {doc: "ICMP destination-unreachable errors quoting SIP"},
	"Summary.span":             {doc: "first and last message time"},
	"Summary.critical":         {doc: "diagnoses of severity critical"},
	"Summary.warning":          {doc: "diagnoses of severity warning"},
	"Summary.info":             {doc: "diagnoses of severity info"},

	"Span.first":   {doc: "first message time (RFC 3339 UTC); empty without timestamps"},
	"Span.last":    {doc: "last message time"},
	"Span.seconds": {doc: "last − first in seconds (millisecond precision)"},

	"Problem.at":      {doc: "where the input could not be read"},
	"Problem.message": {doc: "what was wrong (with the byte offset when known)"},

	"Undecided.rule":    {doc: "rule ID"},
	"Undecided.name":    {doc: "rule slug"},
	"Undecided.message": {doc: "what it could not tell, and why"},

	"Flow.call_id":   {doc: "the flow's Call-ID (redacted like the rest)"},
	"Flow.hosts":     {doc: "the ladder's columns left to right: an IP address, or ip:port when one IP uses several ports in the flow"},
	"Flow.messages":  {doc: "the flow's messages in capture order (capped)"},
	"Flow.total":     {doc: "messages of this Call-ID in the inputs; more than the messages listed when capped"},
	"Flow.diagnoses": {doc: "ranks of the diagnoses whose findings name this flow"},

	"FlowMessage.at":       {doc: "where the message is"},
	"FlowMessage.src":      {doc: "sender ip:port"},
	"FlowMessage.dst":      {doc: "receiver ip:port"},
	"FlowMessage.from":     {doc: "index of the sender's column in hosts"},
	"FlowMessage.to":       {doc: "index of the receiver's column in hosts"},
	"FlowMessage.label":    {doc: "method or status: \"REGISTER\", \"401 Unauthorized\", \"ICMP port unreachable\""},
	"FlowMessage.cseq":     {doc: "the CSeq header value"},
	"FlowMessage.decisive": {doc: "the message is evidence of a finding"},
	"FlowMessage.text":     {doc: "the whole message (redacted, capped); only in HTML-bound runs"},
}

// JSONSchema returns the JSON Schema (draft 2020-12) of the report.
func JSONSchema() ([]byte, error) {
	g := schemaGen{defs: map[string]any{}}
	root := g.object(reflect.TypeOf(Report{}))
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = "https://github.com/sipdiag/sipdiag/schema/report-v1.schema.json"
	root["title"] = "sipdiag report"
	root["description"] = fmt.Sprintf("Output of `sipdiag --format json`, schema_version %d.", SchemaVersion)
	root["$defs"] = g.defs
	if len(g.missing) > 0 {
		return nil, fmt.Errorf("fields without documentation in fieldDocs: %s", strings.Join(g.missing, ", "))
	}
	out, err := json.MarshalIndent(root, "", "  ")
	return append(out, '\n'), err
}

type schemaGen struct {
	defs    map[string]any
	missing []string
}

// FieldRow is one line of the README's field table.
type FieldRow struct {
	Path, Type, Doc string
}

// jsonFields lists a struct type's JSON fields: name, type, omitempty.
func jsonFields(t reflect.Type) []reflect.StructField {
	var out []reflect.StructField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || f.Tag.Get("json") == "-" {
			continue
		}
		out = append(out, f)
	}
	return out
}

func tagName(f reflect.StructField) (string, bool) {
	tag := f.Tag.Get("json")
	name, opts, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name, strings.Contains(opts, "omitempty")
}

func (g *schemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	for _, f := range jsonFields(t) {
		name, omit := tagName(f)
		p := g.typeOf(f.Type)
		d, ok := fieldDocs[t.Name()+"."+name]
		if !ok {
			g.missing = append(g.missing, t.Name()+"."+name)
		}
		p["description"] = d.doc
		if len(d.enum) > 0 {
			p["enum"] = d.enum
		}
		props[name] = p
		if !omit {
			required = append(required, name)
		}
	}
	sort.Strings(required)
	return map[string]any{"type": "object", "properties": props, "required": required}
}

// jsonType is the JSON Schema type of a Go kind the report uses; "" for
// the others.
func jsonType(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "integer"
	case reflect.Float64:
		return "number"
	case reflect.Struct:
		return "object"
	}
	return ""
}

func (g *schemaGen) typeOf(t reflect.Type) map[string]any {
	switch t.Kind() {
	case reflect.Slice:
		return map[string]any{"type": "array", "items": g.typeOf(t.Elem())}
	case reflect.Struct:
		if _, ok := g.defs[t.Name()]; !ok {
			g.defs[t.Name()] = nil // placeholder against recursion
			g.defs[t.Name()] = g.object(t)
		}
		return map[string]any{"$ref": "#/$defs/" + t.Name()}
	}
	if typ := jsonType(t.Kind()); typ != "" {
		return map[string]any{"type": typ}
	}
	panic("schema: unsupported kind " + t.Kind().String()) // a programming error in report.go, caught by the tests
}

// FieldTable lists every JSON field with its path, type and meaning, in
// the order the report prints them: the README's field table. A struct
// type is expanded where it first appears; later uses point there.
func FieldTable() []FieldRow {
	var rows []FieldRow
	described := map[reflect.Type]string{}
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for _, f := range jsonFields(t) {
			name, omit := tagName(f)
			ft, suffix := f.Type, ""
			for ft.Kind() == reflect.Slice {
				suffix += "[]"
				ft = ft.Elem()
			}
			path := prefix + name + suffix
			typ := jsonType(ft.Kind())
			if typ == "" {
				typ = "string"
			}
			if suffix != "" {
				typ = "array of " + typ
			}
			d := fieldDocs[t.Name()+"."+name]
			doc := d.doc
			if len(d.enum) > 0 {
				doc += ": " + strings.Join(d.enum, ", ")
			}
			if omit {
				doc += " (may be absent)"
			}
			first, seen := described[ft]
			if ft.Kind() == reflect.Struct && seen {
				doc += " (fields as in `" + first + "`)"
			}
			rows = append(rows, FieldRow{Path: path, Type: typ, Doc: doc})
			if ft.Kind() == reflect.Struct && !seen {
				described[ft] = path
				walk(ft, path+".")
			}
		}
	}
	walk(reflect.TypeOf(Report{}), "")
	return rows
}
