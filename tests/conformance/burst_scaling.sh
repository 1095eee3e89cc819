#!/usr/bin/env bash
# e2e "Burst scaling should run to completion even with unhealthy pods" (Parallel): scale-up
# creates every missing pod at once although the existing ones are unready, and scale-down
# deletes them all at once, without waiting for health or for each other.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" burst_scaling

up
apply_service
# The pods ignore SIGTERM, so each takes its grace period to end once deleted.
apply_set replicas=1 policy=Parallel claims=no grace=5 term=ignore
wait_ready web-0
ok "Parallel set with 1 replica Ready"

unready all
wait_unready web-0
wait_status readyReplicas 0
rv0=$(rv_of_pods)
"$kinda" scale sts web --replicas=3 >/dev/null
wait_pods "web-0 web-1 web-2"
wait_unready web-1 web-2
wait_status replicas 3
[ "$(sstatus readyReplicas)" = 0 ] || fail "readyReplicas $(sstatus readyReplicas) with every probe failing"
[ "$(created_order "$rv0")" = "web-1 web-2" ] || fail "created: $(created_order "$rv0")"
ok "scale-up to 3 creates web-1 and web-2 although web-0 is unready"

ready all
wait_ready web-0 web-1 web-2
wait_status readyReplicas 3

# Scale-down with every pod unhealthy: all go, and all deletions begin before any pod is gone.
unready all
wait_unready web-0 web-1 web-2
wait_status readyReplicas 0
rv1=$(rv_of_pods)
"$kinda" scale sts web --replicas=0 >/dev/null
wait_gone web-0 web-1 web-2
first_gone=$(watch_since "$rv1" | awk '$1 == "DELETED" {print NR; exit}')
begun=$(watch_since "$rv1" | awk -v n="$first_gone" 'NR < n && $3 == "true" && !b[$2]++ {print $2}' | sort | tr '\n' ' ')
[ "$begun" = "web-0 web-1 web-2 " ] || fail "deletions begun before the first pod was gone: $begun"
wait_status replicas 0
ok "scale-down to 0 deletes every unhealthy pod at once"

finish
