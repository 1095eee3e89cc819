#!/usr/bin/env bash
# kill -9 of the daemon at random moments (seeded: KINDA_FAULT_SEED replays) while a StatefulSet
# scales up, rolls out new templates, scales down and is deleted. After every kill the daemon is
# started again, and right after the kill and again after the restart: no pod identity has two
# live process trees, no PVC directory or marker line is lost, no object is lost or duplicated and
# every acknowledged change is still there. After each phase's last restart the set converges.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" crash
source "$(dirname "$0")/faults_lib.sh"

declare -A points=()
injected=0
replicas=1 rev=0 present=yes

# crash_point PHASE WHAT: a random 0–300 ms after a change was acknowledged, kill -9 the daemon;
# check, start it again, check again.
crash_point() {
  local ms=$((RANDOM % 301)) pid when
  when="at $1 point ${points[$1]:-0} ($2, +${ms} ms)"
  sleep_ms "$ms"  # the crash moment inside the change, not a wait for a condition
  pid=$(daemon_pid)
  kill -9 "$pid"
  for _ in $(seq 100); do alive "$pid" || break; sleep 0.01; done  # bounded: its lock must be free
  ! alive "$pid" || fail "daemon $pid still alive after kill -9"
  points[$1]=$((${points[$1]:-0} + 1))
  injected=$((injected + 1))
  check "with the daemon dead $when" tree volumes
  "$kinda" up >/dev/null || fail "restart after kill -9 $when"
  check "just after the restart $when" tree volumes objects "$present" "$replicas" "$rev"
}

"$kinda" up --time-scale 0.1 >/dev/null
fault_set "$replicas" "$rev" > "$KINDA_HOME/web.yaml"
"$kinda" apply -f "$KINDA_HOME/web.yaml" >/dev/null
converge "1 replica" converged "$replicas" "$rev" volumes

# ---- scale-up 1 → 9, one replica per crash point ----
for _ in $(seq 8); do
  replicas=$((replicas + 1))
  "$kinda" scale sts web --replicas="$replicas" >/dev/null
  crash_point scale-up "scale to $replicas"
done
converge "scale-up to $replicas" converged "$replicas" "$rev" volumes
ok "scale-up to $replicas with ${points[scale-up]} crash points (${SECONDS} s)"

# ---- rolling updates: a new template per crash point, each overtaking the last ----
for _ in $(seq 8); do
  rev=$((rev + 1))
  "$kinda" patch sts web --type merge \
    -p "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"rev\":\"$rev\"}}}}}" >/dev/null
  crash_point rollout "template rev $rev"
done
converge "rollout to rev $rev" converged "$replicas" "$rev" volumes
ok "rolling updates to rev $rev with ${points[rollout]} crash points (${SECONDS} s)"

# ---- scale-down 9 → 1 ----
for _ in $(seq 8); do
  replicas=$((replicas - 1))
  "$kinda" scale sts web --replicas="$replicas" >/dev/null
  crash_point scale-down "scale to $replicas"
done
converge "scale-down to $replicas" converged "$replicas" "$rev" volumes
ok "scale-down to $replicas with ${points[scale-down]} crash points (${SECONDS} s)"

# ---- set deletion: the set at 3 replicas is deleted, then made again (Parallel this time, so it
# is soon Ready; on the claims kept) and deleted again ----
replicas=3
"$kinda" scale sts web --replicas="$replicas" >/dev/null
for _ in $(seq 8); do
  if [ "$present" = no ]; then
    fault_set "$replicas" "$rev" Parallel > "$KINDA_HOME/web.yaml"
    "$kinda" apply -f "$KINDA_HOME/web.yaml" >/dev/null
    present=yes
  fi
  converge "set of $replicas to delete" converged "$replicas" "$rev"
  "$kinda" delete sts web --wait=false >/dev/null
  present=no
  crash_point deletion "delete the set"
  converge "set deletion" gone volumes objects "$present" "$replicas" "$rev"
done
claims=$("$kinda" get pvc -o name | wc -l)
[ "$claims" = 9 ] || fail "$claims claims kept, want 9"
ok "set deleted ${points[deletion]} times: no pods, no processes, 9 claims and their data kept (${SECONDS} s)"

echo "crash points: $injected injected (scale-up ${points[scale-up]}, rollout ${points[rollout]}," \
  "scale-down ${points[scale-down]}, deletion ${points[deletion]}), $checks invariant checks, 0 violations"
echo "$passed passed, 0 failed"
