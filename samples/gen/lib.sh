# Shared helpers for make-samples.sh: one private network namespace, processes
# started in it with their PIDs recorded, and stopped by those PIDs.
# Sourced, not executed.

GEN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAMPLES_DIR=$(dirname "$GEN_DIR")
NS="sipdiag-samples-$$"
RUN_DIR=""
declare -a BG_PIDS=()

REGISTRAR_IP=127.0.0.1
SIP_PORT=5060
# Only SIP (both transports) and ICMP errors quoting a SIP datagram go into a
# capture (the quoted UDP ports sit at ICMP offsets 28/30 behind a 20-byte IP
# header); media and the UAs' command port are left out.
CAPTURE_FILTER="((udp or tcp) and port $SIP_PORT) or (icmp and (icmp[28:2] = $SIP_PORT or icmp[30:2] = $SIP_PORT))"

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

require_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "make-samples.sh needs root (it creates a network namespace and runs tcpdump)." >&2
		exit 1
	fi
	local tool
	for tool in ip kamailio baresip sipp tcpdump tshark; do
		command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
	done
}

# ns_up creates the namespace with nothing but its own loopback, so no packet
# can leave the machine, plus a scratch directory for configs and logs.
ns_up() {
	RUN_DIR=$(mktemp -d /tmp/sipdiag-samples.XXXXXX)
	ip netns add "$NS"
	ip -n "$NS" link set lo up
	trap cleanup EXIT
	trap 'exit 130' INT TERM
}

cleanup() {
	set +e
	local pid
	for pid in "${BG_PIDS[@]}"; do
		stop_pid "$pid"
	done
	BG_PIDS=()
	ip netns del "$NS" 2>/dev/null || true
	if [ -n "$RUN_DIR" ] && [ -z "${KEEP_RUN_DIR:-}" ]; then
		rm -rf "$RUN_DIR"
	fi
}

in_ns() { ip netns exec "$NS" "$@"; }

# start_bg NAME CMD... runs CMD in the namespace in the background with its
# output in $RUN_DIR/NAME.log; the PID goes to BG_PIDS and into variable LAST_PID.
# `ip netns exec` execs the command, so the PID is the program's own.
start_bg() {
	local name=$1
	shift
	ip netns exec "$NS" "$@" >"$RUN_DIR/$name.log" 2>&1 &
	LAST_PID=$!
	BG_PIDS+=("$LAST_PID")
}

# stop_pid PID [SIGNAL]: SIGNAL (TERM by default), then KILL after 5 s.
stop_pid() {
	local pid=$1 sig=${2:-TERM} i
	kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; forget_pid "$pid"; return 0; }
	kill -"$sig" "$pid" 2>/dev/null || true
	for i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
	forget_pid "$pid"
}

forget_pid() {
	local keep=() p
	for p in "${BG_PIDS[@]}"; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	BG_PIDS=("${keep[@]}")
}

# wait_pid PID SECONDS waits for a process that ends by itself (a bounded
# client), then stops it if it overran.
wait_pid() {
	local pid=$1 secs=$2 i
	for i in $(seq 1 $((secs * 10))); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	stop_pid "$pid"
}

# start_capture FILE: tcpdump on the namespace's loopback, full packets,
# written unbuffered so a stop loses nothing.
start_capture() {
	mkdir -p "$(dirname "$1")"
	rm -f "$1"
	start_bg tcpdump tcpdump -Z root -i lo -s 0 -U -n -w "$1" "$CAPTURE_FILTER"
	CAPTURE_PID=$LAST_PID
	sleep 1
}

stop_capture() {
	sleep 0.5
	stop_pid "$CAPTURE_PID"
}

