#!/usr/bin/env bash
# `kinda up` of a new cluster until its API and DNS answer (up returns only then), median of
# RUNS (default 20), each in a fresh $KINDA_HOME and purged afterwards. Reference: spawning and
# reaping `kinda --help` (the binary's own exec and load cost) in the same run. Target: < 50 ms.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
kinda=$1
runs=${RUNS:-20}
ups=() execs=()
for _ in $(seq "$runs"); do
  home=$(mktemp -d /tmp/kinda-bench-startup.XXXXXX)
  t0=$(date +%s%N)
  KINDA_HOME=$home KINDA_CLUSTER=bench-startup "$kinda" up --dns-upstream none >/dev/null
  ups+=("$(ms_since "$t0")")
  KINDA_HOME=$home KINDA_CLUSTER=bench-startup "$kinda" down --purge >/dev/null
  rm -rf "$home"
  t0=$(date +%s%N)
  "$kinda" --help >/dev/null
  execs+=("$(ms_since "$t0")")
done
up_ms=$(printf '%s\n' "${ups[@]}" | median)
exec_ms=$(printf '%s\n' "${execs[@]}" | median)
echo "== bench startup: kinda up of a new cluster until API and DNS answer ($runs runs)"
printf '%-28s %10s\n' WHAT "MEDIAN(ms)"
printf '%-28s %10s\n' "kinda up (new cluster)" "$up_ms"
printf '%-28s %10s\n' "kinda --help (exec only)" "$exec_ms"
echo "target < 50 ms; min/max up: $(printf '%s\n' "${ups[@]}" | sort -n | sed -n '1p;$p' | tr '\n' ' ')"
printf 'BENCH {"bench":"startup","runs":%d,"up_ms":%s,"exec_ms":%s,"target_ms":50}\n' "$runs" "$up_ms" "$exec_ms"
