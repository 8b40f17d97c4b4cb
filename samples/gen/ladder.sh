#!/usr/bin/env bash
# ladder.sh PCAP... prints the SIP ladder of each capture, one line per SIP
# message (and ICMP error): frame, seconds, source > destination, first line,
# CSeq, the realm/username of a challenge or an answer to one, and expiries. It is how
# each case in ../README.md was checked against what it claims to show.
set -u
for f in "$@"; do
	echo "== $f"
	tshark -r "$f" -Y 'sip or icmp' -T fields -E separator=/t -E occurrence=f \
		-e frame.number -e frame.time_relative -e ip.src -e ip.dst \
		-e sip.Request-Line -e sip.Status-Line -e sip.CSeq \
		-e sip.auth.realm -e sip.auth.username -e icmp.type \
		-e sip.contact.parameter -e sip.Expires 2>/dev/null |
		awk -F'\t' '{
			line = ($5 != "") ? $5 : $6
			if (line == "" && $10 != "") line = "ICMP type " $10
			sub(/ SIP\/2\.0$/, "", line)
			extra = ""
			if ($8 != "") extra = extra " realm=" $8
			if ($9 != "") extra = extra " user=" $9
			if ($11 ~ /^expires=/) extra = extra " contact:" $11
			if ($12 != "") extra = extra " Expires:" $12
			printf "%5s %8.3f %s > %s  %s  [%s]%s\n", $1, $2, $3, $4, line, $7, extra
		}'
done
