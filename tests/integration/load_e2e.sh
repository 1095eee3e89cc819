#!/usr/bin/env bash
# Load: a rolling update of a 100-pod StatefulSet behind a headless Service while 50 API clients
# (readers, writers and pod watchers, load_clients.py) and a dnsperf stream at the cluster DNS
# run for the whole rollout. Passes when
#   - every API request got a 2xx (a pod fetched by name may be 404 while it is being replaced);
#   - every watcher's events equal the pod revisions of the revision log in its window: none
#     lost, none twice, none out of order (load_clients.py says how the window is chosen);
#   - dnsperf lost no query at its fixed rate, and every answer was NOERROR except NXDOMAIN for a
#     pod's own name (web-N.web…), which is right while that pod is being replaced; the Service's
#     A and SRV names never fail. Queries still in flight when dnsperf is stopped are reported as
#     "interrupted" by dnsperf and are not lost. After the rollout every name answers NOERROR;
#   - the rollout converged (100 pods Ready at the update revision), the daemon that started the
#     test is the one still running, and once the clients are gone it holds no more descriptors
#     than before them (no session or watch subscription outlives its connection).
# Request latencies are printed, never asserted.
# Knobs (environment): LOAD_REPLICAS (100), LOAD_CLIENTS (50), LOAD_DNS_QPS (200).
set -euo pipefail
kinda=$1
if ! command -v dnsperf >/dev/null; then
  echo "SKIP: dnsperf is not installed (Debian package dnsperf); the load test drives DNS with it"
  exit 77
fi
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh" load
replicas=${LOAD_REPLICAS:-100} clients=${LOAD_CLIENTS:-50} qps=${LOAD_DNS_QPS:-200}
work=$KINDA_HOME/work
mkdir -p "$work"
load_pid= dnsperf_pid=
stop_all() {
  [ -z "$dnsperf_pid" ] || kill "$dnsperf_pid" 2>/dev/null || true
  [ -z "$load_pid" ] || kill "$load_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  cleanup
}
trap stop_all EXIT
started=$(date +%s.%N)

# The watch check itself, on a made-up log: it must see a lost, a repeated, a reordered event.
"$python" "$here/load_clients.py" selftest || fail "the watch check misses what it should find"
ok "the watch check finds lost, repeated and reordered events in a made-up revision log"

"$kinda" up --time-scale 0.2 >/dev/null
sock=$("$kinda" status | awk '/^API:/ {print $2}')
dns=$("$kinda" status | awk '/^DNS:/ {print $2}')
first_pid=$(daemon_pid)
db=$KINDA_HOME/$KINDA_CLUSTER/state.db
[ -S "$sock" ] && [ -n "$dns" ] && [ -n "$first_pid" ] && [ -f "$db" ] || fail "kinda status: $("$kinda" status)"

{
  web_service; echo ---; web_set_head "$replicas" 1
  cat <<'YAML'
      - {name: web, image: busybox, command: [sleep, '3600']}
  podManagementPolicy: Parallel
YAML
} > "$work/web.yaml"
"$kinda" apply -f "$work/web.yaml" >/dev/null

# set_state: "UPDATED READY CONVERGED" of set web, where CONVERGED says the controller saw the
# newest spec, currentRevision caught up with updateRevision, and every pod is Ready, not
# terminating and labelled with the update revision.
set_state() {
  "$kinda" get sts web -o json > "$work/sts.json"
  "$kinda" get pods -l app=web -o json > "$work/pods.json"
  "$python" - "$work/sts.json" "$work/pods.json" "$replicas" <<'PY'
import json, sys
sts, pods, replicas = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))["items"], int(sys.argv[3])
s = sts.get("status", {})
ready = lambda p: any(c["type"] == "Ready" and c["status"] == "True" for c in p["status"].get("conditions", []))
good = [p for p in pods if ready(p) and not p["metadata"].get("deletionTimestamp")
        and p["metadata"]["labels"].get("controller-revision-hash") == s.get("updateRevision")]
