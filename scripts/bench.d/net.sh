#!/usr/bin/env bash
# The pod network's cost (README "Pod network"): TCP connect+close rate and bulk throughput
# between two pods (client and server each under its pod's supervisor) beside the same program
# as two host processes on 127.0.0.1; the same through a Service's ClusterIP (the daemon's
# proxy) beside the server's pod IP; and a pod's start to Ready beside a hostNetwork pod's (no
# supervisor: what every pod was before). ROUNDS (default 5) alternate the runs; medians.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
kinda=$1
load=$(cd "$(dirname "$kinda")/.." && pwd)/tests/net_load
[ -x "$load" ] || { echo "bench net: build $load first (cmake --build build)" >&2; exit 2; }
rounds=${ROUNDS:-5} seconds=${SECONDS_PER_RUN:-2} megabytes=${MEGABYTES:-2048}
home=$(mktemp -d /tmp/kinda-bench-net.XXXXXX)
export KINDA_HOME=$home KINDA_CLUSTER=bench-net
raw_pid=
cleanup() {
  [ -z "$raw_pid" ] || kill "$raw_pid" 2>/dev/null || true
  "$kinda" down --purge >/dev/null 2>&1 || true
  rm -rf "$home"
}
trap cleanup EXIT
"$kinda" up --dns-upstream none >/dev/null
cat > "$home/net.yaml" <<YAML
apiVersion: v1
kind: Pod
metadata: {name: server, labels: {app: server}}
spec:
  containers: [{name: s, image: none, command: ["$load", serve, 0.0.0.0, "5001"], ports: [{containerPort: 5001}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers: [{name: c, image: none, command: [sleep, "3600"]}]
---
apiVersion: v1
kind: Service
metadata: {name: server}
spec: {selector: {app: server}, ports: [{port: 80, targetPort: 5001}]}
YAML
"$kinda" apply -f "$home/net.yaml" >/dev/null
"$kinda" wait --for=condition=Ready pod/server pod/client --timeout=60s >/dev/null
server_ip=$("$kinda" get pod server -o 'jsonpath={.status.podIP}')
cluster_ip=$("$kinda" get svc server -o 'jsonpath={.spec.clusterIP}')
raw_port=$((20000 + $$ % 20000))
"$load" serve 127.0.0.1 "$raw_port" >/dev/null &
raw_pid=$!
sleep 0.2
in_pod() { "$kinda" exec client -- "$load" "$@"; }
via_cluster_ip=yes
python3 -c "import socket,sys; socket.create_connection(('$cluster_ip', 80), timeout=2)" 2>/dev/null ||
  via_cluster_ip=
declare -A runs
for _ in $(seq "$rounds"); do
  runs[raw_connect]+="$("$load" connect 127.0.0.1 "$raw_port" "$seconds") "
  runs[pod_connect]+="$(in_pod connect "$server_ip" 5001 "$seconds") "
  runs[raw_bulk]+="$("$load" bulk 127.0.0.1 "$raw_port" "$megabytes") "
  runs[pod_bulk]+="$(in_pod bulk "$server_ip" 5001 "$megabytes") "
  if [ -n "$via_cluster_ip" ]; then
    runs[svc_connect]+="$(in_pod connect "$cluster_ip" 80 "$seconds") "
    runs[svc_bulk]+="$(in_pod bulk "$cluster_ip" 80 "$megabytes") "
  fi
done
med() { tr ' ' '\n' <<<"${runs[$1]:-}" | grep . | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }

# Pod start: a probe-less pod from create to Ready, alternating with a hostNetwork one.
start_ms() {  # NAME HOSTNETWORK
  local t0
  t0=$(date +%s%N)
  "$kinda" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $1}
spec:
  hostNetwork: $2
  terminationGracePeriodSeconds: 0
  containers: [{name: c, image: none, command: [sleep, "3600"]}]
YAML
  "$kinda" wait --for=condition=Ready "pod/$1" --timeout=60s >/dev/null
  ms_since "$t0"
  "$kinda" delete pod "$1" --wait=false >/dev/null
}
for i in $(seq "$rounds"); do
  runs[start_host]+="$(start_ms "host$i" true) "
  runs[start_pod]+="$(start_ms "pod$i" false) "
done

echo "== bench net: pod network vs host loopback ($rounds rounds, medians)"
printf '%-44s %12s %8s\n' WHAT MEDIAN RATIO
printf '%-44s %12s %8s\n' "connect+close/s, host processes (raw)" "$(med raw_connect)" 1.00
printf '%-44s %12s %8s\n' "connect+close/s, pod to pod IP" "$(med pod_connect)" "$(ratio "$(med pod_connect)" "$(med raw_connect)")"
printf '%-44s %12s %8s\n' "bulk MB/s, host processes (raw)" "$(med raw_bulk)" 1.00
printf '%-44s %12s %8s\n' "bulk MB/s, pod to pod IP" "$(med pod_bulk)" "$(ratio "$(med pod_bulk)" "$(med raw_bulk)")"
if [ -n "$via_cluster_ip" ]; then
  printf '%-44s %12s %8s\n' "connect+close/s, pod to ClusterIP (÷ pod IP)" "$(med svc_connect)" "$(ratio "$(med svc_connect)" "$(med pod_connect)")"
  printf '%-44s %12s %8s\n' "bulk MB/s, pod to ClusterIP (÷ pod IP)" "$(med svc_bulk)" "$(ratio "$(med svc_bulk)" "$(med pod_bulk)")"
else
  echo "ClusterIP: nothing answers on $cluster_ip:80 (no service proxy in this build)"
fi
printf '%-44s %12s %8s\n' "pod start to Ready ms, hostNetwork" "$(med start_host)" 1.00
printf '%-44s %12s %8s\n' "pod start to Ready ms, own address" "$(med start_pod)" "$(ratio "$(med start_pod)" "$(med start_host)")"
echo "goals: bulk >= 0.9x raw; connect overhead <= 1.5x raw (rate ratio >= 0.67)"
printf 'BENCH {"bench":"net","rounds":%d,"raw_connect_per_s":%s,"pod_connect_per_s":%s,"raw_bulk_mb_s":%s,"pod_bulk_mb_s":%s,"svc_connect_per_s":%s,"svc_bulk_mb_s":%s,"start_host_ms":%s,"start_pod_ms":%s}\n' \
  "$rounds" "$(med raw_connect)" "$(med pod_connect)" "$(med raw_bulk)" "$(med pod_bulk)" \
  "$(med svc_connect || true)" "$(med svc_bulk || true)" "$(med start_host)" "$(med start_pod)" | sed 's/:,/:null,/g; s/:}/:null}/'
