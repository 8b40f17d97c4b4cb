#!/usr/bin/env bash
# make-text-samples.sh [case...] (re)creates the text samples of the network
# tools under samples/text/{tshark-summary,wireshark-text,ngrep,sngrep}/ from
# the project's own captures (samples/*/*.pcap), with the real tools:
#
#   tshark-summary  tshark -r F -Y sip            (the packet list, one line per packet)
#   wireshark-text  tshark -r F -Y sip -V / -O    (the dissection tree as plain text)
#                   tshark -r F -q -z follow,...  (Follow UDP/TCP stream as ASCII)
#   ngrep           ngrep -I F -W byline|single|normal
#   sngrep          sngrep -I F, then "Save as .txt" (F2) driven through tmux:
#                   sngrep has no command-line text export
#
# Needs tshark, ngrep, sngrep and tmux (apt-get install tshark ngrep sngrep
# tmux); no root, no network. Times are printed in UTC. The .want next to each
# sample is written separately (go test ./cmd/sipdiag -run TestSamples -update,
# then read and checked by hand).
set -euo pipefail

GEN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAMPLES_DIR=$(dirname "$GEN_DIR")
OUT_DIR="$SAMPLES_DIR/text"
export TZ=UTC LC_ALL=C.UTF-8

# name -> "source capture|how"
declare -A CASES=(
	[tshark-summary/register-401-loop]="auth-retry-loop/register-401-loop|tshark"
	[tshark-summary/invite-407-403-loop]="auth-retry-loop/invite-407-403-loop|tshark"
	[tshark-summary/ban-after-burst]="lockout-burst/ban-after-burst|tshark"
	[tshark-summary/one-typo-absolute-time]="auth-retry-loop/one-typo|tshark -t ad"
	[tshark-summary/call]="healthy/call|tshark"
	[tshark-summary/register-challenge-refresh]="healthy/register-challenge-refresh|tshark"
	[tshark-summary/ban-after-burst-port-columns]="lockout-burst/ban-after-burst|tshark -o gui.column.format:\"No.\",\"%m\",\"Time\",\"%t\",\"Source\",\"%us\",\"SrcPort\",\"%uS\",\"Destination\",\"%ud\",\"DstPort\",\"%uD\",\"Protocol\",\"%p\",\"Length\",\"%L\",\"Info\",\"%i\""
	[tshark-summary/invite-407-403-loop-legacy-arrow]="auth-retry-loop/invite-407-403-loop|legacy-arrow"
	[wireshark-text/register-401-loop]="auth-retry-loop/register-401-loop|tshark -O frame,sip"
	[wireshark-text/invite-407-403-loop-with-rows]="auth-retry-loop/invite-407-403-loop|tshark -P -O frame,sip,sdp"
	[wireshark-text/wrong-realm-raw-text]="realm-mismatch/wrong-realm|tshark -V -o sip.display_raw_text:TRUE"
	[wireshark-text/call-sip-only]="healthy/call|tshark -O frame,sip,sdp"
	[wireshark-text/one-typo-follow-udp]="auth-retry-loop/one-typo|follow udp,ascii,0"
	[wireshark-text/register-tcp-follow-tcp]="healthy/register-tcp|follow tcp,ascii,0"
	[ngrep/register-401-loop]="auth-retry-loop/register-401-loop|ngrep -W byline -t"
	[ngrep/ban-after-burst-quiet]="lockout-burst/ban-after-burst|ngrep -W byline -t -q"
	[ngrep/call-single]="healthy/call|ngrep -W single -t -q"
	[ngrep/one-typo-normal]="auth-retry-loop/one-typo|ngrep"
	[ngrep/register-tcp-delta]="healthy/register-tcp|ngrep -W byline -T"
	[sngrep/register-401-loop]="auth-retry-loop/register-401-loop|sngrep"
	[sngrep/wrong-realm]="realm-mismatch/wrong-realm|sngrep"
	[sngrep/call]="healthy/call|sngrep"
	[sngrep/one-typo]="auth-retry-loop/one-typo|sngrep"
)

