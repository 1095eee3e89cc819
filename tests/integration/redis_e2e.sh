#!/usr/bin/env bash
# examples/redis-statefulset.yaml against the real redis-server: the replicas find the primary
# by its DNS name through kinda's resolver, replicate a write, and the README's main job (the
# guided tour, scripts/demo) runs start to end. Exit 77 (skipped): redis-server is not installed.
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v redis-server >/dev/null && command -v redis-cli >/dev/null ||
  { echo "skipped: redis-server/redis-cli not installed (Debian: apt-get install redis-server redis-tools)"; exit 77; }
source "$here/lib.sh" redis

"$kinda" up --time-scale 0.2 >/dev/null
"$kinda" status | grep -q "Isolation: *namespaces" ||
  { echo "skipped: pods need their own resolv.conf (root) to find redis-0 by name"; exit 77; }
"$kinda" apply -f "$here/../../examples/redis-statefulset.yaml" >/dev/null
for i in 0 1 2; do wait_for "redis-$i Ready" "$kinda" wait --for=condition=Ready "pod/redis-$i" --timeout=1s; done
cli() { local pod=$1; shift; "$kinda" exec "$pod" -- redis-cli -h "$pod.redis-svc" "$@" | tr -d '\r'; }
ip_of() { "$kinda" get pod "$1" -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["podIP"])'; }

# Redis waits 5 s (repl-diskless-sync-delay) for more replicas before the first full sync.
two_replicas() { cli redis-0 info replication | grep -qx "connected_slaves:2" && [ "$(cli redis-0 info replication | grep -c state=online)" = 2 ]; }
wait_for "2 replicas online on redis-0" two_replicas
info=$(cli redis-0 info replication)
grep -qx "role:master" <<<"$info" || fail "redis-0 is not the primary: $info"
for i in 1 2; do
  grep -q "ip=$(ip_of "redis-$i"),port=6379,state=online" <<<"$info" || fail "redis-$i not an online replica: $info"
  cli "redis-$i" info replication | grep -qx "master_host:redis-0.redis-svc.default.svc.cluster.local" ||
    fail "redis-$i does not follow redis-0 by its DNS name"
  cli "redis-$i" info replication | grep -qx "master_link_status:up" || fail "redis-$i link down"
done
ok "INFO replication on redis-0: role master, 2 connected replicas (redis-1, redis-2, online), each following redis-0.redis-svc.default.svc.cluster.local"

[ "$(cli redis-0 set greeting hello)" = OK ] || fail "SET on redis-0"
replicated() { [ "$(cli redis-2 get greeting)" = hello ]; }
wait_for "the key on redis-2" replicated
[ "$(cli redis-2 set other x 2>&1)" != OK ] || fail "redis-2 accepted a write: replicas are read-only"
ok "a key written on redis-0 is read from redis-2 (which refuses writes)"
[ -d "$KINDA_HOME/$KINDA_CLUSTER/volumes/default/data-redis-2/appendonlydir" ] || fail "no AOF in data-redis-2"
ok "each pod's append-only file is in its own claim (data-redis-N)"
"$kinda" down --purge >/dev/null

# The README's main job, end to end, on its own throwaway cluster.
out=$(bash "$here/../../scripts/demo.d/redis.sh" "$kinda" 2>&1) || { echo "$out" >&2; fail "the redis tour failed"; }
grep -q "Done in" <<<"$out" || fail "the tour did not finish: $out"
ok "scripts/demo (the redis tour) runs start to end: $(grep -o 'Done in [0-9.]* s' <<<"$out")"
