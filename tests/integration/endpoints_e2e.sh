#!/usr/bin/env bash
# Services that route: the endpoints controller keeps each selecting Service's v1 Endpoints and
# discovery.k8s.io/v1 EndpointSlices as kube-controller-manager does. A headless Service in front
# of a three-pod StatefulSet with an exec readiness probe, plus a pod serving the named
# targetPort on another number and one that lacks it: Endpoints and slices list the right pods
# with kubectl's columns, a pod turning not ready moves to notReadyAddresses and ready=false
# (an EndpointSlice watch sees it), a deleted pod goes away, and DNS answers exactly the
# Endpoints' ready addresses throughout. NodePort services get ports from 30000-32767, clashes
# and out-of-range ports are refused with the API server's messages, a LoadBalancer gets a
# Warning, and deleting the Service takes its Endpoints and slices along.
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh" endpoints
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }
# The readiness marks live in /tmp, named after this cluster, so parallel runs never share them.
mark=/tmp/kinda-ready-$KINDA_CLUSTER
trap 'cleanup; rm -f "$mark"-*' EXIT

with_kubectl=false
if command -v kubectl >/dev/null; then with_kubectl=true; fi
listen=()
if $with_kubectl; then listen=(--api-listen 127.0.0.1:0); fi
"$kinda" up --time-scale 0.2 "${listen[@]}" >/dev/null
sock="$KINDA_HOME/$KINDA_CLUSTER/run/api.sock"
api() { curl -sS --unix-socket "$sock" "$@"; }
dns=$("$kinda" status | awk '/^DNS:/ {print $2}')
json_field() { "$python" -c "import json,sys; o=json.load(sys.stdin); print($1)"; }

api http://kinda/apis/discovery.k8s.io/v1 | grep -q '"name":"endpointslices"' || fail "no endpointslices resource"
api http://kinda/api/v1 | grep -q '"name":"endpoints"' || fail "no endpoints resource"
ok "discovery serves v1 endpoints and discovery.k8s.io/v1 endpointslices"

# Each pod is ready while its mark exists; the probe runs every second (0.2 s at this scale).
container() {
  cat <<YAML
      - name: web
        image: busybox
        command: [sh, -c, 'touch $mark-\$(POD_NAME); exec sleep 3600']
        ports: [{name: http, containerPort: $1}]
        readinessProbe:
          exec: {command: [sh, -c, 'test -f $mark-\$POD_NAME']}
          periodSeconds: 1
YAML
}
{
  cat <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: web, labels: {team: a}}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
YAML
  web_set_head 3 1
  container 8080
  cat <<'YAML'
---
apiVersion: v1
kind: Pod
metadata: {name: odd, labels: {app: web}}
spec:
  containers:
YAML
  container 9090
  cat <<'YAML'
---
apiVersion: v1
kind: Pod
metadata: {name: portless, labels: {app: web}}
spec:
  containers:
  - {name: web, image: busybox, command: [sh, -c, 'exec sleep 3600']}
YAML
} >"$KINDA_HOME/web.yaml"
"$kinda" apply -f "$KINDA_HOME/web.yaml" >/dev/null
for pod in web-0 web-1 web-2 odd portless; do
  wait_for "pod $pod" "$kinda" get pod "$pod"
  "$kinda" wait --for=condition=Ready "pod/$pod" --timeout=60s >/dev/null
done
pod_ip() { "$kinda" get pod "$1" -o jsonpath='{.status.podIP}'; }
for pod in web-0 web-1 web-2 odd portless; do declare "ip_${pod//-/_}=$(pod_ip "$pod")"; done