usage() {
	echo "usage: $0 [case...]" >&2
	echo "cases:" >&2
	printf '  %s\n' "${!CASES[@]}" | sort >&2
}

# sngrep_save PCAP OUT: open the capture in sngrep inside a detached tmux
# session, save all dialogs as .txt (F2, file name, Tab to the ".txt" radio
# button, Space, Enter), then quit. The key sequence matches sngrep 1.6's
# save dialog: Path, Filename, three "Dialogs" buttons, then ".pcap (SIP)",
# ".pcap (SIP + RTP)" (skipped when RTP is not captured) and ".txt".
sngrep_save() {
	local pcap=$1 out=$2 dir name session
	dir=$(mktemp -d /tmp/sipdiag-sngrep.XXXXXX)
	name=export
	session="sipdiag-sngrep-$$"
	tmux new-session -d -s "$session" -x 200 -y 50 "cd '$dir' && exec sngrep -F -I '$pcap'"
	# exec: the pane's process is sngrep itself, so it can be stopped by its
	# PID (a sngrep that loses its terminal ignores the hangup and spins).
	local pid
	pid=$(tmux display-message -p -t "$session" '#{pane_pid}')
	sleep 1.5
	local k
	for k in F2 "$name" Tab Tab Tab Tab Tab Space Enter; do
		tmux send-keys -t "$session" "$k"
		sleep 0.3
	done
	local i
	for i in $(seq 1 20); do
		[ -s "$dir/$name.txt" ] && break
		sleep 0.2
	done
	tmux send-keys -t "$session" Enter
	sleep 0.3
	tmux send-keys -t "$session" Escape
	sleep 0.3
	tmux send-keys -t "$session" q
	sleep 0.5
	tmux kill-session -t "$session" 2>/dev/null || true
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		sleep 0.5
		kill -KILL "$pid" 2>/dev/null || true
	fi
	if [ ! -s "$dir/$name.txt" ]; then
		echo "sngrep did not save $dir/$name.txt for $pcap" >&2
		rm -rf "$dir"
		return 1
	fi
	mv "$dir/$name.txt" "$out"
	rm -rf "$dir"
}

make_case() {
	local c=$1 spec=${CASES[$1]}
	local src=${spec%%|*} how=${spec#*|}
	local pcap="$SAMPLES_DIR/$src.pcap" out="$OUT_DIR/$c.txt"
	mkdir -p "$(dirname "$out")"
	case "$how" in
	tshark*)
		# shellcheck disable=SC2086 # $how holds the options
		tshark -r "$pcap" -Y sip ${how#tshark} 2>/dev/null >"$out"
		;;
	legacy-arrow)
		# tshark 1.x printed " -> " where 2.0 and later print " → ": the
		# same list with the old arrow.
		tshark -r "$pcap" -Y sip 2>/dev/null | sed 's/ → / -> /' >"$out"
		;;
	follow*)
		tshark -r "$pcap" -q -z "follow,${how#follow }" 2>/dev/null >"$out"
		;;
	ngrep*)
		# shellcheck disable=SC2086
		ngrep -I "$pcap" ${how#ngrep} >"$out" 2>/dev/null
		;;
	sngrep)
		sngrep_save "$pcap" "$out"
		;;
	esac
	printf '  %s (%s bytes) from %s by %s\n' "$out" "$(stat -c %s "$out")" "$src.pcap" "$how"
}

main() {
	case "${1:-}" in
	-h | --help) usage; exit 0 ;;
	esac
	local cases=("$@") c
	if [ ${#cases[@]} -eq 0 ]; then
		mapfile -t cases < <(printf '%s\n' "${!CASES[@]}" | sort)
	fi
	for c in "${cases[@]}"; do
		[ -n "${CASES[$c]:-}" ] || { echo "unknown case: $c" >&2; usage; exit 2; }
	done
	for tool in tshark ngrep sngrep tmux; do
		command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
	done
	for c in "${cases[@]}"; do
		make_case "$c"
	done
}

main "$@"
