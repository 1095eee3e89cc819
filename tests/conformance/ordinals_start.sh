#!/usr/bin/env bash
# e2e "Scaling StatefulSetStartOrdinal": setting .spec.ordinals.start, increasing it, decreasing it
# and removing it; pod names always run start … start+replicas-1, pods outside that range go.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" ordinals_start

up
apply_service
apply_set replicas=2 claims=no
wait_pods "web-0 web-1"
wait_ready web-0 web-1
ok "no ordinals: web-0 web-1"

# settle "PODS": exactly these pods, all Ready, and the status says so.
settle() {
  local n
  n=$(wc -w <<<"$1")
  wait_pods "$1"
  wait_ready $1
  wait_status replicas "$n"
  wait_status readyReplicas "$n"
}

apply_set replicas=3 claims=no start=2
settle "web-2 web-3 web-4"
ok "ordinals.start 2 with 3 replicas: web-2 web-3 web-4 (web-0 and web-1 deleted)"

apply_set replicas=2 claims=no start=5
settle "web-5 web-6"
ok "ordinals.start 5 with 2 replicas: web-5 web-6"

apply_set replicas=2 claims=no start=7
settle "web-7 web-8"
ok "ordinals.start raised to 7: web-7 web-8 created, web-5 and web-6 deleted"

apply_set replicas=2 claims=no start=6
settle "web-6 web-7"
ok "ordinals.start lowered to 6: web-6 created, web-8 deleted"

apply_set replicas=2 claims=no
settle "web-0 web-1"
[ "$(jget sts web .spec.ordinals.start)" = "" ] || [ "$(jget sts web .spec.ordinals.start)" = 0 ] ||
  fail "spec.ordinals.start still $(jget sts web .spec.ordinals.start)"
ok "ordinals removed: back to web-0 web-1"

finish
