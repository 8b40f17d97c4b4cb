# AUTH005 lockout-burst: a burst of failed digest answers, then the server
# changes behaviour. Kamailio runs with WITH_LOCKOUT: 5 failures from one
# source within 60 s ban it for 120 s (403 without a challenge).

# dave (baresip, wrong password) answers each 401 at once; the sixth answer is
# refused with 403 and no challenge; baresip's later retry (30-60 s on) too.
make_lockout_burst_ban_after_burst() {
	start_capture "$1"
	start_kamailio kamailio -A WITH_LOCKOUT
	start_ua dave 127.0.0.14 70 "$(account dave dave-wrong)"
	wait_pid "$LAST_PID" 75
	stop_capture
	stop_pid "$KAMAILIO_PID"
}

# Near-miss: four wrong passwords three seconds apart, then the right one,
# under the same lockout policy: every attempt is challenged and the last
# one registers.
make_lockout_burst_failures_no_ban() {
	start_capture "$1"
	start_kamailio kamailio -A WITH_LOCKOUT
	run_sipp carol 30 failures-no-ban.xml 127.0.0.13
	stop_capture
	stop_pid "$KAMAILIO_PID"
}
