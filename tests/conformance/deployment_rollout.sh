#!/usr/bin/env bash
# Kubernetes' Deployment e2e (test/e2e/apps/deployment.go), against the real daemon, kubectl 1.32
# and busybox pods whose readiness the test controls through $GATES:
# - a new Deployment makes ReplicaSet <deploy>-<pod-template-hash> and pods <rs>-<5 chars>, and
#   `kubectl rollout status` exits 0 once they are available;
# - RollingUpdate maxSurge=1 maxUnavailable=0 never has fewer than 3 ready pods nor more than 4
#   (every pod watch event replayed), maxSurge=0 maxUnavailable=1 never fewer than 2 nor more than 3;
# - Recreate deletes every old pod before the first new one exists;
# - `rollout undo` goes back to the previous template, its ReplicaSet renumbered as in Kubernetes;
# - a paused deployment does not roll; revisionHistoryLimit trims old ReplicaSets;
# - progressDeadlineSeconds turns Progressing to ProgressDeadlineExceeded for a pod never ready;
# - scale (kubectl, kinda, the scale subresource), set image, restart, explain, and refusals.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" deployment_rollout
command -v kubectl >/dev/null || { echo "SKIP: no kubectl"; exit 0; }
command -v jq >/dev/null || { echo "SKIP: no jq"; exit 0; }

dump_state() {
  echo "--- state at failure"
  kubectl get deploy,rs,pods -o wide 2>&1 | head -40 || true
  kubectl get deploy -o json 2>/dev/null | jq -c '.items[] | {name: .metadata.name, generation: .metadata.generation, status}' || true
}

up --api-listen 127.0.0.1:0
export KUBECONFIG=$KINDA_HOME/kubeconfig
"$kinda" kubeconfig > "$KUBECONFIG"
DEPLOY=/apis/apps/v1/namespaces/default/deployments

# deployment_manifest NAME [KEY=VALUE…]: busybox pods that sleep; ready unless $GATES/<gate>
# (default: the deployment's name) or $GATES/all exists.
deployment_manifest() {
  local name=$1 replicas=3 image=busybox:1.36 surge=1 unavailable=0 strategy=RollingUpdate
  local history=10 deadline=600 gate=$1 kv
  shift
  for kv in "$@"; do local "${kv%%=*}=${kv#*=}"; done
  cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: $name, labels: {app: $name}}
spec:
  replicas: $replicas
  revisionHistoryLimit: $history
  progressDeadlineSeconds: $deadline
  selector: {matchLabels: {app: $name}}
YAML
  if [ "$strategy" = Recreate ]; then
    echo "  strategy: {type: Recreate}"
  else
    echo "  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: $surge, maxUnavailable: $unavailable}}"
  fi
  cat <<YAML
  template:
    metadata: {labels: {app: $name}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: app
        image: $image
        command: [sh, -c, 'exec sleep 3600']
        readinessProbe:
          exec: {command: [sh, -c, 'test ! -e $GATES/$gate && test ! -e $GATES/all']}
          periodSeconds: 1
          failureThreshold: 1
YAML
}
apply_deployment() { deployment_manifest "$@" | kubectl apply -f - >/dev/null; }
dstatus() { kubectl get deploy "${2:-web}" -o json | jq -r ".status.$1 // 0"; }
condition() { kubectl get deploy "${2:-web}" -o json | jq -r --arg t "$1" '.status.conditions[]? | select(.type == $t) | "\(.status)/\(.reason)"'; }
rs_names() { kubectl get rs -l "app=${1:-web}" -o json | jq -r '[.items[].metadata.name] | sort | join(" ")'; }
rs_of_image() {  # rs_of_image IMAGE [DEPLOY]: the ReplicaSet whose template runs that image
  kubectl get rs -l "app=${2:-web}" -o json |
    jq -r --arg i "$1" '.items[] | select(.spec.template.spec.containers[0].image == $i) | .metadata.name'
}
revision_of_rs() { kubectl get rs "$1" -o json | jq -r '.metadata.annotations["deployment.kubernetes.io/revision"]'; }
rolled_out() { kubectl rollout status "deployment/${1:-web}" --timeout=60s >/dev/null; }
# replay RV: every pod event of app=web since RV as "TYPE NAME TERMINATING READY".
replay() {
  curl -sS --max-time 10 --unix-socket "$SOCK" \
    "http://kinda$PODS?watch=true&resourceVersion=$1&timeoutSeconds=1&labelSelector=app%3Dweb" |
    jq -r '"\(.type) \(.object.metadata.name) \(.object.metadata.deletionTimestamp != null) \([.object.status.conditions[]? | select(.type == "Ready" and .status == "True")] | length == 1)"'
}
# bounds RV: "MIN_READY MAX_PODS" over the replayed events, counting pods that are not
# terminating (ready ones for MIN_READY), starting from the pods as they were at RV.
bounds() {
  { cat "$KINDA_HOME/pods-at-$1"; replay "$1"; } | awk '
    { if ($1 == "DELETED" || $3 == "true") { delete live[$2]; delete rdy[$2] }
      else { live[$2] = 1; if ($4 == "true") rdy[$2] = 1; else delete rdy[$2] }
      if ($1 == "INIT") next
      n = 0; for (k in live) n++; r = 0; for (k in rdy) r++
      if (!seen++ || r < minr) minr = r; if (n > maxn) maxn = n }
    END { print minr, maxn }'
}
# snapshot: the resourceVersion of the pod list, its pods kept for bounds as INIT lines.
snapshot() {
  local list rv
  list=$(api GET "$PODS?labelSelector=app%3Dweb")
  rv=$(jq -r .metadata.resourceVersion <<<"$list")
  jq -r '.items[] | "INIT \(.metadata.name) \(.metadata.deletionTimestamp != null) \([.status.conditions[]? | select(.type == "Ready" and .status == "True")] | length == 1)"' <<<"$list" > "$KINDA_HOME/pods-at-$rv"
  echo "$rv"
}

