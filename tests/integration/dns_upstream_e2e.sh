#!/usr/bin/env bash
# DNS beyond the cluster domain, as a user meets it: a cluster started with
# `--dns-upstream 127.0.0.1:PORT` forwards other names to that server (a dnsmasq on loopback);
# `kinda dns` prints A, SRV, PTR and TXT answers for a StatefulSet behind a headless Service the
# way `dig +short` does, and says why when there is no answer; a cluster whose config.json says
# "dns": {"upstream": "none"} refuses names outside its domain.
set -euo pipefail
kinda=$1
if [ ! -x /usr/sbin/dnsmasq ]; then
  echo "SKIP: /usr/sbin/dnsmasq is not installed (Debian package dnsmasq-base)"
  exit 77
fi
source "$(dirname "$0")/lib.sh" dnsup
offline=$KINDA_CLUSTER-offline
dnsmasq_pid=
stop_all() {
  [ -z "$dnsmasq_pid" ] || kill "$dnsmasq_pid" 2>/dev/null || true
  KINDA_CLUSTER=$offline "$kinda" down --purge >/dev/null 2>&1 || true
  cleanup
}
trap stop_all EXIT

# The upstream: dnsmasq answering example.internal from a hosts file, on a free high port.
printf '10.9.8.7 example.internal\n' > "$KINDA_HOME/upstream.hosts"
upstream_answers() { [ "$(dig +short +time=1 +tries=1 @127.0.0.1 -p "$port" example.internal)" = 10.9.8.7 ]; }
for _ in $(seq 20); do
  port=$((20000 + RANDOM % 40000))
  /usr/sbin/dnsmasq --no-daemon --no-resolv --no-hosts --addn-hosts="$KINDA_HOME/upstream.hosts" \
    --port="$port" --listen-address=127.0.0.1 --bind-interfaces --pid-file= \
    2>>"$KINDA_HOME/dnsmasq.log" &
  dnsmasq_pid=$!
  for _ in $(seq 50); do  # bounded: until it answers or exits (port taken)
    upstream_answers && break
    kill -0 "$dnsmasq_pid" 2>/dev/null || break
    sleep 0.1
  done
  upstream_answers && break
  kill "$dnsmasq_pid" 2>/dev/null || true
  wait "$dnsmasq_pid" 2>/dev/null || true
  dnsmasq_pid=
done
[ -n "$dnsmasq_pid" ] || fail "dnsmasq did not start: $(tail -3 "$KINDA_HOME/dnsmasq.log")"

"$kinda" up --time-scale 0.2 --dns-upstream "127.0.0.1:$port" >/dev/null
dns=$("$kinda" status | awk '/^DNS:/ {print $2}')
at=("@${dns%:*}" -p "${dns##*:}")
grep -q "\"127.0.0.1:$port\"" "$KINDA_HOME/$KINDA_CLUSTER/config.json" ||
  fail "--dns-upstream not saved: $(cat "$KINDA_HOME/$KINDA_CLUSTER/config.json")"
[ "$("$kinda" dns example.internal)" = 10.9.8.7 ] || fail "kinda dns example.internal"
ok "kinda dns: a name outside the cluster comes from the upstream (dnsmasq)"
flags=$(dig +noall +comments "${at[@]}" example.internal | grep -E 'flags:|status:')
[[ "$flags" == *" ra"* && "$flags" == *"status: NOERROR"* ]] || fail "dig via the cluster: $flags"
[ "$(dig +tcp +short "${at[@]}" example.internal)" = 10.9.8.7 ] || fail "dig +tcp via the cluster"
ok "dig through the cluster's resolver gets dnsmasq's answer over UDP and TCP, RA as dnsmasq set it"

{
  web_service 6379 redis; echo ---; web_set_head 2 1
  cat <<'YAML'
      - {name: web, image: busybox, command: [sh, -c, 'exec sleep 3600']}
YAML
} > "$KINDA_HOME/web.yaml"
"$kinda" apply -f "$KINDA_HOME/web.yaml" >/dev/null
for i in 0 1; do
  wait_for "web-$i" "$kinda" get pod "web-$i"
  "$kinda" wait --for=condition=Ready "pod/web-$i" --timeout=60s >/dev/null
