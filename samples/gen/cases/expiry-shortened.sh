# REG002 expiry-shortened: the registrar grants less than the UA asked for.

# carol (SIPp) asks for 3600 s and is granted 30 s, but refreshes only after
# 45 s: the binding lapsed in between (warning).
make_expiry_shortened_late_refresh() {
	start_capture "$1"
	start_kamailio kamailio -A MAX_EXPIRES=30
	run_sipp carol 60 late-refresh.xml 127.0.0.13
	stop_capture
	stop_pid "$KAMAILIO_PID"
}

# Near-miss for the warning: alice (baresip) asks for 3600 s, is granted 30 s
# and follows the grant, refreshing in time (info at most).
make_expiry_shortened_ua_follows_grant() {
	start_capture "$1"
	start_kamailio kamailio -A MAX_EXPIRES=30
	start_ua alice 127.0.0.11 40 "$(UA_REGINT=3600 account alice alice-secret)"
	wait_pid "$LAST_PID" 45
	stop_capture
	stop_pid "$KAMAILIO_PID"
}
