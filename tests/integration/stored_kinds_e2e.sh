#!/usr/bin/env bash
# The kinds kinda stores and serves without a controller of their own, driven with kubectl:
# ServiceAccounts (a "default" one in every namespace, pods defaulted to it, a pod naming a
# missing one refused as the ServiceAccount admission plugin does), RBAC (the built-in cluster
# roles, Roles and bindings with kubectl's columns, the Warning that kinda does not enforce
# them, roleRef immutable), NetworkPolicies (columns, Warning) and PriorityClasses (the system
# classes, priorityClassName resolved to spec.priority, unknown classes and over-large values
# refused, one global default).
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh" stored
command -v kubectl >/dev/null || { echo "SKIP: kubectl is not installed"; exit 77; }

"$kinda" up --time-scale 0.2 --api-listen 127.0.0.1:0 >/dev/null
export KUBECONFIG="$KINDA_HOME/kubeconfig"
"$kinda" kubeconfig >"$KUBECONFIG"
columns() { head -1 <<<"$1" | tr -s ' '; }

# ServiceAccounts: every namespace has "default", a new one from its creation on.
for ns in default kube-system kube-public kube-node-lease; do
  kubectl get sa default -n "$ns" >/dev/null || fail "no default ServiceAccount in $ns"
done
# (kubectl create namespace/serviceaccount send protobuf, which kinda does not read: apply.)
printf 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n' | kubectl apply -f - >/dev/null
out=$(kubectl get sa -n team)
[ "$(columns "$out")" = "NAME SECRETS AGE" ] || fail "serviceaccount columns: $out"
grep -Eq '^default +0 +[0-9]+s$' <<<"$out" || fail "team's default account: $out"
kubectl run sleeper -n team --image=busybox --restart=Never -- sleep 300 >/dev/null
[ "$(kubectl get pod sleeper -n team -o jsonpath='{.spec.serviceAccountName}/{.spec.serviceAccount}')" = default/default ] ||
  fail "pod not defaulted to the default account: $(kubectl get pod sleeper -n team -o yaml)"
if out=$(kubectl run lost -n team --image=busybox --restart=Never \
  --overrides='{"spec":{"serviceAccountName":"robot"}}' -- true 2>&1); then
  fail "a pod naming a missing account was created"
fi
grep -qF 'Error from server (Forbidden): pods "lost" is forbidden: error looking up service account team/robot: serviceaccount "robot" not found' <<<"$out" ||
  fail "missing account message: $out"
printf 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot, namespace: team}\n' | kubectl apply -f - >/dev/null
[ "$(kubectl get sa -n team --no-headers -o custom-columns=N:.metadata.name | tr '\n' ' ')" = "default robot " ] ||
  fail "kubectl apply of a ServiceAccount: $(kubectl get sa -n team)"
kubectl run found -n team --image=busybox --restart=Never \
  --overrides='{"spec":{"serviceAccountName":"robot"}}' -- true >/dev/null
kubectl delete sa default -n team >/dev/null
wait_for "team's default account made again" kubectl get sa default -n team
ok "every namespace has a default ServiceAccount (made again when deleted), pods default to it, a missing one is refused"

# RBAC: the built-in roles, and the objects stored with a Warning.
for role in cluster-admin admin edit view; do
  kubectl get clusterrole "$role" >/dev/null || fail "no built-in ClusterRole $role"
done
out=$(kubectl get clusterroles)
[ "$(columns "$out")" = "NAME CREATED AT" ] || fail "clusterrole columns: $out"
grep -Eq '^cluster-admin +[0-9-]+T[0-9:]+Z$' <<<"$out" || fail "clusterrole row: $out"
[ "$(kubectl get clusterrolebinding cluster-admin -o jsonpath='{.roleRef.name} {.subjects[0].name}')" = "cluster-admin system:masters" ] ||
  fail "cluster-admin binding: $(kubectl get clusterrolebinding cluster-admin -o yaml)"
