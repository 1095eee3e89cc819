#!/usr/bin/env bash
# Drain against a PodDisruptionBudget (test/e2e/apps/disruption.go and kubectl drain's eviction
# loop): a 3-replica StatefulSet spread over 3 simulated nodes, guarded by a budget of
# minAvailable 2. The budget's status follows the pods (currentHealthy, desiredHealthy,
# expectedPods, disruptionsAllowed, the DisruptionAllowed condition); `kubectl drain` of one node
# evicts its pod; draining a second node while the evicted pod has not come back Ready gets 429s
# and waits, completing only once the budget allows it; a raw eviction of a pod whose budget
# allows nothing answers 429 with the API server's message naming the budget, and two budgets
# over one pod answer 500. `kinda drain` goes through the same subresource.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" drain_pdb
command -v kubectl >/dev/null || { echo "skip: kubectl not on PATH"; exit 0; }

up --nodes 3 --api-listen 127.0.0.1:0
export KUBECONFIG=$KINDA_HOME/kubeconfig
"$kinda" kubeconfig > "$KUBECONFIG"
c=$KINDA_CLUSTER
n1=$c-node n2=$c-node2 n3=$c-node3
node_of() { jget pod "$1" .spec.nodeName; }
pdb() { jget pdb web "$1"; }  # pdb JQ: a field of budget web
# pdb_is "currentHealthy desiredHealthy expectedPods disruptionsAllowed"
pdb_figures() { jget pdb web '"\(.status.currentHealthy) \(.status.desiredHealthy) \(.status.expectedPods) \(.status.disruptionsAllowed)"'; }
pdb_is() { [ "$(pdb_figures)" = "$1" ]; }

apply_service
apply_set claims=no grace=1
wait_ready web-0 web-1 web-2
[ "$(node_of web-0) $(node_of web-1) $(node_of web-2)" = "$n1 $n2 $n3" ] || fail "spread: $("$kinda" get pods -o wide)"

cat > "$KINDA_HOME/pdb.yaml" <<'YAML'
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: web}}
YAML
kubectl apply -f "$KINDA_HOME/pdb.yaml" >/dev/null
wait_for "budget status 3 2 3 1" pdb_is "3 2 3 1"
[ "$(pdb '.status.conditions[] | select(.type=="DisruptionAllowed") | "\(.status) \(.reason)"')" = "True SufficientPods" ] || fail "condition: $(pdb .status)"
[ "$(pdb .status.observedGeneration)" = "$(pdb .metadata.generation)" ] || fail "observedGeneration"
has "web    2               N/A               1                     " kubectl get pdb web || fail "columns: $(kubectl get pdb web)"
ok "the budget counts 3 healthy of 3 expected, needs 2, allows 1 (SufficientPods)"

# The pod drained off node 1 comes back unready (its gate file is there before it starts).
unready web-0
out=$(kubectl drain "$n1" --ignore-daemonsets --delete-emptydir-data --timeout=60s 2>&1) || fail "drain $n1: $out"
grep -q "pod/web-0 evicted" <<<"$out" || fail "drain output: $out"
ok "kubectl drain $n1 evicts web-0 through the eviction subresource"
wait_for "web-0 recreated" exists pod web-0
wait_for "web-0 running unready" pod_running_unready web-0
wait_for "budget status 2 2 3 0" pdb_is "2 2 3 0"
[ "$(pdb '.status.conditions[] | select(.type=="DisruptionAllowed") | "\(.status) \(.reason)"')" = "False InsufficientPods" ] || fail "condition: $(pdb .status)"
[ "$(node_of web-0)" != "$n1" ] || fail "web-0 back on the cordoned node"
ok "with web-0 back but not Ready the budget allows 0 disruptions (InsufficientPods)"

# A raw eviction now: 429 with the API server's Status.
victim=web-2
[ "$(node_of web-2)" = "$n3" ] || victim=web-1
body='{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"'$victim'","namespace":"default"}}'
code=$(curl -sS -o "$KINDA_HOME/evict.json" -w '%{http_code}' --unix-socket "$SOCK" -X POST \
  -H 'Content-Type: application/json' --data-binary "$body" "http://kinda$PODS/$victim/eviction")
[ "$code" = 429 ] || fail "eviction answered $code: $(cat "$KINDA_HOME/evict.json")"
[ "$(jq -r .reason "$KINDA_HOME/evict.json")" = TooManyRequests ] || fail "reason: $(cat "$KINDA_HOME/evict.json")"
[ "$(jq -r .message "$KINDA_HOME/evict.json")" = "Cannot evict pod as it would violate the pod's disruption budget." ] || fail "message"
[ "$(jq -r '.details.causes[0].message' "$KINDA_HOME/evict.json")" = "The disruption budget web needs 2 healthy pods and has 2 currently" ] || fail "cause: $(cat "$KINDA_HOME/evict.json")"
[ "$(jq -r '.details.causes[0].reason' "$KINDA_HOME/evict.json")" = DisruptionBudget ] || fail "cause reason"
exists pod "$victim" && [ -z "$(jget pod "$victim" .metadata.deletionTimestamp)" ] || fail "$victim was deleted"
out=$(kubectl create --raw "$PODS/$victim/eviction" -f - <<<"$body" 2>&1) && fail "kubectl raw eviction passed: $out"
grep -q "Cannot evict pod as it would violate the pod's disruption budget" <<<"$out" || fail "kubectl raw: $out"
ok "an eviction the budget does not allow answers 429 TooManyRequests naming the budget"

