#!/usr/bin/env bash
# Jobs and CronJobs, modelled on Kubernetes' e2e job and cronjob tests (test/e2e/apps/job.go,
# cronjob.go): completions with bounded parallelism, an Indexed job, backoffLimit, a deadline,
# podFailurePolicy, ttlSecondsAfterFinished, kubectl wait/logs/describe/explain, and a CronJob on
# the scaled clock with concurrencyPolicy Forbid and its history limits. Real busybox `sh -c` pods.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" job_lifecycle
dump_state() {
  echo "--- state at failure"
  "$kinda" get jobs,cronjobs,pods -o wide 2>&1 | head -60 || true
  "$kinda" get jobs -o json 2>/dev/null | jq -c '.items[] | {name: .metadata.name, status}' 2>/dev/null || true
  "$kinda" get events 2>/dev/null | tail -30 || true
}
up --api-listen 127.0.0.1:0
export KUBECONFIG="$KINDA_HOME/kubeconfig"
"$kinda" kubeconfig >"$KUBECONFIG"
JOBS=/apis/batch/v1/namespaces/default/jobs

# job NAME KEY=VALUE…: a Job of one busybox container running SCRIPT.
job() {
  local name=$1 completions= parallelism= backoff= deadline= mode= ttl= restart=Never policy= kv
  local script='echo done'
  shift
  for kv in "$@"; do local "${kv%%=*}=${kv#*=}"; done
  cat <<YAML
apiVersion: batch/v1
kind: Job
metadata: {name: $name}
spec:
YAML
  [ -n "$completions" ] && echo "  completions: $completions"
  [ -n "$parallelism" ] && echo "  parallelism: $parallelism"
  [ -n "$backoff" ] && echo "  backoffLimit: $backoff"
  [ -n "$deadline" ] && echo "  activeDeadlineSeconds: $deadline"
  [ -n "$mode" ] && echo "  completionMode: $mode"
  [ -n "$ttl" ] && echo "  ttlSecondsAfterFinished: $ttl"
  [ -n "$policy" ] && echo "$policy"
  cat <<YAML
  template:
    spec:
      restartPolicy: $restart
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: busybox:1.36
        command: [sh, -c, '$script']
        env:
        - name: POD_NAME
          valueFrom: {fieldRef: {fieldPath: metadata.name}}
YAML
}
apply_job() { job "$@" | kubectl apply -f - >/dev/null; }
jstatus() { jget job "$1" ".status.$2"; }
condition() { jget job "$1" "[.status.conditions[]? | select(.type == \"$2\" and .status == \"True\")] | if length > 0 then .[0].reason else empty end"; }
pods_of_job() { jlist pods '.metadata.name' "batch.kubernetes.io/job-name=$1" | sort | tr '\n' ' ' | sed 's/ $//'; }
count_pods() { jlist pods '.metadata.name' "batch.kubernetes.io/job-name=$1" | wc -l; }

