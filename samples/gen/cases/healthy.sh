# Healthy traffic: nothing may fire on these.

# baresip registers (401, then 200 with 30 s), refreshes at ~27 s and ~54 s
# (each refresh challenged again and accepted) and unregisters when it quits.
make_healthy_register_challenge_refresh() {
	start_capture "$1"
	start_kamailio kamailio -A MAX_EXPIRES=30
	start_ua alice 127.0.0.11 62 "$(account alice alice-secret)"
	wait_pid "$LAST_PID" 70
	stop_capture
	stop_pid "$KAMAILIO_PID"
}

# The same over TCP: one connection from the UA, kept for the refreshes.
make_healthy_register_tcp() {
	start_capture "$1"
	start_kamailio kamailio -A MAX_EXPIRES=30
	prefer_source 127.0.0.11
	start_ua alice 127.0.0.11 62 "$(UA_TRANSPORT=tcp account alice alice-secret)"
	wait_pid "$LAST_PID" 70
	stop_capture
	stop_pid "$KAMAILIO_PID"
	prefer_source "$REGISTRAR_IP"
}

# Two registered UAs; alice calls bob: INVITE, 407, INVITE with credentials,
# 100/180/200, ACK, five seconds of call, BYE, 200.
make_healthy_call() {
	start_capture "$1"
	start_kamailio kamailio -A MAX_EXPIRES=30
	start_ua bob 127.0.0.12 16 "$(account bob bob-secret ';answermode=auto')"
	local bob=$LAST_PID
	start_ua alice 127.0.0.11 16 "$(account alice alice-secret)"
	local alice=$LAST_PID
	sleep 2
	baresip_cmd 127.0.0.11 "/dial sip:bob@sip.example.net"
	sleep 5
	baresip_cmd 127.0.0.11 "/hangup"
	wait_pid "$alice" 20
	wait_pid "$bob" 20
	stop_capture
	stop_pid "$KAMAILIO_PID"
}
