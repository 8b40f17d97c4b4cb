package diagnose

import (
	"fmt"
	"html"
	"io"
	"strings"
)

// HTMLOptions control the HTML renderer.
type HTMLOptions struct {
	Title string // page title (default "sipdiag report")
}

// WriteHTML renders the report as one self-contained HTML page: inline
// CSS, inline SVG, no script and no external reference, so it opens
// offline, in a ticket system's preview and on paper. Each flow with a
// finding is drawn as an SVG ladder; hovering an arrow shows the message
// (an SVG <title>), clicking it opens the full text below the ladder
// (CSS :target), and the decisive messages are highlighted.
func WriteHTML(w io.Writer, r *Report, opt HTMLOptions) error {
	if opt.Title == "" {
		opt.Title = "sipdiag report"
	}
	var b strings.Builder
	h := htmlWriter{b: &b, r: r, multi: len(r.Inputs) > 1, place: newFlowPlacer(r, 0)}
	h.page(opt)
	_, err := io.WriteString(w, b.String())
	return err
}

type htmlWriter struct {
	b     *strings.Builder
	r     *Report
	multi bool
	place *flowPlacer
	flowN int
}

func (h *htmlWriter) f(format string, args ...any) { fmt.Fprintf(h.b, format, args...) }

var esc = html.EscapeString

const htmlStyle = `
:root{--crit:#c62828;--warn:#b26a00;--info:#1565c0;--ink:#1b1b1b;--mute:#666;--line:#ddd;--hi:#fff3cd}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);margin:0 auto;max-width:1100px;padding:24px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:18px;margin:0 0 8px}
h3{font-size:15px;margin:16px 0 6px}
.headline{font-size:17px;font-weight:600;margin:6px 0 2px}
.seen{color:var(--mute);margin-bottom:18px}
.diag{border:1px solid var(--line);border-left:6px solid var(--info);border-radius:6px;padding:14px 18px;margin:18px 0;page-break-inside:avoid}
.diag.critical{border-left-color:var(--crit)} .diag.warning{border-left-color:var(--warn)}
.sev{display:inline-block;font-size:12px;font-weight:700;color:#fff;background:var(--info);border-radius:3px;padding:1px 6px;margin-right:6px;vertical-align:2px}
.sev.critical{background:var(--crit)} .sev.warning{background:var(--warn)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}
dt{color:var(--mute)} dd{margin:0}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}
th,td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f5f5f5}
td.nw{white-space:nowrap}
code,pre,.mono{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12.5px}
td code{white-space:pre-wrap;word-break:break-all}
.filters code{background:#f3f3f3;padding:1px 4px;border-radius:3px;user-select:all}
.ladder{overflow-x:auto;margin:8px 0}
.ladder svg{display:block;max-width:none}
.ladder .host{font:600 12px system-ui,sans-serif;fill:var(--ink)}
.ladder .life{stroke:#999;stroke-dasharray:4 3}
.ladder .gut{font:11px "DejaVu Sans Mono",monospace;fill:var(--mute)}
.ladder .lbl{font:12px system-ui,sans-serif;fill:var(--ink)}
.ladder .arrow{stroke:#455a64;stroke-width:1.4}
.ladder a.dec .arrow{stroke:var(--crit);stroke-width:2.4}
.ladder a.dec .lbl{fill:var(--crit);font-weight:700}
.ladder .band{fill:transparent}
.ladder a.dec .band{fill:var(--hi)}
.ladder a:hover .band{fill:#e3f2fd}
.msg{display:none;border:1px solid var(--line);border-radius:4px;margin:6px 0;padding:6px 10px;background:#fafafa}
.msg:target{display:block;outline:2px solid var(--info)}
.msg pre{white-space:pre-wrap;word-break:break-all;margin:4px 0 0}
.note{color:var(--mute);font-size:13px}
.toc{padding-left:20px;margin:4px 0 12px}.toc li{margin:3px 0}.toc a{color:inherit;text-decoration:none}
footer{margin-top:28px;color:var(--mute);font-size:13px;border-top:1px solid var(--line);padding-top:8px}
@media print{body{max-width:none;padding:0}.ladder{overflow:visible}.ladder svg{max-width:100%;height:auto}
 .msg.dec{display:block;page-break-inside:avoid}.msg:target{outline:none} a{color:inherit;text-decoration:none}}
`

