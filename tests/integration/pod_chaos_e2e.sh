#!/usr/bin/env bash
# Pod chaos (seeded: KINDA_FAULT_SEED replays): while a 5-replica StatefulSet rolls out three new
# templates, one after another without waiting, kill -9 random container processes, shims and
# sandbox holders of this cluster. Between kills no identity may have two live process trees and
# no PVC marker may lose a line; once the kills stop the set converges: all replicas Ready at the
# update revision, exactly one shim and one container per identity, every marker intact.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" chaos
source "$(dirname "$0")/faults_lib.sh"

replicas=5 rev=0 kills=45
declare -A killed=([container]=0 [shim]=0 [sandbox]=0)
# Back-offs, grace periods and probe periods at 1/20: a container killed four times waits 4 s.
"$kinda" up --time-scale 0.05 >/dev/null
fault_set "$replicas" "$rev" > "$KINDA_HOME/web.yaml"
"$kinda" apply -f "$KINDA_HOME/web.yaml" >/dev/null
converge "$replicas replicas" converged "$replicas" "$rev" volumes
ok "$replicas replicas Ready ($SECONDS s)"

# still_ours KIND PID: the process is still this cluster's shim, sandbox holder or container (a
# pid seen in the census may have ended and been reused since).
still_ours() {
  if [ "$1" != container ]; then
    { tr '\0' ' ' < "/proc/$2/cmdline"; } 2>/dev/null | grep -qF " $1 $root/pods/"
  else
    grep -qzxF "KINDA_CLUSTER_ROOT=$root" "/proc/$2/environ" 2>/dev/null
  fi
}

for n in $(seq 0 $((kills - 1))); do
  if [ $((n % 15)) = 0 ]; then  # a new template every 15 kills, whether the last rollout is done
    rev=$((rev + 1))
    "$kinda" patch sts web --type merge \
      -p "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"rev\":\"$rev\"}}}}}" >/dev/null
  fi
  sleep_ms $((50 + RANDOM % 251))  # the moment of the next kill, not a wait for a condition
  kinds=(shim shim sandbox container container container)  # sandboxes exist with namespaces only
  kind=${kinds[RANDOM % 6]}
  check "before kill $n" tree volumes pick "$kind" "$RANDOM"
  read -r pod pid < "$KINDA_HOME/fault-state.json.picked" || continue  # all between runs now
  still_ours "$kind" "$pid" || continue
  kill -9 "$pid" 2>/dev/null || continue
  echo "kill $n: $kind of $pod (pid $pid)"
  killed[$kind]=$((${killed[$kind]} + 1))
done
check "after the last kill" tree volumes
ok "$((killed[container] + killed[shim] + killed[sandbox])) kills during $rev rollouts:" \
  "never two process trees for one identity ($SECONDS s)"

converge "rollout to rev $rev after the kills" converged "$replicas" "$rev" volumes
ok "converged: $replicas replicas Ready at rev $rev, one shim and one container each, markers intact ($SECONDS s)"

echo "pod chaos: ${killed[container]} container kills, ${killed[shim]} shim kills," \
  "${killed[sandbox]} sandbox kills, $checks invariant checks, 0 violations"
echo "$passed passed, 0 failed"
