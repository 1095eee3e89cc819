# Shared by the guided demos (scripts/demo NAME): a throwaway offline cluster, and helpers that
# print what runs and why, so the output reads like a tour. Usage: `source lib.sh DEMO` with
# $kinda set to the binary. Everything the demo creates is removed at exit.
export KINDA_HOME=$(mktemp -d "/tmp/kinda-demo-$1.XXXXXX")
export KINDA_CLUSTER=demo-$1
export KINDA_DNS_UPSTREAM=none  # offline: names outside the cluster are refused, not forwarded
DEMO_T0=$(date +%s.%N)
demo_cleanup() { "$kinda" down --purge >/dev/null 2>&1 || true; rm -rf "$KINDA_HOME"; }
trap demo_cleanup EXIT

bold=$'\033[1m' dim=$'\033[2m' plain=$'\033[0m'
[ -t 1 ] || bold='' dim='' plain=''
heading() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }      # a chapter of the tour
say() { printf '%s%s%s\n' "$dim" "$*" "$plain"; }                  # what to notice
step() { printf '%s$ %s%s\n' "$bold" "$*" "$plain"; "$@"; }       # a command, shown then run
elapsed() { awk -v a="$DEMO_T0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}'; }
die() { echo "demo: $*" >&2; exit 1; }

# until_true SECONDS COMMAND…: polls (0.1 s) until the command succeeds; dies after SECONDS.
until_true() {
  local end=$(($(date +%s) + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$end" ] || die "timed out waiting for: $*"
    sleep 0.1
  done
}
# watch_start SET N: `kinda get pods -w` live while pods SET-0…SET-(N-1) become Ready, whether
# the set starts them in order (OrderedReady) or all at once (Parallel).
watch_start() {
  local set=$1 n=$2 i watcher
  "$kinda" get pods -w &
  watcher=$!
  for ((i = 0; i < n; i++)); do
    until_true 60 "$kinda" get pod "$set-$i"
    "$kinda" wait --for=condition=Ready "pod/$set-$i" --timeout=60s >/dev/null
  done
  kill "$watcher"; wait "$watcher" 2>/dev/null || true
}
# pod_main_pid POD COMM: the host pid of the pod's process named COMM (e.g. redis-server): a
# child of the pod's shim (`kinda shim <cluster>/pods/<ns>/<pod>/shim.json`), which is the parent
# of every container process. (Markers in the environment do not do: redis overwrites its own.)
pod_main_pid() {
  local shim_json="$KINDA_HOME/$KINDA_CLUSTER/pods/default/$1/shim.json" p parent
  for p in $(pgrep -x "$2"); do
    parent=$(awk '/^PPid:/ {print $2}' "/proc/$p/status" 2>/dev/null) || continue
    tr '\0' ' ' < "/proc/$parent/cmdline" 2>/dev/null | grep -qF "shim $shim_json" && { echo "$p"; return 0; }
  done
  return 1
}
