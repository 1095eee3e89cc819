# Shared by the integration stories: a throwaway cluster home, failure reporting, bounded waits.
# Usage: `source lib.sh PREFIX` after `set -euo pipefail` and `kinda=$1`.
integration_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The interpreter itself, not a version manager's shim script in front of it (pyenv's costs a
# quarter of a second per start on a busy machine; fault stories start Python after every fault).
python=$(python3 -c 'import sys; print(sys.executable)')
export KINDA_HOME=$(mktemp -d "/tmp/kinda-$1.XXXXXX")
export KINDA_CLUSTER=$1-$$
# Tests keep every packet on loopback: names outside the cluster are refused, not forwarded to
# the host's resolvers (a test that wants forwarding passes its own --dns-upstream).
export KINDA_DNS_UPSTREAM=none
cleanup() { "$kinda" down --purge >/dev/null 2>&1 || true; rm -rf "$KINDA_HOME"; }
trap cleanup EXIT
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR
fail() { echo "FAIL: $*" >&2; exit 1; }
passed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
wait_for() {  # wait_for DESCRIPTION COMMAND…: retries until the command succeeds, 60 s at most
  local what=$1; shift
  for _ in $(seq 600); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done  # bounded retry
  fail "timed out waiting for $what"
}
has() {  # has TEXT COMMAND…: the command's output contains TEXT (no SIGPIPE under pipefail)
  local text=$1 out; shift
  out=$("$@") && grep -qF -- "$text" <<<"$out"
}
# web_service [PORT [PORT-NAME]]: the headless Service "web" (selector app=web) that the stories'
# StatefulSets name as their serviceName; port 8080 "http" unless given.
web_service() {
  cat <<YAML
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{port: ${1:-8080}, name: ${2:-http}}]
YAML
}
# web_set_head REPLICAS GRACE: StatefulSet "web" (serviceName web, selector app=web) up to its
# `containers:` line; each story appends its own containers (6 spaces deep) and claims.
web_set_head() {
  cat <<YAML
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: $1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: $2
      containers:
YAML
}
# Starts the cluster once so it writes config.json, sets KEY=JSON-VALUE pairs in it, restarts it.
up_with_config() {
  "$kinda" up --time-scale 0.2 >/dev/null
  "$kinda" down >/dev/null
  python3 - "$KINDA_HOME/$KINDA_CLUSTER/config.json" "$@" <<'PY'
import json, sys
path = sys.argv[1]
c = json.load(open(path))
for pair in sys.argv[2:]:
    key, value = pair.split("=", 1)
    c[key] = json.loads(value)
json.dump(c, open(path, "w"))
PY
  "$kinda" up --time-scale 0.2 >/dev/null
}
# pod_processes: every live (not zombie) process of this cluster's pods, one line each,
# "KIND NAMESPACE/POD PID", KIND being shim, sandbox or container (see pod_processes.py).
pod_processes() { "$python" "$integration_dir/pod_processes.py" "$KINDA_HOME/$KINDA_CLUSTER"; }
# doubled_identities: the pod identities that have more than one live shim or more than one live
# container process right now, as "NAMESPACE/POD KIND COUNT" lines (nothing when all is well).
doubled_identities() {
  pod_processes | awk '$1 != "sandbox" {n[$2 " " $1]++} END {for (k in n) if (n[k] > 1) print k, n[k]}'
}
# skip_unless_pod_namespaces: ends a story as skipped (77) on a running cluster whose pods cannot
# have their own resolver and mounts (isolation other than namespaces, i.e. not root).
skip_unless_pod_namespaces() {
  "$kinda" status | grep -q "Isolation: *namespaces$" ||
    { echo "skipped: the pods need their own resolver and mounts (isolation namespaces, root)"; exit 77; }
}
daemon_pid() { cat "$KINDA_HOME/$KINDA_CLUSTER/run/daemon.pid"; }
# A process that exists and is not a zombie (an orphan's zombie waits for init to reap it).
alive() { [ -e "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
sleep_ms() { sleep "$(($1 / 1000)).$(printf %03d $(($1 % 1000)))"; }
