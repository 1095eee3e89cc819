#!/usr/bin/env bash
# e2e "PVC should be recreated when pod is pending due to missing PVC", and the plain case: a
# claim deleted while its ordinal is scaled down is created again (empty) on scale-up; and a pod
# kept Pending (its node cordoned) whose claim is deleted gets the claim back, then runs on the
# same node once the node is uncordoned.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" missing_pvc

up
apply_service
apply_set replicas=2
wait_ready web-0 web-1
"$kinda" exec web-1 -- sh -c 'echo old > /data/mark'
"$kinda" scale sts web --replicas=1 >/dev/null
wait_gone web-1
old=$(jget pvc data-web-1 .metadata.uid)
[ -n "$old" ] || fail "data-web-1 removed on scale-down"
"$kinda" delete pvc data-web-1 >/dev/null
wait_for "data-web-1 gone" gone pvc data-web-1
"$kinda" scale sts web --replicas=2 >/dev/null
wait_ready web-1
new=$(jget pvc data-web-1 .metadata.uid)
[ -n "$new" ] && [ "$new" != "$old" ] || fail "data-web-1 not recreated (uid $new)"
[ "$(jget pvc data-web-1 .status.phase)" = Bound ] || fail "recreated data-web-1 is $(jget pvc data-web-1 .status.phase)"
! "$kinda" exec web-1 -- test -e /data/mark || fail "recreated data-web-1 still holds the old data"
ok "a claim deleted while scaled down is recreated (new uid, empty) on scale-up"

# A Pending pod whose claim is missing gets it back.
node=$(jget pod web-0 .spec.nodeName)
[ -n "$node" ] || fail "web-0 has no spec.nodeName"
"$kinda" cordon "$node" >/dev/null
old_pod=$(uid_of web-0)
"$kinda" delete pod web-0 >/dev/null
pending() { [ -n "$(uid_of web-0)" ] && [ "$(uid_of web-0)" != "$old_pod" ] && [ "$(jget pod web-0 .status.phase)" = Pending ]; }
wait_for "web-0 recreated and Pending on the cordoned node" pending
holds 1 pending || fail "web-0 left Pending on a cordoned node: $(jget pod web-0 .status.phase)"
old=$(jget pvc data-web-0 .metadata.uid)
"$kinda" delete pvc data-web-0 --wait=false >/dev/null
# Kubernetes' pvc-protection holds a claim only for pods bound to a node; web-0 is not.
old_claim_gone() { [ "$(jget pvc data-web-0 .metadata.uid)" != "$old" ]; }
wait_for "the old data-web-0 to be deleted: an unscheduled Pending pod does not hold its claim" old_claim_gone
claim_back() { local u; u=$(jget pvc data-web-0 .metadata.uid); [ -n "$u" ] && [ "$u" != "$old" ]; }
wait_for "data-web-0 recreated for the Pending web-0" claim_back
ok "the Pending web-0's deleted claim data-web-0 is recreated"

"$kinda" uncordon "$node" >/dev/null
wait_ready web-0
[ "$(jget pod web-0 .spec.nodeName)" = "$node" ] || fail "web-0 on $(jget pod web-0 .spec.nodeName), not $node"
claim_back || fail "data-web-0 missing after web-0 started"
wait_status readyReplicas 2
ok "after uncordon web-0 runs Ready on its node $node with the recreated claim"

finish
