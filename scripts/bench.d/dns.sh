#!/usr/bin/env bash
# kinda's cluster DNS against dnsmasq, the same 1,000 names each: kinda from Pod and Service
# objects written through its API (no processes), dnsmasq from a hosts file. dnsperf drives both
# in turns (throughput rounds alternate, medians reported), then a fixed-rate run for latency.
# Usage: dns.sh KINDA_BINARY   (knobs: PODS, SECONDS_PER_RUN, ROUNDS, LATENCY_QPS)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
pods=${PODS:-1000} seconds=${SECONDS_PER_RUN:-5} rounds=${ROUNDS:-3} latency_qps=${LATENCY_QPS:-20000}
for tool in dnsperf dnsmasq; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
    { echo "bench dns needs $tool (Debian: apt-get install dnsperf dnsmasq-base)" >&2; exit 1; }
done
dnsmasq_bin=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)

export KINDA_HOME=$(mktemp -d /tmp/kinda-bench-dns.XXXXXX)
export KINDA_CLUSTER=bench-dns
work=$KINDA_HOME/work
mkdir -p "$work"
dnsmasq_pid=
cleanup() {
  [ -n "$dnsmasq_pid" ] && kill "$dnsmasq_pid" 2>/dev/null && wait "$dnsmasq_pid" 2>/dev/null
  "$kinda" down --purge >/dev/null 2>&1 || true
  rm -rf "$KINDA_HOME"
}
trap cleanup EXIT

echo "== bench dns: $pods pods' names, kinda vs dnsmasq, dnsperf $(dnsperf -h 2>&1 | sed -n 's/.*Version \(.*\)/\1/p')"
"$kinda" up --dns-upstream none >/dev/null
dns=$("$kinda" status | awk '/^DNS:/ {print $2}')
sock=$("$kinda" status | awk '/^API:/ {print $2}')
octet=$("$kinda" status | sed -n 's/^Pod addresses: *127\.\([0-9]*\)\..*/\1/p')
kinda_addr=${dns%:*} kinda_port=${dns##*:}
started=$(date +%s.%N)
python3 "$here/dns_records.py" populate "$sock" "$pods" "$octet" "$work/queries" "$work/hosts"
printf '   %d pods and a headless service written through the API in %.1f s\n' "$pods" \
  "$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')"

dnsmasq_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
user_args=()
[ "$(id -u)" -eq 0 ] && user_args=(--user=root)  # stay as we are: nothing to drop on loopback
"$dnsmasq_bin" --keep-in-foreground --no-resolv --no-hosts --addn-hosts="$work/hosts" \
  --listen-address=127.0.0.1 --bind-interfaces --port="$dnsmasq_port" --pid-file= \
  --local-ttl=5 --log-facility=- --quiet-dhcp "${user_args[@]}" >"$work/dnsmasq.log" 2>&1 &
dnsmasq_pid=$!

sample="bench-$((pods / 2)).bench.default.svc.cluster.local"
want=$(awk -v n="$sample" '$2 == n {print $1}' "$work/hosts")
answers() { dig +short +time=1 +tries=1 "@$1" -p "$2" "$sample" A; }
for _ in $(seq 50); do [ "$(answers 127.0.0.1 "$dnsmasq_port")" = "$want" ] && break; sleep 0.1; done  # dnsmasq start
[ "$(answers 127.0.0.1 "$dnsmasq_port")" = "$want" ] || { echo "dnsmasq does not answer $sample" >&2; exit 1; }
[ "$(answers "$kinda_addr" "$kinda_port")" = "$want" ] || { echo "kinda does not answer $sample" >&2; exit 1; }

# qps SERVER PORT: one throughput run; dnsperf keeps 100 queries in flight from one socket.
qps() {
  dnsperf -s "$1" -p "$2" -d "$work/queries" -l "$seconds" 2>&1 |
    awk '/Queries lost/ {lost = $3} /Queries per second/ {q = $4} END {if (lost != 0) print "lost " lost > "/dev/stderr"; printf "%.0f\n", q}'
}
# latency SERVER PORT: p50 and p99 in ms at a fixed rate both servers sustain.
latency() {
  dnsperf -s "$1" -p "$2" -d "$work/queries" -l 3 -Q "$latency_qps" -v 2>/dev/null |
    awk '/^> NOERROR/ {print $NF * 1000}' | sort -n |
    awk '{v[NR] = $1} END {printf "%.3f %.3f\n", v[int(NR * 0.5)], v[int(NR * 0.99)]}'
}

kinda_runs=() dnsmasq_runs=()
for round in $(seq "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then  # alternate who goes first, so neither always gets a warm machine
    kinda_runs+=("$(qps "$kinda_addr" "$kinda_port")"); dnsmasq_runs+=("$(qps 127.0.0.1 "$dnsmasq_port")")
  else
    dnsmasq_runs+=("$(qps 127.0.0.1 "$dnsmasq_port")"); kinda_runs+=("$(qps "$kinda_addr" "$kinda_port")")
  fi
done
kinda_qps=$(printf '%s\n' "${kinda_runs[@]}" | median)
dnsmasq_qps=$(printf '%s\n' "${dnsmasq_runs[@]}" | median)
read -r kinda_p50 kinda_p99 <<<"$(latency "$kinda_addr" "$kinda_port")"
read -r dnsmasq_p50 dnsmasq_p99 <<<"$(latency 127.0.0.1 "$dnsmasq_port")"
read -r update_ms update_max_ms update_from_request_ms <<<"$(python3 "$here/dns_records.py" update-latency "$sock" "$octet" "$kinda_addr" "$kinda_port" 50)"
ratio=$(awk -v a="$kinda_qps" -v b="$dnsmasq_qps" 'BEGIN {printf "%.2f", a / b}')

printf '\n%-10s %12s %18s %10s %10s\n' SERVER "QPS(median)" "RUNS" "P50(ms)" "P99(ms)"
printf '%-10s %12s %18s %10s %10s\n' kinda "$kinda_qps" "$(IFS=/; echo "${kinda_runs[*]}")" "$kinda_p50" "$kinda_p99"
printf '%-10s %12s %18s %10s %10s\n' dnsmasq "$dnsmasq_qps" "$(IFS=/; echo "${dnsmasq_runs[*]}")" "$dnsmasq_p50" "$dnsmasq_p99"
echo "ratio kinda/dnsmasq (qps): $ratio   (latency at $latency_qps qps; throughput: ${seconds}s runs x $rounds)"
echo "pod moved to a new address: answered ${update_ms} ms (median, max ${update_max_ms}) after the API's reply, ${update_from_request_ms} ms after the request"
printf 'BENCH {"bench":"dns","pods":%d,"kinda_qps":%s,"dnsmasq_qps":%s,"ratio":%s,"kinda_p50_ms":%s,"kinda_p99_ms":%s,"dnsmasq_p50_ms":%s,"dnsmasq_p99_ms":%s,"update_after_reply_ms":%s,"update_after_reply_max_ms":%s}\n' \
  "$pods" "$kinda_qps" "$dnsmasq_qps" "$ratio" "$kinda_p50" "$kinda_p99" "$dnsmasq_p50" "$dnsmasq_p99" "$update_ms" "$update_max_ms"
