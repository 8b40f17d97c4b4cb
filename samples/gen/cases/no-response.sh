# TXN001 no-response: requests that nothing answers.

# The registrar drops every REGISTER: alice's REGISTER is retransmitted on
# the RFC 3261 §17.1.2.2 schedule until Timer F (32 s). bob starts at 40 s
# (his REGISTER is dropped too), so the capture goes on past alice's Timer F.
make_no_response_register_dropped() {
	start_capture "$1"
	start_kamailio kamailio -A WITH_DROP_REGISTER
	start_ua alice 127.0.0.11 50 "$(account alice alice-secret)"
	local alice=$LAST_PID
	sleep 40
	start_ua bob 127.0.0.12 5 "$(account bob bob-secret)"
	wait_pid "$LAST_PID" 8
	stop_pid "$alice"
	stop_capture
	stop_pid "$KAMAILIO_PID"
}

# Nothing listens on the registrar's port: every REGISTER bounces with ICMP
# port unreachable. bob starts at 36 s, after alice's Timer F.
make_no_response_port_unreachable() {
	start_capture "$1"
	start_ua alice 127.0.0.11 40 "$(account alice alice-secret)"
	local alice=$LAST_PID
	sleep 36
	start_ua bob 127.0.0.12 3 "$(account bob bob-secret)"
	wait_pid "$LAST_PID" 6
	stop_pid "$alice"
	stop_capture
}

# Near-miss: the same dropped REGISTER, but the capture stops after 10 s,
# inside Timer F: the capture cannot tell.
make_no_response_capture_ends_early() {
	start_capture "$1"
	start_kamailio kamailio -A WITH_DROP_REGISTER
	start_ua alice 127.0.0.11 30 "$(account alice alice-secret)"
	local alice=$LAST_PID
	sleep 10
	stop_capture
	stop_pid "$alice"
	stop_pid "$KAMAILIO_PID"
}
