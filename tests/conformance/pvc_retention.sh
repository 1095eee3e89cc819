#!/usr/bin/env bash
# e2e "Non-retain StatefulSetPersistentVolumeClaimPolicy" (should delete PVCs with a WhenDeleted /
# OnScaledown policy), and the default Retain: four sets, one per combination of whenDeleted and
# whenScaled, are scaled from 2 to 1 and then deleted. Claims (and their directories under
# <root>/volumes/<ns>/<claim>) are removed exactly when the policy says Delete.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" pvc_retention

up
apply_service
# Set names: <whenDeleted><whenScaled>, r = Retain, d = Delete.
for set in rr dr rd dd; do
  wd=Retain ws=Retain
  [ "${set:0:1}" = d ] && wd=Delete
  [ "${set:1:1}" = d ] && ws=Delete
  apply_set name=$set app=$set replicas=2 policy=Parallel whenDeleted=$wd whenScaled=$ws
done
claim_kept() { exists pvc "$1" && [ -d "$ROOT/volumes/default/$1" ]; }
claim_removed() { gone pvc "$1" && [ ! -e "$ROOT/volumes/default/$1" ]; }
for set in rr dr rd dd; do
  wait_ready $set-0 $set-1
  "$kinda" exec $set-1 -- sh -c 'echo kept > /data/mark'
  claim_kept data-$set-0 && claim_kept data-$set-1 || fail "claims of $set"
done
# whenDeleted=Delete claims are owned by their set, as Kubernetes sets it up for the collector.
for set in dr dd; do
  for i in 0 1; do
    [ "$(jget pvc data-$set-$i '.metadata.ownerReferences[]? | select(.kind == "StatefulSet") | .name')" = $set ] ||
      fail "data-$set-$i has no ownerReference to StatefulSet $set"
  done
done
ok "each set has claims data-<set>-0/1 with directories; whenDeleted=Delete claims are owned by the set"

for set in rr dr rd dd; do "$kinda" scale sts $set --replicas=1 >/dev/null; done
for set in rr dr rd dd; do wait_gone $set-1; done
for set in rr dr; do claim_kept data-$set-1 || fail "whenScaled=Retain: data-$set-1 removed on scale-down"; done
[ "$(cat "$ROOT/volumes/default/data-rr-1/mark")" = kept ] || fail "data of rr-1 lost on scale-down"
for set in rd dd; do wait_for "whenScaled=Delete: data-$set-1 removed" claim_removed data-$set-1; done
for set in rr dr rd dd; do claim_kept data-$set-0 || fail "data-$set-0 removed on scale-down"; done
ok "scale-down to 1: whenScaled=Retain keeps data-<set>-1 and its data, whenScaled=Delete removes it and its directory"

for set in rr dr rd dd; do "$kinda" delete sts $set >/dev/null; done
for set in rr dr rd dd; do wait_gone $set-0; done
for set in dr dd; do
  wait_for "whenDeleted=Delete: data-$set-0 removed" claim_removed data-$set-0
  wait_for "whenDeleted=Delete: data-$set-1 removed" claim_removed data-$set-1
done
for set in rr rd; do
  holds 1 claim_kept data-$set-0 || fail "whenDeleted=Retain: data-$set-0 removed with the set"
done
claim_kept data-rr-1 || fail "whenDeleted=Retain: data-rr-1 removed with the set"
ok "set deletion: whenDeleted=Delete removes every claim of the set, whenDeleted=Retain keeps them"

finish
