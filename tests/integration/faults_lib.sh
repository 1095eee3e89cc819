# Shared by the fault stories (crash_points_e2e, pod_chaos_e2e), sourced after lib.sh: a seeded
# random source that every failure names, the StatefulSet they break, and the invariants they check
# after each fault. Every check counts in $checks; the first violation fails the story.
root="$KINDA_HOME/$KINDA_CLUSTER"

# KINDA_FAULT_SEED replays a run: the same seed gives the same faults at the same offsets (the
# moments they hit still depend on the machine's timing).
seed=${KINDA_FAULT_SEED:-$(($(date +%s%N) / 1000 % 1000000))}
RANDOM=$seed
echo "seed $seed (replay with KINDA_FAULT_SEED=$seed)"
checks=0
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND (seed $seed; replay with KINDA_FAULT_SEED=$seed)" >&2' ERR
fail() {
  {
    echo "FAIL: $* (seed $seed; replay with KINDA_FAULT_SEED=$seed)"
    echo "--- processes of the cluster's pods:"
    pod_processes || true
    echo "--- last lines of daemon.log:"
    tail -n 40 "$root/daemon.log" || true
  } >&2
  exit 1
}

# fault_set REPLICAS REV [POLICY]: StatefulSet web of sleep pods (podManagementPolicy OrderedReady
# unless given). Each container start appends a line to its PVC's marker file; readiness is that
# file existing. The probe takes 50 ms, like a real one (redis-cli ping), so faults often land while
# one runs beside its container; it carries the word kinda-probe (see pod_processes.py). Grace
# period 2 s and probe period 2 s are scaled by the cluster's time scale, the probe's 50 ms not.
fault_set() {
  web_service
  echo ---
  web_set_head "$1" 2 | sed -e "s/^  serviceName: web\$/&\n  podManagementPolicy: ${3:-OrderedReady}/" \
    -e "s/^    metadata: {labels: {app: web}}\$/    metadata: {labels: {app: web}, annotations: {rev: \"$2\"}}/"
  cat <<'YAML'
      - name: app
        image: busybox
        command: [sh, -c, 'echo "started $(POD_NAME)" >> ${KINDA_VOLUME_DATA:-/data}/marker; exec sleep 3600']
        readinessProbe:
          exec: {command: [sh, -c, ': kinda-probe; test -f ${KINDA_VOLUME_DATA:-/data}/marker && sleep 0.05']}
          periodSeconds: 2
          timeoutSeconds: 20
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
YAML
}

# fault_checks CHECK… [ARGS]: runs fault_checks.py's checks (objects, converged and gone read the
# objects from the API); prints how many held, or what is wrong and returns 1.
fault_checks() {
  local list='{"items": []}'
  # Cheap first looks, so a converge loop starts no Python until the end is in sight.
  case " $* " in
    *" converged "*)
      list=$("$kinda" get sts web 2>&1) && [[ "$list" =~ web\ +([0-9]+)/([0-9]+) ]] &&
        [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ] || { echo "set not ready: $list"; return 1; } ;;
    *" gone "*)
      list=$("$kinda" get pods -o name 2>/dev/null) && [ -z "$list" ] || { echo "pods left: $list"; return 1; } ;;
  esac
  case " $* " in
    *" objects "* | *" converged "*) list=$("$kinda" get pods,pvc,sts -o json 2>&1) || { echo "$list"; return 1; } ;;
    *" gone "*) list=$("$kinda" get pods -o json 2>&1) || { echo "$list"; return 1; } ;;
  esac
  "$python" "$integration_dir/fault_checks.py" "$root" "$KINDA_HOME/fault-state.json" "$@" <<<"$list"
}
# check WHEN CHECK… [ARGS]: the checks must hold now.
check() {
  local when=$1 out
  shift
  out=$(fault_checks "$@") || fail "$when: $out"
  checks=$((checks + out))
}
# converge WHAT CHECK… [ARGS]: the checks must come to hold within 60 s (bounded retries); a timeout
# fails with what was still wrong.
converge() {
  local what=$1 out deadline=$((SECONDS + 60))
  shift
  while [ "$SECONDS" -le "$deadline" ]; do
    out=$(fault_checks "$@") && { checks=$((checks + out)); return 0; }
    sleep 0.2
  done
  fail "no convergence: $what: $out"
}
