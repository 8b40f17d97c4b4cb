# REG004 registration-rejected: a REGISTER refused for a reason no AUTH rule explains.

# eve (baresip at 127.0.0.15, not on the registrar's source allow-list) is
# refused 403 without a challenge, and retries later.
make_registration_rejected_forbidden_source() {
	start_capture "$1"
	start_kamailio kamailio -A WITH_ALLOWLIST
	start_ua eve 127.0.0.15 40 "$(account eve eve-secret)"
	wait_pid "$LAST_PID" 45
	stop_capture
	stop_pid "$KAMAILIO_PID"
}

# carol (SIPp) registers for sip.exmaple.net (a typo): 404 Domain Not Found.
make_registration_rejected_unknown_domain() {
	start_capture "$1"
	start_kamailio kamailio -A WITH_DOMAIN_CHECK
	run_sipp carol 15 unknown-domain.xml 127.0.0.13
	stop_capture
	stop_pid "$KAMAILIO_PID"
}
