# AUTH002 challenge-unanswered: a 401 that no request with credentials follows.

# carol (SIPp) registers, is challenged and never answers; bob keeps
# registering next to her, so the capture runs 40 s past the challenge
# (longer than Timer F, 32 s) and can tell.
make_challenge_unanswered_no_credentials() {
	start_capture "$1"
	start_kamailio kamailio -A MAX_EXPIRES=30
	start_ua bob 127.0.0.12 45 "$(account bob bob-secret)"
	local bob=$LAST_PID
	sleep 2
	run_sipp carol 5 no-credentials.xml 127.0.0.13
	sleep 38
	wait_pid "$bob" 10
	stop_capture
	stop_pid "$KAMAILIO_PID"
}

# Near-miss: the same challenge, but the capture stops 8 s later, well inside
# Timer F: the capture cannot tell whether credentials would have followed.
make_challenge_unanswered_capture_ends_early() {
	start_capture "$1"
	start_kamailio kamailio -A MAX_EXPIRES=30
	run_sipp carol 5 no-credentials.xml 127.0.0.13
	sleep 7
	stop_capture
	stop_pid "$KAMAILIO_PID"
}
