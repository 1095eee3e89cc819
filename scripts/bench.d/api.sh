#!/usr/bin/env bash
# The API at PODS (default 1,000) pods: `kinda get pods -o json` and `kinda get pods` (the table),
# median of 10 each, beside the raw list over the Unix socket with curl (the daemon and transport,
# no client) in the same run; then how soon a watch sees a pod's change (median of 50 patches).
# Target: `get pods` < 20 ms at 1,000 pods.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
pods=${PODS:-1000}
export KINDA_HOME=$(mktemp -d /tmp/kinda-bench-api.XXXXXX) KINDA_CLUSTER=bench-api
trap '"$kinda" down --purge >/dev/null 2>&1 || true; rm -rf "$KINDA_HOME"' EXIT

"$kinda" up --nodes 10 --dns-upstream none >/dev/null
sock=$("$kinda" status | awk '/^API:/ {print $2}')
python3 "$here/set_ready.py" "$sock" sleepers "$pods" Parallel >/dev/null
timed() {  # timed COMMAND…: milliseconds, median of 10 runs, output discarded
  for _ in $(seq 10); do
    local t0; t0=$(date +%s%N)
    "$@" >/dev/null
    ms_since "$t0"; echo
  done | median
}
json_ms=$(timed "$kinda" get pods -o json)
table_ms=$(timed "$kinda" get pods)
curl_ms=$(timed curl -sf --unix-socket "$sock" http://kinda/api/v1/namespaces/default/pods)
size_kb=$(curl -sf --unix-socket "$sock" http://kinda/api/v1/namespaces/default/pods | wc -c | awk '{printf "%d", $1 / 1024}')
watch=$(python3 "$here/watch_latency.py" "$sock" sleepers-0 50)
field() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$watch" "$1"; }
ratio=$(awk -v a="$json_ms" -v b="$curl_ms" 'BEGIN {printf "%.1f", a / b}')

echo "== bench api: $pods pods ($size_kb KB as a list)"
printf '%-46s %10s\n' WHAT VALUE
printf '%-46s %10s\n' "kinda get pods -o json (ms, target < 20)" "$json_ms"
printf '%-46s %10s\n' "kinda get pods, table (ms, target < 20)" "$table_ms"
printf '%-46s %10s\n' "raw: curl of the list on the socket (ms)" "$curl_ms"
printf '%-46s %10s\n' "ratio get -o json / curl" "$ratio"
printf '%-46s %10s\n' "watch event after the PATCH request (ms)" "$(field event_after_request_ms)"
printf '%-46s %10s\n' "watch event after the PATCH reply (ms)" "$(field event_after_reply_ms)"
printf '%-46s %10s\n' "watch event after request, max of 50 (ms)" "$(field event_after_request_max_ms)"
printf 'BENCH {"bench":"api","pods":%d,"get_pods_json_ms":%s,"get_pods_table_ms":%s,"curl_list_ms":%s,"ratio":%s,"watch":%s}\n' \
  "$pods" "$json_ms" "$table_ms" "$curl_ms" "$ratio" "$watch"
