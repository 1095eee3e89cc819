#!/usr/bin/env bash
# Unmodified kubectl against kinda: the seeds' Redis StatefulSet and headless Service
# (examples/redis-statefulset.yaml) driven with kubectl alone through the cluster's HTTPS listener
# and `kinda kubeconfig`: apply (create, unchanged, configured), rollout status and wait, get in
# its forms (-o wide, -o yaml, -w), describe, scale with and without a precondition, rollout
# restart/history/undo, logs and logs -f, exec (with stdin and a terminal), delete with each
# propagation policy, and the errors for unknown resources. Results are checked with
# `kinda get … -o json` and on disk.
# Exit 77 (skipped): kubectl or redis-server is not installed.
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v kubectl >/dev/null || { echo "skipped: kubectl is not installed"; exit 77; }
command -v redis-server >/dev/null ||
  { echo "skipped: redis-server is not installed (Debian: apt-get install redis-server)"; exit 77; }
source "$here/lib.sh" kubectl
manifest=$here/../../examples/redis-statefulset.yaml
volumes=$KINDA_HOME/$KINDA_CLUSTER/volumes/default
export KUBECONFIG=$KINDA_HOME/kubeconfig
# kubectl keeps its discovery cache under $HOME; this cluster's stays in the test's home.
kubectl=(kubectl --cache-dir "$KINDA_HOME/kube-cache")
k() { timeout 120 "${kubectl[@]}" "$@"; }
json() { "$kinda" get "$@" -o json; }
py() { "$python" -c "import json,sys; o=json.load(sys.stdin); print($1)"; }
names() { json "$1" | py "' '.join(sorted(i['metadata']['name'] for i in o['items']))"; }
# Background kubectl runs (followers, watchers; bounded by timeout) end by their own pid at exit.
bg_pids=()
trap 'for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null || true; done; cleanup' EXIT

"$kinda" up --time-scale 0.2 --api-listen 127.0.0.1:0 >/dev/null
"$kinda" kubeconfig >"$KUBECONFIG"
[ "$(k config current-context)" = "kinda-$KINDA_CLUSTER" ] || fail "context: $(k config current-context)"

# apply: created, then unchanged, then configured (client-side: the last-applied annotation and a
# strategic merge patch).
out=$(k apply -f "$manifest")
[ "$out" = $'service/redis-svc created\nstatefulset.apps/redis created' ] || fail "apply said: $out"
[ "$(json sts redis | py "json.loads(o['metadata']['annotations']['kubectl.kubernetes.io/last-applied-configuration'])['spec']['serviceName']")" = redis-svc ] ||
  fail "no last-applied-configuration on the set"
out=$(k rollout status sts/redis --timeout=110s)
grep -qx "partitioned roll out complete: 3 new pods have been updated..." <<<"$out" || fail "rollout status: $out"
out=$(k wait --for=condition=Ready pod -l app=redis --timeout=60s)
[ "$(grep -c "condition met" <<<"$out")" = 3 ] || fail "wait: $out"
[ "$(names pods)" = "redis-0 redis-1 redis-2" ] || fail "pods: $(names pods)"
[ "$(json sts redis | py "o['status']['readyReplicas']")" = 3 ] || fail "readyReplicas"
ok "kubectl apply creates the Service and StatefulSet; rollout status and wait see 3 Ready pods"

# As against a real API server, the set's volumeClaimTemplates come back with their defaults
# (kind, status.phase), so kubectl's patch replaces that atomic list with itself: "configured",
# but nothing changes.
out=$(k apply -f "$manifest")
grep -qx "service/redis-svc unchanged" <<<"$out" &&
  grep -Eqx "statefulset.apps/redis (unchanged|configured)" <<<"$out" || fail "second apply said: $out"
[ "$(json sts redis | py "o['metadata']['generation']")" = 1 ] || fail "a second apply changed the spec"
sed 's/^  name: redis$/  name: redis\n  labels: {tier: cache}/' "$manifest" >"$KINDA_HOME/labelled.yaml"
out=$(k apply -f "$KINDA_HOME/labelled.yaml")
grep -qx "statefulset.apps/redis configured" <<<"$out" || fail "labelled apply said: $out"
[ "$(json sts redis | py "o['metadata']['labels']['tier']")" = cache ] || fail "label not applied"
[ "$(json sts redis | py "o['metadata']['generation']")" = 1 ] || fail "a label changed the generation"
ok "a second apply is unchanged; a changed manifest is configured by strategic merge patch"

