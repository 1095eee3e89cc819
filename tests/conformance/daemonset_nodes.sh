#!/usr/bin/env bash
# DaemonSets over simulated nodes (test/e2e/apps/daemon_set.go): one pod per node, pinned by node
# affinity; a cordoned node keeps and gets its pod (daemon pods tolerate the unschedulable taint);
# a NoSchedule taint keeps the pod there but gives a new set none, a NoExecute taint takes it
# away; nodeSelector picks the nodes; a node that joins gets a pod; a RollingUpdate replaces the
# pods one node at a time (maxUnavailable 1) and `kubectl rollout status` waits for it, `rollout
# history`/`undo` work from the ControllerRevisions; drain --ignore-daemonsets leaves the pod.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" daemonset_nodes
command -v kubectl >/dev/null || { echo "skip: kubectl not on PATH"; exit 0; }

up --nodes 3 --api-listen 127.0.0.1:0
export KUBECONFIG=$KINDA_HOME/kubeconfig
"$kinda" kubeconfig > "$KUBECONFIG"
c=$KINDA_CLUSTER
n1=$c-node n2=$c-node2 n3=$c-node3

# ds_manifest NAME MODE [NODE-SELECTOR-JSON]: a busybox sleeper whose readiness is gated by the
# file $GATES/<MODE>, so a new template's pods can be held unready.
ds_manifest() {
  cat <<YAML
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: $1}
spec:
  selector: {matchLabels: {app: $1}}
  template:
    metadata: {labels: {app: $1}}
    spec:
      terminationGracePeriodSeconds: 1
      nodeSelector: ${3:-{\}}
      containers:
      - name: app
        image: busybox
        command: [sh, -c, 'exec sleep 3600']
        env: [{name: MODE, value: $2}]
        readinessProbe:
          exec: {command: [sh, -c, 'test ! -e $GATES/$2']}
          periodSeconds: 1
          failureThreshold: 1
YAML
}
# nodes_of DS: the nodes its live pods are bound to, sorted, on one line.
nodes_of() {
  kubectl get pods -l "app=$1" -o json | jq -r '[.items[] | select(.metadata.deletionTimestamp == null) | .spec.nodeName // "-"] | sort | join(" ")'
}
nodes_are() { [ "$(nodes_of "$1")" = "$2" ]; }
ds_field() { kubectl get ds "$1" -o json | jq -r "$2"; }
ds_counts() { ds_field "$1" '"\(.status.desiredNumberScheduled) \(.status.currentNumberScheduled) \(.status.numberReady) \(.status.updatedNumberScheduled) \(.status.numberAvailable) \(.status.numberMisscheduled)"'; }
counts_are() { [ "$(ds_counts "$1")" = "$2" ]; }
all3="$n1 $n2 $n3"

ds_manifest agent v1 | kubectl apply -f - >/dev/null
wait_for "one agent pod per node" nodes_are agent "$all3"
wait_for "agent status 3 3 3 3 3 0" counts_are agent "3 3 3 3 3 0"
pod=$(kubectl get pods -l app=agent -o json | jq -r '.items[0]')
[[ "$(jq -r .metadata.name <<<"$pod")" =~ ^agent-[a-z0-9]{5}$ ]] || fail "pod name $(jq -r .metadata.name <<<"$pod")"
[ -n "$(jq -r '.metadata.labels["controller-revision-hash"] // empty' <<<"$pod")" ] || fail "hash label"
[ "$(jq -r '.metadata.labels["pod-template-generation"]' <<<"$pod")" = 1 ] || fail "generation label"
[ "$(jq -r '.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key' <<<"$pod")" = metadata.name ] || fail "affinity"
jq -e '[.spec.tolerations[] | select(.key == "node.kubernetes.io/unschedulable" and .effect == "NoSchedule" and .operator == "Exists")] | length == 1' <<<"$pod" >/dev/null || fail "tolerations"
jq -e '[.spec.tolerations[] | select(.key == "node.kubernetes.io/unreachable" and .effect == "NoExecute")] | length == 1' <<<"$pod" >/dev/null || fail "unreachable toleration"
[ "$(jq -r '.metadata.ownerReferences[0].kind' <<<"$pod")" = DaemonSet ] || fail "owner"
has "agent   3         3         3       3            3           <none>" kubectl get ds agent || fail "columns: $(kubectl get ds agent)"
[ "$(ds_field agent .status.observedGeneration)" = 1 ] || fail "observedGeneration"
ok "a DaemonSet runs one pod per node, named agent-xxxxx, pinned by node affinity, with the default tolerations"

