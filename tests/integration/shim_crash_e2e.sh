#!/usr/bin/env bash
# Pods survive their daemon: kill -9 of the daemon at several points of a rolling restart never
# leaves two process trees for one pod identity; the restarted daemon re-adopts the same pids;
# a killed shim gets its pod recreated; resource limits become cgroups (OOMKilled); and shims
# whose daemon stays gone stop their pods by themselves.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" shim
root="$KINDA_HOME/$KINDA_CLUSTER"

# Shims of this cluster serving identity $1 (a pod name), and that identity's container processes
# (session leaders carrying the pod marker); one scan of /proc each (lib.sh pod_processes).
shims_of() { pod_processes | awk -v id="default/$1" '$1 == "shim" && $2 == id' | wc -l; }
containers_of() { pod_processes | awk -v id="default/$1" '$1 == "container" && $2 == id' | wc -l; }
at_most_one_tree() {
  local doubled
  doubled=$(doubled_identities)
  [ -z "$doubled" ] || fail "more than one process tree ($1): $doubled"
}

# A shim waits 20 s (4 s at this time scale) for a vanished daemon before stopping its pod.
up_with_config shimOrphanGraceSeconds=20

cat > "$KINDA_HOME/web.yaml" <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {clusterIP: None, selector: {app: web}, ports: [{port: 80, name: web}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}, annotations: {restartedAt: "0"}}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: app
        image: busybox
        command: [sh, -c, 'trap "exit 0" TERM; echo up; while true; do sleep 0.2; done']
        resources: {limits: {memory: 64Mi, cpu: 500m}}
        readinessProbe: {exec: {command: [sh, -c, ': kinda-probe']}, periodSeconds: 1}
YAML
"$kinda" apply -f "$KINDA_HOME/web.yaml" >/dev/null
wait_for "3 ready" sh -c "[ \"\$('$kinda' get sts web -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"status\"].get(\"readyReplicas\",0))')\" = 3 ]"

# ---- the same pids after kill -9 of the daemon ----
pids_before=$(for i in 0 1 2; do "$kinda" get pod "web-$i" -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["containerStatuses"][0]["containerID"])'; done)
kill -9 "$(daemon_pid)"
"$kinda" up >/dev/null
pids_after=$(for i in 0 1 2; do "$kinda" get pod "web-$i" -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["containerStatuses"][0]["containerID"])'; done)
[ "$pids_before" = "$pids_after" ] || fail "containers not re-adopted: $pids_before vs $pids_after"
at_most_one_tree "after a plain restart"
ok "kill -9 of the daemon: pods keep running and are re-adopted with the same pids"

# ---- kill -9 at several points of a rolling restart ----
points=0
for round in 1 2 3; do
  sed "s/restartedAt: \"[0-9]*\"/restartedAt: \"$round\"/" "$KINDA_HOME/web.yaml" > "$KINDA_HOME/web-$round.yaml"
  "$kinda" apply -f "$KINDA_HOME/web-$round.yaml" >/dev/null
  for delay in 0.1 0.4 0.9; do
    sleep "$delay"  # the crash point inside the rollout, not a wait for a condition
    at_most_one_tree "before crash point $round/$delay"
    kill -9 "$(daemon_pid)"
    at_most_one_tree "with the daemon dead at $round/$delay"
    "$kinda" up >/dev/null
    at_most_one_tree "just after restart at $round/$delay"
    points=$((points + 1))
  done
  rolled() {
    "$kinda" get sts web -o json | python3 -c '
import json,sys; s=json.load(sys.stdin)["status"]
sys.exit(0 if s.get("updatedReplicas")==3 and s.get("readyReplicas")==3 and s.get("currentRevision")==s.get("updateRevision") else 1)'
  }
  wait_for "rollout $round complete" rolled
  at_most_one_tree "after rollout $round"
  for i in 0 1 2; do
    [ "$(shims_of "web-$i")" = 1 ] && [ "$(containers_of "web-$i")" = 1 ] || fail "web-$i not running once after rollout $round"
    [ "$("$kinda" get pod "web-$i" -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["annotations"]["restartedAt"])')" = "$round" ] ||
      fail "web-$i not at revision $round"
  done
