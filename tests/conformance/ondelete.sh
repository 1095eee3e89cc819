#!/usr/bin/env bash
# e2e "should implement legacy replacement when the update strategy is OnDelete": pods deleted
# before any change come back at the current revision; a template change makes a new revision
# but replaces nothing; each pod deleted afterwards comes back at the new revision.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" ondelete

up
apply_service
apply_set replicas=3 claims=no strategy=OnDelete image=busybox:1.36
wait_ready web-0 web-1 web-2
wait_status readyReplicas 3
rev1=$(sstatus currentRevision)
[ -n "$rev1" ] && [ "$(sstatus updateRevision)" = "$rev1" ] || fail "new set: current $rev1, update $(sstatus updateRevision)"
rev_of() { jget pod "$1" '.metadata.labels["controller-revision-hash"]'; }
image_of() { jget pod "$1" '.spec.containers[0].image'; }

"$kinda" delete pod web-0 web-1 web-2 >/dev/null
wait_ready web-0 web-1 web-2
for p in web-0 web-1 web-2; do [ "$(rev_of $p)" = "$rev1" ] || fail "$p came back at $(rev_of $p)"; done
ok "pods deleted before any change come back at the current revision $rev1"

uids=$(jlist pods .metadata.uid app=web | sort)
apply_set replicas=3 claims=no strategy=OnDelete image=busybox:1.37
wait_for "a new update revision" eval '[ "$(sstatus updateRevision)" != "$rev1" ]'
rev2=$(sstatus updateRevision)
holds 3 eval '[ "$(jlist pods .metadata.uid app=web | sort)" = "$uids" ]' || fail "OnDelete replaced a pod by itself"
for p in web-0 web-1 web-2; do
  [ "$(rev_of $p)/$(image_of $p)" = "$rev1/busybox:1.36" ] || fail "$p is at $(rev_of $p)/$(image_of $p)"
done
[ "$(sstatus updatedReplicas)" = 0 ] || fail "updatedReplicas $(sstatus updatedReplicas) before any deletion"
ok "template change: new revision $rev2, no pod replaced"

"$kinda" delete pod web-1 >/dev/null
wait_ready web-1
[ "$(rev_of web-1)/$(image_of web-1)" = "$rev2/busybox:1.37" ] || fail "deleted web-1 came back at $(rev_of web-1)/$(image_of web-1)"
for p in web-0 web-2; do
  [ "$(rev_of $p)/$(image_of $p)" = "$rev1/busybox:1.36" ] || fail "$p changed to $(rev_of $p)/$(image_of $p)"
done
wait_status updatedReplicas 1
ok "a deleted pod (web-1) comes back at the new revision; the others stay"

"$kinda" delete pod web-0 web-2 >/dev/null
wait_ready web-0 web-1 web-2
for p in web-0 web-1 web-2; do
  [ "$(rev_of $p)/$(image_of $p)" = "$rev2/busybox:1.37" ] || fail "$p is at $(rev_of $p)/$(image_of $p)"
done
wait_status updatedReplicas 3
ok "once every pod was deleted, all run the new revision $rev2"

finish
