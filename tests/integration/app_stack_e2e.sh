#!/usr/bin/env bash
# One manifest as real ones are (examples/app-stack.yaml, applied unchanged with kubectl): a
# PostgreSQL StatefulSet on its own StorageClass, a PodDisruptionBudget over it, a migration Job,
# a Deployment client, a ServiceAccount with a Role and RoleBinding. Checked as on a real
# cluster: the Job completes (its first tries may fail before db-0 answers), the client's pods
# are <rs>-<5 chars> and Ready once the schema is there, each claim is bound to a PersistentVolume
# of the class, the budget allows one disruption; a drain of a db node is held back by the budget
# while a second db pod is down; `kubectl delete -f` takes the workloads and their pods and keeps
# the claims, and the Retain class keeps the volumes Released with their data.
# Exit 77: the PostgreSQL server, psql, kubectl or the postgres user is missing, or not root.
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
example=$here/../../examples/app-stack.yaml
source "$here/postgres_kubectl_preflight.sh" postgres
source "$here/lib.sh" appstack
export XDG_CONFIG_HOME=$KINDA_HOME/config
export KUBECONFIG=$KINDA_HOME/kubeconfig
k() { timeout 120 kubectl --cache-dir "$KINDA_HOME/kube-cache" "$@"; }
jpath() { k get "$1" -o "jsonpath=$2"; }

"$kinda" up --nodes 3 --time-scale 0.2 --api-listen 127.0.0.1:0 >/dev/null
"$kinda" kubeconfig >"$KUBECONFIG"
k apply -f "$example" >"$KINDA_HOME/applied" 2>&1 || fail "apply: $(cat "$KINDA_HOME/applied")"
for made in storageclass.storage.k8s.io/db-disks serviceaccount/app role.rbac.authorization.k8s.io/app-config-reader \
  rolebinding.rbac.authorization.k8s.io/app-config-reader statefulset.apps/db \
  poddisruptionbudget.policy/db job.batch/migrate deployment.apps/client; do
  grep -q "^$made created" "$KINDA_HOME/applied" || fail "apply did not create $made: $(cat "$KINDA_HOME/applied")"
done
ok "kubectl apply of the whole manifest created every object, unchanged"

k rollout status statefulset/db --timeout=120s >/dev/null || fail "db not rolled out: $(k get pods 2>&1)"
k wait --for=condition=complete job/migrate --timeout=120s >/dev/null ||
  fail "migrate did not complete: $(k get job migrate -o yaml 2>&1 | tail -30)"
[ "$(jpath job/migrate '{.status.succeeded}')" = 1 ] || fail "migrate succeeded count"
k rollout status deployment/client --timeout=120s >/dev/null ||
  fail "client not rolled out: $(k get deploy,rs,pods 2>&1)"
ok "db rolled out, the migration Job completed, the client Deployment rolled out"

rs=$(k get rs -l app=client -o 'jsonpath={.items[0].metadata.name}')
hash=$(k get rs "$rs" -o 'jsonpath={.metadata.labels.pod-template-hash}')
[ "$rs" = "client-$hash" ] || fail "replicaset $rs is not client-<pod-template-hash>"
pods=$(k get pods -l app=client -o 'jsonpath={range .items[*]}{.metadata.name} {.spec.serviceAccountName}{"\n"}{end}')
[ "$(wc -l <<<"$pods")" = 2 ] || fail "client pods: $pods"
while read -r name account; do
  [[ $name =~ ^$rs-[a-z0-9]{5}$ ]] || fail "client pod $name is not $rs-<5 chars>"
  [ "$account" = app ] || fail "$name runs as service account '$account'"
done <<<"$pods"
rows=$("$kinda" exec db-0 -- psql -U postgres -XAtqc 'select count(*) > 0 from visits')
[ "$rows" = t ] || fail "the clients wrote no visits: $rows"
ok "client pods are $rs-<5 chars> as service account app, and write to db-0.db"

for i in 0 1 2; do
  pv=$(jpath "pvc/data-db-$i" '{.spec.volumeName}')
  [ -n "$pv" ] || fail "data-db-$i has no volume"
  [ "$(jpath "pv/$pv" '{.status.phase} {.spec.claimRef.name} {.spec.storageClassName} {.spec.persistentVolumeReclaimPolicy}')" = \
    "Bound data-db-$i db-disks Retain" ] || fail "pv $pv: $(k get pv "$pv" 2>&1)"
done
ok "each claim data-db-N is bound to its own PersistentVolume of class db-disks (Retain)"

[ "$(jpath pdb/db '{.status.currentHealthy} {.status.desiredHealthy} {.status.disruptionsAllowed}')" = "3 2 1" ] ||
  fail "pdb status: $(k get pdb db -o yaml | tail -20)"
evict() {  # evict POD: POST its Eviction, as kubectl drain does; prints kubectl's answer
  printf '{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"%s","namespace":"default"}}' "$1" \
    >"$KINDA_HOME/eviction.json"
  k create --raw "/api/v1/namespaces/default/pods/$1/eviction" -f "$KINDA_HOME/eviction.json" 2>&1
}
evict db-1 >/dev/null || fail "evicting db-1 with one disruption allowed: $(evict db-1)"
# The eviction itself spends the allowed disruption: db-2 is refused at once.
out=$(evict db-2) && fail "db-2 evicted while db-1 was down: $out"
grep -q "Cannot evict pod as it would violate the pod's disruption budget" <<<"$out" ||
  fail "eviction of db-2: $out"
ok "with 3 healthy and 2 needed, db-1 is evicted and db-2 refused (429, the budget's message)"
k wait --for=condition=Ready pod/db-1 --timeout=120s >/dev/null || fail "db-1 not Ready again"
wait_for "budget back to 1 allowed" test "$(jpath pdb/db '{.status.disruptionsAllowed}')" = 1
node0=$(jpath pod/db-0 '{.spec.nodeName}')
k drain "$node0" --ignore-daemonsets --delete-emptydir-data --timeout=120s >/dev/null 2>&1 ||
  fail "drain of $node0"
k wait --for=condition=Ready pod/db-0 --timeout=120s >/dev/null || fail "db-0 not Ready again"
[ "$(jpath pod/db-0 '{.spec.nodeName}')" != "$node0" ] || fail "db-0 came back on the drained $node0"
k uncordon "$node0" >/dev/null
ok "kubectl drain of db-0's node evicted it through the budget; it came back on another node"

k delete -f "$example" --wait=true --timeout=120s >/dev/null 2>&1 || fail "delete -f"
wait_for "every pod gone" test -z "$(k get pods -o name)"
[ -z "$(k get rs,jobs -o name)" ] || fail "left behind: $(k get rs,jobs -o name)"
for i in 0 1 2; do k get pvc "data-db-$i" >/dev/null 2>&1 || fail "claim data-db-$i was deleted"; done
ok "kubectl delete -f took every workload and its pods and replica sets; the claims stay"
pv=$(jpath pvc/data-db-0 '{.spec.volumeName}')
k delete pvc data-db-0 --wait=true >/dev/null
wait_for "pv $pv Released" test "$(jpath "pv/$pv" '{.status.phase}')" = Released
data=$(jpath "pv/$pv" '{.spec.hostPath.path}')
[ -s "$data/PG_VERSION" ] || fail "the Released volume's data at '$data' is gone"
ok "a claim of the Retain class deleted: its volume stays Released, db-0's database still in it"

echo "$passed passed, 0 failed"