# ---- a new deployment ----
apply_deployment web
rolled_out || fail "kubectl rollout status of a new deployment: $(kubectl rollout status deployment/web --timeout=1s 2>&1)"
rs1=$(rs_names)
[[ "$rs1" =~ ^web-[bcdfghjklmnpqrstvwxz2456789]+$ ]] || fail "ReplicaSet names: '$rs1'"
hash=${rs1#web-}
[ "$(kubectl get rs "$rs1" -o jsonpath='{.metadata.labels.pod-template-hash}/{.spec.selector.matchLabels.pod-template-hash}/{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}')" = "$hash/$hash/Deployment/web" ] ||
  fail "ReplicaSet labels/selector/owner: $(kubectl get rs "$rs1" -o json | jq -c .metadata)"
pods=$(kubectl get pods -l app=web -o json | jq -r '.items[].metadata.name')
[ "$(wc -l <<<"$pods")" = 3 ] || fail "pods: $pods"
while read -r p; do
  [[ "$p" =~ ^$rs1-[bcdfghjklmnpqrstvwxz2456789]{5}$ ]] || fail "pod name $p is not $rs1-<5 chars>"
done <<<"$pods"
[ "$(kubectl get pods -l app=web -o json | jq -r '[.items[] | .metadata.labels["pod-template-hash"] + "/" + .metadata.ownerReferences[0].name] | unique | join(" ")')" = "$hash/$rs1" ] ||
  fail "pod labels/owners"
[ "$(kubectl get deploy web -o json | jq -r '.metadata.annotations["deployment.kubernetes.io/revision"]')" = 1 ] || fail "deployment revision annotation"
[ "$(revision_of_rs "$rs1")" = 1 ] || fail "ReplicaSet revision annotation"
[ "$(dstatus updatedReplicas)/$(dstatus readyReplicas)/$(dstatus availableReplicas)/$(dstatus replicas)" = 3/3/3/3 ] ||
  fail "status: $(kubectl get deploy web -o json | jq -c .status)"
[ "$(condition Available)" = True/MinimumReplicasAvailable ] || fail "Available: $(condition Available)"
[ "$(condition Progressing)" = True/NewReplicaSetAvailable ] || fail "Progressing: $(condition Progressing)"
ok "deployment web: ReplicaSet $rs1 (pod-template-hash $hash), 3 pods $rs1-<5 chars>, revision 1, rollout status exits 0"

grep -Eq '^NAME +READY +UP-TO-DATE +AVAILABLE +AGE$' <<<"$(kubectl get deploy web | sed -n 1p)" || fail "kubectl get deploy header: $(kubectl get deploy web)"
[ "$(kubectl get deploy web --no-headers | awk '{print $1, $2, $3, $4}')" = "web 3/3 3 3" ] || fail "kubectl get deploy: $(kubectl get deploy web)"
grep -Eq 'CONTAINERS +IMAGES +SELECTOR$' <<<"$(kubectl get deploy web -o wide | sed -n 1p)" || fail "wide header: $(kubectl get deploy web -o wide)"
[ "$(kubectl get deploy web -o wide --no-headers | awk '{print $6, $7, $8}')" = "app busybox:1.36 app=web" ] || fail "wide: $(kubectl get deploy web -o wide)"
grep -Eq '^NAME +DESIRED +CURRENT +READY +AGE *$' <<<"$(kubectl get rs | sed -n 1p)" || fail "kubectl get rs header: $(kubectl get rs)"
[ "$(kubectl get rs "$rs1" --no-headers | awk '{print $2, $3, $4}')" = "3 3 3" ] || fail "kubectl get rs: $(kubectl get rs)"
grep -Eq '^web +3/3 +3 +3 ' <<<"$("$kinda" get deploy)" || fail "kinda get deploy: $("$kinda" get deploy 2>&1)"
grep -q "^$rs1 " <<<"$("$kinda" get rs)" || fail "kinda get rs: $("$kinda" get rs 2>&1)"
kubectl get deploy,rs,pods >/dev/null || fail "kubectl get deploy,rs,pods"
grep -q rollingUpdate <<<"$(kubectl explain deployment.spec.strategy)" || fail "kubectl explain deployment.spec.strategy: $(kubectl explain deployment.spec.strategy 2>&1)"
grep -Eq '^deployments +deploy +apps/v1 +true +Deployment$' <<<"$(kubectl api-resources --api-group=apps)" || fail "api-resources: $(kubectl api-resources --api-group=apps)"
grep -Eq '^replicasets +rs +apps/v1 +true +ReplicaSet$' <<<"$(kubectl api-resources --api-group=apps)" || fail "api-resources rs"
ok "kubectl get deploy/rs columns (and -o wide), kinda get, explain deployment.spec.strategy, api-resources"

# ---- RollingUpdate maxSurge=1 maxUnavailable=0 ----
rv=$(snapshot)
kubectl set image deployment/web app=busybox:1.37 >/dev/null
rolled_out || fail "rollout status after set image"
read -r min_ready max_pods <<<"$(bounds "$rv")"
[ "$min_ready" -ge 3 ] || fail "maxUnavailable=0: ready pods fell to $min_ready"
[ "$max_pods" -le 4 ] || fail "maxSurge=1: $max_pods pods at once"
rs2=$(rs_of_image busybox:1.37)
[ -n "$rs2" ] && [ "$rs2" != "$rs1" ] || fail "no new ReplicaSet: $(rs_names)"
[ "$(revision_of_rs "$rs2")" = 2 ] || fail "$rs2 revision $(revision_of_rs "$rs2")"
[ "$(kubectl get rs "$rs1" -o jsonpath='{.spec.replicas}')" = 0 ] || fail "old ReplicaSet not scaled to 0"
[ "$(kubectl get pods -l app=web -o json | jq -r '[.items[] | select(.metadata.deletionTimestamp == null) | .spec.containers[0].image] | unique | join(" ")')" = busybox:1.37 ] ||
  fail "pods after the rollout: $(kubectl get pods -l app=web)"
grep -q "Scaled up replica set $rs2 from 0 to 1" <<<"$(kubectl get events --field-selector involvedObject.name=web -o json |
  jq -r '.items[] | select(.reason == "ScalingReplicaSet") | .message')" ||
  fail "ScalingReplicaSet events: $(kubectl get events --field-selector involvedObject.name=web)"
