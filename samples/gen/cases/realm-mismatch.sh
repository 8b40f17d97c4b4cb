# AUTH001 realm-mismatch: credentials for one realm, challenges for another.

# (a) SIPp answers the 401 for sip.example.net with credentials for
# old.example.net; Kamailio finds none for its realm and challenges again.
make_realm_mismatch_wrong_realm() {
	start_capture "$1"
	start_kamailio kamailio
	run_sipp carol 20 wrong-realm.xml 127.0.0.13
	stop_capture
	stop_pid "$KAMAILIO_PID"
}

# restart_registrar_with_realm REALM: the provider "migrates": same accounts,
# new realm, bindings lost.
restart_registrar_with_realm() {
	stop_pid "$KAMAILIO_PID"
	start_kamailio kamailio-new -A "REALM=\"$1\""
}

# (c) SIPp registers under sip.example.net; at 12 s the registrar restarts
# with realm new.example.net; the refresh at ~27 s gets a 401 for the new
# realm that the client never answers; 45 s later it tries again (new 401 for
# new.example.net, unanswered too), so the capture shows the silence.
make_realm_mismatch_realm_changed() {
	start_capture "$1"
	start_kamailio kamailio
	start_sipp carol 100 realm-changed.xml 127.0.0.13
	local sipp=$LAST_PID
	sleep 12
	restart_registrar_with_realm new.example.net
	wait_pid "$sipp" 95
	stop_capture
	stop_pid "$KAMAILIO_PID"
}

# Near-miss: the same realm change, but the client answers the new realm and
# gets 200.
make_realm_mismatch_realm_changed_answered() {
	start_capture "$1"
	start_kamailio kamailio
	start_sipp carol 60 realm-changed-answered.xml 127.0.0.13
	local sipp=$LAST_PID
	sleep 12
	restart_registrar_with_realm new.example.net
	wait_pid "$sipp" 55
	stop_capture
	stop_pid "$KAMAILIO_PID"
}