done
ok "kill -9 at $points points of 3 rolling restarts: at most one process tree per identity, rollouts converge"

# ---- a killed shim: its pod is recreated, nothing of the old one survives ----
old_shim=$(cat "$root/pods/default/web-1/shim.lock")
old_container=$("$kinda" get pod web-1 -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["containerStatuses"][0]["containerID"].rsplit("/",1)[1])')
kill -9 "$old_shim"
wait_for "web-1 with a new shim" sh -c "[ \"\$(cat '$root/pods/default/web-1/shim.lock' 2>/dev/null)\" != '$old_shim' ] && '$kinda' wait --for=condition=Ready pod/web-1 --timeout=1s"
! alive "$old_container" || fail "the killed shim's container $old_container survived"
[ "$(shims_of web-1)" = 1 ] && [ "$(containers_of web-1)" = 1 ] || fail "web-1 after shim kill"
ok "a killed shim's pod is recreated and its old processes end"

# ---- resource limits: a cgroup per container, OOMKilled reported ----
cgroups=$("$kinda" status | awk '/^Cgroup limits:/ {print $3}')
cat > "$KINDA_HOME/hog.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: hog}
spec:
  restartPolicy: Never
  containers:
  - name: hog
    image: busybox
    command: [python3, -c, 'import time; time.sleep(0.3); b = bytearray(256 * 1024 * 1024); print(len(b))']
    resources: {limits: {memory: 32Mi}}
YAML
"$kinda" apply -f "$KINDA_HOME/hog.yaml" >/dev/null
if [ "$cgroups" = v1 ] || [ "$cgroups" = v2 ]; then
  wait_for "hog Failed" sh -c "[ \"\$('$kinda' get pod hog -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"status\"][\"phase\"])')\" = Failed ]"
  reason=$("$kinda" get pod hog -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["containerStatuses"][0]["state"]["terminated"]["reason"])')
  [ "$reason" = OOMKilled ] || fail "hog ended with $reason, want OOMKilled"
  ok "memory limit enforced through cgroups ($cgroups): OOMKilled"
else
  wait_for "limits reported as not enforced" sh -c "'$kinda' get events | grep -q ResourceLimitsNotEnforced"
  ok "# SKIP cgroups unavailable ($cgroups); limits reported as not enforced"
fi

# ---- kinda down with the daemon already dead: down stops the orphaned pods ----
shims=$(for i in 0 1 2; do cat "$root/pods/default/web-$i/shim.lock"; done)
kill -9 "$(daemon_pid)"
"$kinda" down >/dev/null
for s in $shims; do ! alive "$s" || fail "shim $s still alive after down"; done
for i in 0 1 2; do [ "$(containers_of "web-$i")" = 0 ] || fail "web-$i still running after down"; done
ok "down without a daemon stops the pods its shims kept running"
"$kinda" up >/dev/null
wait_for "3 ready again" sh -c "[ \"\$('$kinda' get sts web -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"status\"].get(\"readyReplicas\",0))')\" = 3 ]"

# ---- a daemon gone for good: the shims stop their pods themselves ----
shims=$(for i in 0 1 2; do cat "$root/pods/default/web-$i/shim.lock"; done)
kill -9 "$(daemon_pid)"
gone() { for s in $shims; do ! alive "$s" || return 1; done; }
wait_for "orphaned shims to stop their pods" gone
for i in 0 1 2; do [ "$(containers_of "web-$i")" = 0 ] || fail "web-$i still running without a daemon"; done
ok "shims whose daemon stays gone stop their pods gracefully"

echo "$passed passed, 0 failed"
