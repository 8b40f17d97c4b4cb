# INV001 call-rejected: an INVITE that ends in a final failure.

# alice calls sip:nobody@: after the 407 and her credentials, the proxy
# answers 404 with Reason: Q.850;cause=1 (unallocated number).
make_call_rejected_unallocated_number() {
	start_capture "$1"
	start_kamailio kamailio -A MAX_EXPIRES=30
	start_ua alice 127.0.0.11 10 "$(account alice alice-secret)"
	local alice=$LAST_PID
	sleep 2
	baresip_cmd 127.0.0.11 "/dial sip:nobody@sip.example.net"
	wait_pid "$alice" 15
	stop_capture
	stop_pid "$KAMAILIO_PID"
}

# Near-miss: alice calls bob (who does not answer) and hangs up after 3 s of
# ringing: CANCEL, 487 Request Terminated is the normal end, not a rejection.
make_call_rejected_caller_cancels() {
	start_capture "$1"
	start_kamailio kamailio -A MAX_EXPIRES=30
	start_ua bob 127.0.0.12 14 "$(account bob bob-secret)"
	local bob=$LAST_PID
	start_ua alice 127.0.0.11 14 "$(account alice alice-secret)"
	local alice=$LAST_PID
	sleep 2
	baresip_cmd 127.0.0.11 "/dial sip:bob@sip.example.net"
	sleep 3
	baresip_cmd 127.0.0.11 "/hangup"
	wait_pid "$alice" 20
	wait_pid "$bob" 20
	stop_capture
	stop_pid "$KAMAILIO_PID"
}
