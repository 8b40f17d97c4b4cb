#!/usr/bin/env bash
# render-html.sh [OUTDIR] renders the HTML report of every sample under
# samples/ to OUTDIR/<sample>.html and, with headless Chromium, to
# OUTDIR/<sample>.png, so the reports can be looked at as a browser shows
# them. Needs Debian's chromium (apt-get install -y chromium).
# Extra sipdiag flags can be passed in SIPDIAG_FLAGS (e.g. "--redact-hosts").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/out/html"}
mkdir -p "$out"
chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chrome" ]; then
	echo "render-html.sh: no chromium found (apt-get install -y chromium)" >&2
	exit 2
fi
bin="$out/sipdiag"
(cd "$root" && go build -o "$bin" ./cmd/sipdiag)
find "$root/samples" -path "$root/samples/gen" -prune -o -type f \
	! -name '*.want' ! -name '*.md' -print | sort | while read -r f; do
	rel=${f#"$root/samples/"}
	name=${rel//\//__}
	name=${name%.*}
	# exit 1 means diagnoses were found; only 2 and 3 are failures
	if ! "$bin" --format html --fail-on none ${SIPDIAG_FLAGS:-} "$f" >"$out/$name.html" 2>"$out/$name.err"; then
		echo "skip $rel: $(head -c 200 "$out/$name.err")"
		rm -f "$out/$name.html"
		continue
	fi
	# A tall window so the whole report fits; Chromium crops to it.
	"$chrome" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
		--disable-extensions --window-size=1200,3000 \
		--screenshot="$out/$name.png" "file://$out/$name.html" >/dev/null 2>&1
	echo "$rel -> $out/$name.png"
done