# get in kubectl's forms (server-side Tables), describe with events.
out=$(k get sts redis)
grep -Eq '^NAME +READY +AGE$' <<<"$(head -1 <<<"$out")" && grep -Eq '^redis +3/3 ' <<<"$out" || fail "get sts: $out"
out=$(k get pods -o wide)
grep -Eq '^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE ' <<<"$out" || fail "get pods -o wide: $out"
for i in 0 1 2; do
  grep -Eq "^redis-$i +1/1 +Running +0 .* $(json pod "redis-$i" | py "o['status']['podIP']") " <<<"$out" ||
    fail "redis-$i in get pods -o wide: $out"
done
out=$(k get pvc)
grep -Eq '^data-redis-0 +Bound ' <<<"$out" || fail "get pvc: $out"
grep -qx '  readyReplicas: 3' <<<"$(k get sts redis -o yaml)" || fail "get -o yaml: $(k get sts redis -o yaml)"
[ "$(k get sts redis -o jsonpath='{.spec.serviceName}')" = redis-svc ] || fail "jsonpath"
out=$(k describe sts redis)
grep -q "^Pods Status: *3 Running / 0 Waiting / 0 Succeeded / 0 Failed" <<<"$out" &&
  grep -q "create Pod redis-2 in StatefulSet redis successful" <<<"$out" || fail "describe sts: $out"
out=$(k describe pod redis-0)
grep -q "^Controlled By: *StatefulSet/redis" <<<"$out" && grep -q "ClaimName: *data-redis-0" <<<"$out" &&
  grep -q "Successfully assigned default/redis-0" <<<"$out" || fail "describe pod: $out"
out=$(k describe svc redis-svc)
grep -q "^Selector: *app=redis" <<<"$out" || fail "describe svc: $out"
out=$(k describe pvc data-redis-1)
grep -q "^Used By: *redis-1" <<<"$out" && grep -q "^Status: *Bound" <<<"$out" || fail "describe pvc: $out"
ok "get (table, -o wide, -o yaml, jsonpath) and describe (sts, pod, svc, pvc with their events)"

# get -w: a watch sees a deleted pod go and come back (the set recreates it).
timeout 120 "${kubectl[@]}" get pods -l app=redis -w --output-watch-events >"$KINDA_HOME/watch" 2>&1 &
bg_pids+=($!)
wait_for "the watch's first rows" grep -q "redis-2" "$KINDA_HOME/watch"
uid=$(json pod redis-1 | py "o['metadata']['uid']")
out=$(k delete pod redis-1)
[ "$out" = 'pod "redis-1" deleted' ] || fail "delete pod said: $out"
wait_for "DELETED redis-1 on the watch" grep -Eq "^DELETED +redis-1 " "$KINDA_HOME/watch"
k wait --for=condition=Ready pod/redis-1 --timeout=60s >/dev/null
[ "$(json pod redis-1 | py "o['metadata']['uid']")" != "$uid" ] || fail "redis-1 was not recreated"
wait_for "redis-1 Running again on the watch" grep -Eq "^(ADDED|MODIFIED) +redis-1 +1/1 +Running" "$KINDA_HOME/watch"
kill "${bg_pids[-1]}"
ok "get -w shows redis-1 deleted and back, Ready"

# logs: tail, container, follow until the container stops.
out=$(k logs redis-0 --tail=200)
grep -q "Ready to accept connections" <<<"$out" || fail "logs redis-0: $out"
[ "$(k logs redis-1 -c redis --tail=2 | wc -l)" = 2 ] || fail "logs --tail=2"
! k logs redis-0 -c nosuch >/dev/null 2>"$KINDA_HOME/err" || fail "a missing container's logs"
grep -q 'container nosuch is not valid for pod redis-0' "$KINDA_HOME/err" || fail "logs -c nosuch: $(cat "$KINDA_HOME/err")"
ok "logs with --tail and -c; an unknown container is named"