cat >"$KINDA_HOME/rbac.yaml" <<'YAML'
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: team}
rules:
- apiGroups: [""]
  resources: [pods, pods/log]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: read-pods, namespace: team}
subjects:
- {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
- {kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}
- {kind: ServiceAccount, name: robot, namespace: team}
roleRef: {kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: robot-view}
subjects:
- {kind: ServiceAccount, name: robot, namespace: team}
roleRef: {kind: ClusterRole, name: view, apiGroup: rbac.authorization.k8s.io}
YAML
out=$(kubectl apply -f "$KINDA_HOME/rbac.yaml" 2>&1)
# kubectl prints a warning once however many of its requests carried it.
grep -q '^Warning: kinda stores RBAC objects but does not enforce them' <<<"$out" || fail "RBAC warnings: $out"
grep -q '^rolebinding.rbac.authorization.k8s.io/read-pods created$' <<<"$out" || fail "apply: $out"
out=$(kubectl get roles -n team)
[ "$(columns "$out")" = "NAME CREATED AT" ] || fail "role columns: $out"
grep -q '^pod-reader ' <<<"$out" || fail "role row: $out"
out=$(kubectl get rolebindings -n team -o wide)
[ "$(columns "$out")" = "NAME ROLE AGE USERS GROUPS SERVICEACCOUNTS" ] || fail "rolebinding columns: $out"
grep -Eq '^read-pods +Role/pod-reader +[0-9]+s +jane +devs +team/robot$' <<<"$out" || fail "rolebinding row: $out"
out=$(kubectl get clusterrolebinding robot-view)
[ "$(columns "$out")" = "NAME ROLE AGE" ] || fail "clusterrolebinding columns: $out"
grep -Eq '^robot-view +ClusterRole/view +[0-9]+s$' <<<"$out" || fail "clusterrolebinding row: $out"
sed 's/name: pod-reader, apiGroup/name: other, apiGroup/' "$KINDA_HOME/rbac.yaml" >"$KINDA_HOME/rbac2.yaml"
if out=$(kubectl apply -f "$KINDA_HOME/rbac2.yaml" 2>&1); then fail "a roleRef change was accepted"; fi
grep -qF 'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"other"}: cannot change roleRef' <<<"$out" ||
  fail "roleRef change message: $out"
if out=$(printf 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: empty, namespace: team}\nrules:\n- apiGroups: [""]\n  resources: [pods]\n' |
  kubectl apply -f - 2>&1); then fail "a rule without verbs was accepted"; fi
grep -qF 'rules[0].verbs: Required value: verbs must contain at least one value' <<<"$out" || fail "verbs message: $out"
has 'apiGroup' kubectl explain rolebinding.roleRef || fail "kubectl explain rolebinding.roleRef"
ok "built-in cluster roles; Roles and bindings print kubectl's columns with a Warning; roleRef is immutable"

# NetworkPolicy: stored, printed, with a Warning.
out=$(kubectl apply -f - 2>&1 <<'YAML'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-only, namespace: team}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {role: client}}}]
    ports: [{port: 80}]
YAML
)
grep -q '^Warning: kinda stores NetworkPolicies but does not enforce them' <<<"$out" || fail "netpol warning: $out"
out=$(kubectl get netpol -n team)
[ "$(columns "$out")" = "NAME POD-SELECTOR AGE" ] || fail "netpol columns: $out"
grep -Eq '^web-only +app=web +[0-9]+s$' <<<"$out" || fail "netpol row: $out"
[ "$(kubectl get netpol web-only -n team -o jsonpath='{.spec.policyTypes} {.spec.ingress[0].ports[0].protocol}')" = '["Ingress"] TCP' ] ||
  fail "netpol defaults: $(kubectl get netpol web-only -n team -o yaml)"
wait_for "the NotEnforced event" has 'kinda does not enforce NetworkPolicies' \
  kubectl get events -n team --field-selector involvedObject.name=web-only
