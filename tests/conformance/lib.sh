# Shared by the conformance scenarios. Each scenario mirrors one of Kubernetes' StatefulSet e2e tests
# (kubernetes/kubernetes test/e2e/apps/statefulset.go) against the real daemon and real processes.
# Usage: `source lib.sh SCENARIO` after `set -euo pipefail` and `kinda=$1`.
#
# Health is under the test's control without waiting: every pod's readiness probe fails while a
# file named after the pod (or "all") exists in $GATES, a host directory the pods see.
source "$(dirname "${BASH_SOURCE[0]}")/../integration/lib.sh" "conf-${1//_/-}"
SCENARIO=$1
GATES=$KINDA_HOME/gates
mkdir -p "$GATES"
ROOT=$KINDA_HOME/$KINDA_CLUSTER
STS=/apis/apps/v1/namespaces/default/statefulsets
PODS=/api/v1/namespaces/default/pods
T0=$(date +%s.%N)
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND" >&2; dump_state >&2' ERR
fail() { echo "FAIL: $*" >&2; dump_state >&2; exit 1; }
# wait_for DESCRIPTION COMMAND…: retries until the command succeeds, 30 s at most (everything here
# runs at time scale 0.2, so this is generous; a failing scenario fails sooner).
wait_for() {
  local what=$1 end=$(($(date +%s) + 30)); shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$end" ] || fail "timed out waiting for $what"
    sleep 0.1  # bounded retry
  done
}

# ---- cluster ----

# up [ARGS…]: starts this scenario's cluster at time scale 0.2. Clusters in different $KINDA_HOMEs
# do not see each other's address ranges, so when another cluster running on this machine holds
# ours (the daemon fails at start-up) it retries under another cluster name, hence another range.
up() {
  local attempt
  for attempt in 1 2 3 4 5; do
    if "$kinda" up --time-scale 0.2 "$@" >/dev/null 2> "$KINDA_HOME/up.err"; then
      SOCK=$("$kinda" status | awk '/^API:/ {print $2}')
      return 0
    fi
    grep -q 'already in use' "$KINDA_HOME/up.err" || break
    echo "note: $(grep -m1 'already in use' "$KINDA_HOME/up.err"); retrying under another name"
    "$kinda" down --purge >/dev/null 2>&1 || true
    export KINDA_CLUSTER=$KINDA_CLUSTER-$attempt
    ROOT=$KINDA_HOME/$KINDA_CLUSTER
  done
  fail "kinda up: $(cat "$KINDA_HOME/up.err")"
}
finish() {  # the scenario's last line: stops the cluster the way a user does and reports
  "$kinda" down >/dev/null
  echo "$SCENARIO: $passed checks passed in $(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s"
}
dump_state() {  # what a failing scenario leaves behind, for the log
  echo "--- state at failure"
  "$kinda" get sts,pods,pvc -o wide 2>&1 | head -40 || true
  "$kinda" get sts -o json 2>/dev/null | jq -c '.items[] | {name: .metadata.name, spec: {replicas: .spec.replicas, ordinals: .spec.ordinals, updateStrategy: .spec.updateStrategy}, status}' 2>/dev/null || true
}

# ---- reading objects ----