# exec (WebSocket, v5.channel.k8s.io): stdout and stderr apart, the exit code, stdin, the pod's
# environment and volume, a terminal (when script(1) can give kubectl one).
[ "$(k exec redis-0 -- redis-cli ping)" = PONG ] || fail "exec redis-cli ping"
rc=0
k exec redis-1 -- sh -c 'echo out; echo err >&2; exit 3' >"$KINDA_HOME/out" 2>"$KINDA_HOME/err" || rc=$?
[ "$rc" = 3 ] && [ "$(cat "$KINDA_HOME/out")" = out ] && grep -qx err "$KINDA_HOME/err" &&
  grep -qx "command terminated with exit code 3" "$KINDA_HOME/err" || fail "exec exit 3: rc $rc, $(cat "$KINDA_HOME/out" "$KINDA_HOME/err")"
[ "$(printf 'one\ntwo\n' | k exec -i redis-2 -- wc -l)" = 2 ] || fail "exec -i"
k exec redis-0 -- sh -c 'echo "$POD_NAME" > "${KINDA_VOLUME_DATA:-/data}/written-by-exec"'
[ "$(cat "$volumes/data-redis-0/written-by-exec")" = redis-0 ] || fail "exec did not write into data-redis-0"
! k exec redis-0 -c nope -- true 2>"$KINDA_HOME/err" || fail "exec into a missing container"
grep -qx 'Error from server (BadRequest): container nope is not valid for pod redis-0' "$KINDA_HOME/err" ||
  fail "exec -c nope: $(cat "$KINDA_HOME/err")"
if command -v script >/dev/null; then
  rc=0
  # The first resize may reach the terminal just after the shell has read its first line: the
  # shell looks (a bounded retry) until the size is there.
  printf 'i=0; while [ "$(stty size)" = "0 0" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; stty size\nexit 4\n' | timeout 60 script -qec "stty cols 91 rows 27; ${kubectl[*]} exec -it redis-0 -- sh" /dev/null >"$KINDA_HOME/tty" || rc=$?
  [ "$rc" = 4 ] && grep -q "27 91" "$KINDA_HOME/tty" || fail "exec -it: rc $rc, $(cat -A "$KINDA_HOME/tty")"
fi
ok "exec: output, stderr and exit code apart, stdin, the pod's env and volume, a terminal with its size"

# A command still running when its daemon is killed has lost its client: the next daemon ends it
# (the pod's own processes stay, re-adopted).
timeout 120 "${kubectl[@]}" exec redis-2 -- sh -c 'echo $$ > "${KINDA_VOLUME_DATA:-/data}/exec.pid"; exec sleep 600' >/dev/null 2>&1 &
bg_pids+=($!)
wait_for "the exec'd command's pid" test -s "$volumes/data-redis-2/exec.pid"
exec_pid=$(cat "$volumes/data-redis-2/exec.pid")
redis_pid=$(json pod redis-2 | py "o['status']['containerStatuses'][0]['containerID'].rsplit('/', 1)[1]")
alive "$exec_pid" || fail "the exec'd command is not running"
kill -9 "$(cat "$KINDA_HOME/$KINDA_CLUSTER/run/daemon.pid")"
"$kinda" up >/dev/null
wait_for "the exec'd command to end after the restart" sh -c "! [ -e /proc/$exec_pid ] || [ \"\$(awk '{print \$3}' /proc/$exec_pid/stat)\" = Z ]"
alive "$redis_pid" || fail "redis-2's container did not survive the daemon"
[ "$(k exec redis-2 -- echo back)" = back ] || fail "exec after the restart"
ok "a daemon killed under a running exec: the next one ends the command and keeps the pod"

