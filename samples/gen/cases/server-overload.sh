# TXN002 server-overload: 408/503 from a registrar at capacity.

# The registrar takes two bindings (alice, bob), then answers 503 with
# Retry-After: 20; carol (SIPp) retries after 2 s and 4 s, ignoring it.
make_server_overload_capacity_503() {
	start_capture "$1"
	start_kamailio kamailio -A CAPACITY=2 -A MAX_EXPIRES=60
	start_ua alice 127.0.0.11 20 "$(UA_REGINT=60 account alice alice-secret)"
	local alice=$LAST_PID
	start_ua bob 127.0.0.12 20 "$(UA_REGINT=60 account bob bob-secret)"
	local bob=$LAST_PID
	sleep 3
	run_sipp carol 15 overload-retry.xml 127.0.0.13
	stop_pid "$alice"
	stop_pid "$bob"
	stop_capture
	stop_pid "$KAMAILIO_PID"
}