converged = (s.get("observedGeneration") == sts["metadata"]["generation"] and
             s.get("currentRevision") == s.get("updateRevision") and len(good) == len(pods) == replicas
             and s.get("readyReplicas") == s.get("updatedReplicas") == replicas)
print(s.get("updatedReplicas", 0), s.get("readyReplicas", 0), converged)
PY
}
converged() { [ "$(set_state)" = "$replicas $replicas True" ]; }
wait_for "$replicas pods Ready" converged
ok "$replicas pods Ready (Parallel)"

# dnsperf's queries: every pod's own name, the Service's A and SRV names.
for i in $(seq 0 $((replicas - 1))); do echo "web-$i.web.default.svc.cluster.local A"; done > "$work/queries"
echo "web.default.svc.cluster.local A" >> "$work/queries"
echo "_http._tcp.web.default.svc.cluster.local SRV" >> "$work/queries"

fds() { ls /proc/"$first_pid"/fd | wc -l; }
fds_before=$(fds)
rss_before=$(awk '/^VmRSS/ {print $2}' /proc/"$first_pid"/status)
"$python" "$here/load_clients.py" "$sock" "$db" "$work" web "$replicas" "$clients" \
  > "$work/load.out" 2>&1 &
load_pid=$!
load_started() { [ -e "$work/established" ] || ! kill -0 "$load_pid" 2>/dev/null; }
wait_for "the load's watch streams to open" load_started
[ -e "$work/established" ] || fail "load_clients.py ended before its watches opened: $(cat "$work/load.out")"
dnsperf -s "${dns%:*}" -p "${dns##*:}" -d "$work/queries" -Q "$qps" -l 600 -v \
  > "$work/dnsperf.out" 2>&1 &
dnsperf_pid=$!

# The rolling update: a new template (an annotation), so every pod is replaced, highest first.
before=$("$kinda" get sts web -o json | "$python" -c 'import json,sys; print(json.load(sys.stdin)["status"]["updateRevision"])')
"$kinda" patch sts web --type merge \
  -p '{"spec":{"template":{"metadata":{"annotations":{"load-e2e/rollout":"2"}}}}}' >/dev/null
rollout_started=$(date +%s.%N)
# Bounded (a slow machine gets 240 s, the ctest TIMEOUT stays above): until the rollout converged,
# or the load or dnsperf ended early (which fails below).
for _ in $(seq 480); do
  kill -0 "$load_pid" 2>/dev/null && kill -0 "$dnsperf_pid" 2>/dev/null || break
  converged 2>/dev/null && break
  sleep 0.5
done
rollout_seconds=$(awk -v a="$rollout_started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
touch "$work/stop"
kill -INT "$dnsperf_pid" 2>/dev/null || true
dnsperf_rc=0
wait "$dnsperf_pid" || dnsperf_rc=$?
dnsperf_pid=
load_rc=0
wait "$load_pid" || load_rc=$?
load_pid=

[ "$(set_state)" = "$replicas $replicas True" ] || fail "the rollout did not converge: $(set_state)"
after=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["status"]["updateRevision"])' "$work/sts.json")
[ "$after" != "$before" ] || fail "the template change made no new revision ($before)"
ok "rollout of $replicas pods to $after converged under load in $rollout_seconds s"