# The Endpoints' ready and not-ready addresses, sorted, one "ip" per line.
addresses() {
  api http://kinda/api/v1/namespaces/default/endpoints/web |
    json_field "'\n'.join(sorted(a['ip'] for s in o.get('subsets', []) for a in s.get('$1', [])))"
}
# What DNS answers for the headless service: its ready endpoints' addresses, sorted.
dns_addresses() { "$kinda" dns web.default.svc.cluster.local 2>/dev/null | sort; }
agrees_with_dns() { [ "$(dns_addresses)" = "$(addresses addresses)" ]; }
ready_are() { [ "$(addresses addresses)" = "$1" ]; }
not_ready_are() { [ "$(addresses notReadyAddresses)" = "$1" ]; }
slice_count_is() {
  [ "$("$kinda" get endpointslices -l "kubernetes.io/service-name=$1" --no-headers 2>/dev/null | wc -l)" = "$2" ]
}
expected=$(printf '%s\n' "$ip_web_0" "$ip_web_1" "$ip_web_2" "$ip_odd" | sort)
wait_for "four ready endpoints" ready_are "$expected"
ep=$(api http://kinda/api/v1/namespaces/default/endpoints/web)
ports=$(json_field "sorted((s['ports'][0]['name'], s['ports'][0]['port'], len(s['addresses'])) for s in o['subsets'])" <<<"$ep")
[ "$ports" = "[('http', 8080, 3), ('http', 9090, 1)]" ] || fail "named targetPort per pod: $ports"
labels=$(json_field "sorted(o['metadata']['labels'].items())" <<<"$ep")
[ "$labels" = "[('service.kubernetes.io/headless', ''), ('team', 'a')]" ] || fail "endpoints labels: $labels"
web0=$(json_field "[a for s in o['subsets'] for a in s['addresses'] if a['targetRef']['name']=='web-0'][0]" <<<"$ep")
[[ "$web0" == *"'hostname': 'web-0'"* && "$web0" == *"'nodeName': "* && "$web0" == *"'kind': 'Pod'"* ]] ||
  fail "web-0's address: $web0"
grep -q "$ip_portless" <<<"$ep" && fail "the pod without the named port is listed: $ep"
agrees_with_dns || fail "DNS $(dns_addresses | tr '\n' ' ') != Endpoints $(addresses addresses | tr '\n' ' ')"
ok "Endpoints list the ready pods with hostname, nodeName and targetRef; named targetPort resolved per pod; DNS agrees"

table=$("$kinda" get endpoints web)
[ "$(head -1 <<<"$table" | tr -s ' ')" = "NAME ENDPOINTS AGE" ] || fail "endpoints columns: $table"
grep -Eq '^web +([0-9.]+:8080,){2}[0-9.]+:8080 \+ 1 more\.\.\. +[0-9]+s$' <<<"$table" || fail "endpoints row: $table"
"$kinda" get ep web >/dev/null || fail "short name ep"
slices=$("$kinda" get endpointslices -l kubernetes.io/service-name=web)
[ "$(head -1 <<<"$slices" | tr -s ' ')" = "NAME ADDRESSTYPE PORTS ENDPOINTS AGE" ] || fail "slice columns: $slices"
grep -Eq '^web-[a-z0-9]{5} +IPv4 +8080 +[0-9.]+,[0-9.]+,[0-9.]+ +[0-9]+s$' <<<"$slices" || fail "8080 slice: $slices"
grep -Eq "^web-[a-z0-9]{5} +IPv4 +9090 +$ip_odd +[0-9]+s\$" <<<"$slices" || fail "9090 slice: $slices"
slice_json() { api "http://kinda/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io/service-name=web"; }
meta=$(slice_json | json_field "sorted(set((i['metadata']['labels']['endpointslice.kubernetes.io/managed-by'], i['metadata']['ownerReferences'][0]['kind'], i['metadata']['ownerReferences'][0]['controller'], i['ports'][0]['name'], i['ports'][0]['protocol']) for i in o['items']))")
[ "$meta" = "[('endpointslice-controller.k8s.io', 'Service', True, 'http', 'TCP')]" ] || fail "slice metadata: $meta"
ok "kinda get prints Endpoints (ip:port … + N more...) and EndpointSlices (NAME ADDRESSTYPE PORTS ENDPOINTS AGE)"

# The condition of one pod's endpoint in the slices: "ready serving terminating".
conditions() {
  slice_json | json_field "' '.join(str(e['conditions'][k]) for i in o['items'] for e in i['endpoints'] if e['targetRef']['name']=='$1' for k in ('ready','serving','terminating'))"
}
watch_log="$KINDA_HOME/slices.watch"
if $with_kubectl; then
  export KUBECONFIG="$KINDA_HOME/kubeconfig"
  "$kinda" kubeconfig >"$KUBECONFIG"
  both=$(kubectl get endpoints,endpointslices -l kubernetes.io/service-name=web 2>&1; kubectl get endpoints web)
  grep -Eq '^NAME +ENDPOINTS +AGE$' <<<"$both" || fail "kubectl endpoints header: $both"
  grep -Eq '^NAME +ADDRESSTYPE +PORTS +ENDPOINTS +AGE$' <<<"$both" || fail "kubectl slices header: $both"
  grep -Eq '^endpoints/web +([0-9.]+:8080,){2}[0-9.]+:8080 \+ 1 more\.\.\.|^web +([0-9.]+:8080,){2}[0-9.]+:8080 \+ 1 more\.\.\.' <<<"$both" ||
    fail "kubectl endpoints row: $both"
  grep -Eq "^endpointslice.discovery.k8s.io/web-[a-z0-9]{5} +IPv4 +9090 +$ip_odd " <<<"$both" || fail "kubectl slice row: $both"
  timeout 60 kubectl get endpointslices -w -l kubernetes.io/service-name=web --no-headers >"$watch_log" 2>&1 &
  watcher=$!
  watch_rows_at_least() { [ "$(wc -l <"$watch_log")" -ge "$1" ]; }
  wait_for "the watch's first rows" watch_rows_at_least 2
  ok "kubectl get endpoints,endpointslices prints kubectl's columns"
fi

# web-1 stops being ready: its mark goes, removed from inside the pod.
"$kinda" exec web-1 -- rm -f "$mark-web-1"
wait_for "web-1 in notReadyAddresses" not_ready_are "$ip_web_1"
[ "$(conditions web-1)" = "False False False" ] || fail "web-1's conditions: $(conditions web-1)"
[ "$(conditions web-0)" = "True True False" ] || fail "web-0's conditions: $(conditions web-0)"
wait_for "DNS to drop web-1" agrees_with_dns
"$kinda" dns web-1.web.default.svc.cluster.local >/dev/null 2>&1 && fail "DNS still answers web-1"
"$kinda" dns web-0.web.default.svc.cluster.local >/dev/null || fail "DNS lost web-0"
if $with_kubectl; then
  # The 8080 slice now lists the same three addresses (slices list not-ready ones too), so the
  # watch sees a MODIFIED row that prints like the first: count rows, not contents.
  wait_for "the watch to see the change" watch_rows_at_least 3
fi
ok "a pod turning not ready moves to notReadyAddresses and ready=false; DNS stops answering it"

"$kinda" exec web-1 -- touch "$mark-web-1"
wait_for "web-1 ready again" not_ready_are ""
wait_for "DNS to answer web-1 again" agrees_with_dns
ok "and back to ready"

"$kinda" delete pod odd --wait=false >/dev/null
# Terminating: out of the Endpoints (and DNS) at once, kept in its slice as terminating until gone.
wait_for "odd out of the Endpoints" ready_are "$(printf '%s\n' "$ip_web_0" "$ip_web_1" "$ip_web_2" | sort)"
agrees_with_dns || fail "DNS after odd's deletion: $(dns_addresses | tr '\n' ' ')"
gone() { ! "$kinda" get "$@" >/dev/null 2>&1; }
wait_for "odd gone" gone pod odd
wait_for "the 9090 slice to go" slice_count_is web 1
ep=$(api http://kinda/api/v1/namespaces/default/endpoints/web)
[ "$(json_field "len(o['subsets'])" <<<"$ep")" = 1 ] || fail "subsets after odd left: $ep"
ok "a deleted pod leaves the Endpoints, then its slice; DNS agrees"

# Nothing changes: nothing is written. Endpoints and slices keep their resourceVersions.
versions() {
  { api http://kinda/api/v1/namespaces/default/endpoints/web | json_field "o['metadata']['resourceVersion']"
    slice_json | json_field "sorted(i['metadata']['resourceVersion'] for i in o['items'])"; }
}
before=$(versions)
sleep 2
[ "$(versions)" = "$before" ] || fail "endpoints rewritten while nothing changed: $before / $(versions)"
ok "no writes while nothing changes (pod status updates included)"

# NodePorts.
post_service() {  # post_service JSON: the HTTP status, the body in $KINDA_HOME/reply
  api -o "$KINDA_HOME/reply" -D "$KINDA_HOME/headers" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data "$1" http://kinda/api/v1/namespaces/default/services
}
service_json() {  # service_json NAME TYPE [NODEPORT]
  local node_port=${3:+,\"nodePort\":$3}
  echo "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"$1\"},\"spec\":{\"type\":\"$2\",\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":80,\"targetPort\":\"http\"$node_port}]}}"
}
[ "$(post_service "$(service_json np NodePort)")" = 201 ] || fail "NodePort service: $(cat "$KINDA_HOME/reply")"
np=$("$kinda" get svc np -o jsonpath='{.spec.ports[0].nodePort}')
[ "$np" -ge 30000 ] && [ "$np" -le 32767 ] || fail "allocated nodePort $np"
"$kinda" get svc np | grep -Eq "^np +NodePort +[0-9.]+ +<none> +80:$np/TCP " || fail "svc row: $("$kinda" get svc np)"
[ "$(post_service "$(service_json clash NodePort "$np")")" = 422 ] || fail "a taken nodePort: $(cat "$KINDA_HOME/reply")"
grep -qF "spec.ports[0].nodePort: Invalid value: $np: provided port is already allocated" "$KINDA_HOME/reply" ||
  fail "clash message: $(cat "$KINDA_HOME/reply")"
[ "$(post_service "$(service_json low NodePort 80)")" = 422 ] || fail "nodePort 80: $(cat "$KINDA_HOME/reply")"
grep -qF 'spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767' \
  "$KINDA_HOME/reply" || fail "range message: $(cat "$KINDA_HOME/reply")"
[ "$(post_service "$(service_json lb LoadBalancer)")" = 201 ] || fail "LoadBalancer: $(cat "$KINDA_HOME/reply")"
lb=$("$kinda" get svc lb -o jsonpath='{.spec.ports[0].nodePort}')
grep -i '^Warning:' "$KINDA_HOME/headers" | grep -qF "reachable at 127.0.0.1:$lb" ||
  fail "LoadBalancer warning: $(cat "$KINDA_HOME/headers")"
[ "$("$kinda" get svc lb -o jsonpath='{.spec.sessionAffinity}/{.spec.type}')" = None/LoadBalancer ] || fail "defaults"
# An update that leaves nodePort out keeps it; switching to ClusterIP gives it back.
printf 'apiVersion: v1\nkind: Service\nmetadata: {name: np, labels: {x: "1"}}\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n' |
  "$kinda" apply -f - >/dev/null
[ "$("$kinda" get svc np -o jsonpath='{.spec.ports[0].nodePort}')" = "$np" ] || fail "nodePort not kept on update"
api -o /dev/null -X PATCH -H 'Content-Type: application/merge-patch+json' --data '{"spec":{"type":"ClusterIP"}}' \
  http://kinda/api/v1/namespaces/default/services/np
[ -z "$("$kinda" get svc np -o jsonpath='{.spec.ports[0].nodePort}')" ] || fail "nodePort kept by a ClusterIP service"
[ "$(post_service "$(service_json again NodePort "$np")")" = 201 ] || fail "the released nodePort: $(cat "$KINDA_HOME/reply")"
if $with_kubectl; then
  # kubectl apply (JSON on the wire; `kubectl create service` speaks protobuf, which kinda does not).
  out=$(printf 'apiVersion: v1\nkind: Service\nmetadata: {name: lb2}\nspec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n' |
    kubectl apply -f - 2>&1) || fail "kubectl apply of a LoadBalancer: $out"
  grep -q "Warning: kinda has no load balancer" <<<"$out" || fail "kubectl shows no warning: $out"
fi
ok "NodePorts from 30000-32767, kept on update and released by ClusterIP; clash and range refused; LoadBalancer warned"

# Endpoints of the NodePort service resolve the same named port.
endpoint_ports() {
  api "http://kinda/api/v1/namespaces/default/endpoints/$1" |
    json_field "sorted(set(p['port'] for s in o.get('subsets',[]) for p in s['ports']))"
}
again_serves_8080() { [ "$(endpoint_ports again)" = "[8080]" ]; }
wait_for "the endpoints of service again" again_serves_8080

# A service without a selector keeps the Endpoints its user writes.
printf 'apiVersion: v1\nkind: Service\nmetadata: {name: manual}\nspec:\n  ports: [{port: 80}]\n---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: manual}\nsubsets: [{addresses: [{ip: 127.0.0.9}], ports: [{port: 80}]}]\n' |
  "$kinda" apply -f - >/dev/null
sleep 1
[ "$("$kinda" get endpoints manual -o jsonpath='{.subsets[0].addresses[0].ip}')" = 127.0.0.9 ] || fail "manual endpoints"
[ -z "$("$kinda" get endpointslices -l kubernetes.io/service-name=manual --no-headers 2>/dev/null)" ] ||
  fail "slices for a selector-less service"
ok "a selector-less service keeps the Endpoints its user wrote"

"$kinda" delete svc web >/dev/null
wait_for "web's Endpoints to go" gone endpoints web
wait_for "web's slices to go" slice_count_is web 0
ok "deleting the Service deletes its Endpoints and (garbage collector) its EndpointSlices"

if $with_kubectl; then kill "$watcher" 2>/dev/null || true; wait "$watcher" 2>/dev/null || true; fi
echo "endpoints_e2e: $passed checks passed"
