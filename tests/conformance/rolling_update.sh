#!/usr/bin/env bash
# e2e "should perform rolling updates and roll backs of template modifications (with PVCs)":
# revisions are ControllerRevisions named <set>-<hash>; status.currentRevision/updateRevision and
# the pods' controller-revision-hash labels follow them; a template change rolls the pods from the
# highest ordinal down, one at a time, each after its predecessor in the update is Ready; going
# back to the old template is a rollback that reuses the old revision's name. Then
# `kinda rollout undo` rolls back once more.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" rolling_update

up
apply_service
apply_set replicas=3 image=busybox:1.36
wait_ready web-0 web-1 web-2
wait_status readyReplicas 3
rev1=$(sstatus updateRevision)
[[ "$rev1" =~ ^web-[0-9a-z]+$ ]] || fail "updateRevision '$rev1' is not web-<hash>"
[ "$(sstatus currentRevision)" = "$rev1" ] || fail "currentRevision $(sstatus currentRevision) != updateRevision $rev1"
labels() { jlist pods '.metadata.labels["controller-revision-hash"]' app=web | sort | uniq -c | awk '{print $2 "x" $1}' | tr '\n' ' '; }
images() { jlist pods '.spec.containers[0].image' app=web | sort | uniq -c | awk '{print $2 "x" $1}' | tr '\n' ' '; }
[ "$(labels)" = "${rev1}x3 " ] || fail "pod revision labels: $(labels)"
"$kinda" get controllerrevisions | grep -q "^$rev1 " || fail "kinda get controllerrevisions: $("$kinda" get controllerrevisions 2>&1)"
[ "$(jget controllerrevision "$rev1" .revision)" = 1 ] || fail "$rev1 is revision $(jget controllerrevision "$rev1" .revision)"
[ "$(jget controllerrevision "$rev1" '.metadata.ownerReferences[0].name')" = web ] || fail "$rev1 not owned by web"
ok "revision $rev1: currentRevision = updateRevision, every pod labelled with it, listed by get controllerrevisions"

# The e2e breaks web-1 first: nothing is replaced while a pod is unhealthy.
unready web-1
wait_unready web-1
uids=$(jlist pods .metadata.uid app=web | sort)
rv0=$(rv_of_pods)
apply_set replicas=3 image=busybox:1.37
wait_for "a new update revision" eval '[ -n "$(sstatus updateRevision)" ] && [ "$(sstatus updateRevision)" != "$rev1" ]'
rev2=$(sstatus updateRevision)
[[ "$rev2" =~ ^web-[0-9a-z]+$ ]] || fail "updateRevision '$rev2' is not web-<hash>"
[ "$(sstatus currentRevision)" = "$rev1" ] || fail "currentRevision moved to $(sstatus currentRevision) during the update"
[ "$(jget controllerrevision "$rev2" .revision)" = 2 ] || fail "$rev2 is revision $(jget controllerrevision "$rev2" .revision)"
holds 2 eval '[ "$(jlist pods .metadata.uid app=web | sort)" = "$uids" ]' || fail "a pod was replaced while web-1 was unhealthy"
ok "template change: new revision $rev2 (revision 2), currentRevision stays $rev1, nothing replaced while web-1 is unhealthy"

ready web-1
wait_for "rolling update to finish" eval '[ "$(sstatus currentRevision)" = "$rev2" ]'
wait_ready web-0 web-1 web-2
[ "$(labels)" = "${rev2}x3 " ] || fail "pod revision labels after the update: $(labels)"
[ "$(images)" = "busybox:1.37x3 " ] || fail "images after the update: $(images)"
[ "$(sstatus updatedReplicas)/$(sstatus currentReplicas)/$(sstatus updateRevision)" = "3/3/$rev2" ] ||
  fail "status after the update: $(jget sts web .status)"
