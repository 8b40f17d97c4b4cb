# REG003 interval-too-brief: 423 Interval Too Brief with Min-Expires.

# carol (SIPp) asks for 5 s, the registrar wants at least 20 s (423,
# Min-Expires: 20); she retries with 5 s again and gives up.
make_interval_too_brief_retry_too_short() {
	start_capture "$1"
	start_kamailio kamailio -A MIN_EXPIRES=20 -A MAX_EXPIRES=60
	run_sipp carol 20 too-brief-retry.xml 127.0.0.13
	stop_capture
	stop_pid "$KAMAILIO_PID"
}

# Near-miss: alice (baresip) asks for 10 s, gets 423 with Min-Expires: 20 and
# retries with 20 s as RFC 3261 §10.2.8 says: registered.
make_interval_too_brief_ua_raises_expiry() {
	start_capture "$1"
	start_kamailio kamailio -A MIN_EXPIRES=20 -A MAX_EXPIRES=60
	start_ua alice 127.0.0.11 8 "$(UA_REGINT=10 account alice alice-secret)"
	wait_pid "$LAST_PID" 12
	stop_capture
	stop_pid "$KAMAILIO_PID"
}
