# CAP001 capture-incomplete: a capture that limits what can be diagnosed.

# Only what alice sends is captured (a SPAN port mirroring one direction):
# her REGISTERs are there, none of the registrar's answers.
make_capture_incomplete_one_direction() {
	CAPTURE_FILTER="udp and src host 127.0.0.11 and port $SIP_PORT" start_capture "$1"
	start_kamailio kamailio -A MAX_EXPIRES=30
	start_ua alice 127.0.0.11 40 "$(account alice alice-secret)"
	wait_pid "$LAST_PID" 45
	stop_capture
	stop_pid "$KAMAILIO_PID"
}
