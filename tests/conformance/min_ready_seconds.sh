#!/usr/bin/env bash
# e2e "MinReadySeconds should be honored when enabled" and "AvailableReplicas should get updated
# accordingly when MinReadySeconds is enabled": without minReadySeconds a Ready pod is available at
# once; with it, availableReplicas lags readyReplicas by minReadySeconds (and OrderedReady waits
# for availability before the next pod); raising it to 3600 drops availableReplicas to 0, and
# setting it back to 0 restores it.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" min_ready_seconds
scale=0.2   # the cluster's --time-scale
min_ready=20  # 4 s at time scale 0.2: room for a loaded machine to check "not yet available"

up
apply_service
apply_set name=quick app=quick replicas=1 claims=no
wait_ready quick-0
wait_status availableReplicas 1 quick
ok "minReadySeconds unset: availableReplicas 1 as soon as the pod is Ready"
"$kinda" delete sts quick >/dev/null
wait_gone quick-0

apply_set replicas=2 claims=no minReady=$min_ready
wait_ready web-0
wait_status readyReplicas 1
seconds() { date -d "$1" +%s.%N; }
ready_at() { seconds "$(jget pod "$1" '.status.conditions[] | select(.type == "Ready") | .lastTransitionTime')"; }
# What is left of web-0's minReadySeconds now. On a slow machine (sanitizers, heavy load) the
# window can pass before the first look; then only the timestamps below can show it was kept.
left=$(awk -v r="$(ready_at web-0)" -v now="$(date +%s.%N)" -v m=$min_ready -v s=$scale \
  'BEGIN {print r + m * s - now - 1}')
if awk -v l="$left" 'BEGIN {exit !(l > 0.5)}'; then
  [ "$(sstatus availableReplicas)" = 0 ] || fail "availableReplicas $(sstatus availableReplicas) ${left}s before web-0's minReadySeconds end"
  holds "$(awk -v l="$left" 'BEGIN {print l / 2}')" eval '[ "$(sstatus availableReplicas)" = 0 ] && gone pod web-1' ||
    fail "within minReadySeconds: availableReplicas $(sstatus availableReplicas), pods $(pods_of)"
  ok "web-0 Ready but not yet available: availableReplicas 0 and web-1 not created"
else
  ok "the machine was too slow to look inside web-0's minReadySeconds; the timestamps decide"
fi

wait_status availableReplicas 1
wait_ready web-1
wait_status availableReplicas 2
lag=$(awk -v a="$(ready_at web-0)" -v b="$(seconds "$(jget pod web-1 .metadata.creationTimestamp)")" 'BEGIN {print b - a}')
# Timestamps have whole seconds, hence the 1 s of slack.
awk -v lag="$lag" -v min="$(awk -v m=$min_ready -v s=$scale 'BEGIN {print m * s - 1}')" 'BEGIN {exit !(lag >= min)}' ||
  fail "web-1 created ${lag}s after web-0 was Ready, less than minReadySeconds ($min_ready × time scale $scale)"
ok "availableReplicas reaches 2; web-1 was created ${lag}s after web-0 became Ready"

apply_set replicas=2 claims=no minReady=3600
wait_status availableReplicas 0
wait_status readyReplicas 2
ok "minReadySeconds 3600: availableReplicas 0 while readyReplicas stays 2"

apply_set replicas=2 claims=no minReady=0
wait_status availableReplicas 2
"$kinda" get sts web -o yaml | grep -q 'availableReplicas: 2' || fail "get -o yaml: $("$kinda" get sts web -o yaml)"
ok "minReadySeconds 0: availableReplicas 2, shown by get -o yaml"

finish
