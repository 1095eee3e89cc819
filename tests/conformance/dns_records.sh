#!/usr/bin/env bash
# Kubernetes' DNS e2e (test/e2e/network/dns.go) against the cluster resolver: every record form of
# the DNS-based service discovery specification, asked over UDP and over TCP with real packets;
# negative answers with the zone's SOA; EDNS and truncation with TCP fallback for a 100-pod
# headless service; a recreated pod's new address answered as soon as the store has it.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" dns_records

# A TTL other than the default shows the setting reaches every record.
up
"$kinda" down >/dev/null
python3 - "$ROOT/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["dns"] = {"ttl": 7}
json.dump(c, open(sys.argv[1], "w"))
PY
up
dns=$("$kinda" status | awk '/^DNS:/ {print $2}')
Z=cluster.local
SVC=default.svc.$Z
# ask TRANSPORT NAME TYPE [DIG-OPTIONS…]: dig's full reply; TRANSPORT is +notcp or +tcp.
ask() { local t=$1 name=$2 type=$3; shift 3; dig "@${dns%:*}" -p "${dns##*:}" "$t" +norecurse +time=2 +tries=1 "$@" "$name" "$type"; }
short() { ask "$1" "$2" "$3" +short | sort; }
rcode_of() { ask "$@" | sed -n 's/.*status: \([A-Z]*\),.*/\1/p'; }
flags_of() { ask "$@" | sed -n 's/.*flags: \([a-z ]*\);.*/\1/p'; }
section() { ask "$1" "$2" "$3" +noall "+$4" | grep -v '^;' | grep -v '^$' || true; }
ip_of() { jget pod "$1" .status.podIP; }
# for_both CHECK [ARGS…]: runs CHECK TRANSPORT ARGS… over UDP, then over TCP.
for_both() { local t; for t in +notcp +tcp; do "$1" "$t" "${@:2}" || fail "over ${t#+}: $*"; done; }

web_service | "$kinda" apply -f - >/dev/null
cat <<'YAML' | "$kinda" apply -f - >/dev/null
apiVersion: v1
kind: Service
metadata: {name: web-all}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector: {app: web}
  ports: [{port: 8080, name: http}]
---
apiVersion: v1
kind: Service
metadata: {name: front}
spec:
  selector: {app: web}
  ports: [{port: 80, name: http, targetPort: 8080}, {port: 9090, name: metrics, protocol: UDP}]
---
apiVersion: v1
kind: Service
metadata: {name: ext}
spec:
  type: ExternalName
  externalName: db.example.org
YAML
set_manifest replicas=3 policy=Parallel claims=no | "$kinda" apply -f - >/dev/null
wait_ready web-0 web-1 web-2

# ---- records that exist ----
a_records() {
  local t=$1 p
  for p in web-0 web-1 web-2; do
    [ "$(short "$t" "$p.web.$SVC" A)" = "$(ip_of "$p")" ] || return 1
  done
  [ "$(short "$t" "web.$SVC" A)" = "$(for p in web-0 web-1 web-2; do ip_of $p; done | sort)" ]
}
wait_for "A records of the set's pods" a_records +notcp
for_both a_records
ok "A: <pod>.web.$SVC is the pod's address, web.$SVC one A per ready pod (UDP and TCP)"

ttl_is_7() { section "$1" "web-0.web.$SVC" A answer | awk '{print $2}' | grep -qx 7; }
for_both ttl_is_7
case_insensitive() { [ "$(short "$1" "WEB-0.Web.DEFAULT.svc.Cluster.LOCAL" A)" = "$(ip_of web-0)" ]; }
for_both case_insensitive
ok "TTL follows config.json (dns.ttl 7); names match case-insensitively"

srv_records() {
  local t=$1 want="" p
  for p in web-0 web-1 web-2; do want+="0 33 8080 $p.web.$SVC."$'\n'; done
  [ "$(short "$t" "_http._tcp.web.$SVC" SRV)" = "$(sort <<<"${want%$'\n'}")" ] || return 1
  # The targets' addresses travel in the additional section.
  [ "$(section "$t" "_http._tcp.web.$SVC" SRV additional | awk '$4 == "A" {print $5}' | sort)" = \
    "$(for p in web-0 web-1 web-2; do ip_of $p; done | sort)" ] || return 1
  # A ClusterIP service: one SRV per named port, aimed at the service name.
  [ "$(short "$t" "_metrics._udp.front.$SVC" SRV)" = "0 100 9090 front.$SVC." ] || return 1
  [ "$(short "$t" "front.$SVC" SRV)" = "$(printf '0 100 80 front.%s.\n0 100 9090 front.%s.' "$SVC" "$SVC")" ]
}
for_both srv_records
ok "SRV: _http._tcp.web → each ready pod (weight 100/3, addresses as additional records); ClusterIP service ports"

