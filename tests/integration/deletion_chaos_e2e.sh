#!/usr/bin/env bash
# Deletion chaos (seeded: KINDA_FAULT_SEED replays): pods deleted at random moments of their lives
# (Pending, ContainerCreating, Running, exiting, Completed, Failed, in back-off), bare and of a
# StatefulSet, under every restartPolicy. Every deleted pod's object and processes must be gone
# within grace × time scale + 1 s (deletion_chaos.py says how each point is made and checked).
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" delchaos
source "$(dirname "$0")/faults_lib.sh"

scale=0.1 points=${KINDA_DELETION_POINTS:-70}
"$kinda" up --time-scale "$scale" >/dev/null
"$python" "$(dirname "$0")/deletion_chaos.py" "$root" "$scale" "$seed" "$points" ||
  fail "a deleted pod outlived its grace period"
ok "$points pods deleted at random moments, each gone within its grace period"
echo "$passed passed, 0 failed"
