#!/usr/bin/env bash
# coordination.k8s.io/v1 Leases, the kind CONTRIBUTING.md adds as its worked example: discovery
# and OpenAPI name them, apply/get/patch/delete work with kubectl's columns (NAME HOLDER AGE), a
# leader hand-over is an update with resourceVersion preconditions (what client-go's leader
# election does), bad specs get the API server's messages, and deleting the namespace deletes its
# leases. With kubectl installed, kubectl does the same over kinda's TCP listener.
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh" lease
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }

with_kubectl=false
if command -v kubectl >/dev/null; then with_kubectl=true; fi
listen=()
if $with_kubectl; then listen=(--api-listen 127.0.0.1:0); fi
"$kinda" up --time-scale 0.2 "${listen[@]}" >/dev/null
sock="$KINDA_HOME/$KINDA_CLUSTER/run/api.sock"
api() { curl -sS --unix-socket "$sock" "$@"; }

api http://kinda/apis | grep -q '"coordination.k8s.io"' || fail "discovery lacks coordination.k8s.io"
api http://kinda/apis/coordination.k8s.io/v1 | grep -q '"name":"leases"' || fail "no leases resource"
api http://kinda/openapi/v3/apis/coordination.k8s.io/v1 | grep -q 'io.k8s.api.coordination.v1.LeaseSpec' ||
  fail "OpenAPI lacks LeaseSpec"
ok "discovery and OpenAPI serve coordination.k8s.io/v1 leases"

"$kinda" create namespace election >/dev/null 2>&1 ||
  printf 'apiVersion: v1\nkind: Namespace\nmetadata: {name: election}\n' | "$kinda" apply -f - >/dev/null
cat >"$KINDA_HOME/lease.yaml" <<'YAML'
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: leader, namespace: election}
spec:
  holderIdentity: web-0
  leaseDurationSeconds: 15
  acquireTime: "2026-01-01T00:00:00.000000Z"
  renewTime: "2026-01-01T00:00:00.000000Z"
  leaseTransitions: 0
YAML
"$kinda" apply -f "$KINDA_HOME/lease.yaml" >/dev/null
table=$("$kinda" get leases -n election)
[ "$(head -1 <<<"$table" | tr -s ' ')" = "NAME HOLDER AGE" ] || fail "lease columns: $table"
grep -Eq '^leader +web-0 +[0-9]+s$' <<<"$table" || fail "lease row: $table"
ok "a Lease applies and prints kubectl's NAME HOLDER AGE"

# A hand-over as client-go's leader election writes it: an update carrying the resourceVersion
# it read, so a second candidate holding a stale copy gets a 409 Conflict.
lease=$(api http://kinda/apis/coordination.k8s.io/v1/namespaces/election/leases/leader)
taken=$("$python" -c '
import json, sys
l = json.loads(sys.argv[1])
l["spec"].update(holderIdentity="web-1", leaseTransitions=1, renewTime="2026-01-01T00:00:20.000000Z")
print(json.dumps(l))' "$lease")
code=$(api -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' --data "$taken" \
  http://kinda/apis/coordination.k8s.io/v1/namespaces/election/leases/leader)
[ "$code" = 200 ] || fail "the hand-over update: HTTP $code"
code=$(api -o "$KINDA_HOME/conflict" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
  --data "$taken" http://kinda/apis/coordination.k8s.io/v1/namespaces/election/leases/leader)
[ "$code" = 409 ] || fail "a stale candidate's update: HTTP $code $(cat "$KINDA_HOME/conflict")"
holder=$("$kinda" get lease leader -n election -o jsonpath='{.spec.holderIdentity}/{.spec.leaseTransitions}')
[ "$holder" = "web-1/1" ] || fail "after the hand-over: $holder"
ok "a hand-over updates the holder; a stale candidate gets 409 Conflict"

bad=$(sed 's/leaseDurationSeconds: 15/leaseDurationSeconds: 0/; s/name: leader/name: bad/' "$KINDA_HOME/lease.yaml")
if out=$("$kinda" apply -f - <<<"$bad" 2>&1); then fail "a zero duration was accepted"; fi
grep -q 'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0' <<<"$out" ||
  fail "zero duration message: $out"
ok "a Lease with a zero duration is refused with the API server's message"

if $with_kubectl; then
  export KUBECONFIG="$KINDA_HOME/kubeconfig"
  "$kinda" kubeconfig >"$KUBECONFIG"
  kubectl api-resources --api-group=coordination.k8s.io | grep -Eq '^leases +coordination.k8s.io/v1 +true +Lease$' ||
    fail "kubectl api-resources: $(kubectl api-resources --api-group=coordination.k8s.io)"
  [ "$(kubectl get leases -n election --no-headers | awk '{print $1, $2}')" = "leader web-1" ] ||
    fail "kubectl get leases: $(kubectl get leases -n election)"
  kubectl patch lease leader -n election --type merge -p '{"spec":{"holderIdentity":"web-2"}}' >/dev/null
  [ "$(kubectl get lease leader -n election -o jsonpath='{.spec.holderIdentity}')" = web-2 ] ||
    fail "kubectl patch lease"
  kubectl apply --server-side -f "$KINDA_HOME/lease.yaml" --force-conflicts >/dev/null
  [ "$(kubectl get lease leader -n election -o jsonpath='{.spec.holderIdentity}')" = web-0 ] ||
    fail "kubectl apply --server-side of a lease"
  ok "kubectl lists, patches and server-side applies leases"
else
  echo "ok - kubectl part skipped: kubectl is not installed"
fi

"$kinda" delete namespace election >/dev/null
code=$(api -o /dev/null -w '%{http_code}' http://kinda/apis/coordination.k8s.io/v1/namespaces/election/leases/leader)
[ "$code" = 404 ] || fail "the namespace's lease outlived it: HTTP $code"
ok "deleting the namespace deletes its leases"
echo "passed $passed"
