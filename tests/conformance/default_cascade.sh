#!/usr/bin/env bash
# `kinda delete sts web` with the default (background) cascade: the set goes, its pods are deleted
# from the highest ordinal down, and with the default Retain policy every claim and its data stay.
# (Kubernetes itself promises no order here; kinda's collector issues the deletions 2, 1, 0.)
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" default_cascade

up
apply_service
apply_set replicas=3
wait_ready web-0 web-1 web-2
for p in web-0 web-1 web-2; do "$kinda" exec "$p" -- sh -c 'hostname > /data/who'; done
rv0=$(rv_of_pods)
"$kinda" delete sts web >/dev/null
gone sts web || fail "set still there after kinda delete returned"
wait_gone web-0 web-1 web-2
[ "$(delete_begun_order "$rv0")" = "web-2 web-1 web-0" ] || fail "deletion order: $(delete_begun_order "$rv0")"
ok "deleting the set deletes its pods in reverse ordinal order: web-2, web-1, web-0"

for p in web-0 web-1 web-2; do
  exists pvc "data-$p" || fail "claim data-$p deleted with the set"
  [ "$(cat "$ROOT/volumes/default/data-$p/who")" = "$p" ] || fail "data of $p lost"
done
ok "claims data-web-0..2 and their data stay (default whenDeleted Retain)"

# A set of the same name finds them again.
apply_set replicas=3
wait_ready web-0 web-1 web-2
for p in web-0 web-1 web-2; do
  [ "$("$kinda" exec "$p" -- cat /data/who)" = "$p" ] || fail "recreated $p does not see its old data"
done
ok "a new set web reattaches each pod to its retained claim"

finish
