#!/usr/bin/env bash
# e2e "Scaling should happen in predictable order and halt if any stateful pod is unhealthy"
# (OrderedReady): pods are created 0, 1, 2, each only once its predecessor is Running and Ready;
# creation halts while a pod is unready; scale-down halts while a pod is unhealthy, then deletes
# 2, 1, 0, each only after the previous one is completely gone.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" ordered_scaling

up
apply_service
rv0=$(rv_of_pods)
unready web-1  # web-1 will come up unready
apply_set replicas=3 claims=no
wait_ready web-0
wait_unready web-1
holds 2 gone pod web-2 || fail "web-2 was created while web-1 was not Ready"
wait_status readyReplicas 1
wait_status replicas 2
ok "creation halts at an unready pod: web-0 Ready, web-1 not Ready, no web-2"

ready web-1
wait_ready web-1 web-2
wait_status readyReplicas 3
[ "$(created_order "$rv0")" = "web-0 web-1 web-2" ] || fail "creation order: $(created_order "$rv0")"
ready_at() { jget pod "$1" '.status.conditions[] | select(.type == "Ready") | .lastTransitionTime'; }
created_at() { jget pod "$1" .metadata.creationTimestamp; }
for i in 1 2; do
  prev=$(ready_at "web-$((i - 1))") created=$(created_at "web-$i")
  [[ ! "$created" < "$prev" ]] || fail "web-$i created at $created, before web-$((i - 1)) was Ready at $prev"
done
ok "pods created in order web-0, web-1, web-2, each after its predecessor became Ready"

# Scale-down halts while any pod is unhealthy.
unready all
wait_unready web-0 web-1 web-2
wait_status readyReplicas 0
rv1=$(rv_of_pods)
"$kinda" scale sts web --replicas=0 >/dev/null
none_terminating() {
  [ "$("$kinda" get pods -o json | jq '[.items[] | select(.metadata.deletionTimestamp != null)] | length')" = 0 ] &&
    pods_are "web-0 web-1 web-2"
}
holds 2 none_terminating || fail "scale-down went on with unhealthy pods: $(pods_of)"
ok "scale-down halts while the pods are unhealthy"

ready all
wait_gone web-2 web-1 web-0
[ "$(deleted_order "$rv1")" = "web-2 web-1 web-0" ] || fail "deletion order: $(deleted_order "$rv1")"
# Each deletion begins only after the previous pod is gone.
steps=$(watch_since "$rv1" | awk '$1 == "DELETED" {if (!b[$2]++) print "begin:" $2; print "gone:" $2; next} $3 == "true" && !b[$2]++ {print "begin:" $2}' | tr '\n' ' ')
[ "$steps" = "begin:web-2 gone:web-2 begin:web-1 gone:web-1 begin:web-0 gone:web-0 " ] ||
  fail "scale-down did not wait for each pod to be gone: $steps"
wait_status replicas 0
ok "scale-down deletes web-2, web-1, web-0, each after the previous one is gone"

finish
