#!/usr/bin/env bash
# A 3-replica OrderedReady StatefulSet of probe-less sleep pods, from the create request until
# readyReplicas=3 (seen on a watch), median of RUNS (default 5), each on a fresh cluster.
# Reference: three `sleep` processes spawned one after another, each waited for to be running,
# in the same run. Target: < 150 ms.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
runs=${RUNS:-5}
times=()
for i in $(seq "$runs"); do
  home=$(mktemp -d /tmp/kinda-bench-ready3.XXXXXX)
  export KINDA_HOME=$home KINDA_CLUSTER=bench-ready3
  "$kinda" up --dns-upstream none >/dev/null
  sock=$("$kinda" status | awk '/^API:/ {print $2}')
  times+=("$(python3 "$here/set_ready.py" "$sock" "web$i" 3 OrderedReady)")
  "$kinda" down --purge >/dev/null
  rm -rf "$home"
done
raw=$(python3 -c '
import subprocess, time
t = time.perf_counter()
procs = []
for _ in range(3):
    procs.append(subprocess.Popen(["sleep", "3600"]))
    while open(f"/proc/{procs[-1].pid}/stat").read().split()[2] not in "RS":
        pass
print(f"{(time.perf_counter() - t) * 1000:.1f}")
for p in procs:
    p.kill(); p.wait()')
ms=$(printf '%s\n' "${times[@]}" | median)
echo "== bench ready3: 3-replica OrderedReady set until readyReplicas=3 ($runs runs)"
printf '%-36s %10s\n' WHAT "MEDIAN(ms)"
printf '%-36s %10s\n' "kinda: create → readyReplicas 3" "$ms"
printf '%-36s %10s\n' "raw: 3 sleeps spawned in order" "$raw"
echo "target < 150 ms; runs: ${times[*]}"
printf 'BENCH {"bench":"ready3","runs":%d,"ready_ms":%s,"raw_spawn3_ms":%s,"target_ms":150}\n' "$runs" "$ms" "$raw"
