#!/usr/bin/env bash
# e2e "should adopt matching orphans and release non-matching pods", with the orphans made the
# kubectl way: `kinda delete sts web --cascade=orphan` leaves the pods running without an owner;
# a new set of that name adopts them (ownerReferences back, same uids, processes not restarted);
# a pod whose ownerReferences are cleared is adopted again; a pod relabelled out of the selector is
# released, and adopted again once its labels match.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" orphan_adoption

up
apply_service
apply_set replicas=2
wait_ready web-0 web-1
set_uid=$(jget sts web .metadata.uid)
owner_of() { jget pod "$1" '.metadata.ownerReferences[]? | select(.controller == true) | "\(.kind)/\(.name)/\(.uid)"'; }
for p in web-0 web-1; do
  [ "$(owner_of $p)" = "StatefulSet/web/$set_uid" ] || fail "$p controller ref: $(owner_of $p)"
done
declare -A uid started
for p in web-0 web-1; do uid[$p]=$(uid_of $p) started[$p]=$(jget pod $p '.status.containerStatuses[0].state.running.startedAt'); done
ok "pods are created with a controller reference to StatefulSet web"

"$kinda" delete sts web --cascade=orphan >/dev/null
wait_for "set web gone" gone sts web
holds 2 eval 'pods_are "web-0 web-1" && pod_running_ready web-0 && pod_running_ready web-1' || fail "orphaned pods did not stay"
for p in web-0 web-1; do
  [ -z "$(jget pod $p '.metadata.ownerReferences[]?')" ] || fail "$p still has ownerReferences: $(jget pod $p .metadata.ownerReferences)"
done
ok "delete --cascade=orphan removes the set and leaves its pods running without ownerReferences"

apply_set replicas=2
wait_for "set web recreated" exists sts web
new_set=$(jget sts web .metadata.uid)
[ "$new_set" != "$set_uid" ] || fail "the set kept its uid"
for p in web-0 web-1; do wait_for "$p adopted" eval '[ "$(owner_of '$p')" = "StatefulSet/web/$new_set" ]'; done
not_restarted() {
  local p
  for p in web-0 web-1; do
    [ "$(uid_of $p)" = "${uid[$p]}" ] &&
      [ "$(jget pod $p '.status.containerStatuses[0].state.running.startedAt')" = "${started[$p]}" ] &&
      [ "$(jget pod $p '.status.containerStatuses[0].restartCount')" = 0 ] || return 1
  done
}
not_restarted || fail "adopted pods were replaced or restarted"
wait_status readyReplicas 2
holds 1 not_restarted || fail "adopted pods were replaced or restarted"
[ "$("$kinda" exec web-0 -- grep -c 'started web-0' /data/log)" = 1 ] || fail "web-0's container started more than once"
ok "the new set adopts both pods: controller ref to the new uid, same pod uids, containers not restarted"

# Clearing a pod's ownerReferences (the e2e's orphaning): adopted again.
merge_patch "$PODS/web-0" '{"metadata":{"ownerReferences":null}}'
wait_for "web-0 re-adopted" eval '[ "$(owner_of web-0)" = "StatefulSet/web/$new_set" ]'
[ "$(uid_of web-0)" = "${uid[web-0]}" ] || fail "web-0 replaced instead of adopted"
ok "a pod whose ownerReferences are cleared is adopted again"

# Relabelled out of the selector: released; labels back: adopted again.
merge_patch "$PODS/web-1" '{"metadata":{"labels":{"app":"elsewhere"}}}'
wait_for "web-1 released" eval '[ -z "$(owner_of web-1)" ]'
[ "$(uid_of web-1)" = "${uid[web-1]}" ] || fail "released web-1 was deleted"
ok "web-1 relabelled app=elsewhere is released (no controller reference), not deleted"
merge_patch "$PODS/web-1" '{"metadata":{"labels":{"app":"web"}}}'
wait_for "web-1 re-adopted" eval '[ "$(owner_of web-1)" = "StatefulSet/web/$new_set" ]'
[ "$(uid_of web-1)" = "${uid[web-1]}" ] || fail "web-1 replaced instead of adopted"
wait_status readyReplicas 2
ok "web-1 with matching labels again is adopted again"

finish
