# REG001 missing-refresh: a binding that lapses without a refresh.

# alice registers for 30 s and is killed (SIGKILL, so no de-registration) 5 s
# later; 42 s after that bob calls her and Kamailio answers 480 (no binding).
make_missing_refresh_ua_killed() {
	start_capture "$1"
	start_kamailio kamailio -A MAX_EXPIRES=30
	start_ua alice 127.0.0.11 120 "$(account alice alice-secret)"
	local alice=$LAST_PID
	start_ua bob 127.0.0.12 120 "$(account bob bob-secret)"
	local bob=$LAST_PID
	sleep 5
	stop_pid "$alice" KILL
	sleep 42
	baresip_cmd 127.0.0.12 "/dial sip:alice@sip.example.net"
	sleep 3
	stop_pid "$bob"
	stop_capture
	stop_pid "$KAMAILIO_PID"
}

# Near-miss: alice registers for 60 s and the capture stops 15 s later, long
# before the binding could lapse (her later de-registration is not captured).
make_missing_refresh_capture_ends_early() {
	start_capture "$1"
	start_kamailio kamailio -A MAX_EXPIRES=60
	start_ua alice 127.0.0.11 60 "$(UA_REGINT=60 account alice alice-secret)"
	local alice=$LAST_PID
	sleep 15
	stop_capture
	stop_pid "$alice"
	stop_pid "$KAMAILIO_PID"
}