# processes_of_uid UID: host pids of the processes kinda started for the pod with that uid.
processes_of_uid() {
  local env p
  for env in /proc/[0-9]*/environ; do
    p=${env#/proc/}; p=${p%/environ}
    tr '\0' '\n' 2>/dev/null < "$env" | grep -qx "KINDA_POD_UID=$1" || continue
    tr '\0' '\n' 2>/dev/null < "$env" | grep -qx "KINDA_CLUSTER_ROOT=$ROOT" || continue
    echo "$p"
  done
}

# ---- discovery, explain, validation ----
resources=$(kubectl api-resources --api-group=batch)
grep -Eq '^cronjobs +cj +batch/v1 +true +CronJob$' <<<"$resources" || fail "api-resources: $resources"
grep -Eq '^jobs +batch/v1 +true +Job$' <<<"$resources" || fail "jobs not served: $resources"
has onExitCodes kubectl explain job.spec.podFailurePolicy.rules || fail "explain: $(kubectl explain job.spec.podFailurePolicy.rules 2>&1)"
ok "jobs and cronjobs (cj) are served; kubectl explain job.spec.podFailurePolicy.rules"

if out=$(job bad restart=Always | kubectl apply -f - 2>&1); then fail "restartPolicy Always accepted"; fi
grep -q 'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"' <<<"$out" ||
  fail "restartPolicy message: $out"
if out=$(job bad mode=Indexed parallelism=2 | kubectl apply -f - 2>&1); then fail "Indexed without completions accepted"; fi
grep -q 'spec.completions: Required value: when completion mode is Indexed' <<<"$out" || fail "Indexed message: $out"
ok "restartPolicy Always and an Indexed job without completions are refused with the field named"

# ---- completions 3, parallelism 2 ----
rv=$(rv_of_pods)
apply_job para completions=3 parallelism=2 script='sleep 1; echo hi from $HOSTNAME'
sel=$(jget job para '.spec.selector.matchLabels["batch.kubernetes.io/controller-uid"]')
[ "$sel" = "$(jget job para .metadata.uid)" ] || fail "generated selector: $sel"
[ "$(jget job para '.spec.template.metadata.labels["batch.kubernetes.io/job-name"]')" = para ] || fail "job-name label"
[ "$(jget job para .spec.backoffLimit)/$(jget job para .spec.completionMode)" = 6/NonIndexed ] || fail "defaults"
# The most pods running at once, sampled while it runs.
most=0
end=$(($(date +%s) + 60))
until [ "$(condition para Complete)" = CompletionsReached ]; do
  [ "$(date +%s)" -lt "$end" ] || fail "para did not complete"
  n=$("$kinda" get pods -l batch.kubernetes.io/job-name=para -o json | jq '[.items[] | select(.status.phase == "Running" or .status.phase == "Pending")] | length')
  [ "$n" -gt "$most" ] && most=$n
  sleep 0.1  # bounded sampling
done
[ "$most" -le 2 ] || fail "$most pods ran at once with parallelism 2"
[ "$(jstatus para succeeded)" = 3 ] || fail "succeeded $(jstatus para succeeded)"
[ "$(count_pods para)" = 3 ] || fail "pods: $(pods_of_job para)"
for p in $(pods_of_job para); do
  [[ "$p" =~ ^para-[a-z0-9]{5}$ ]] || fail "pod name $p"
  [ "$(jget pod "$p" .status.phase)" = Succeeded ] || fail "$p phase $(jget pod "$p" .status.phase)"
  [ "$(jget pod "$p" '.metadata.ownerReferences[0].kind')" = Job ] || fail "$p owner"
done
# Every container process is gone, none restarted.
[ "$("$kinda" get pods -l batch.kubernetes.io/job-name=para -o json | jq '[.items[].status.containerStatuses[].restartCount] | add')" = 0 ] ||
  fail "pods of a Never job restarted"
for uid in $(jlist pods .metadata.uid batch.kubernetes.io/job-name=para); do
  wait_for "the processes of pod $uid gone" eval '[ -z "$(processes_of_uid "$uid")" ]'
done
has SuccessCriteriaMet jget job para '[.status.conditions[].type] | join(",")' || fail "no SuccessCriteriaMet"
[ -n "$(jstatus para completionTime)" ] || fail "no completionTime"
kubectl wait --for=condition=complete job/para --timeout=20s >/dev/null || fail "kubectl wait complete"
kubectl get jobs para --no-headers | grep -Eq '^para +Complete +3/3 +[0-9]' || fail "kubectl get jobs: $(kubectl get jobs para)"
kubectl get jobs para -o wide --no-headers | grep -q 'batch.kubernetes.io/controller-uid=' || fail "wide: $(kubectl get jobs -o wide)"
"$kinda" get jobs | grep -Eq '^para +Complete +3/3' || fail "kinda get jobs: $("$kinda" get jobs)"
has "hi from" kubectl logs job/para || fail "kubectl logs job/para: $(kubectl logs job/para 2>&1)"
has SuccessfulCreate kubectl describe job para || fail "describe: $(kubectl describe job para)"
ok "completions 3 parallelism 2: 3 pods succeeded, at most $most at once; wait, get, logs, describe"

# ---- Indexed ----
apply_job idx completions=3 parallelism=3 mode=Indexed script='echo index=$JOB_COMPLETION_INDEX'
wait_for "idx complete" eval '[ "$(condition idx Complete)" = CompletionsReached ]'
[ "$(jstatus idx completedIndexes)" = 0-2 ] || fail "completedIndexes $(jstatus idx completedIndexes)"
for i in 0 1 2; do
  p=$(jlist pods '.metadata.name' "batch.kubernetes.io/job-completion-index=$i,batch.kubernetes.io/job-name=idx")
  [[ "$p" =~ ^idx-$i-[a-z0-9]{5}$ ]] || fail "index $i pod '$p'"
  [ "$(kubectl logs "$p")" = "index=$i" ] || fail "$p logs: $(kubectl logs "$p")"
done
"$kinda" wait --for=condition=complete job/idx --timeout=10s >/dev/null || fail "kinda wait complete"
has "index=" "$kinda" logs job/idx || fail "kinda logs job/idx: $("$kinda" logs job/idx 2>&1)"
ok "Indexed: pods idx-<i>-xxxxx print their JOB_COMPLETION_INDEX, completedIndexes 0-2; kinda wait, kinda logs job/idx"

# ---- backoffLimit ----
apply_job flaky backoff=2 script='exit 1'
kubectl wait --for=condition=failed job/flaky --timeout=60s >/dev/null || fail "kubectl wait failed"
[ "$(condition flaky Failed)" = BackoffLimitExceeded ] || fail "reason $(condition flaky Failed)"
[ "$(condition flaky FailureTarget)" = BackoffLimitExceeded ] || fail "no FailureTarget"
[ "$(jstatus flaky failed)" = 3 ] || fail "failed $(jstatus flaky failed)"
[ "$(count_pods flaky)" = 3 ] || fail "pods $(pods_of_job flaky)"
"$kinda" get events | grep -q BackoffLimitExceeded || fail "no BackoffLimitExceeded event"
ok "backoffLimit 2: Failed (BackoffLimitExceeded) after 3 failed pods, with the back-off between"

apply_job onfail backoff=1 restart=OnFailure script='exit 3'
wait_for "onfail failed" eval '[ "$(condition onfail Failed)" = BackoffLimitExceeded ]'
[ "$(jstatus onfail failed)" = 1 ] || fail "onfail failed count $(jstatus onfail failed)"
ok "restartPolicy OnFailure: the kubelet restarts the container, the restarts reach backoffLimit 1"

# ---- activeDeadlineSeconds ----
apply_job slow deadline=10 script='sleep 3600'   # 2 s at time scale 0.2
wait_for "slow's pod running" eval '[ -n "$(pods_of_job slow)" ] && [ "$(jget pod "$(pods_of_job slow)" .status.phase)" = Running ]'
p=$(pods_of_job slow)
slow_uid=$(uid_of "$p")
[ -n "$(processes_of_uid "$slow_uid")" ] || fail "no processes found for $p (uid $slow_uid)"
wait_for "slow failed" eval '[ "$(condition slow Failed)" = DeadlineExceeded ]'
wait_for "$p's processes gone" eval '[ -z "$(processes_of_uid "$slow_uid")" ]'
wait_for "slow's pod ends" eval '[ -z "$(pods_of_job slow)" ] || [ "$(jget pod "$p" .status.phase)" != Running ]'
[ "$(jstatus slow active // 0)" = 0 ] || fail "active $(jstatus slow active)"
"$kinda" get events | grep -q DeadlineExceeded || fail "no DeadlineExceeded event"
ok "activeDeadlineSeconds: Failed (DeadlineExceeded), its pod killed"

# ---- podFailurePolicy ----
policy='  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes: {containerName: main, operator: In, values: [42]}
    - action: Ignore
      onPodConditions: [{type: DisruptionTarget}]'
apply_job fatal backoff=6 policy="$policy" script='exit 42'
wait_for "fatal failed" eval '[ "$(condition fatal Failed)" = PodFailurePolicy ]'
[ "$(count_pods fatal)" = 1 ] || fail "fatal pods: $(pods_of_job fatal)"
jget job fatal '.status.conditions[] | select(.type == "Failed") | .message' | grep -q 'failed with exit code 42 matching FailJob rule at index 0' ||
  fail "fatal message: $(jget job fatal .status.conditions)"
ok "podFailurePolicy FailJob on exit code 42: Failed at the first pod, backoffLimit notwithstanding"

apply_job calm backoff=0 policy="$policy" script="while [ ! -e $GATES/\$POD_NAME ]; do sleep 0.2; done; exit 1"
wait_for "calm's pod running" eval '[ "$("$kinda" get pods -l batch.kubernetes.io/job-name=calm -o json | jq -r ".items[0].status.phase")" = Running ]'
victim=$(pods_of_job calm)
# A disruption as the API server marks one (the DisruptionTarget condition), then the pod fails.
api PATCH "/api/v1/namespaces/default/pods/$victim/status" \
  '{"status":{"conditions":[{"type":"DisruptionTarget","status":"True","reason":"EvictionByEvictionAPI","message":"Eviction API: evicting"}]}}' \
  application/strategic-merge-patch+json >/dev/null
touch "$GATES/$victim"
wait_for "$victim Failed" eval '[ "$(jget pod "$victim" .status.phase)" = Failed ]'
has DisruptionTarget jget pod "$victim" '[.status.conditions[].type] | join(",")' ||
  fail "the kubelet dropped DisruptionTarget: $(jget pod "$victim" .status.conditions)"
wait_for "a replacement for $victim" eval '[ "$(count_pods calm)" -ge 2 ]'
[ -z "$(condition calm Failed)$(condition calm FailureTarget)" ] || fail "calm failed after a disruption"
[ "$(jstatus calm failed)" = 0 ] || fail "calm counted the disrupted pod: failed $(jstatus calm failed)"
ok "podFailurePolicy Ignore on DisruptionTarget: the disrupted pod is replaced, not counted (backoffLimit 0)"
kubectl delete job calm --wait=false >/dev/null

# ---- ttlSecondsAfterFinished ----
apply_job brief ttl=5 script='true'
wait_for "brief's pod" eval '[ -n "$(pods_of_job brief)" ]'
wait_for "brief deleted after its TTL" gone job brief
wait_for "brief's pod collected" eval '[ -z "$(pods_of_job brief)" ]'
ok "ttlSecondsAfterFinished: the finished Job is deleted, its pod with it (garbage collector)"

# ---- CronJob ----
# cronjob NAME SLEEP: every (scaled) minute, Forbid, history 2 succeeded / 1 failed.
cronjob() {
  cat <<YAML
apiVersion: batch/v1
kind: CronJob
metadata: {name: $1}
spec:
  schedule: "*/1 * * * *"
  concurrencyPolicy: Forbid
  successfulJobsHistoryLimit: 2
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          terminationGracePeriodSeconds: 1
          containers:
          - {name: main, image: busybox:1.36, command: [sh, -c, 'sleep $2']}
YAML
}
# One scaled minute is 12 s at time scale 0.2: tick's jobs (1 s) end within their minute, hog's
# (30 s) outlast the next one, which Forbid skips.
cronjob tick 1 | kubectl apply -f - >/dev/null
cronjob hog 30 | kubectl apply -f - >/dev/null
[ "$(kubectl get cj tick -o jsonpath='{.spec.failedJobsHistoryLimit}')" = 1 ] || fail "cj defaults"
long_wait() {  # long_wait DESCRIPTION SECONDS COMMAND…: the scaled minutes are 12 s each
  local what=$1 end=$(($(date +%s) + $2)); shift 2
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$end" ] || fail "timed out waiting for $what"
    sleep 0.2  # bounded retry
  done
}
long_wait "tick's first job" 30 eval '[ "$(jlist jobs .metadata.name | grep -c "^tick-")" -ge 1 ]'
first=$(jlist jobs .metadata.name | grep '^tick-' | head -1)
[[ "$first" =~ ^tick-[0-9]{8}$ ]] || fail "job name $first"
[ "$(jget job "$first" '.metadata.ownerReferences[0].kind')" = CronJob ] || fail "owner"
[ -n "$(jget job "$first" '.metadata.annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"]')" ] || fail "scheduled-timestamp"
kubectl get cronjobs tick --no-headers | grep -Eq '^tick +\*/1 \* \* \* \* +<none> +False +[01] +[0-9]' ||
  fail "kubectl get cronjobs: $(kubectl get cronjobs)"
ok "a CronJob every (scaled) minute makes Job $first; kubectl get cronjobs"

long_wait "a skipped run of hog" 40 has JobAlreadyActive "$kinda" get events
[ "$(jlist jobs .metadata.name | grep -c '^hog-')" = 1 ] || fail "hog jobs: $(jlist jobs .metadata.name)"
[ "$(jget cj hog '.status.active | length')" = 1 ] || fail "hog active"
ok "concurrencyPolicy Forbid: the next minute is skipped (JobAlreadyActive) while hog's job runs"

long_wait "three runs of tick" 40 eval '[ "$("$kinda" get events | grep -c "Created job tick-")" -ge 3 ]'
long_wait "tick's history trimmed to 2" 20 eval '[ "$(jlist jobs .metadata.name | grep -c "^tick-")" -le 2 ] && "$kinda" get events | grep -q "Deleted job tick-"'
[ -n "$(jget cj tick .status.lastSuccessfulTime)" ] || fail "no lastSuccessfulTime"
[ -n "$(jget cj tick .status.lastScheduleTime)" ] || fail "no lastScheduleTime"
ok "three runs of tick, the oldest deleted past successfulJobsHistoryLimit 2; lastScheduleTime, lastSuccessfulTime"

# kubectl's typed client posts the Job as protobuf, which kinda does not decode; the same Job
# through JSON (what `kubectl create job --from` builds) is instantiated like the CronJob's.
kubectl create job manual --from=cronjob/tick --dry-run=client -o json | kubectl create -f - >/dev/null ||
  fail "create job --from=cronjob"
[ "$(jget job manual '.metadata.annotations["cronjob.kubernetes.io/instantiate"]')" = manual ] || fail "instantiate annotation"
[ "$(jget job manual '.spec.template.spec.containers[0].command[2]')" = 'sleep 1' ] || fail "manual job template"
kubectl wait --for=condition=complete job/manual --timeout=30s >/dev/null || fail "manual did not complete"
ok "kubectl create job --from=cronjob/tick (as JSON) runs the CronJob's template"
kubectl delete cronjob tick hog >/dev/null

finish