# The API clients and the watch check.
cat "$work/load.out"
[ -s "$work/load.json" ] || fail "load_clients.py exited $load_rc without results"
read -r requests errors watchers events problems not_found gone < <("$python" -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(r["requests"], r["errors"], r["watchers"], r["events_checked"], r["watch_problems"], r["pod_not_found"], r["gone"])' "$work/load.json")
[ "$load_rc" = 0 ] && [ "$errors" = 0 ] && [ "$problems" = 0 ] ||
  fail "load: $errors request errors, $problems watch problems (exit $load_rc); see above"
[ "$events" -gt 0 ] || fail "load: no watch events were checked"
ok "$clients API clients: $requests requests, 0 errors ($not_found pods by name were 404 mid-replacement, $gone watches 410 Gone)"
ok "$watchers watchers: $events events equal the revision log, none lost, repeated or out of order"

# dnsperf: no loss, and only the failures a replacement explains.
[ "$dnsperf_rc" = 0 ] || fail "dnsperf exited $dnsperf_rc: $(tail -5 "$work/dnsperf.out")"
dnsperf_stat() { awk -v k="$1" '$0 ~ "^ *" k ":" {print $3}' "$work/dnsperf.out"; }
sent=$(dnsperf_stat "Queries sent") completed=$(dnsperf_stat "Queries completed") lost=$(dnsperf_stat "Queries lost")
interrupted=$(dnsperf_stat "Queries interrupted")
[ -n "$sent" ] && [ -n "$lost" ] || fail "dnsperf printed no statistics: $(tail -5 "$work/dnsperf.out")"
[ "$sent" -gt 0 ] || fail "dnsperf sent no queries"
[ "$lost" = 0 ] || fail "dnsperf lost $lost of $sent queries at $qps per second"
# Every answer, by name: "> RCODE NAME TYPE LATENCY" (I: interrupted at the stop).
bad=$(awk '/^> / && $2 != "NOERROR" && $2 != "I" && !($2 == "NXDOMAIN" && $3 ~ /^web-[0-9]+\.web\./) {print $2, $3, $4}' \
  "$work/dnsperf.out" | sort | uniq -c | head -5)
[ -z "$bad" ] || fail "dnsperf answers other than NOERROR or a replaced pod's NXDOMAIN: $bad"
nxdomain=$(awk '/^> NXDOMAIN / {n++} END {print n + 0}' "$work/dnsperf.out")
ok "dnsperf at $qps/s: $sent sent, $completed completed, ${interrupted:-0} interrupted by the stop, 0 lost; $nxdomain NXDOMAIN, all for pods being replaced"

# After the rollout every name answers.
dnsperf -s "${dns%:*}" -p "${dns##*:}" -d "$work/queries" -n 1 -v > "$work/dnsperf-after.out" 2>&1 ||
  fail "dnsperf after the rollout: $(tail -5 "$work/dnsperf-after.out")"
answered=$(awk '/^> NOERROR / {n++} END {print n + 0}' "$work/dnsperf-after.out")
[ "$answered" = "$(wc -l < "$work/queries")" ] ||
  fail "after the rollout $answered of $(wc -l < "$work/queries") names answer: $(grep '^> ' "$work/dnsperf-after.out" | grep -v NOERROR | head -5)"
ok "after the rollout all $replicas pod names, the Service and its SRV answer NOERROR"

# Every client has closed its connections by now: the daemon must not keep them (a leaked
# session or watch subscription holds its socket). The pods are as many as before, so are their
# pidfds and shim sockets; a few more fds are slack for the daemon's own files.
fds_settled() { [ "$(fds)" -le $((fds_before + 5)) ]; }
wait_for "the daemon to let go of the load's connections (it had $fds_before fds before)" fds_settled
rss_after=$(awk '/^VmRSS/ {print $2}' /proc/"$first_pid"/status)
ok "the daemon holds $(fds) fds again ($fds_before before the load); its RSS went ${rss_before} kB -> ${rss_after} kB"

now_pid=$("$kinda" status | sed -n 's/.*pid \([0-9]*\)).*/\1/p')
[ "$now_pid" = "$first_pid" ] && alive "$first_pid" || fail "the daemon $first_pid is gone (now: '$now_pid')"
ok "the daemon (pid $first_pid) is alive and answering"

echo "load: $clients clients, $requests requests, $errors errors; $watchers watchers, $events events checked against the revision log, 0 lost/dup/out-of-order; dnsperf $sent queries, lost $lost"
"$kinda" down >/dev/null
echo "$passed checks passed in $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s"