# api METHOD PATH [BODY [CONTENT-TYPE]]: the raw API through the cluster's Unix socket.
api() {
  local args=(-sS --unix-socket "$SOCK" -X "$1" "http://kinda$2")
  [ $# -ge 3 ] && args+=(-H "Content-Type: ${4:-application/json}" --data-binary "$3")
  curl "${args[@]}"
}
# jget TYPE NAME JQ: a field of one object; empty when the object does not exist.
jget() { "$kinda" get "$1" "$2" -o json 2>/dev/null | jq -r "$3 // empty" 2>/dev/null || true; }
# jlist TYPE JQ [SELECTOR]: jq over the .items of a list.
jlist() {
  local sel=()
  [ $# -ge 3 ] && sel=(-l "$3")
  "$kinda" get "$1" "${sel[@]}" -o json | jq -r "[.items[] | $2] | .[]"
}
exists() { "$kinda" get "$1" "$2" >/dev/null 2>&1; }
gone() { ! exists "$1" "$2"; }
uid_of() { jget pod "$1" .metadata.uid; }
# sstatus FIELD [SET]: a status field of set web; counts Kubernetes omits when zero read as 0.
sstatus() {
  case $1 in
    *Replicas | replicas) jget sts "${2:-web}" "if . then (.status.$1 // 0) else empty end" ;;
    *) jget sts "${2:-web}" ".status.$1" ;;
  esac
}
# Names of the live pods of set web (or $2), sorted by ordinal, on one line.
pods_of() {
  "$kinda" get pods -o json | jq -r --arg set "${1:-web}" \
    '[.items[] | select(.metadata.name | test("^" + $set + "-[0-9]+$")) | .metadata.name] | sort_by(split("-") | last | tonumber) | join(" ")'
}
# rv_of_pods: the resourceVersion of the pod list, where watch_since starts.
rv_of_pods() {
  local rv
  rv=$(api GET "$PODS" | jq -r .metadata.resourceVersion)
  [[ "$rv" =~ ^[0-9]+$ ]] || fail "pod list resourceVersion '$rv'"
  echo "$rv"
}
pod_running_ready() {
  [ "$("$kinda" get pod "$1" -o json 2>/dev/null | jq -r '
    (.status.phase == "Running") and (.metadata.deletionTimestamp == null) and
    ([.status.conditions[]? | select(.type == "Ready" and .status == "True")] | length == 1)')" = true ]
}
pod_running_unready() {
  [ "$("$kinda" get pod "$1" -o json 2>/dev/null | jq -r '
    (.status.phase == "Running") and
    ([.status.conditions[]? | select(.type == "Ready" and .status == "False")] | length == 1)')" = true ]
}
wait_ready() { local p; for p in "$@"; do wait_for "$p Running and Ready" pod_running_ready "$p"; done; }
wait_unready() { local p; for p in "$@"; do wait_for "$p Running and not Ready" pod_running_unready "$p"; done; }
wait_gone() { local p; for p in "$@"; do wait_for "$p gone" gone pod "$p"; done; }
status_is() { [ "$(sstatus "$1" "${3:-web}")" = "$2" ]; }  # status_is FIELD VALUE [SET]
wait_status() { wait_for "status.$1 of ${3:-web} = $2" status_is "$@"; }
pods_are() { [ "$(pods_of "${2:-web}")" = "$1" ]; }  # pods_are "web-0 web-1" [SET]
# wait_pods "web-0 web-1" [SET]: exactly these pods exist (terminating ones included).
wait_pods() { wait_for "pods of ${2:-web} to be exactly: $1" pods_are "$@"; }
# holds SECONDS COMMAND…: the command keeps succeeding for that long (the e2e's "confirm it does
# not change" checks); fails at the first time it does not.
holds() {
  local end
  end=$(($(date +%s%N) + $(awk -v s="$1" 'BEGIN {printf "%d", s * 1e9}'))); shift
  while [ "$(date +%s%N)" -lt "$end" ]; do "$@" >/dev/null 2>&1 || return 1; sleep 0.1; done
}
# watch_since RV [SELECTOR]: the pod watch events after resourceVersion RV, one line each:
# "TYPE NAME TERMINATING(true/false)". Ends on the server's timeoutSeconds.
watch_since() {
  local q="watch=true&resourceVersion=$1&timeoutSeconds=1"
  [ $# -ge 2 ] && q+="&labelSelector=$2"
  curl -sS --max-time 10 --unix-socket "$SOCK" "http://kinda/api/v1/namespaces/default/pods?$q" |
    jq -r '"\(.type) \(.object.metadata.name) \(.object.metadata.deletionTimestamp != null)"'
}
# Order in which pods were created (ADDED) and in which their deletion began (first event with a
# deletionTimestamp, or the DELETED event) since RV.
created_order() { watch_since "$1" | awk '$1 == "ADDED" {print $2}' | tr '\n' ' ' | sed 's/ $//'; }
deleted_order() { watch_since "$1" | awk '$1 == "DELETED" {print $2}' | tr '\n' ' ' | sed 's/ $//'; }
delete_begun_order() {
  watch_since "$1" | awk '($1 == "DELETED" || $3 == "true") && !seen[$2]++ {print $2}' | tr '\n' ' ' | sed 's/ $//'
}

# main_pid POD: the host pid of the pod's container process (the `sleep` of set_manifest),
# found by the variables kinda gives every process of a pod.
main_pid() {
  local uid env p
  uid=$(uid_of "$1")
  for env in /proc/[0-9]*/environ; do
    p=${env#/proc/}; p=${p%/environ}
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = sleep ] || continue
    tr '\0' '\n' < "$env" 2>/dev/null | grep -qx "KINDA_POD_UID=$uid" || continue
    tr '\0' '\n' < "$env" 2>/dev/null | grep -qx "KINDA_CLUSTER_ROOT=$ROOT" || continue
    echo "$p"
  done
}

# ---- health ----

unready() { local p; for p in "$@"; do touch "$GATES/$p"; done; }  # unready POD… | all
ready() { local p; for p in "$@"; do rm -f "$GATES/$p"; done; }

# ---- manifests ----

# set_manifest [KEY=VALUE…]: StatefulSet "web": 3 replicas of a busybox sh that sleeps,
# OrderedReady, RollingUpdate, a 'data' claim mounted at /data, readiness gated by $GATES.
# Keys: name replicas policy strategy partition image minReady start whenDeleted whenScaled
# claims(yes/no) probe(yes/no) app grace term(ignore: the pod ignores SIGTERM, so it takes its
# whole grace period to end).
set_manifest() {
  local name=web replicas=3 policy=OrderedReady strategy=RollingUpdate partition= image=busybox:1.36
  local minReady= start= whenDeleted= whenScaled= claims=yes probe=yes app=web grace=1 term= kv
  for kv in "$@"; do local "${kv%%=*}=${kv#*=}"; done
  local prelude=
  [ "$term" = ignore ] && prelude='trap "" TERM; '

  cat <<YAML
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: $name}
spec:
  serviceName: web
  replicas: $replicas
  podManagementPolicy: $policy
  selector: {matchLabels: {app: $app}}
YAML
  [ -n "$start" ] && echo "  ordinals: {start: $start}"
  [ -n "$minReady" ] && echo "  minReadySeconds: $minReady"
  if [ "$strategy" = OnDelete ]; then
    echo "  updateStrategy: {type: OnDelete}"
  elif [ -n "$partition" ]; then
    echo "  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: $partition}}"
  fi
  if [ -n "$whenDeleted$whenScaled" ]; then
    echo "  persistentVolumeClaimRetentionPolicy: {whenDeleted: ${whenDeleted:-Retain}, whenScaled: ${whenScaled:-Retain}}"
  fi
  cat <<YAML
  template:
    metadata: {labels: {app: $app}}
    spec:
      terminationGracePeriodSeconds: $grace
      containers:
      - name: app
        image: $image
        command: [sh, -c, '${prelude}echo started \$(POD_NAME) 2>/dev/null >> \${KINDA_VOLUME_DATA:-/data}/log; exec sleep 3600']
        env:
        - name: POD_NAME
          valueFrom: {fieldRef: {fieldPath: metadata.name}}
YAML
  if [ "$probe" = yes ]; then
    cat <<YAML
        readinessProbe:
          exec: {command: [sh, -c, 'test ! -e $GATES/\$POD_NAME && test ! -e $GATES/all']}
          periodSeconds: 1
          failureThreshold: 1
YAML
  fi
  if [ "$claims" = yes ]; then
    cat <<YAML
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
YAML
  fi
}
# apply_set [KEY=VALUE…]: applies set_manifest with those keys (a PUT of the whole object).
apply_set() {
  set_manifest "$@" > "$KINDA_HOME/set.yaml"
  "$kinda" apply -f "$KINDA_HOME/set.yaml" >/dev/null
}
apply_service() { web_service > "$KINDA_HOME/svc.yaml"; "$kinda" apply -f "$KINDA_HOME/svc.yaml" >/dev/null; }
# merge_patch TYPE-PATH JSON: a JSON merge patch through the API, e.g.
#   merge_patch /apis/apps/v1/namespaces/default/statefulsets/web '{"spec":{"replicas":2}}'
merge_patch() { api PATCH "$1" "$2" application/merge-patch+json >/dev/null; }
