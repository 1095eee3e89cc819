#!/usr/bin/env bash
# A node lost for good (`kinda node fail`): the set's pods that ran there come back on the other
# nodes with the same names, new uids and their claims' data; the node turns NotReady and new pods
# avoid it until `kinda node recover`. (Kubernetes' e2e covers this with its disruptive node tests;
# the pods' identity and storage follow the same rules as for a deleted pod.) The lost node's
# processes end at once.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" node_failure

up --nodes 3
[ "$("$kinda" get nodes -o name | wc -l)" = 3 ] || fail "nodes: $("$kinda" get nodes 2>&1)"
apply_service
apply_set replicas=3
wait_ready web-0 web-1 web-2
for p in web-0 web-1 web-2; do "$kinda" exec "$p" -- sh -c 'hostname > /data/precious'; done
node=$(jget pod web-1 .spec.nodeName)
[ -n "$node" ] || fail "web-1 has no spec.nodeName"
declare -A uid_before node_before
for p in web-0 web-1 web-2; do uid_before[$p]=$(uid_of $p) node_before[$p]=$(jget pod $p .spec.nodeName); done
victims=$(for p in web-0 web-1 web-2; do if [ "${node_before[$p]}" = "$node" ]; then echo "$p"; fi; done | tr '\n' ' ')
ok "3 nodes, 3 pods Ready; on web-1's node $node: ${victims% }"

pid=$(main_pid web-1)
[ "$(wc -w <<<"$pid")" = 1 ] || fail "container process of web-1: '$pid'"
"$kinda" node fail "$node" >/dev/null
process_gone() { ! kill -0 "$pid" 2>/dev/null; }
wait_for "web-1's old process (pid $pid) killed with its node" process_gone
node_ready() { jget node "$node" '.status.conditions[] | select(.type == "Ready") | .status'; }
wait_for "$node NotReady" eval '[ "$(node_ready)" != True ]'
moved() {
  local p=$1 u
  u=$(uid_of "$p")
  [ -n "$u" ] && [ "$u" != "${uid_before[$p]}" ] && pod_running_ready "$p" &&
    [ -n "$(jget pod "$p" .spec.nodeName)" ] && [ "$(jget pod "$p" .spec.nodeName)" != "$node" ]
}
for p in $victims; do wait_for "$p back on another node" moved "$p"; done
for p in $victims; do
  [ "$("$kinda" exec "$p" -- cat /data/precious)" = "$p" ] || fail "$p lost its data moving off $node"
  [ "$("$kinda" exec "$p" -- hostname)" = "$p" ] || fail "$p hostname after moving"
  [ "$(jget pod "$p" '.spec.volumes[] | select(.name == "data") | .persistentVolumeClaim.claimName')" = "data-$p" ] ||
    fail "$p does not use data-$p after moving"
done
for p in web-0 web-1 web-2; do
  case " $victims " in *" $p "*) continue ;; esac
  [ "$(uid_of $p)" = "${uid_before[$p]}" ] || fail "$p, not on $node, was replaced"
done
wait_status readyReplicas 3
ok "the pods of $node (${victims% }) are killed and return on other nodes: same names, new uids, same data"

"$kinda" node recover "$node" >/dev/null
wait_for "$node Ready again" eval '[ "$(node_ready)" = True ]'
ok "kinda node recover: $node Ready again"

finish