ok "set image, maxSurge=1 maxUnavailable=0: at least $min_ready ready and at most $max_pods pods throughout; $rs2 is revision 2"

# ---- rollout history and undo ----
[ "$(kubectl rollout history deployment/web | awk 'NR > 2 && NF {print $1}' | tr '\n' ' ')" = "1 2 " ] ||
  fail "rollout history: $(kubectl rollout history deployment/web)"
grep -q 'busybox:1.36' <<<"$(kubectl rollout history deployment/web --revision=1)" || fail "history --revision=1"
kubectl rollout undo deployment/web >/dev/null || fail "rollout undo"
rolled_out || fail "rollout status after undo"
[ "$(kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}')" = busybox:1.36 ] || fail "undo did not restore the template"
[ "$(rs_of_image busybox:1.36)" = "$rs1" ] || fail "undo made a new ReplicaSet: $(rs_names)"
[ "$(revision_of_rs "$rs1")" = 3 ] || fail "$rs1 revision after undo: $(revision_of_rs "$rs1")"
[ "$(kubectl get rs "$rs1" -o json | jq -r '.metadata.annotations["deployment.kubernetes.io/revision-history"]')" = 1 ] || fail "revision-history annotation"
[ "$(kubectl rollout history deployment/web | awk 'NR > 2 && NF {print $1}' | tr '\n' ' ')" = "2 3 " ] ||
  fail "history after undo: $(kubectl rollout history deployment/web)"