out=$(kubectl get events -n team --field-selector involvedObject.name=web-only)
grep -Eq 'Warning +NotEnforced +networkpolicy/web-only' <<<"$out" || fail "netpol event: $out"
ok "a NetworkPolicy is stored with kubectl's columns, a Warning and an event that kinda does not enforce it"

# PriorityClass: the system classes, resolution at admission, limits.
out=$(kubectl get pc)
[ "$(columns "$out")" = "NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY" ] || fail "pc columns: $out"
grep -Eq '^system-cluster-critical +2000000000 +false +[0-9]+s +PreemptLowerPriority$' <<<"$out" || fail "pc rows: $out"
grep -Eq '^system-node-critical +2000001000 +false ' <<<"$out" || fail "pc rows: $out"
printf 'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 1000\n' | kubectl apply -f - >/dev/null
kubectl run urgent -n team --image=busybox --restart=Never \
  --overrides='{"spec":{"priorityClassName":"high"}}' -- true >/dev/null
[ "$(kubectl get pod urgent -n team -o jsonpath='{.spec.priority} {.spec.preemptionPolicy}')" = "1000 PreemptLowerPriority" ] ||
  fail "priority not resolved: $(kubectl get pod urgent -n team -o yaml)"
[ "$(kubectl get pod sleeper -n team -o jsonpath='{.spec.priority}')" = 0 ] || fail "priority of a pod without a class"
if out=$(kubectl run nowhere -n team --image=busybox --restart=Never \
  --overrides='{"spec":{"priorityClassName":"nope"}}' -- true 2>&1); then fail "an unknown class was accepted"; fi
grep -qF 'pods "nowhere" is forbidden: no PriorityClass with name nope was found' <<<"$out" || fail "unknown class: $out"
if out=$(printf 'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: huge}\nvalue: 1000000001\n' | kubectl apply -f - 2>&1); then
  fail "a user class over 1e9 was accepted"
fi
grep -qF 'value: Forbidden: maximum allowed value of a user defined priority is 1000000000' <<<"$out" || fail "limit: $out"
printf 'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: everyone}\nvalue: 7\nglobalDefault: true\n' | kubectl apply -f - >/dev/null
kubectl run plain -n team --image=busybox --restart=Never -- true >/dev/null
[ "$(kubectl get pod plain -n team -o jsonpath='{.spec.priorityClassName} {.spec.priority}')" = "everyone 7" ] ||
  fail "global default not applied: $(kubectl get pod plain -n team -o yaml)"
if out=$(printf 'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: second}\nvalue: 8\nglobalDefault: true\n' | kubectl apply -f - 2>&1); then
  fail "a second global default was accepted"
fi
grep -qF 'PriorityClass everyone is already marked as default. Only one default can exist' <<<"$out" || fail "second default: $out"
ok "system priority classes; priorityClassName resolves to spec.priority; limits and one global default"

# (Output captured first: grep -q stopping early would SIGPIPE kubectl under pipefail.)
out=$(kubectl api-resources)
grep -Eq '^rolebindings +rbac.authorization.k8s.io/v1 +true +RoleBinding$' <<<"$out" || fail "api-resources rbac: $out"
grep -Eq '^priorityclasses +pc +scheduling.k8s.io/v1 +false +PriorityClass$' <<<"$out" || fail "api-resources pc: $out"
grep -Eq '^serviceaccounts +sa +v1 +true +ServiceAccount$' <<<"$out" || fail "api-resources sa: $out"
grep -Eq '^networkpolicies +netpol +networking.k8s.io/v1 +true +NetworkPolicy$' <<<"$out" || fail "api-resources netpol: $out"
out=$("$kinda" get sa -n team)
grep -q '^robot' <<<"$out" || fail "kinda get sa: $out"
kubectl delete namespace team >/dev/null
[ -z "$(kubectl get rolebindings,roles,netpol,sa -n team --no-headers 2>/dev/null)" ] || fail "team's objects outlived it"
ok "api-resources lists the kinds, kinda get reads them, and the namespace takes its objects along"
echo "passed $passed"