# Draining the second node waits on 429s until web-0 is Ready again.
victim_node=$(node_of "$victim")
kubectl drain "$victim_node" --ignore-daemonsets --delete-emptydir-data --timeout=90s > "$KINDA_HOME/drain2.out" 2>&1 &
drain_pid=$!
wait_for "a refused eviction in the drain" grep -q "will retry after" "$KINDA_HOME/drain2.out"
grep -q "Cannot evict pod as it would violate the pod's disruption budget" "$KINDA_HOME/drain2.out" || fail "drain2: $(cat "$KINDA_HOME/drain2.out")"
kill -0 "$drain_pid" || fail "drain ended while the budget refused"
[ -z "$(jget pod "$victim" .metadata.deletionTimestamp)" ] || fail "$victim evicted against the budget"
ok "kubectl drain $victim_node retries on 429 while the budget allows nothing"
ready web-0
wait_for "budget status 3 2 3 1" pdb_is "3 2 3 1"
wait "$drain_pid" || fail "second drain: $(cat "$KINDA_HOME/drain2.out")"
grep -q "node/$victim_node drained" "$KINDA_HOME/drain2.out" || fail "drain2: $(cat "$KINDA_HOME/drain2.out")"
ok "the drain completes once web-0 is Ready and the budget allows one disruption"

# kinda drain goes through the eviction subresource too: with web-0 unready the budget allows
# nothing, so the drain evicts the unready web-0 (it counts for nothing) and then waits on 429s.
wait_for "budget status 3 2 3 1" pdb_is "3 2 3 1"
kubectl uncordon "$n1" "$victim_node" >/dev/null
unready web-0
wait_for "budget status 2 2 3 0" pdb_is "2 2 3 0"
target=$(node_of web-1)
"$kinda" drain "$target" --ignore-daemonsets --timeout 60s > "$KINDA_HOME/kdrain.out" 2>&1 &
kdrain_pid=$!
wait_for "kinda drain waits on the budget" grep -q "would violate the pod's disruption budget" "$KINDA_HOME/kdrain.out"
grep -q "The disruption budget web needs 2 healthy pods and has 2 currently" "$KINDA_HOME/kdrain.out" || fail "kinda drain: $(cat "$KINDA_HOME/kdrain.out")"
kill -0 "$kdrain_pid" || fail "kinda drain ended while the budget refused: $(cat "$KINDA_HOME/kdrain.out")"
ready web-0
wait "$kdrain_pid" || fail "kinda drain: $(cat "$KINDA_HOME/kdrain.out")"
grep -q "node/$target drained" "$KINDA_HOME/kdrain.out" || fail "kinda drain: $(cat "$KINDA_HOME/kdrain.out")"
ok "kinda drain retries on 429, naming the budget, and finishes once the budget allows"
kubectl uncordon "$target" >/dev/null
wait_ready web-0 web-1 web-2

# Two budgets over one pod: the eviction subresource refuses with 500.
kubectl apply -f - >/dev/null <<'YAML'
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web-too}
spec:
  maxUnavailable: 34%
  selector: {matchLabels: {app: web}}
YAML
too_figures() { jget pdb web-too '"\(.status.currentHealthy) \(.status.desiredHealthy) \(.status.expectedPods) \(.status.disruptionsAllowed)"'; }
too_is() { [ "$(too_figures)" = "$1" ]; }
# 34% of the set's 3 replicas is 1.02, rounded up to 2 unavailable: 1 must stay healthy.
wait_for "percentage budget status 3 1 3 2" too_is "3 1 3 2"
ok "maxUnavailable 34% of a 3-replica StatefulSet rounds up: expects 3, needs 1, allows 2"
body='{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"web-1"}}'
code=$(curl -sS -o "$KINDA_HOME/evict.json" -w '%{http_code}' --unix-socket "$SOCK" -X POST \
  -H 'Content-Type: application/json' --data-binary "$body" "http://kinda$PODS/web-1/eviction")
[ "$code" = 500 ] || fail "two budgets: $code $(cat "$KINDA_HOME/evict.json")"
grep -q "more than one PodDisruptionBudget" "$KINDA_HOME/evict.json" || fail "500 message"
ok "a pod under two budgets cannot be evicted (500)"

# Invalid budgets are refused with the field named.
out=$(kubectl apply -f - 2>&1 <<'YAML'
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: bad}
spec: {minAvailable: 1, maxUnavailable: "150%", selector: {matchLabels: {app: web}}}
YAML
) && fail "bad budget accepted"
grep -q "minAvailable and maxUnavailable cannot be both set" <<<"$out" || fail "both: $out"
grep -q "spec.maxUnavailable: Invalid value: \"150%\": must not be greater than 100%" <<<"$out" || fail "150%: $out"
ok "a budget with both fields and 150% is refused, the fields named"
finish
