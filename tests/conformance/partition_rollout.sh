#!/usr/bin/env bash
# e2e "should perform canary updates and phased rolling updates of template modifications":
# a partition above the replica count updates nothing; partition 2 on 3 replicas updates only
# web-2 (the canary); deleted pods come back at their side of the partition (web-0 at the old
# revision, web-2 at the new one); lowering the partition step by step rolls the rest, and at 0
# the update completes with currentRevision = updateRevision.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" partition_rollout

up
apply_service
apply_set replicas=3 claims=no partition=3 image=busybox:1.36
wait_ready web-0 web-1 web-2
wait_status readyReplicas 3
rev1=$(sstatus currentRevision)
[ -n "$rev1" ] && [ "$(sstatus updateRevision)" = "$rev1" ] || fail "new set: current $rev1, update $(sstatus updateRevision)"
rev_of() { jget pod "$1" '.metadata.labels["controller-revision-hash"]'; }
image_of() { jget pod "$1" '.spec.containers[0].image'; }
# expect_split N: pods below ordinal N at the old revision and image, the others at the new ones.
expect_split() {
  local i
  for i in 0 1 2; do
    if [ "$i" -lt "$1" ]; then
      [ "$(rev_of "web-$i")/$(image_of "web-$i")" = "$rev1/busybox:1.36" ] ||
        fail "partition $1: web-$i at $(rev_of "web-$i")/$(image_of "web-$i"), expected $rev1/busybox:1.36"
    else
      [ "$(rev_of "web-$i")/$(image_of "web-$i")" = "$rev2/busybox:1.37" ] ||
        fail "partition $1: web-$i at $(rev_of "web-$i")/$(image_of "web-$i"), expected $rev2/busybox:1.37"
    fi
  done
}

uids=$(jlist pods .metadata.uid app=web | sort)
apply_set replicas=3 claims=no partition=3 image=busybox:1.37
wait_for "a new update revision" eval '[ "$(sstatus updateRevision)" != "$rev1" ]'
rev2=$(sstatus updateRevision)
[ "$(sstatus currentRevision)" = "$rev1" ] || fail "currentRevision moved to $(sstatus currentRevision)"
holds 2 eval '[ "$(jlist pods .metadata.uid app=web | sort)" = "$uids" ]' || fail "a pod was replaced with partition 3"
expect_split 3
ok "partition 3 > replicas: new revision $rev2, no pod updated"

# Canary: partition 2 updates web-2 only.
apply_set replicas=3 claims=no partition=2 image=busybox:1.37
wait_for "web-2 updated" eval '[ "$(rev_of web-2)" = "$rev2" ]'
wait_ready web-2
wait_status updatedReplicas 1
holds 2 eval '[ "$(rev_of web-1)" = "$rev1" ]' || fail "web-1 updated below the partition"
expect_split 2
[ "$(sstatus currentRevision)/$(sstatus currentReplicas)" = "$rev1/2" ] ||
  fail "canary status: currentRevision/currentReplicas $(sstatus currentRevision)/$(sstatus currentReplicas)"
ok "partition 2: only web-2 updated (canary); currentRevision stays $rev1 with 2 current replicas"

# Deleted pods are restored on their side of the partition.
"$kinda" delete pod web-0 web-2 >/dev/null
wait_ready web-0 web-1 web-2
wait_status readyReplicas 3
expect_split 2
ok "deleted web-0 returns at the old revision $rev1, deleted web-2 at the new $rev2"

# Phased roll-out: partition 1, then 0.
apply_set replicas=3 claims=no partition=1 image=busybox:1.37
wait_for "web-1 updated" eval '[ "$(rev_of web-1)" = "$rev2" ]'
wait_ready web-1
holds 1 eval '[ "$(rev_of web-0)" = "$rev1" ]' || fail "web-0 updated with partition 1"
expect_split 1
[ "$(sstatus currentRevision)" = "$rev1" ] || fail "currentRevision $(sstatus currentRevision) before the update is complete"
apply_set replicas=3 claims=no partition=0 image=busybox:1.37
wait_for "web-0 updated" eval '[ "$(rev_of web-0)" = "$rev2" ]'
wait_ready web-0 web-1 web-2
expect_split 0
wait_status currentRevision "$rev2"
[ "$(sstatus updatedReplicas)/$(sstatus currentReplicas)" = 3/3 ] || fail "status after the update: $(jget sts web .status)"
ok "partition 1 updates web-1, partition 0 updates web-0; then currentRevision = updateRevision = $rev2"

finish
