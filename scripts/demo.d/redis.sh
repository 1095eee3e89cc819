#!/usr/bin/env bash
# The seed's Redis StatefulSet, replicated: ordered start, replication through per-pod DNS names,
# a killed redis-server coming back with its name and data, scale down and up with the PVC kept
# and reattached. Usage: redis.sh KINDA_BINARY (run it as `scripts/demo` or `scripts/demo redis`).
set -euo pipefail
kinda=$1
cd "$(dirname "$0")/../.."
source scripts/demo.d/lib.sh redis
# cli POD ARGS…: redis-cli inside POD, talking to that pod's redis by its DNS name.
cli() { local pod=$1; shift; "$kinda" exec "$pod" -- redis-cli -h "$pod.redis-svc" "$@"; }
# has POD KEY VALUE: POD's redis holds VALUE at KEY (retried by until_true, so no $(…) in its args).
has() { [ "$(cli "$1" get "$2")" = "$3" ]; }
replicas_connected() { [ "$(cli redis-0 info replication | tr -d '\r' | sed -n 's/^connected_slaves://p')" = "$1" ]; }
show() { printf '%s$ %s%s\n' "$bold" "$*" "$plain"; }  # a command shown before filtered output

heading "1. A cluster on this machine: no Kubernetes, no containers, no network"
step "$kinda" up
"$kinda" status | grep -q "Isolation: *namespaces" ||
  die "this tour needs pods with their own resolv.conf (run it as root); see README, Isolation"

heading "2. The seed's StatefulSet: pods start one at a time, in order"
say "redis-1 is created only once redis-0 is Ready, redis-2 once redis-1 is."
step "$kinda" apply -f examples/redis-statefulset.yaml
watch_start redis 3
step "$kinda" get pods -o wide
step "$kinda" get pvc

heading "3. Stable names: each pod has its own DNS name through the headless service"
step "$kinda" dns redis-svc
step "$kinda" dns redis-0.redis-svc
step "$kinda" dns --type SRV redis-svc
say "redis-1 and redis-2 were started with --replicaof redis-0.redis-svc.default.svc.cluster.local;"
say "they found the primary by that name:"
until_true 30 replicas_connected 2
show "redis-cli -h redis-0.redis-svc info replication"
cli redis-0 info replication | tr -d '\r' | grep -E '^(role|connected_slaves|slave[0-9])'

heading "4. Replication: a write on the primary is read on a replica"
say "(cli POD … is redis-cli run inside POD, talking to POD.redis-svc)"
step cli redis-0 set greeting "hello from redis-0"
until_true 30 has redis-2 greeting "hello from redis-0"
step cli redis-2 get greeting

heading "5. A crash: redis-1's process is killed; kinda restarts it as the kubelet would, same pod, same data"
pid=$(pod_main_pid redis-1 redis-server) || die "no redis-server process for redis-1"
step kill -9 "$pid"
until_true 60 sh -c "'$kinda' get pod redis-1 -o json | grep -q '\"restartCount\": *1'"
"$kinda" wait --for=condition=Ready pod/redis-1 --timeout=60s >/dev/null
step "$kinda" get pod redis-1
until_true 30 has redis-1 greeting "hello from redis-0"
step cli redis-1 get greeting
say "Its append-only file lives in its own claim, data-redis-1:"
step ls "$KINDA_HOME/$KINDA_CLUSTER/volumes/default/data-redis-1/appendonlydir"

heading "6. Scale down to 2: redis-2 goes, its claim data-redis-2 stays"
step "$kinda" scale sts redis --replicas 2
until_true 60 sh -c "! '$kinda' get pod redis-2"
step "$kinda" get pods
step "$kinda" get pvc

heading "7. Scale back to 3: redis-2 returns and gets the same claim back, data included"
step "$kinda" scale sts redis --replicas 3
until_true 60 "$kinda" get pod redis-2
"$kinda" wait --for=condition=Ready pod/redis-2 --timeout=60s >/dev/null
claim=$("$kinda" get pod redis-2 -o json | python3 -c 'import json,sys; print([v["persistentVolumeClaim"]["claimName"] for v in json.load(sys.stdin)["spec"]["volumes"] if "persistentVolumeClaim" in v][0])')
say "redis-2 mounts claim $claim again."
until_true 30 has redis-2 greeting "hello from redis-0"
step cli redis-2 get greeting

heading "8. Clean up"
step "$kinda" down --purge
echo
say "Done in $(elapsed) s: every process, socket and directory of the tour is gone."