cluster_ip=$(jget svc front .spec.clusterIP)
[ -n "$cluster_ip" ] && [ "$cluster_ip" != None ] || fail "front has no cluster IP"
reverse() { awk -F. '{print $4"."$3"."$2"."$1".in-addr.arpa"}' <<<"$1"; }
ptr_records() {
  local t=$1 p
  # A pod behind two headless services has a name under each: web (its subdomain, so its
  # hostname) and web-all (its dashed address), as CoreDNS answers.
  for p in web-0 web-1 web-2; do
    [ "$(short "$t" "$(reverse "$(ip_of $p)")" PTR)" = \
      "$(printf '%s.web-all.%s.\n%s.web.%s.' "$(ip_of $p | tr . -)" "$SVC" "$p" "$SVC")" ] || return 1
  done
  [ "$(short "$t" "$(reverse "$cluster_ip")" PTR)" = "front.$SVC." ]
}
for_both ptr_records
ok "PTR: each pod address → <pod>.web.$SVC and <a-b-c-d>.web-all.$SVC, the cluster IP → front.$SVC"

other_forms() {
  local t=$1 dashed
  [ "$(short "$t" "dns-version.$Z" TXT)" = '"1.1.0"' ] || return 1
  [ "$(short "$t" "front.$SVC" A)" = "$cluster_ip" ] || return 1
  [ "$(short "$t" "ext.$SVC" CNAME)" = "db.example.org." ] || return 1
  dashed=$(ip_of web-1 | tr . -)
  [ "$(short "$t" "$dashed.default.pod.$Z" A)" = "$(ip_of web-1)" ] || return 1
  [ "$(section "$t" "$Z" SOA answer | awk '{print $4, $5, $6}')" = "SOA ns.dns.$Z. hostmaster.$Z." ]
}
for_both other_forms
ok "TXT dns-version \"1.1.0\", ClusterIP A, ExternalName CNAME, pod A <a-b-c-d>.default.pod, zone SOA"

# ---- negative answers: authoritative, the zone's SOA in the authority section ----
soa_line="$Z. 7 IN SOA ns.dns.$Z. hostmaster.$Z."
negative() {  # negative TRANSPORT NAME TYPE RCODE
  local t=$1 name=$2 type=$3 want=$4 reply
  reply=$(ask "$t" "$name" "$type")
  grep -q "status: $want," <<<"$reply" || { echo "$name $type: not $want" >&2; return 1; }
  grep -q "flags: qr aa" <<<"$reply" || { echo "$name $type: not authoritative" >&2; return 1; }
  grep -q "ANSWER: 0," <<<"$reply" || { echo "$name $type: has answers" >&2; return 1; }
  [ "$(section "$t" "$name" "$type" authority | awk '{print $1, $2, $3, $4, $5, $6}')" = "$soa_line" ] ||
    { echo "$name $type: no SOA in authority" >&2; return 1; }
}
negatives() {
  local t=$1
  negative "$t" "nosuch.$SVC" A NXDOMAIN && negative "$t" "web-7.web.$SVC" A NXDOMAIN &&
    negative "$t" "web.nosuchns.svc.$Z" A NXDOMAIN && negative "$t" "nosuch.$Z" TXT NXDOMAIN &&
    negative "$t" "web-0.web.$SVC" AAAA NOERROR && negative "$t" "web.$SVC" TXT NOERROR &&
    negative "$t" "front.$SVC" AAAA NOERROR && negative "$t" "svc.$Z" A NOERROR &&
    negative "$t" "$SVC" A NOERROR && negative "$t" "_tcp.web.$SVC" A NOERROR
}
for_both negatives
ok "NXDOMAIN (unknown service, pod label, namespace) and NODATA (AAAA on IPv4 names, TXT on a service, empty non-terminals), each with the SOA"

# ---- readiness: not-ready pods leave the records, unless the service publishes them ----
unready web-2
wait_unready web-2
two_ready() { [ "$(short +notcp "web.$SVC" A | wc -l)" = 2 ]; }
wait_for "web-2 out of web's A records" two_ready
for_both negative "web-2.web.$SVC" A NXDOMAIN
all_three() { [ "$(short "$1" "web-all.$SVC" A | wc -l)" = 3 ] && [ "$(short "$1" "_http._tcp.web-all.$SVC" SRV | wc -l)" = 3 ]; }
for_both all_three
ready web-2
wait_ready web-2
ok "a not-ready pod leaves web's records (NXDOMAIN for its name); web-all (publishNotReadyAddresses) keeps all 3"