# scale: up with PVCs created, down with PVCs kept; a failed precondition changes nothing.
out=$(k scale sts redis --replicas=5)
[ "$out" = "statefulset.apps/redis scaled" ] || fail "scale said: $out"
k rollout status sts/redis --timeout=110s >/dev/null
[ "$(names pods)" = "redis-0 redis-1 redis-2 redis-3 redis-4" ] || fail "after scale up: $(names pods)"
timeout 120 "${kubectl[@]}" logs -f redis-4 >"$KINDA_HOME/follow" 2>&1 &
follower=$!
bg_pids+=($follower)
wait_for "redis-4's log" grep -q "Ready to accept connections" "$KINDA_HOME/follow"
! k scale sts redis --current-replicas=3 --replicas=2 2>"$KINDA_HOME/err" || fail "a wrong precondition scaled"
grep -q "Expected replicas to be 3, was 5" "$KINDA_HOME/err" || fail "precondition: $(cat "$KINDA_HOME/err")"
[ "$(json sts redis | py "o['spec']['replicas']")" = 5 ] || fail "the failed precondition scaled"
out=$(k scale statefulset/redis --current-replicas=5 --replicas=2)
[ "$out" = "statefulset.apps/redis scaled" ] || fail "scale down said: $out"
k wait --for=delete pod/redis-4 pod/redis-3 pod/redis-2 --timeout=110s >/dev/null
# The follower ends by itself once redis-4's container has stopped.
for _ in $(seq 600); do alive "$follower" || break; sleep 0.1; done # bounded: 60 s
! alive "$follower" || fail "logs -f did not end with its container"
grep -q "Received SIGTERM" "$KINDA_HOME/follow" || fail "logs -f: $(tail -5 "$KINDA_HOME/follow")"
[ "$(names pods)" = "redis-0 redis-1" ] || fail "after scale down: $(names pods)"
[ "$(names pvc)" = "data-redis-0 data-redis-1 data-redis-2 data-redis-3 data-redis-4" ] || fail "claims: $(names pvc)"
for i in 0 1 2 3 4; do [ -d "$volumes/data-redis-$i/appendonlydir" ] || fail "no data in data-redis-$i"; done
ok "scale to 5 and (with --current-replicas) to 2; claims and their data stay; logs -f followed redis-4 to its SIGTERM"

# rollout restart, status, history, undo.
k scale sts redis --replicas=3 >/dev/null
k rollout status sts/redis --timeout=110s >/dev/null
first=$(json sts redis | py "o['status']['updateRevision']")
k annotate sts redis kubernetes.io/change-cause="restart for the test" >/dev/null
out=$(k rollout restart sts/redis)
[ "$out" = "statefulset.apps/redis restarted" ] || fail "restart said: $out"
out=$(k rollout status sts/redis --timeout=110s)
grep -qx "partitioned roll out complete: 3 new pods have been updated..." <<<"$out" || fail "status: $out"
second=$(json sts redis | py "o['status']['updateRevision']")
[ "$second" != "$first" ] || fail "restart made no new revision"
for i in 0 1 2; do
  [ "$(json pod "redis-$i" | py "o['metadata']['labels']['controller-revision-hash']")" = "$second" ] ||
    fail "redis-$i not restarted"
done
out=$(k rollout history sts/redis)
grep -Eq '^1 +<none>$' <<<"$out" && grep -Eq '^2 +restart for the test$' <<<"$out" || fail "history: $out"
has "kubectl.kubernetes.io/restartedAt:" k rollout history sts/redis --revision=2 || fail "history --revision=2"
out=$(k rollout undo sts/redis)
[ "$out" = "statefulset.apps/redis rolled back" ] || fail "undo said: $out"
k rollout status sts/redis --timeout=110s >/dev/null
[ "$(json sts redis | py "o['status']['updateRevision']")" = "$first" ] || fail "undo did not go back"
[ "$(json sts redis | py "'restartedAt' in str(o['spec']['template']['metadata'])")" = False ] ||
  fail "the template kept restartedAt"
out=$(k rollout history sts/redis)
grep -Eq '^2 +restart for the test$' <<<"$out" && grep -Eq '^3 +<none>$' <<<"$out" || fail "history after undo: $out"
k rollout undo sts/redis --to-revision=2 >/dev/null
k rollout status sts/redis --timeout=110s >/dev/null
[ "$(json sts redis | py "o['status']['updateRevision']")" = "$second" ] || fail "undo --to-revision=2"
ok "rollout restart, status, history (with change-cause and --revision), undo and undo --to-revision"

