# AUTH004 auth-retry-loop: challenge, credentials, rejection, again and again.

# baresip with a wrong password: Kamailio re-challenges every answer with 401
# and baresip answers each at once, until it gives up after its burst.
make_auth_retry_loop_register_401_loop() {
	start_capture "$1"
	start_kamailio kamailio
	start_ua alice 127.0.0.11 8 "$(account alice alice-wrong)"
	wait_pid "$LAST_PID" 15
	stop_capture
	stop_pid "$KAMAILIO_PID"
}

# carol (wrong password, does not register) calls bob four times, four seconds
# apart: INVITE, 407, INVITE with credentials, 403 "Incorrect Authentication".
make_auth_retry_loop_invite_407_403_loop() {
	start_capture "$1"
	start_kamailio kamailio
	start_ua bob 127.0.0.12 24 "$(account bob bob-secret ';answermode=auto')"
	local bob=$LAST_PID
	start_ua carol 127.0.0.13 24 "$(UA_REGINT=0 account carol carol-wrong)"
	local carol=$LAST_PID
	sleep 2
	local i
	for i in 1 2 3 4; do
		baresip_cmd 127.0.0.13 "/dial sip:bob@sip.example.net"
		sleep 4
	done
	wait_pid "$carol" 30
	wait_pid "$bob" 30
	stop_capture
	stop_pid "$KAMAILIO_PID"
}

# Near-miss: one mistyped password (one rejection), then the right one.
make_auth_retry_loop_one_typo() {
	start_capture "$1"
	start_kamailio kamailio
	run_sipp carol 20 one-typo.xml 127.0.0.13
	stop_capture
	stop_pid "$KAMAILIO_PID"
}