done
pod_ip() { "$kinda" get pod "$1" -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["podIP"])'; }
ip0=$(pod_ip web-0)
ip1=$(pod_ip web-1)
fqdn=web.default.svc.cluster.local

[ "$("$kinda" dns web-0.web)" = "$ip0" ] || fail "A web-0.web: $("$kinda" dns web-0.web)"
[ "$("$kinda" dns --tcp web-0.web)" = "$ip0" ] || fail "A web-0.web over TCP"
[ "$("$kinda" dns web | sort)" = "$(printf '%s\n' "$ip0" "$ip1" | sort)" ] || fail "A web"
[ "$("$kinda" dns -n kube-system web.default)" = "$(printf '%s\n' "$ip0" "$ip1")" ] ||
  fail "A web.default from kube-system"
ok "kinda dns prints A records one address a line, relative names through the pod search path"
srv=$(printf '0 50 6379 web-0.%s.\n0 50 6379 web-1.%s.' "$fqdn" "$fqdn")
[ "$("$kinda" dns --type SRV _redis._tcp.web)" = "$srv" ] || fail "SRV: $("$kinda" dns --type SRV _redis._tcp.web)"
[ "$("$kinda" dns --type PTR "$ip1")" = "web-1.$fqdn." ] || fail "PTR $ip1"
[ "$("$kinda" dns "$ip0")" = "web-0.$fqdn." ] || fail "PTR for a bare address"
[ "$("$kinda" dns --type txt dns-version)" = '"1.1.0"' ] || fail "TXT dns-version"
[[ "$("$kinda" dns --type SOA cluster.local.)" == "ns.dns.cluster.local. hostmaster.cluster.local. "* ]] ||
  fail "SOA: $("$kinda" dns --type SOA cluster.local.)"
ok "kinda dns prints SRV, PTR (also for a bare address), TXT and SOA as dig +short does"

code=0
out=$("$kinda" dns nosuch 2>"$KINDA_HOME/err") || code=$?
[ "$code" = 1 ] && [ -z "$out" ] || fail "nosuch: exit $code, stdout '$out'"
[ "$(cat "$KINDA_HOME/err")" = "kinda dns: nosuch.default.svc.cluster.local: NXDOMAIN" ] ||
  fail "nosuch: $(cat "$KINDA_HOME/err")"
code=0 code2=0
"$kinda" dns --type AAAA web-0.web >/dev/null 2>"$KINDA_HOME/err" || code=$?
"$kinda" dns --type MX web >/dev/null 2>"$KINDA_HOME/err2" || code2=$?
[ "$code" = 1 ] && grep -q "web-0.web.default.svc.cluster.local: NODATA" "$KINDA_HOME/err" ||
  fail "NODATA: exit $code: $(cat "$KINDA_HOME/err")"
[ "$code2" != 0 ] && grep -q 'unknown record type "MX"' "$KINDA_HOME/err2" ||
  fail "--type MX: $(cat "$KINDA_HOME/err2")"
ok "kinda dns: NXDOMAIN, NODATA and unknown types print nothing, say why and exit non-zero"

# A second cluster for offline demos: dns.upstream "none" in config.json refuses other names.
KINDA_CLUSTER=$offline up_with_config dns='{"upstream": "none"}'
offline_dns=$(KINDA_CLUSTER=$offline "$kinda" status | awk '/^DNS:/ {print $2}')
dig +time=2 +tries=1 "@${offline_dns%:*}" -p "${offline_dns##*:}" example.internal | grep -q 'status: REFUSED' ||
  fail "upstream none: $(dig "@${offline_dns%:*}" -p "${offline_dns##*:}" example.internal)"
code=0
KINDA_CLUSTER=$offline "$kinda" dns example.internal. 2>"$KINDA_HOME/err" || code=$?
[ "$code" = 1 ] && [ "$(cat "$KINDA_HOME/err")" = "kinda dns: example.internal: REFUSED" ] ||
  fail "kinda dns with upstream none: exit $code: $(cat "$KINDA_HOME/err")"
[ "$(KINDA_CLUSTER=$offline "$kinda" dns --type TXT dns-version)" = '"1.1.0"' ] ||
  fail "offline cluster answers its own names"
ok "a cluster with dns.upstream none refuses names outside cluster.local and still answers its own"

echo "$passed passed, 0 failed"