# Unknown resources: kubectl's own error, and the API's 404 NotFound Status.
! k get foo 2>"$KINDA_HOME/err" >/dev/null || fail "get foo succeeded"
grep -qx 'error: the server doesn'"'"'t have a resource type "foo"' "$KINDA_HOME/err" || fail "get foo: $(cat "$KINDA_HOME/err")"
! k get --raw /apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers 2>"$KINDA_HOME/err" >/dev/null ||
  fail "horizontalpodautoscalers served"
grep -qx 'Error from server (NotFound): the server could not find the requested resource' "$KINDA_HOME/err" ||
  fail "horizontalpodautoscalers: $(cat "$KINDA_HOME/err")"
! k get pod nosuch 2>"$KINDA_HOME/err" >/dev/null || fail "get pod nosuch succeeded"
grep -qx 'Error from server (NotFound): pods "nosuch" not found' "$KINDA_HOME/err" || fail "nosuch: $(cat "$KINDA_HOME/err")"
! k attach redis-0 2>"$KINDA_HOME/err" >/dev/null || fail "attach succeeded"
grep -q "kinda does not attach to a container's own stdio" "$KINDA_HOME/err" || fail "attach: $(cat "$KINDA_HOME/err")"
! k port-forward redis-0 16379:6379 2>"$KINDA_HOME/err" >/dev/null || fail "port-forward succeeded"
grep -q "^error: error upgrading connection: kinda does not forward ports: every pod has its own loopback address" "$KINDA_HOME/err" ||
  fail "port-forward: $(cat "$KINDA_HOME/err")"
ok "get foo, an unserved API, a missing pod, attach and port-forward get clear errors"

# delete: Orphan keeps the pods (adopted again by the next set), Foreground returns once the pods
# are gone, Background (delete -f) lets the garbage collector take them; claims always stay.
out=$(k delete sts redis --cascade=orphan)
[ "$out" = 'statefulset.apps "redis" deleted' ] || fail "orphan delete said: $out"
[ "$(names pods)" = "redis-0 redis-1 redis-2" ] || fail "orphaned pods: $(names pods)"
[ "$(json pods | py "sum(len(i['metadata'].get('ownerReferences', [])) for i in o['items'])")" = 0 ] ||
  fail "orphans still name their owner"
k apply -f "$manifest" >/dev/null
uid=$(json sts redis | py "o['metadata']['uid']")
adopted() { [ "$(json pods | py "sorted(set(i['metadata'].get('ownerReferences', [{}])[0].get('uid') for i in o['items']))")" = "['$uid']" ]; }
wait_for "the orphans adopted" adopted
ok "delete --cascade=orphan keeps the pods; the next set adopts them"
out=$(k delete sts redis --cascade=foreground --timeout=110s)
[ "$out" = 'statefulset.apps "redis" deleted' ] || fail "foreground delete said: $out"
[ "$(names pods)" = "" ] || fail "pods left after a foreground delete: $(names pods)"
! "$kinda" get sts redis >/dev/null 2>&1 || fail "the set is still there"
ok "delete --cascade=foreground returns once the set and its pods are gone"
k apply -f "$manifest" >/dev/null
k rollout status sts/redis --timeout=110s >/dev/null
out=$(k delete -f "$manifest")
[ "$out" = $'service "redis-svc" deleted\nstatefulset.apps "redis" deleted' ] || fail "delete -f said: $out"
k wait --for=delete pod/redis-0 pod/redis-1 pod/redis-2 --timeout=110s >/dev/null
[ "$(names pods)" = "" ] && [ "$(names sts)" = "" ] && [ "$(names svc)" = "" ] || fail "left: $(names pods) $(names sts)"
[ "$(names pvc)" = "data-redis-0 data-redis-1 data-redis-2 data-redis-3 data-redis-4" ] || fail "claims: $(names pvc)"
for i in 0 1 2 3 4; do [ -d "$volumes/data-redis-$i/appendonlydir" ] || fail "data-redis-$i lost its data"; done
ok "delete -f (background): the garbage collector removes the pods; the claims and their data stay"

echo "PASS: $passed checks"
