#!/usr/bin/env bash
# e2e "should not deadlock when a pod's predecessor fails" (OrderedReady): with web-1 unhealthy,
# the deleted healthy web-0 is still recreated (a lower ordinal is always repaired first), and
# once web-1 recovers the set converges. Likewise a predecessor that goes unready during a
# scale-up holds it only until it recovers.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" predecessor_failure

up
apply_service
unready web-1
apply_set replicas=2
wait_ready web-0
wait_unready web-1
ok "web-0 Ready, web-1 Running but not Ready"

old=$(uid_of web-0)
"$kinda" delete pod web-0 --wait=false >/dev/null
new_uid() { [ -n "$(uid_of web-0)" ] && [ "$(uid_of web-0)" != "$old" ]; }
wait_for "web-0 recreated" new_uid
wait_ready web-0
pod_running_unready web-1 || fail "web-1 changed while web-0 was recreated"
ok "the deleted healthy predecessor web-0 is recreated although its successor web-1 is unhealthy"

ready web-1
wait_ready web-1
wait_status readyReplicas 2
ok "web-1 recovers and the set converges: 2 Ready"

# A predecessor that fails during a scale-up holds the scale-up until it recovers.
unready web-0
wait_unready web-0
"$kinda" scale sts web --replicas=3 >/dev/null
holds 2 gone pod web-2 || fail "web-2 created while web-0 was unready"
ready web-0
wait_ready web-0 web-1 web-2
wait_status readyReplicas 3
wait_status replicas 3
ok "scale-up halted by an unready web-0 resumes when it recovers: 3 Ready"

finish
