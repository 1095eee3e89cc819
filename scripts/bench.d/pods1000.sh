#!/usr/bin/env bash
# A Parallel StatefulSet of PODS (default 1,000) probe-less `sleep` pods, from the create request
# until readyReplicas=PODS, beside the same number of raw posix_spawn calls of `sleep` in the same
# run (the physical floor); then the daemon's peak RSS and its CPU time while the pods sit idle
# for 10 s. The cluster has 10 nodes: a node takes 110 pods, as the kubelet's default maxPods.
# Targets: within 2x raw spawn, idle CPU < 1% of a core, RSS < 64 MB. It also splits the CPU time
# the start took by role (daemon, shims, sandbox holders, containers), to show where a pod's cost
# goes. ISOLATION=none runs the pods without their own namespaces (the cost of the mount setup).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
pods=${PODS:-1000}
export KINDA_HOME=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/kinda-bench-pods.XXXXXX") KINDA_CLUSTER=bench-pods
trap '"$kinda" down --purge >/dev/null 2>&1 || true; rm -rf "$KINDA_HOME"' EXIT

raw_ms=$(python3 - "$pods" <<'PY'
import os, shutil, sys, time
n, sleep = int(sys.argv[1]), shutil.which("sleep")
t = time.perf_counter()
pids = [os.posix_spawn(sleep, ["sleep", "3600"], os.environ) for _ in range(n)]
print(f"{(time.perf_counter() - t) * 1000:.1f}")
for p in pids:
    os.kill(p, 9)
for p in pids:
    os.waitpid(p, 0)
PY
)
if [ "${ISOLATION:-}" ]; then
  "$kinda" up --nodes 10 --dns-upstream none >/dev/null
  "$kinda" down >/dev/null
  python3 - "$KINDA_HOME/$KINDA_CLUSTER/config.json" "$ISOLATION" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
config["isolation"] = sys.argv[2]
json.dump(config, open(sys.argv[1], "w"))
PY
fi
"$kinda" up --nodes 10 --dns-upstream none >/dev/null
sock=$("$kinda" status | awk '/^API:/ {print $2}')
daemon=$("$kinda" status | sed -n 's/.*pid \([0-9]*\)).*/\1/p')
cpu_before=$(python3 "$here/cluster_cpu.py" "$KINDA_HOME/$KINDA_CLUSTER" "$daemon")
ready_ms=$(python3 "$here/set_ready.py" "$sock" sleepers "$pods" Parallel)
cpu=$(python3 "$here/cluster_cpu.py" "$KINDA_HOME/$KINDA_CLUSTER" "$daemon")
per_pod() {  # per_pod ROLE: CPU ms per pod the start cost that role
  python3 -c 'import json, sys; a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2]); print(f"{(b[sys.argv[3]] - a[sys.argv[3]]) / int(sys.argv[4]):.2f}")' \
    "$cpu_before" "$cpu" "$1" "$pods"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$daemon/stat"; }
before=$(cpu_ticks)
sleep 10  # the idle window being measured
idle_cpu=$(awk -v a="$before" -v b="$(cpu_ticks)" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", (b - a) / hz / 10 * 100}')
rss_mb=$(awk '/^VmHWM:/ {printf "%.1f", $2 / 1024}' "/proc/$daemon/status")
t0=$(date +%s%N)
"$kinda" get pods -o json >/dev/null
get_ms=$(ms_since "$t0")
ratio=$(awk -v a="$ready_ms" -v b="$raw_ms" 'BEGIN {printf "%.1f", a / b}')

echo "== bench pods1000: a Parallel set of $pods sleep pods until all Ready"
printf '%-40s %12s\n' WHAT VALUE
printf '%-40s %12s\n' "kinda: create → readyReplicas $pods (ms)" "$ready_ms"
printf '%-40s %12s\n' "raw: $pods posix_spawn of sleep (ms)" "$raw_ms"
printf '%-40s %12s\n' "ratio kinda/raw (target ≤ 2)" "$ratio"
printf '%-40s %12s\n' "daemon peak RSS (MB, target < 64)" "$rss_mb"
printf '%-40s %12s\n' "daemon CPU idle 10 s (% core, < 1)" "$idle_cpu"
printf '%-40s %12s\n' "kinda get pods -o json (ms, < 20)" "$get_ms"
for role in daemon shim sandbox container; do
  printf '%-40s %12s\n' "CPU ms per pod: $role" "$(per_pod "$role")"
done
printf '%-40s %12s\n' "isolation" "$("$kinda" status | awk '/^Isolation:/ {print $2}')"
printf 'BENCH {"bench":"pods1000","pods":%d,"ready_ms":%s,"raw_spawn_ms":%s,"ratio":%s,"daemon_rss_mb":%s,"daemon_idle_cpu_pct":%s,"get_pods_ms":%s,"cpu_ms_per_pod":{"daemon":%s,"shim":%s,"sandbox":%s,"container":%s}}\n' \
  "$pods" "$ready_ms" "$raw_ms" "$ratio" "$rss_mb" "$idle_cpu" "$get_ms" \
  "$(per_pod daemon)" "$(per_pod shim)" "$(per_pod sandbox)" "$(per_pod container)"
