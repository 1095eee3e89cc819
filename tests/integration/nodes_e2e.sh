#!/usr/bin/env bash
# Simulated nodes, the user's story: a 3-node cluster spreads a 3-replica StatefulSet over its
# nodes; a cordoned node takes no new pods; a pod pinned to a cordoned node waits in Pending with
# the scheduler's message until the node is uncordoned; drain evicts (bare pods only with --force)
# and the set's pod comes back elsewhere; a failed node loses its pod's processes at once (SIGKILL,
# no preStop, no SIGTERM), and the pod returns on another node with the same name, its own PVC and
# the data written before; the failed node stays NotReady across a daemon restart until recovered.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" nodes

{
  web_service; echo ---; web_set_head 3 30
  cat <<'YAML'
      - name: web
        image: busybox
        command:
        - sh
        - -c
        - |
          D=${KINDA_VOLUME_DATA:-/data}
          trap 'echo TERM $(POD_NAME) >> $D/signals; exit 0' TERM
          echo started $(POD_NAME) >> $D/log
          echo $$$$ > $D/pid  # $$ escapes $ in Kubernetes variable expansion
          while true; do sleep 1; done
        lifecycle:
          preStop:
            exec: {command: [sh, -c, 'echo preStop >> ${KINDA_VOLUME_DATA:-/data}/signals']}
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
YAML
} > "$KINDA_HOME/web.yaml"

c=$KINDA_CLUSTER
n1=$c-node n2=$c-node2 n3=$c-node3
field() { "$kinda" get "$1" "$2" -o json | python3 -c "import json,sys; o=json.load(sys.stdin); print(eval('o' + sys.argv[1]))" "$3"; }
node_of() { field pod "$1" "['spec'].get('nodeName','')"; }
uid_of() { field "$1" "$2" "['metadata']['uid']"; }
status_of() { "$kinda" get nodes | awk -v n="$1" '$1 == n {print $2}'; }
ready() { "$kinda" wait --for=condition=Ready "pod/$1" --timeout=60s >/dev/null; }
volume() { echo "$KINDA_HOME/$c/volumes/default/data-$1"; }
is_status() { [ "$(status_of "$1")" = "$2" ]; }
pods_on() { "$kinda" get pods -o json | python3 -c 'import json,sys; print(" ".join(p["metadata"]["name"] for p in json.load(sys.stdin)["items"] if p["spec"].get("nodeName") == sys.argv[1]))' "$1"; }
is_gone() { ! kill -0 "$1" 2>/dev/null; }
replaced() { local now; now=$(uid_of pod "$1" 2>/dev/null) && [ -n "$now" ] && [ "$now" != "$2" ]; }

"$kinda" up --nodes 3 --time-scale 0.2 >/dev/null
[ "$("$kinda" get nodes -o name | tr '\n' ' ')" = "node/$n1 node/$n2 node/$n3 " ] || fail "nodes: $("$kinda" get nodes)"
for n in "$n1" "$n2" "$n3"; do is_status "$n" Ready || fail "$n not Ready: $("$kinda" get nodes)"; done
has "v1.32.0-kinda" "$kinda" get nodes || fail "VERSION column"
has "kubernetes.io/hostname=$n2" "$kinda" describe node "$n2" || fail "hostname label"
ok "kinda up --nodes 3 registers three Ready nodes"

"$kinda" apply -f "$KINDA_HOME/web.yaml" >/dev/null
for i in 0 1 2; do wait_for "web-$i" "$kinda" get pod "web-$i"; ready "web-$i"; done
[ "$(node_of web-0) $(node_of web-1) $(node_of web-2)" = "$n1 $n2 $n3" ] || fail "spread: $("$kinda" get pods -o wide)"
has "$n2" "$kinda" get pod web-1 -o wide || fail "NODE column"
ok "a 3-replica StatefulSet spreads over the 3 nodes"

[ "$("$kinda" cordon "$n2")" = "node/$n2 cordoned" ] || fail "cordon output"
[ "$("$kinda" cordon "$n2")" = "node/$n2 already cordoned" ] || fail "cordon again"
is_status "$n2" Ready,SchedulingDisabled || fail "cordoned status: $("$kinda" get nodes)"
has "node.kubernetes.io/unschedulable:NoSchedule" "$kinda" describe node "$n2" || fail "cordon taint"
old=$(uid_of pod web-1)
"$kinda" delete pod web-1 >/dev/null
wait_for "web-1 recreated" replaced web-1 "$old"
ready web-1
[ "$(node_of web-1)" != "$n2" ] || fail "web-1 went back to the cordoned node"
[ "$(node_of web-1)" = "$n1" ] || fail "web-1 on $(node_of web-1), expected $n1 (spread, then name)"
ok "a cordoned node takes no new pod: web-1 comes back on $n1"
[ "$("$kinda" uncordon "$n2")" = "node/$n2 uncordoned" ] || fail "uncordon output"
is_status "$n2" Ready || fail "uncordoned status"
ok "uncordon makes the node schedulable again"

# A bare pod pinned to web-2's node: drain refuses it without --force, as kubectl does.
"$kinda" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: lonely}
spec:
  nodeSelector: {kubernetes.io/hostname: $n3}
  terminationGracePeriodSeconds: 1
  containers: [{name: c, image: busybox, command: [sh, -c, 'exec sleep 3600']}]