[ "$(kubectl get deploy web -o json | jq -r '.metadata.annotations["deployment.kubernetes.io/revision"]')" = 3 ] || fail "deployment revision after undo"
"$kinda" rollout undo deploy/web >/dev/null || fail "kinda rollout undo"
"$kinda" rollout status deploy/web --timeout=60s >/dev/null || fail "kinda rollout status"
[ "$(kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}')" = busybox:1.37 ] || fail "kinda undo"
[ "$(revision_of_rs "$rs2")" = 4 ] || fail "$rs2 revision after the second undo: $(revision_of_rs "$rs2")"
grep -q '^4 ' <<<"$("$kinda" rollout history deploy/web)" || fail "kinda rollout history: $("$kinda" rollout history deploy/web)"
ok "rollout undo (kubectl, then kinda) returns to the previous template on its old ReplicaSet, renumbered 3 then 4"

# ---- maxSurge=0 maxUnavailable=1 ----
apply_deployment web image=busybox:1.37 surge=0 unavailable=1
rolled_out
rv=$(snapshot)
apply_deployment web image=busybox:1.36 surge=0 unavailable=1
rolled_out || fail "rollout status (maxUnavailable=1)"
read -r min_ready max_pods <<<"$(bounds "$rv")"
[ "$min_ready" -ge 2 ] || fail "maxUnavailable=1: ready pods fell to $min_ready"
[ "$max_pods" -le 3 ] || fail "maxSurge=0: $max_pods pods at once"
ok "maxSurge=0 maxUnavailable=1: at least $min_ready ready and at most $max_pods pods throughout"

# ---- paused ----
grep -q 'deployment.apps/web paused' <<<"$(kubectl rollout pause deployment/web)" || fail "rollout pause"
before=$(rs_names)
kubectl set image deployment/web app=busybox:1.35 >/dev/null
holds 2 eval '[ "$(rs_names)" = "$before" ]' || fail "a paused deployment rolled: $(rs_names)"
[ "$(condition Progressing)" = Unknown/DeploymentPaused ] || fail "Progressing while paused: $(condition Progressing)"
grep -q 'deployment.apps/web resumed' <<<"$(kubectl rollout resume deployment/web)" || fail "rollout resume"
rolled_out || fail "rollout status after resume"
[ -n "$(rs_of_image busybox:1.35)" ] || fail "resume did not roll out"
[ "$("$kinda" rollout pause deploy/web)" = "deployment.apps/web paused" ] || fail "kinda rollout pause"
[ "$("$kinda" rollout pause deploy/web)" = "deployment.apps/web already paused" ] || fail "kinda rollout pause twice"
[ "$(kubectl get deploy web -o jsonpath='{.spec.paused}')" = true ] || fail "kinda pause did not set spec.paused"
[ "$("$kinda" rollout resume deploy/web)" = "deployment.apps/web resumed" ] || fail "kinda rollout resume"
ok "a paused deployment keeps its ReplicaSets through a template change; resume rolls it out (kubectl and kinda)"

# ---- restart, scale ----
before=$(rs_names)
kubectl rollout restart deployment/web >/dev/null
rolled_out || fail "rollout status after restart"
[ "$(rs_names | wc -w)" -gt "$(wc -w <<<"$before")" ] || fail "restart made no new ReplicaSet"
kubectl scale deployment web --replicas=5 >/dev/null
wait_for "5 ready" eval '[ "$(dstatus readyReplicas)" = 5 ]'
"$kinda" scale deploy web --replicas=2 >/dev/null
wait_for "2 pods" eval '[ "$(kubectl get pods -l app=web --no-headers 2>/dev/null | grep -vc Terminating)" = 2 ]'
[ "$(api GET "$DEPLOY/web/scale" | jq -r '.kind + " " + (.spec.replicas | tostring) + " " + .status.selector')" = "Scale 2 app=web" ] ||
  fail "scale subresource: $(api GET "$DEPLOY/web/scale")"