# Cordon: the pod stays, and a new set still gets a pod there.
kubectl cordon "$n2" >/dev/null
ds_manifest cordoned v1 | kubectl apply -f - >/dev/null
wait_for "cordoned set on every node" nodes_are cordoned "$all3"
nodes_are agent "$all3" || fail "cordon moved agent"
kubectl uncordon "$n2" >/dev/null
kubectl delete ds cordoned --wait=false >/dev/null
ok "a cordoned node keeps its daemon pod and gets a new set's (unschedulable is tolerated)"

# NoSchedule: existing pods stay, new sets skip the node; NoExecute: the pod goes.
kubectl taint node "$n3" dedicated=db:NoSchedule >/dev/null
ds_manifest late v1 | kubectl apply -f - >/dev/null
wait_for "late set on nodes 1 and 2" nodes_are late "$n1 $n2"
holds 1 nodes_are late "$n1 $n2" || fail "late got a pod on tainted $n3"
nodes_are agent "$all3" || fail "NoSchedule evicted agent"
wait_for "late status desired 2" test "$(ds_field late .status.desiredNumberScheduled)" = 2
kubectl delete ds late --wait=false >/dev/null
kubectl taint node "$n3" dedicated- >/dev/null
kubectl taint node "$n3" dedicated=db:NoExecute >/dev/null
wait_for "agent off $n3" nodes_are agent "$n1 $n2"
wait_for "agent status desired 2" counts_are agent "2 2 2 2 2 0"
kubectl taint node "$n3" dedicated- >/dev/null
wait_for "agent back on $n3" nodes_are agent "$all3"
ok "a NoSchedule taint keeps the pod but gives a new set none; NoExecute takes it away"

# nodeSelector.
kubectl label node "$n1" disk=ssd >/dev/null
ds_manifest picky v1 '{disk: ssd}' | kubectl apply -f - >/dev/null
wait_for "picky on $n1 only" nodes_are picky "$n1"
has "disk=ssd" kubectl get ds picky || fail "NODE SELECTOR column"
kubectl label node "$n2" disk=ssd >/dev/null
wait_for "picky on $n1 and $n2" nodes_are picky "$n1 $n2"
kubectl label node "$n1" disk- >/dev/null
wait_for "picky leaves $n1" nodes_are picky "$n2"
kubectl delete ds picky --wait=false >/dev/null
ok "nodeSelector decides which nodes run the pod, following label changes"

# A node joins: it gets a pod.
n4=$c-node4
kubectl create -f - >/dev/null <<YAML
apiVersion: v1
kind: Node
metadata: {name: $n4, labels: {kubernetes.io/hostname: $n4}}
YAML
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
kubectl patch node "$n4" --subresource=status --type=merge -p \
  '{"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"kubelet is posting ready status","lastHeartbeatTime":"'$now'","lastTransitionTime":"'$now'"}]}}' >/dev/null
wait_for "agent on the new node" nodes_are agent "$all3 $n4"
wait_for "agent status 4" counts_are agent "4 4 4 4 4 0"
kubectl delete node "$n4" >/dev/null
wait_for "agent leaves the deleted node" nodes_are agent "$all3"
wait_for "agent status 3" counts_are agent "3 3 3 3 3 0"
ok "a node that joins gets a daemon pod, and a node removed loses it"

# kinda node fail: the node's pods go and, the node tainted unreachable (NoSchedule too), the set
# makes none there until kinda node recover.
"$kinda" node fail "$n3" >/dev/null
wait_for "agent off the failed node" nodes_are agent "$n1 $n2"
holds 1 nodes_are agent "$n1 $n2" || fail "a pod was made for the failed node"
wait_for "agent status desired 2" counts_are agent "2 2 2 2 2 0"
"$kinda" node recover "$n3" >/dev/null
wait_for "agent back on the recovered node" nodes_are agent "$all3"
wait_for "agent status 3 after recovery" counts_are agent "3 3 3 3 3 0"
ok "kinda node fail takes the node's daemon pod away; kinda node recover brings it back"

# RollingUpdate, maxUnavailable 1: with the new pods held unready, only one node is replaced.
touch "$GATES/v2"
ds_manifest agent v2 | kubectl apply -f - >/dev/null
wait_for "one new pod" test "$(kubectl get pods -l app=agent -o json | jq '[.items[] | select(.spec.containers[0].env[0].value == "v2")] | length')" = 1
sleep_check() { [ "$(kubectl get pods -l app=agent -o json | jq '[.items[] | select(.spec.containers[0].env[0].value == "v1" and .metadata.deletionTimestamp == null)] | length')" = 2 ]; }
holds 1.5 sleep_check || fail "more than one node replaced at once: $(kubectl get pods -o wide)"
[ "$(ds_field agent .status.updatedNumberScheduled)" = 1 ] || fail "updated: $(ds_field agent .status)"
[ "$(ds_field agent .status.numberUnavailable)" = 1 ] || fail "unavailable: $(ds_field agent .status)"
ok "a RollingUpdate replaces one node's pod at a time and waits while the new pod is not available"
rm -f "$GATES/v2"
timeout 60 kubectl rollout status ds/agent --timeout=50s >/dev/null || fail "rollout status"
counts_are agent "3 3 3 3 3 0" || fail "after rollout: $(ds_counts agent)"
[ "$(kubectl get pods -l app=agent -o json | jq '[.items[] | select(.metadata.labels["pod-template-generation"] == "2")] | length')" = 3 ] || fail "generation 2 labels"
ok "kubectl rollout status ds/agent returns 0 once every node runs the new pod"