func (h *htmlWriter) page(opt HTMLOptions) {
	r := h.r
	h.f("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	h.f("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	h.f("<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n", esc(opt.Title), htmlStyle)
	h.f("<h1>%s</h1>\n<div class=\"headline\">%s</div>\n<div class=\"seen\">%s</div>\n", esc(opt.Title), esc(headline(r)), esc(seenLine(r)))
	if len(r.Diagnoses) > 1 {
		h.f("<ol class=\"toc\">")
		for _, d := range r.Diagnoses {
			h.f("<li><a href=\"#d%d\"><span class=\"sev %s\">%s</span>%s</a> <span class=\"note\">%s</span></li>",
				d.Rank, esc(d.Severity), esc(strings.ToUpper(d.Severity)), esc(d.Title), esc(d.Subject))
		}
		h.f("</ol>\n")
	}
	for i := range r.Diagnoses {
		h.diagnosis(&r.Diagnoses[i])
	}
	if others := h.place.others(); len(others) > 0 {
		h.f("<section class=\"diag\"><h2>Other flows</h2>\n")
		for _, fl := range others {
			h.ladder(fl)
		}
		h.f("</section>\n")
	}
	h.inputs()
	h.f("<footer>%s Generated by sipdiag (report schema v%d).</footer>\n</body>\n</html>\n", esc(strings.ReplaceAll(redactionNote(r), "**", "")), r.SchemaVersion)
}

func (h *htmlWriter) diagnosis(d *Diagnosis) {
	h.f("<section class=\"diag %s\" id=\"d%d\">\n<h2><span class=\"sev %s\">%s</span>%d. %s</h2>\n", esc(d.Severity), d.Rank, esc(d.Severity),
		esc(strings.ToUpper(d.Severity)), d.Rank, esc(d.Title))
	h.f("<dl><dt>Subject</dt><dd><code>%s</code></dd><dt>Confidence</dt><dd>%s</dd><dt>Rules</dt><dd>%s</dd>",
		esc(d.Subject), esc(d.Confidence), esc(strings.Join(d.Rules, ", ")))
	h.f("<dt>Cause</dt><dd>%s</dd><dt>Fix</dt><dd>%s</dd>", esc(oneLine(d.Cause)), esc(oneLine(d.Fix)))
	for _, f := range d.Findings {
		if f.Role == "symptom" {
			h.f("<dt>Symptom</dt><dd>%s %s: %s</dd>", esc(f.Rule), esc(f.Name), esc(oneLine(f.Message)))
		}
	}
	h.f("</dl>\n<h3>Evidence</h3>\n<table><tr><th>Rule</th><th>Where</th><th>Time</th><th>From → To</th><th>Message</th><th>Decisive header</th></tr>\n")
	for _, f := range d.Findings {
		for _, e := range f.Evidence {
			h.f("<tr><td class=\"nw\">%s</td><td class=\"nw\">%s</td><td class=\"mono nw\">%s</td><td class=\"mono\">%s</td><td>%s</td><td><code>%s</code></td></tr>\n",
				esc(f.Rule), esc(location(e.At, h.multi)), esc(clock(e.At.Time)), esc(e.fromTo()), esc(e.Summary), esc(e.Note))
		}
	}
	h.f("</table>\n")
	if d.FindingsNotShown > 0 {
		h.f("<p class=\"note\">%s</p>\n", esc(notShown(d)))
	}
	filters := diagnosisFilters(d)
	if len(filters) > 0 {
		h.f("<h3>Wireshark display filters</h3>\n<ul class=\"filters\">")
		for _, flt := range filters {
			h.f("<li><code>%s</code></li>", esc(flt))
		}
		h.f("</ul>\n")
	}
	placed, _ := h.place.under(d.Rank) // no limit: HTML draws every flow
	for _, p := range placed {
		if p.drawnUnder > 0 {
			h.f("<p class=\"note\">Ladder of Call-ID <code>%s</code>: see diagnosis %d.</p>\n", esc(p.flow.CallID), p.drawnUnder)
			continue
		}
		h.ladder(p.flow)
	}
	h.f("</section>\n")
}

// SVG ladder geometry, in pixels.
const (
	svgGutter = 190  // frame and time on the left
	svgWidth  = 1040 // what the page offers; columns spread to fill it
	svgMinGap = 210  // between host columns: room for "403 Forbidden - …"
	svgMaxGap = 420
	svgTop    = 46 // host names
	svgRow    = 30
	svgPad    = 90 // right margin: room for the last host's name
)

func (h *htmlWriter) ladder(fl *Flow) {
	h.flowN++
	id := fmt.Sprintf("f%d", h.flowN)
	h.f("<h3>Ladder: Call-ID <code>%s</code>", esc(fl.CallID))
	if len(fl.Diagnoses) > 0 {
		h.f(" <span class=\"note\">(diagnosis %s)</span>", esc(joinInts(fl.Diagnoses)))
	}
	h.f("</h3>\n")
	n := max(len(fl.Hosts), 1)
	gap := svgMaxGap
	if n > 1 {
		gap = min(max((svgWidth-svgGutter-svgPad-40)/(n-1), svgMinGap), svgMaxGap)
	}
	width := svgGutter + (n-1)*gap + svgPad + 40
	height := svgTop + len(fl.Messages)*svgRow + 16
	x := func(col int) int { return svgGutter + 40 + col*gap }
	h.f("<div class=\"ladder\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"SIP ladder of Call-ID %s\">\n",
		width, height, width, height, esc(fl.CallID))
	h.f("<defs><marker id=\"%s-a\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"#455a64\"/></marker>", id)
	h.f("<marker id=\"%s-d\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"#c62828\"/></marker></defs>\n", id)
	h.f("<text class=\"gut\" x=\"4\" y=\"%d\">%s</text><text class=\"gut\" x=\"100\" y=\"%d\">time (UTC)</text>\n", svgTop-14, esc(h.whereWord()), svgTop-14)
	for i, host := range fl.Hosts {
		h.f("<text class=\"host\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>", x(i), svgTop-24, esc(host))
		h.f("<line class=\"life\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", x(i), svgTop-16, x(i), height-4)
	}
	for i, m := range fl.Messages {
		y := svgTop + i*svgRow + svgRow/2
		cls := ""
		marker := id + "-a"
		if m.Decisive {
			cls = " class=\"dec\""
			marker = id + "-d"
		}
		h.f("<a href=\"#%s-m%d\"%s><title>%s</title>", id, i+1, cls, esc(tooltip(&m, h.multi)))
		h.f("<rect class=\"band\" x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\"/>", y-svgRow/2+1, width, svgRow-2)
		h.f("<text class=\"gut\" x=\"4\" y=\"%d\">%s</text><text class=\"gut\" x=\"100\" y=\"%d\">%s</text>",
			y+4, esc(gutterLocation(m.At)), y+4, esc(clock(m.At.Time)))
		x1, x2 := x(m.From), x(m.To)
		if m.From == m.To {
			h.f("<path class=\"arrow\" fill=\"none\" d=\"M%d,%d h30 v10 h-28\" marker-end=\"url(#%s)\"/>", x1, y-6, marker)
			h.f("<text class=\"lbl\" x=\"%d\" y=\"%d\">%s</text>", x1+36, y+2, esc(m.Label))
		} else {
			h.f("<line class=\"arrow\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" marker-end=\"url(#%s)\"/>", x1, y+4, x2, y+4, marker)
			h.f("<text class=\"lbl\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>", (x1+x2)/2, y-1, esc(m.Label))
		}
		h.f("</a>\n")
	}
	h.f("</svg></div>\n")
	if fl.Total > int64(len(fl.Messages)) {
		h.f("<p class=\"note\">%d more messages of this flow are not shown (capped at %d).</p>\n", fl.Total-int64(len(fl.Messages)), len(fl.Messages))
	}
	for i, m := range fl.Messages {
		cls := "msg"
		if m.Decisive {
			cls += " dec"
		}
		h.f("<div class=\"%s\" id=\"%s-m%d\"><strong>%s</strong> <span class=\"mono\">%s %s → %s</span>", cls, id, i+1,
			esc(m.Label), esc(location(m.At, h.multi)+" "+clock(m.At.Time)), esc(m.Src), esc(m.Dst))
		if m.Text != "" {
			h.f("<pre>%s</pre>", esc(strings.TrimRight(m.Text, "\r\n")))
		}
		h.f("</div>\n")
	}
}

func (h *htmlWriter) whereWord() string {
	for _, fl := range h.r.Flows {
		for _, m := range fl.Messages {
			if m.At.Frame > 0 {
				return "frame"
			}
		}
	}
	return "line"
}

// gutterLocation is location without the file name, for an SVG ladder's
// narrow first column: the ladder's heading already names the flow.
func gutterLocation(l Location) string {
	switch {
	case l.Frame > 0:
		return fmt.Sprintf("frame %d", l.Frame)
	case l.Line > 0:
		return fmt.Sprintf("line %d", l.Line)
	}
	return "-"
}

// tooltip is what hovering an arrow shows: the head of the message.
func tooltip(m *FlowMessage, multi bool) string {
	s := fmt.Sprintf("%s  %s → %s  %s", location(m.At, multi), m.Src, m.Dst, clock(m.At.Time))
	if m.Text == "" {
		return s + "\n" + m.Label
	}
	lines := strings.Split(strings.ReplaceAll(m.Text, "\r\n", "\n"), "\n")
	if len(lines) > 25 {
		lines = append(lines[:25], "… (click for the whole message)")
	}
	return s + "\n" + strings.Join(lines, "\n")
}

func (h *htmlWriter) inputs() {
	r := h.r
	h.f("<section><h2>Inputs</h2>\n<table><tr><th>File</th><th>Format</th><th>Read</th><th>SIP messages</th><th>Problems</th></tr>\n")
	for _, in := range r.Inputs {
		h.f("<tr><td>%s</td><td>%s</td><td>%s</td><td>%d</td><td>%d</td></tr>\n", esc(in.Name), esc(in.Format), esc(in.ReadCount()), in.Messages, in.Problems)
	}
	h.f("</table>\n<p>Seen: %s.</p>\n<h2>What could not be judged</h2>\n", esc(countsLine(r.Summary)))
	if len(r.Undecided) == 0 && r.ProblemsTotal == 0 {
		h.f("<p>Nothing: every rule could decide, and all input was readable.</p>\n")
	}
	if len(r.Undecided) > 0 {
		h.f("<ul>")
		for _, u := range r.Undecided {
			h.f("<li><strong>%s %s:</strong> %s</li>", esc(u.Rule), esc(u.Name), esc(oneLine(u.Message)))
		}
		h.f("</ul>\n")
	}
	if r.ProblemsTotal > 0 {
		h.f("<p>%d input problems (malformed or unreadable input):</p>\n<ul>", r.ProblemsTotal)
		for i, p := range r.Problems {
			if i == problemsShown {
				h.f("<li>… and %d more (all of them in --format json)</li>", r.ProblemsTotal-problemsShown)
				break
			}
			h.f("<li><span class=\"mono\">%s</span> %s</li>", esc(location(p.At, h.multi)), esc(oneLine(p.Message)))
		}
		h.f("</ul>\n")
	}
	h.f("</section>\n")
}
