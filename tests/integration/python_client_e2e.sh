#!/usr/bin/env bash
# The official Kubernetes Python client (Debian's python3-kubernetes, run by the system
# interpreter: a pyenv python on PATH lacks Debian's modules) against the cluster's HTTPS listener
# through the kubeconfig `kinda kubeconfig` writes: the seeds' Redis Service and StatefulSet as
# typed objects through CoreV1Api/AppsV1Api, a watch until Ready, the scale subresource, pod logs
# and deletion (python_client_e2e.py), then the results checked with kinda and on disk.
# Exit 77 (skipped): python3-kubernetes or redis-server is not installed (scripts/setup installs both).
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
python_system=/usr/bin/python3
"$python_system" -c 'import kubernetes, yaml' 2>/dev/null ||
  { echo "skipped: $python_system cannot import kubernetes (Debian: apt-get install python3-kubernetes)"; exit 77; }
command -v redis-server >/dev/null ||
  { echo "skipped: redis-server is not installed (Debian: apt-get install redis-server)"; exit 77; }
source "$here/lib.sh" pyclient
volumes=$KINDA_HOME/$KINDA_CLUSTER/volumes/default
json() { "$kinda" get "$@" -o json; }
names() { json "$1" | "$python" -c "import json,sys; print(' '.join(sorted(i['metadata']['name'] for i in json.load(sys.stdin)['items'])))"; }

"$kinda" up --time-scale 0.2 --api-listen 127.0.0.1:0 >/dev/null
"$kinda" kubeconfig >"$KINDA_HOME/kubeconfig"
# The client keeps nothing outside the test's home.
HOME=$KINDA_HOME timeout 400 "$python_system" "$here/python_client_e2e.py" "$KINDA_HOME/kubeconfig" \
  "$here/../../examples/redis-statefulset.yaml" || fail "the Python client's story failed"

[ "$(names pods)" = "" ] && [ "$(names sts)" = "" ] && [ "$(names svc)" = "" ] ||
  fail "left after the client's deletes: pods '$(names pods)' sets '$(names sts)' services '$(names svc)'"
[ "$(names pvc)" = "data-redis-0 data-redis-1 data-redis-2" ] || fail "claims: $(names pvc)"
for i in 0 1 2; do [ -d "$volumes/data-redis-$i/appendonlydir" ] || fail "data-redis-$i has no data"; done
json events | "$python" -c '
import json, sys
reasons = {(e["involvedObject"]["name"], e["reason"]) for e in json.load(sys.stdin)["items"]}
for want in [("redis", "SuccessfulCreate"), ("redis", "SuccessfulDelete"), ("redis-2", "Killing")]:
    assert want in reasons, (want, sorted(reasons))' || fail "events"
ok "kinda sees what the client did: set, service and pods gone, the 3 claims and their data kept, the controller's events"
echo "PASS: $passed checks (and the client's own above)"
