#!/usr/bin/env bash
# make-samples.sh [case...] (re)creates the sample captures under samples/
# with real SIP software: Kamailio (registrar/proxy with digest auth),
# baresip and SIPp as user agents, tcpdump writing the pcap.
#
# Needs root: everything runs in a private network namespace that has only
# its own loopback, so nothing leaves the machine. Each UA gets its own
# 127.0.0.x address; the registrar is 127.0.0.1:5060.
#
# A case is named <rule-slug>/<case> and lands in samples/<rule-slug>/<case>.pcap.
# With no arguments every case is made (about 10 minutes, mostly waiting for
# registrations to expire). Runs are real: timings, nonces and Call-IDs change
# from run to run, the diagnoses do not.
set -u

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for f in "$GEN_DIR"/cases/*.sh; do
	source "$f"
done

ALL_CASES=(
	healthy/register-challenge-refresh
	healthy/call
	healthy/register-tcp
	realm-mismatch/wrong-realm
	realm-mismatch/realm-changed
	realm-mismatch/realm-changed-answered
	auth-retry-loop/register-401-loop
	auth-retry-loop/invite-407-403-loop
	auth-retry-loop/one-typo
	lockout-burst/ban-after-burst
	lockout-burst/failures-no-ban
	missing-refresh/ua-killed
	missing-refresh/capture-ends-early
	challenge-unanswered/no-credentials
	challenge-unanswered/capture-ends-early
	expiry-shortened/late-refresh
	expiry-shortened/ua-follows-grant
	interval-too-brief/retry-too-short
	interval-too-brief/ua-raises-expiry
	registration-rejected/forbidden-source
	registration-rejected/unknown-domain
	no-response/register-dropped
	no-response/port-unreachable
	no-response/capture-ends-early
	server-overload/capacity-503
	call-rejected/unallocated-number
	call-rejected/caller-cancels
	capture-incomplete/one-direction
)

usage() {
	echo "usage: $0 [case...]   (needs root)" >&2
	echo "cases:" >&2
	printf '  %s\n' "${ALL_CASES[@]}" >&2
}

# case_function healthy/call -> make_healthy_call
case_function() {
	local name=${1//\//_}
	echo "make_${name//-/_}"
}

main() {
	case "${1:-}" in
	-h | --help) usage; exit 0 ;;
	esac
	local cases=("$@")
	[ ${#cases[@]} -gt 0 ] || cases=("${ALL_CASES[@]}")
	local c
	for c in "${cases[@]}"; do
		if ! declare -F "$(case_function "$c")" >/dev/null; then
			echo "unknown case: $c" >&2
			usage
			exit 2
		fi
	done

	require_root
	ns_up
	local made=()
	for c in "${cases[@]}"; do
		local out="$SAMPLES_DIR/$c.pcap"
		log "making $c"
		"$(case_function "$c")" "$out"
		made+=("$out")
	done
	cleanup
	trap - EXIT INT TERM

	echo "captures written:"
	for c in "${made[@]}"; do
		printf '  %s (%s bytes, %s SIP messages)\n' "$c" "$(stat -c %s "$c")" \
			"$(tshark -r "$c" -Y sip 2>/dev/null | wc -l)"
	done
}

main "$@"