[ "$(kubectl rollout history ds/agent | grep -cE '^[0-9]+ ')" = 2 ] || fail "history: $(kubectl rollout history ds/agent)"
kubectl rollout undo ds/agent >/dev/null
timeout 60 kubectl rollout status ds/agent --timeout=50s >/dev/null || fail "rollout status after undo"
[ "$(kubectl get ds agent -o jsonpath='{.spec.template.spec.containers[0].env[0].value}')" = v1 ] || fail "undo"
ok "kubectl rollout history and undo work from the ControllerRevisions"

# OnDelete: a new template changes nothing until a pod is deleted.
kubectl patch ds agent --type=merge -p '{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":null}}}' >/dev/null
kubectl set env ds/agent MODE=v3 >/dev/null
holds 1 test "$(kubectl get pods -l app=agent -o json | jq '[.items[] | select(.spec.containers[0].env[0].value == "v3")] | length')" = 0 || fail "OnDelete replaced a pod"
victim=$(kubectl get pods -l app=agent -o json | jq -r '.items[0].metadata.name')
kubectl delete pod "$victim" --wait=false >/dev/null
wait_for "one v3 pod" test "$(kubectl get pods -l app=agent -o json | jq '[.items[] | select(.spec.containers[0].env[0].value == "v3")] | length')" = 1
# templateGeneration: 1 at creation, 2 for v2, 3 for the undo; the strategy change kept it; v3 is 4.
[ "$(kubectl get ds agent -o json | jq -r '.metadata.annotations["deprecated.daemonset.template.generation"]')" = 4 ] || fail "template generation: $(kubectl get ds agent -o json | jq -c .metadata)"
[ "$(kubectl get pods -l app=agent -o json | jq -r '[.items[] | select(.spec.containers[0].env[0].value == "v3") | .metadata.labels["pod-template-generation"]] | .[0]')" = 4 ] || fail "pod-template-generation of the v3 pod"
ok "OnDelete: only a deleted pod comes back with the new template (templateGeneration 4)"

# Drain with --ignore-daemonsets leaves the daemon pod.
out=$(kubectl drain "$n2" --ignore-daemonsets --timeout=30s 2>&1) || fail "drain: $out"
grep -q "ignoring DaemonSet-managed Pods" <<<"$out" || fail "drain output: $out"
holds 1 nodes_are agent "$all3" || fail "drain removed the daemon pod"
out=$(kubectl drain "$n3" --timeout=10s 2>&1) && fail "drain without --ignore-daemonsets passed"
grep -q "cannot delete DaemonSet-managed Pods" <<<"$out" || fail "drain refusal: $out"
kubectl uncordon "$n2" "$n3" >/dev/null
ok "kubectl drain --ignore-daemonsets leaves the daemon pod; without it the drain refuses"

# Deleting the set takes its pods and revisions with it (the garbage collector, foreground here).
kubectl delete ds agent --cascade=foreground --timeout=30s >/dev/null || fail "foreground delete"
[ -z "$(nodes_of agent)" ] || fail "agent pods left: $(nodes_of agent)"
[ "$(kubectl get controllerrevisions -o json | jq '[.items[] | select(.metadata.name | startswith("agent-"))] | length')" = 0 ] || fail "revisions left"
ok "a foreground deletion of the DaemonSet removes its pods and ControllerRevisions first"

# Validation names the fields.
out=$(kubectl apply -f - 2>&1 <<'YAML'
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: bad}
spec:
  selector: {matchLabels: {app: x}}
  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 0}}
  template:
    metadata: {labels: {app: y}}
    spec: {restartPolicy: Never, containers: [{name: a, image: busybox}]}
YAML
) && fail "bad set accepted"
for want in "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when \`maxSurge\` is 0" \
            'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"' \
            "spec.template.metadata.labels: Invalid value:"; do
  grep -qF "$want" <<<"$out" || fail "missing '$want' in: $out"
done
ok "an invalid DaemonSet is refused with the fields named"
finish