YAML
ready lonely
[ "$(node_of lonely)" = "$n3" ] || fail "nodeSelector: lonely on $(node_of lonely)"
if "$kinda" drain "$n3" >"$KINDA_HOME/out" 2>"$KINDA_HOME/err"; then fail "drain without --force succeeded"; fi
grep -qxF "node/$n3 cordoned" "$KINDA_HOME/out" || fail "drain cordons first: $(cat "$KINDA_HOME/out")"
grep -qF "error: unable to drain node \"$n3\" due to error: cannot delete Pods that declare no controller (use --force to override): default/lonely, continuing command..." "$KINDA_HOME/err" || fail "bare pod refusal: $(cat "$KINDA_HOME/err")"
[ "$(node_of web-2)" = "$n3" ] || fail "a refused drain evicted web-2"
ok "drain refuses a bare pod without --force, with kubectl's message"

old=$(uid_of pod web-2)
"$kinda" drain "$n3" --force --timeout 60s >"$KINDA_HOME/out" 2>"$KINDA_HOME/err" || fail "drain --force: $(cat "$KINDA_HOME/err")"
for line in "node/$n3 already cordoned" "evicting pod default/web-2" "evicting pod default/lonely" \
            "pod/web-2 evicted" "pod/lonely evicted" "node/$n3 drained"; do
  grep -qxF "$line" "$KINDA_HOME/out" || fail "drain output lacks '$line': $(cat "$KINDA_HOME/out")"
done
grep -qF "Warning: deleting Pods that declare no controller: default/lonely" "$KINDA_HOME/err" || fail "drain warning: $(cat "$KINDA_HOME/err")"
is_status "$n3" Ready,SchedulingDisabled || fail "drained status: $("$kinda" get nodes)"
if "$kinda" get pod lonely >/dev/null 2>&1; then fail "the bare pod came back"; fi
wait_for "web-2 recreated" replaced web-2 "$old"
ready web-2
[ "$(node_of web-2)" = "$n2" ] || fail "web-2 on $(node_of web-2) after the drain, expected $n2"
[ "$(cat "$(volume web-2)/signals")" = "$(printf 'preStop\nTERM web-2')" ] || fail "drain was not graceful: $(cat "$(volume web-2)/signals")"
ok "drain evicts web-2 gracefully to $n2 and the drained node shows SchedulingDisabled"

# Pinned to the cordoned node: Pending with the scheduler's reasons until it is uncordoned.
"$kinda" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: pinned}
spec:
  nodeSelector: {kubernetes.io/hostname: $n3}
  terminationGracePeriodSeconds: 1
  containers: [{name: c, image: busybox, command: [sh, -c, 'exec sleep 3600']}]
YAML
message="0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector."
wait_for "pinned unschedulable" has "$message" "$kinda" get pod pinned -o json
has "Pending" "$kinda" get pod pinned || fail "pinned not Pending"
has "FailedScheduling" "$kinda" describe pod pinned || fail "FailedScheduling event"
"$kinda" uncordon "$n3" >/dev/null
ready pinned
[ "$(node_of pinned)" = "$n3" ] || fail "pinned on $(node_of pinned)"
"$kinda" delete pod pinned >/dev/null
ok "a pod pinned to a cordoned node waits Pending, and runs once the node is uncordoned"

# Losing web-2's node: its process dies at once, no preStop, no SIGTERM.
claim=$(uid_of pvc data-web-2)
old=$(uid_of pod web-2)
pid=$(cat "$(volume web-2)/pid")
signals=$(cat "$(volume web-2)/signals")
kill -0 "$pid" || fail "web-2's process $pid is not running"
"$kinda" exec web-2 -- sh -c 'echo precious > ${KINDA_VOLUME_DATA:-/data}/marker'
[ "$("$kinda" node fail "$n2")" = "node/$n2 failed" ] || fail "node fail output"
for _ in $(seq 20); do is_gone "$pid" && break; sleep 0.1; done  # bounded: 2 s, far below the 6 s grace
is_gone "$pid" || fail "web-2's process $pid outlived its node"
is_status "$n2" NotReady || fail "failed node status: $("$kinda" get nodes)"
has "node.kubernetes.io/unreachable:NoExecute" "$kinda" describe node "$n2" || fail "unreachable taint"
has "NodeStatusUnknown" "$kinda" describe node "$n2" || fail "NodeStatusUnknown condition"
ok "node fail kills the pod's processes at once and the node turns NotReady"

wait_for "web-2 recreated after the node failure" replaced web-2 "$old"
ready web-2
[ "$(node_of web-2)" = "$n3" ] || fail "web-2 on $(node_of web-2) after the failure, expected $n3"
[ "$(uid_of pvc data-web-2)" = "$claim" ] || fail "web-2 got a new claim"
[ "$("$kinda" exec web-2 -- sh -c 'cat ${KINDA_VOLUME_DATA:-/data}/marker')" = precious ] || fail "data lost"
[ "$(grep -c 'started web-2' "$(volume web-2)/log")" -ge 3 ] || fail "log: $(cat "$(volume web-2)/log")"
[ "$(cat "$(volume web-2)/signals")" = "$signals" ] || fail "the failure ran preStop or SIGTERM: $(cat "$(volume web-2)/signals")"
[ -z "$(pods_on "$n2")" ] || fail "pods left on the failed node: $(pods_on "$n2")"
ok "web-2 comes back on $n3 with the same name, its PVC and its data"

"$kinda" down >/dev/null
"$kinda" up --time-scale 0.2 >/dev/null
is_status "$n2" NotReady || fail "the failed node came back Ready after a restart"
[ "$("$kinda" get nodes -o name | wc -l)" = 3 ] || fail "node count after restart"
for i in 0 1 2; do ready "web-$i"; done
[ "$(node_of web-2)" = "$n3" ] || fail "web-2 moved on restart"
[ "$("$kinda" node recover "$n2")" = "node/$n2 recovered" ] || fail "recover output"
is_status "$n2" Ready || fail "recovered status"
has "NodeReady" "$kinda" describe node "$n2" || fail "NodeReady event"
ok "a failed node stays NotReady across a restart until node recover"

echo "PASS: $passed checks"