# ---- the protocol: EDNS, extended rcodes, several questions, garbage ----
edns() {
  local t=$1 reply
  reply=$(ask "$t" "web-0.web.$SVC" A +bufsize=4096)
  grep -q "EDNS: version: 0, flags:; udp: 1232" <<<"$reply" || return 1
  [ "$(rcode_of "$t" "web-0.web.$SVC" A +edns=1 +noednsnegotiation)" = BADVERS ]
}
for_both edns
# Raw packets from the fuzz seed corpus: two questions get FORMERR, broken ones no crash.
corpus=$(dirname "$0")/../fuzz/corpus/dns
raw_rcode() {
  python3 - "${dns%:*}" "${dns##*:}" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.sendto(open(sys.argv[3], "rb").read(), (sys.argv[1], int(sys.argv[2])))
try:
    print(s.recv(4096)[3] & 0xF)
except socket.timeout:
    print("dropped")
PY
}
[ "$(raw_rcode "$corpus/bad-two-questions")" = 1 ] || fail "two questions: rcode $(raw_rcode "$corpus/bad-two-questions")"
[ "$(raw_rcode "$corpus/q21-AXFR")" = 5 ] || fail "AXFR: rcode $(raw_rcode "$corpus/q21-AXFR"), not REFUSED"
for f in "$corpus"/bad-*; do raw_rcode "$f" >/dev/null; done
for_both a_records
ok "EDNS (OPT, udp 1232), BADVERS for EDNS 1, AXFR REFUSED, two questions FORMERR; $(ls "$corpus"/bad-* | wc -l) malformed packets answered or dropped, and the server still answers"

# ---- truncation: 100 endpoints do not fit in UDP; TC set, the answer complete over TCP ----
cat <<'YAML' | "$kinda" apply -f - >/dev/null
apiVersion: v1
kind: Service
metadata: {name: big}
spec:
  clusterIP: None
  selector: {app: big}
  ports: [{port: 8080, name: http}]
YAML
set_manifest name=big app=big replicas=100 policy=Parallel probe=no claims=no | "$kinda" apply -f - >/dev/null
hundred() { [ "$(short +tcp "big.$SVC" A | wc -l)" = 100 ]; }
wait_for "100 ready endpoints behind big" hundred
[[ " $(flags_of +notcp "big.$SVC" A +ignore) " == *" tc "* ]] || fail "UDP answer of 100 A records not truncated"
[ "$(ask +notcp "big.$SVC" A +ignore | sed -n 's/.*ANSWER: \([0-9]*\),.*/\1/p')" = 0 ] || fail "truncated answer carries records"
[ "$(ask +notcp "big.$SVC" A +short | wc -l)" = 100 ] || fail "dig's TCP retry after TC did not get 100 records"
[ "$(short +tcp "_http._tcp.big.$SVC" SRV | wc -l)" = 100 ] || fail "100 SRV records over TCP"
[[ " $(flags_of +notcp "big.$SVC" A +ignore +bufsize=4096) " == *" tc "* ]] || fail "100 A records fit in EDNS 1232?"
ok "100 endpoints: UDP answer truncated (TC, no records, also with EDNS), dig's TCP retry gets all 100 A; 100 SRV over TCP"
"$kinda" delete sts big >/dev/null

# ---- a recreated pod: new address, answered as soon as the store holds it ----
old_ip=$(ip_of web-1)
old=$(uid_of web-1)
"$kinda" delete pod web-1 >/dev/null
new_uid() { [ -n "$(uid_of web-1)" ] && [ "$(uid_of web-1)" != "$old" ] && [ -n "$(ip_of web-1)" ]; }
wait_for "web-1 recreated with an address" new_uid
wait_ready web-1
new_ip=$(ip_of web-1)
[ "$new_ip" != "$old_ip" ] || fail "web-1 came back at the same address $old_ip (addresses are handed out round-robin)"
# The zone follows the store's change stream synchronously: whatever the API has just said, the
# very next DNS query says too, with no waiting.
for_both a_records
short +notcp "$(reverse "$new_ip")" PTR | grep -qx "web-1.web.$SVC." || fail "PTR of web-1's new address"
[ -z "$(short +notcp "$(reverse "$old_ip")" PTR)" ] || fail "PTR of web-1's old address still answered"
ok "web-1 recreated at a new address ($old_ip → $new_ip): A, headless A and PTR answer it at once, the old PTR is gone"

finish