# start_kamailio NAME [-A DEFINE]...: the registrar on 127.0.0.1:5060 with its
# own copy of the subscriber table.
start_kamailio() {
	local name=$1
	shift
	wait_port_free
	mkdir -p "$RUN_DIR/db"
	cp "$GEN_DIR"/db/* "$RUN_DIR/db/"
	start_bg "$name" kamailio -DD -E -f "$GEN_DIR/kamailio.cfg" \
		-A "DBURL=\"text://$RUN_DIR/db\"" "$@"
	KAMAILIO_PID=$LAST_PID
	sleep 1.5
	kill -0 "$KAMAILIO_PID" 2>/dev/null || { cat "$RUN_DIR/$name.log" >&2; echo "kamailio did not start" >&2; exit 1; }
}

# wait_port_free waits (at most 5 s) until nothing holds the registrar's
# address and port: a stopped Kamailio's children can outlive its main process.
wait_port_free() {
	local i
	for i in $(seq 1 50); do
		[ -z "$(in_ns ss -Hanu "src $REGISTRAR_IP:$SIP_PORT"; in_ns ss -Hltn "src $REGISTRAR_IP:$SIP_PORT")" ] && return 0
		sleep 0.1
	done
	echo "port $SIP_PORT still busy in $NS" >&2
}

# baresip_config NAME IP ACCOUNT-LINE: a config directory for one UA that
# listens on IP:5060 and takes commands on IP:5555 (cons module).
baresip_config() {
	local name=$1 ip=$2 account=$3 dir="$RUN_DIR/baresip-$1"
	mkdir -p "$dir"
	cat >"$dir/config" <<CFG
poll_method epoll
sip_listen $ip:$SIP_PORT
sip_trans_def udp
module_path /usr/lib/baresip/modules
module g711.so
module aubridge.so
audio_player aubridge,$name
audio_source aubridge,$name
audio_alert aubridge,$name
module cons.so
cons_listen $ip:5555
module_app account.so
module_app menu.so
net_interface $ip
CFG
	printf '%s\n' "$account" >"$dir/accounts"
	: >"$dir/contacts"
	BARESIP_DIR=$dir
}

# baresip_cmd IP COMMAND sends one command line to a baresip cons listener.
baresip_cmd() {
	in_ns bash -c 'printf "%s\n" "$2" > /dev/udp/$1/5555' _ "$1" "$2"
}

# run_sipp NAME SECONDS SCENARIO LOCAL-IP [sipp args]: one bounded SIPp run
# against the registrar, in the foreground.
run_sipp() {
	local name=$1 secs=$2 scen=$3 ip=$4
	shift 4
	in_ns timeout "$secs" sipp -sf "$GEN_DIR/sipp/$scen" -i "$ip" -p "$SIP_PORT" \
		-m 1 -l 1 -nostdin -trace_err -error_file "$RUN_DIR/$name-errors.log" \
		"$@" "$REGISTRAR_IP:$SIP_PORT" >"$RUN_DIR/$name.log" 2>&1 || true
}

# start_sipp NAME SECONDS SCENARIO LOCAL-IP [sipp args]: the same, in the
# background (LAST_PID is the bounding `timeout`, which passes TERM on).
start_sipp() {
	local name=$1 secs=$2 scen=$3 ip=$4
	shift 4
	start_bg "$name" timeout "$secs" sipp -sf "$GEN_DIR/sipp/$scen" -i "$ip" -p "$SIP_PORT" \
		-m 1 -l 1 -nostdin -trace_err -error_file "$RUN_DIR/$name-errors.log" \
		"$@" "$REGISTRAR_IP:$SIP_PORT"
}

# account USER PASSWORD [PARAMS]: a baresip account line for USER@sip.example.net
# that reaches the registrar through an outbound proxy (no DNS in the namespace),
# over UDP or, with UA_TRANSPORT=tcp, over TCP; it asks for UA_REGINT seconds
# (30 by default, 0 = does not register).
account() {
	printf '<sip:%s@sip.example.net>;auth_pass=%s;outbound="sip:%s:%s;transport=%s";regint=%s%s' \
		"$1" "$2" "$REGISTRAR_IP" "$SIP_PORT" "${UA_TRANSPORT:-udp}" "${UA_REGINT:-30}" "${3:-}"
}

# start_ua NAME IP SECONDS ACCOUNT-LINE: a baresip UA that quits by itself after
# SECONDS (unregistering on the way out); its PID is left in LAST_PID.
start_ua() {
	baresip_config "$1" "$2" "$4"
	start_bg "$1" baresip -f "$BARESIP_DIR" -t "$3"
}

# prefer_source IP: connections that do not bind a source address (baresip's
# outgoing TCP) leave from IP instead of 127.0.0.1, so the UA is still told
# apart from the registrar in the capture. `prefer_source 127.0.0.1` undoes it.
prefer_source() {
	ip -n "$NS" route replace local "$REGISTRAR_IP" dev lo table local proto kernel scope host src "$1"
}