[ "$(created_order "$rv0")" = "web-2 web-1 web-0" ] || fail "update order: $(created_order "$rv0")"
revisions_table() { "$kinda" get controllerrevisions | awk 'NR > 1 {print $1, $2, $3}' | sort | tr '\n' ';'; }
[ "$(revisions_table)" = "$(printf '%s statefulset.apps/web %s\n' "$rev1" 1 "$rev2" 2 | sort | tr '\n' ';')" ] ||
  fail "kinda get controllerrevisions: $("$kinda" get controllerrevisions)"
steps=$(watch_since "$rv0" | awk '$1 == "DELETED" {print "gone:" $2} $1 == "ADDED" {print "new:" $2}' | tr '\n' ' ')
[ "$steps" = "gone:web-2 new:web-2 gone:web-1 new:web-1 gone:web-0 new:web-0 " ] || fail "update steps: $steps"
ready_at() { jget pod "$1" '.status.conditions[] | select(.type == "Ready") | .lastTransitionTime'; }
created_at() { jget pod "$1" .metadata.creationTimestamp; }
for i in 1 0; do
  [[ ! "$(created_at "web-$i")" < "$(ready_at "web-$((i + 1))")" ]] ||
    fail "web-$i replaced before the updated web-$((i + 1)) was Ready"
done
ok "pods updated in reverse ordinal order (web-2, web-1, web-0), each after the previous was Ready; currentRevision = $rev2"

# Rollback: the old template again. Its revision is reused (renumbered), not a new one.
unready web-1
wait_unready web-1
rv1=$(rv_of_pods)
apply_set replicas=3 image=busybox:1.36
wait_for "the rollback revision" eval '[ "$(sstatus updateRevision)" != "$rev2" ]'
[ "$(sstatus updateRevision)" = "$rev1" ] || fail "rollback made revision $(sstatus updateRevision), not $rev1"
[ "$(sstatus currentRevision)" = "$rev2" ] || fail "currentRevision $(sstatus currentRevision) during rollback"
[ "$(jlist controllerrevisions .metadata.name | sort | tr '\n' ' ')" = "$(printf '%s\n' "$rev1" "$rev2" | sort | tr '\n' ' ')" ] ||
  fail "revisions after rollback: $(jlist controllerrevisions .metadata.name | tr '\n' ' ')"
[ "$(jget controllerrevision "$rev1" .revision)" = 3 ] || fail "$rev1 renumbered to $(jget controllerrevision "$rev1" .revision), not 3"
[ "$(revisions_table)" = "$(printf '%s statefulset.apps/web %s\n' "$rev1" 3 "$rev2" 2 | sort | tr '\n' ';')" ] ||
  fail "kinda get controllerrevisions after rollback: $("$kinda" get controllerrevisions)"
ready web-1
wait_for "rollback to finish" eval '[ "$(sstatus currentRevision)" = "$rev1" ]'
wait_ready web-0 web-1 web-2
[ "$(labels)" = "${rev1}x3 " ] || fail "pod revision labels after the rollback: $(labels)"
[ "$(images)" = "busybox:1.36x3 " ] || fail "images after the rollback: $(images)"
[ "$(created_order "$rv1")" = "web-2 web-1 web-0" ] || fail "rollback order: $(created_order "$rv1")"
ok "rollback to the old template reuses $rev1 (now revision 3), rolled back web-2, web-1, web-0"

# kinda rollout undo: back to the previous revision ($rev2).
if "$kinda" rollout undo --help >/dev/null 2>&1; then
  "$kinda" rollout undo sts/web >/dev/null
  wait_for "rollout undo to finish" eval '[ "$(sstatus currentRevision)" = "$rev2" ] && [ "$(sstatus updateRevision)" = "$rev2" ]'
  wait_ready web-0 web-1 web-2
  [ "$(labels)" = "${rev2}x3 " ] || fail "pod revision labels after rollout undo: $(labels)"
  [ "$(images)" = "busybox:1.37x3 " ] || fail "images after rollout undo: $(images)"
  [ "$(jlist controllerrevisions .metadata.name | wc -l)" = 2 ] || fail "rollout undo made a new revision"
  ok "kinda rollout undo returns to $rev2 without a new revision"
else
  echo "skip - kinda rollout undo is not available"
fi

finish
