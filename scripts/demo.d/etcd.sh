#!/usr/bin/env bash
# A 3-member etcd cluster (examples/etcd-statefulset.yaml): the members start together and
# bootstrap through their stable DNS names, replicate a key, and a deleted member comes back with
# a new IP but the same name and PVC, so it rejoins as the same member with its data.
# Usage: etcd.sh KINDA_BINARY (run it as `scripts/demo etcd`).
set -euo pipefail
kinda=$1
cd "$(dirname "$0")/../.."
source scripts/demo.d/lib.sh etcd
# ctl POD ARGS…: etcdctl inside POD, talking to that pod's etcd by its DNS name.
ctl() { local pod=$1; shift; "$kinda" exec "$pod" -- etcdctl --dial-timeout=2s --command-timeout=5s \
  --endpoints "http://$pod.etcd:2379" "$@"; }
healthy3() { [ "$(ctl "$1" endpoint health --cluster 2>&1 | grep -c 'is healthy')" = 3 ]; }
has() { [ "$(ctl "$1" get "$2" --print-value-only)" = "$3" ]; }
field() { "$kinda" get pod "$1" -o json | python3 -c "import json,sys; p=json.load(sys.stdin); print($2)"; }
recreated() { [ "$(field etcd-1 'p["metadata"]["uid"]')" != "$1" ]; }

heading "1. A cluster on this machine: no Kubernetes, no containers, no network"
step "$kinda" up
"$kinda" status | grep -q "Isolation: *namespaces" ||
  die "this tour needs pods with their own resolv.conf (run it as root); see README, Isolation"

heading "2. Three etcd members, started together (podManagementPolicy: Parallel)"
say "A new etcd cluster needs a quorum (2 of 3) before any member is healthy, so the pods"
say "cannot start one at a time: with OrderedReady, etcd-0 would wait alone, never Ready."
say "Each runs unmodified etcd with --initial-cluster etcd-0=http://etcd-0.etcd:2380,…"
step "$kinda" apply -f examples/etcd-statefulset.yaml
watch_start etcd 3
step "$kinda" get pods -o wide
step "$kinda" get pvc

heading "3. The members found each other by name"
say "(ctl POD … is etcdctl run inside POD, talking to http://POD.etcd:2379)"
step "$kinda" dns etcd-1.etcd
until_true 30 healthy3 etcd-0
step ctl etcd-0 member list -w table
say "--cluster asks every member at the client URL it advertises (http://etcd-N.etcd:2379):"
step ctl etcd-0 endpoint health --cluster

heading "4. A key written on one member is read on another"
step ctl etcd-0 put greeting "hello from etcd-0"
until_true 30 has etcd-2 greeting "hello from etcd-0"
step ctl etcd-2 get greeting

heading "5. Delete etcd-1: it comes back with a new IP, the same name, claim and member ID"
id=$(ctl etcd-1 endpoint status -w table | awk -F'|' 'NR == 4 {gsub(/ /, "", $3); print $3}')
say "etcd-1 is member $id at $(field etcd-1 'p["status"]["podIP"]')."
uid=$(field etcd-1 'p["metadata"]["uid"]')
step "$kinda" delete pod etcd-1
until_true 60 recreated "$uid"
"$kinda" wait --for=condition=Ready pod/etcd-1 --timeout=60s >/dev/null
step "$kinda" get pod etcd-1 -o wide
say "Its data dir was in data-etcd-1, so etcd ignored --initial-cluster and restarted as before:"
"$kinda" logs etcd-1 2>&1 | grep -m1 "restarting member" || true
step ctl etcd-1 endpoint status -w table
until_true 30 healthy3 etcd-1
step ctl etcd-1 endpoint health --cluster
step ctl etcd-1 get greeting --consistency=s
say "(--consistency=s reads etcd-1's own store, without asking the leader)"

heading "6. Clean up"
step "$kinda" down --purge
echo
say "Done in $(elapsed) s: every process, socket and directory of the tour is gone."