rs_now=$(kubectl get rs -l app=web -o json | jq -r '.items[] | select(.spec.replicas > 0) | .metadata.name')
kubectl scale rs "$rs_now" --replicas=2 >/dev/null || fail "kubectl scale rs"
ok "rollout restart makes a new ReplicaSet; kubectl scale 5, kinda scale 2, and the Scale subresource"

# ---- revisionHistoryLimit ----
kubectl patch deployment web --type merge -p '{"spec":{"revisionHistoryLimit":1}}' >/dev/null
kubectl set image deployment/web app=busybox:1.36 >/dev/null
rolled_out
wait_for "old ReplicaSets trimmed to 1" eval '[ "$(rs_names | wc -w)" = 2 ]'
ok "revisionHistoryLimit=1 trims the old ReplicaSets to one: $(rs_names)"

# ---- Recreate ----
kubectl patch deployment web --type merge -p '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}' >/dev/null
rolled_out
old_rs=$(rs_of_image busybox:1.36)
old_uids=$(kubectl get pods -l "pod-template-hash=${old_rs#web-}" -o json | jq -r '[.items[].metadata.name] | join(" ")')
rv=$(rv_of_pods)
kubectl set image deployment/web app=busybox:1.37 >/dev/null
rolled_out || fail "rollout status (Recreate)"
order=$(replay "$rv" | awk -v old="$old_uids" '
  BEGIN { n = split(old, o, " "); for (i = 1; i <= n; i++) left[o[i]] = 1; count = n }
  $1 == "DELETED" && ($2 in left) { delete left[$2]; count-- }
  $1 == "ADDED" && !($2 in left) { if (count > 0) { print "early " $2; exit } }
  END { print "left " count }')
[ "$order" = "left 0" ] || fail "Recreate: a new pod before every old one was gone ($order)"
ok "Recreate: all old pods gone before the first new pod"

# ---- progressDeadlineSeconds ----
touch "$GATES/stuck"
apply_deployment stuck replicas=1 deadline=10
wait_for "ProgressDeadlineExceeded" eval '[ "$(condition Progressing stuck)" = False/ProgressDeadlineExceeded ]'
if out=$(kubectl rollout status deployment/stuck --timeout=30s 2>&1); then fail "rollout status of a stuck deployment exited 0"; fi
grep -q 'exceeded its progress deadline' <<<"$out" || fail "rollout status message: $out"
[ "$(condition Available stuck)" = False/MinimumReplicasUnavailable ] || fail "Available: $(condition Available stuck)"
ok "a pod never ready: Progressing False/ProgressDeadlineExceeded, rollout status fails with kubectl's message"

# ---- refusals ----
bad() {  # bad JSON-PATCH-FREE-YAML-SED FIELD: the edited manifest is refused naming FIELD
  local out
  if out=$(deployment_manifest bad | sed "$1" | kubectl apply -f - 2>&1); then fail "accepted: $1"; fi
  grep -q "$2" <<<"$out" || fail "refusal of '$1' does not name $2: $out"
}
bad 's/labels: {app: bad}}$/labels: {app: other}}/' 'spec.template.metadata.labels'
bad 's/maxSurge: 1, maxUnavailable: 0/maxSurge: 0, maxUnavailable: 0/' 'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'
bad 's/maxSurge: 1,/maxSurge: "1x",/' 'spec.strategy.rollingUpdate.maxSurge'
bad 's/replicas: 3/replicas: -1/' 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'
bad 's/terminationGracePeriodSeconds: 1/restartPolicy: Never/' 'spec.template.spec.restartPolicy: Unsupported value: "Never"'
if out=$(kubectl patch deployment web --type merge -p '{"spec":{"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}}}}}' 2>&1); then
  fail "selector change accepted"
fi
grep -q 'spec.selector: Invalid value: .*field is immutable' <<<"$out" || fail "selector change message: $out"
ok "refused with the field named: selector/labels mismatch, maxSurge=maxUnavailable=0, a bad percentage, negative replicas, restartPolicy Never, a selector change"

kubectl delete deployment stuck web >/dev/null
wait_for "the ReplicaSets and pods of deleted deployments gone" eval \
  '[ -z "$(kubectl get rs,pods -o name 2>/dev/null)" ]'
ok "deleting the deployments takes their ReplicaSets and pods with them (garbage collector)"
finish
