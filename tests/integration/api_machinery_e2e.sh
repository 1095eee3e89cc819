#!/usr/bin/env bash
# The API machinery kubectl and client-go rely on, over the Unix socket with curl: discovery in
# both forms, OpenAPI, dry runs that leave no trace, fieldValidation=Strict, server-side apply
# (create, merge, removal, conflicts), deletecollection, lists at an exact version, watches from
# a version, bookmarks, the initial-events-end bookmark, 410 Expired for versions the log no
# longer holds, selector transitions and clear 404s. With kubectl and `kinda kubeconfig` it also
# checks kubectl api-resources, apply (client- and server-side) and its unknown-type error.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" apimach
command -v curl >/dev/null || { echo "curl is missing"; exit 77; }

# A short revision log, so that old versions expire within the story.
export KINDA_REVISION_LOG_RETENTION=20
"$kinda" up --time-scale 0.02 >/dev/null
sock="$KINDA_HOME/$KINDA_CLUSTER/run/api.sock"
watch_events() { "$python" "$integration_dir/watch_events.py" "$sock" "$@"; }
out=$KINDA_HOME/out
hdr=$KINDA_HOME/headers
CM=/api/v1/namespaces/default/configmaps

# api METHOD PATH [CONTENT-TYPE [ACCEPT]] < body: the reply's body in $out, headers in $hdr;
# prints the HTTP status.
api() {
  local body=() ct=${3:-application/json}
  [ "$1" = GET ] || body=(--data-binary @-)
  curl -s -o "$out" -D "$hdr" -w '%{http_code}' --unix-socket "$sock" -X "$1" \
    -H "Content-Type: $ct" -H "Accept: ${4:-application/json}" "${body[@]}" "http://localhost$2"
}
# py EXPR: EXPR over the last reply's body as `o` (a JSON value).
py() { "$python" -c "import json,sys; o=json.load(open(sys.argv[1])); print($1)" "$out"; }
expect() {  # expect CODE METHOD PATH [CT [ACCEPT]] < body
  local want=$1 got; shift
  got=$(api "$@") || true
  [ "$got" = "$want" ] || fail "$1 $2: HTTP $got, want $want: $(head -c 400 "$out")"
}
cm() { printf '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s","labels":{"app":"%s"}},"data":{"k":"%s"}}' "$1" "$2" "$3"; }
revision() { expect 200 GET "$CM" </dev/null; py "o['metadata']['resourceVersion']"; }

# Discovery, legacy: verbs, categories, subresources; only groups with resources kinda serves.
expect 200 GET /api/v1 </dev/null
[ "$(py "[r for r in o['resources'] if r['name']=='pods'][0]['categories']")" = "['all']" ] || fail "pods categories"
py "[r for r in o['resources'] if r['name']=='pods'][0]['verbs']" | grep -q deletecollection || fail "pods verbs"
[ "$(py "[r['group']+'/'+r['kind'] for r in o['resources'] if r['name']=='pods/eviction'][0]")" = policy/Eviction ] || fail "eviction"
expect 200 GET /apis </dev/null
[ "$(py "[g['name'] for g in o['groups']]")" = "['apps', 'coordination.k8s.io', 'discovery.k8s.io', 'rbac.authorization.k8s.io', 'networking.k8s.io', 'scheduling.k8s.io', 'storage.k8s.io', 'policy', 'batch']" ] || fail "groups: $(cat "$out")"
expect 404 GET /apis/autoscaling/v1 </dev/null
ok "legacy discovery: verbs, categories, subresources; autoscaling left out, policy served"

# Discovery, aggregated, as kubectl 1.32 asks for it.
accept='application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json'
expect 200 GET /apis application/json "$accept" </dev/null
grep -qi '^content-type: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' "$hdr" || fail "aggregated content type: $(cat "$hdr")"
[ "$(py "o['kind']")" = APIGroupDiscoveryList ] || fail "aggregated kind"
[ "$(py "[s['responseKind']['kind'] for r in o['items'][0]['versions'][0]['resources'] if r['resource']=='statefulsets' for s in r['subresources'] if s['subresource']=='scale'][0]")" = Scale ] || fail "scale subresource"
expect 200 GET /api application/json 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList' </dev/null
[ "$(py "o['apiVersion']")" = apidiscovery.k8s.io/v2beta1 ] || fail "v2beta1"
[ "$(py "sorted(s['subresource'] for r in o['items'][0]['versions'][0]['resources'] if r['resource']=='pods' for s in r['subresources'])")" = "['eviction', 'log', 'status']" ] || fail "pod subresources"
ok "aggregated discovery (v2 and v2beta1) with its Content-Type profile"

# OpenAPI: the v3 index and documents, v2 as JSON and as protobuf.
expect 200 GET /openapi/v3 </dev/null
url=$(py "o['paths']['apis/apps/v1']['serverRelativeURL']")
expect 200 GET "$url" </dev/null
py "[p['name'] for p in o['paths']['/apis/apps/v1/namespaces/{namespace}/statefulsets/{name}']['patch']['parameters']]" | grep -q fieldValidation || fail "fieldValidation parameter"
[ "$(py "o['components']['schemas']['io.k8s.api.core.v1.PodSpec']['properties']['containers']['x-kubernetes-patch-merge-key']")" = name ] || fail "patch merge key"
expect 200 GET /openapi/v2 application/json 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' </dev/null
grep -qi '^content-type: application/com.github.proto-openapi.spec.v2.v1.0+protobuf' "$hdr" || fail "v2 protobuf"
expect 200 GET /openapi/v2 </dev/null
[ "$(py "o['swagger']")" = 2.0 ] || fail "v2 json"
ok "OpenAPI v3 index and documents, v2 in JSON and protobuf"

# Dry runs answer as if done and write nothing.
cm keep web 1 | expect 201 POST "$CM"
keep_rv=$(py "o['metadata']['resourceVersion']")
cm ghost web 1 | expect 201 POST "$CM?dryRun=All"
[ "$(py "o['metadata']['name']")" = ghost ] || fail "dry-run create answer"
echo '{"data":{"k":"2"}}' | expect 200 PATCH "$CM/keep?dryRun=All" application/merge-patch+json
[ "$(py "o['data']['k']")" = 2 ] || fail "dry-run patch answer"
expect 200 DELETE "$CM/keep?dryRun=All" </dev/null
cm keep web 3 | expect 200 PUT "$CM/keep?dryRun=All"
expect 404 GET "$CM/ghost" </dev/null
expect 200 GET "$CM/keep" </dev/null
[ "$(py "o['data']['k']"), $(py "o['metadata']['resourceVersion']")" = "1, $keep_rv" ] || fail "dry runs changed keep"
echo '{}' | expect 422 POST "$CM?dryRun=Yes"
ok "dryRun=All on create, update, patch and delete leaves no trace"

# fieldValidation: Strict refuses unknown fields, Warn drops them with a Warning header.
echo '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"strict"},"dataa":{"k":"v"}}' |
  expect 400 POST "$CM?fieldValidation=Strict"
[ "$(py "o['message']")" = 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dataa"' ] || fail "strict: $(cat "$out")"
echo '{"metadata":{"labelz":{"a":"b"}}}' | expect 400 PATCH "$CM/keep?fieldValidation=Strict" application/merge-patch+json
echo '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"warned"},"dataa":{"k":"v"}}' |
  expect 201 POST "$CM?fieldValidation=Warn"
grep -qi '^warning: 299 - "unknown field \\"dataa\\""' "$hdr" || fail "no Warning header: $(cat "$hdr")"
[ "$(py "'dataa' in o")" = False ] || fail "unknown field kept"
echo '{}' | expect 422 POST "$CM?fieldValidation=Loose"
ok "fieldValidation: Strict refuses unknown fields, Warn drops them with a warning"

# Server-side apply: create, merge, remove what the manager stopped applying, conflicts.
apply() {  # apply MANAGER QUERY < yaml
  api PATCH "$CM/applied?fieldManager=$1$2" application/apply-patch+yaml
}
code=$(printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  labels: {app: web}\ndata:\n  a: "1"\n  b: "2"\n' | apply tester "")
[ "$code" = 201 ] || fail "apply create: $code $(cat "$out")"
[ "$(py "[(m['manager'], m['operation']) for m in o['metadata']['managedFields']]")" = "[('tester', 'Apply')]" ] || fail "managedFields: $(cat "$out")"
echo '{"data":{"c":"3"}}' | expect 200 PATCH "$CM/applied?fieldManager=editor" application/merge-patch+json
code=$(printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: applied, labels: {app: web}}\ndata: {a: "10"}\n' | apply tester "")
[ "$code" = 200 ] || fail "apply merge: $code $(cat "$out")"
[ "$(py "sorted(o['data'].items())")" = "[('a', '10'), ('c', '3')]" ] || fail "apply merge result: $(cat "$out")"
code=$(printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: applied}\ndata: {c: "4"}\n' | apply other "")
[ "$code" = 409 ] || fail "apply conflict: $code $(cat "$out")"
py "o['message']" | grep -q '^Apply failed with 1 conflict: conflict with "editor"' || fail "conflict message: $(cat "$out")"
code=$(printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: applied}\ndata: {c: "4"}\n' | apply other "&force=true")
[ "$code" = 200 ] && [ "$(py "o['data']['c']")" = 4 ] || fail "forced apply: $code $(cat "$out")"
code=$(printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: applied}\n' | api PATCH "$CM/applied" application/apply-patch+yaml)
[ "$code" = 422 ] || fail "apply without a field manager: $code"
ok "server-side apply creates, merges, removes what it stopped applying, reports conflicts"

# deletecollection by label.
cm del1 gone 1 | expect 201 POST "$CM"
cm del2 gone 2 | expect 201 POST "$CM"
expect 200 DELETE "$CM?labelSelector=app%3Dgone" </dev/null
[ "$(py "sorted(i['metadata']['name'] for i in o['items'])")" = "['del1', 'del2']" ] || fail "deletecollection: $(cat "$out")"
expect 404 GET "$CM/del1" </dev/null
ok "deletecollection deletes what the selector matches"

# Lists at an exact version; watches from a version replay the changes after it.
rv=$(revision)
cm w1 web 1 | expect 201 POST "$CM"
echo '{"data":{"k":"2"}}' | expect 200 PATCH "$CM/w1" application/merge-patch+json
expect 200 GET "$CM?resourceVersion=$rv&resourceVersionMatch=Exact" </dev/null
[ "$(py "o['metadata']['resourceVersion']")" = "$rv" ] || fail "exact list version"
[ "$(py "'w1' in [i['metadata']['name'] for i in o['items']]")" = False ] || fail "exact list has w1"
expect 504 GET "$CM?resourceVersion=999999999" </dev/null
watch_events "$CM?watch=true&resourceVersion=$rv&timeoutSeconds=1" >"$KINDA_HOME/events" || fail "watch from $rv did not end cleanly"
[ "$("$python" -c "import json,sys; print([(e['type'], e['object']['metadata']['name']) for e in map(json.loads, open(sys.argv[1]))])" "$KINDA_HOME/events")" = "[('ADDED', 'w1'), ('MODIFIED', 'w1')]" ] || fail "watch from N: $(cat "$KINDA_HOME/events")"
ok "list at an exact version; watch from N sends the changes after N; timeoutSeconds ends it"

# Bookmarks every minute of the cluster's time scale (here 1.2 s), and the initial-events end.
watch_events "$CM?watch=true&allowWatchBookmarks=true" --until BOOKMARK >"$KINDA_HOME/events" || fail "no bookmark: $(cat "$KINDA_HOME/events")"
[ "$(tail -1 "$KINDA_HOME/events" | "$python" -c "import json,sys; o=json.load(sys.stdin)['object']; print(o['kind'], sorted(o['metadata']))")" = "ConfigMap ['resourceVersion']" ] || fail "bookmark object: $(tail -1 "$KINDA_HOME/events")"
watch_events "$CM?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true" \
  --until BOOKMARK:k8s.io/initial-events-end >"$KINDA_HOME/events" || fail "no initial-events-end"
n=$(grep -c '"ADDED"' "$KINDA_HOME/events")
expect 200 GET "$CM" </dev/null
[ "$n" = "$(py "len(o['items'])")" ] || fail "initial events: $n ADDED for $(py "len(o['items'])") objects"
ok "periodic bookmarks; sendInitialEvents ends its initial state with k8s.io/initial-events-end"

# Selector transitions, live and replayed: into the selector is ADDED, out of it DELETED.
cm mover db 1 | expect 201 POST "$CM"
rv=$(revision)
watch_events "$CM?watch=true&labelSelector=app%3Dweb&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true" \
  --until DELETED --limit 60 >"$KINDA_HOME/live" &
watcher=$!
wait_for "the watch's initial events" grep -q initial-events-end "$KINDA_HOME/live"
echo '{"metadata":{"labels":{"app":"web"}}}' | expect 200 PATCH "$CM/mover" application/merge-patch+json
echo '{"metadata":{"labels":{"app":"db"}}}' | expect 200 PATCH "$CM/mover" application/merge-patch+json
wait "$watcher" || fail "live selector watch: $(cat "$KINDA_HOME/live")"
transitions() { "$python" -c "import json,sys; print([(e['type'], e['object']['metadata']['labels']['app']) for e in map(json.loads, open(sys.argv[1])) if e['type'] != 'BOOKMARK' and e['object']['metadata']['name'] == 'mover'])" "$1"; }
[ "$(transitions "$KINDA_HOME/live")" = "[('ADDED', 'web'), ('DELETED', 'web')]" ] || fail "live transitions: $(cat "$KINDA_HOME/live")"
watch_events "$CM?watch=true&labelSelector=app%3Dweb&resourceVersion=$rv&timeoutSeconds=1" >"$KINDA_HOME/replayed"
[ "$(transitions "$KINDA_HOME/replayed")" = "[('ADDED', 'web'), ('DELETED', 'web')]" ] || fail "replayed transitions: $(cat "$KINDA_HOME/replayed")"
ok "label-selector watches send ADDED and DELETED as objects cross the selector"

# 410 Expired once the log (20 revisions here) no longer holds a version.
old=$rv
for i in $(seq 30); do echo "{\"data\":{\"k\":\"$i\"}}" | expect 200 PATCH "$CM/keep" application/merge-patch+json; done
watch_events "$CM?watch=true&resourceVersion=$old" >"$KINDA_HOME/events" || true
[ "$(head -1 "$KINDA_HOME/events" | "$python" -c "import json,sys; e=json.load(sys.stdin); print(e['type'], e['object']['code'], e['object']['reason'])")" = "ERROR 410 Expired" ] || fail "too old watch: $(cat "$KINDA_HOME/events")"
head -1 "$KINDA_HOME/events" | grep -q "too old resource version: $old (" || fail "410 message: $(cat "$KINDA_HOME/events")"
expect 410 GET "$CM?resourceVersion=$old&resourceVersionMatch=Exact" </dev/null
ok "versions the log no longer holds: watch ERROR 410 Expired, exact list 410"

# Unknown resources and groups: the API server's 404.
expect 404 GET /api/v1/foos </dev/null
[ "$(py "o['reason'], o['message']")" = "NotFound the server could not find the requested resource" ] || fail "404: $(cat "$out")"
expect 404 GET /apis/example.com/v1/namespaces/default/bars </dev/null
expect 404 GET /apis/apps/v2/statefulsets </dev/null
ok "unknown resources and groups are 404 NotFound"

# kubectl, when it and a kubeconfig for this cluster are at hand.
if command -v kubectl >/dev/null && "$kinda" kubeconfig --help >/dev/null 2>&1; then
  "$kinda" down >/dev/null
  "$kinda" up --time-scale 0.02 --api-listen 127.0.0.1:0 >/dev/null
  export KUBECONFIG=$KINDA_HOME/kubeconfig
  "$kinda" kubeconfig >"$KUBECONFIG"
  kubectl api-resources >"$KINDA_HOME/kr" 2>&1 || fail "api-resources: $(cat "$KINDA_HOME/kr")"
  grep -Eq '^statefulsets +sts +apps/v1 +true +StatefulSet' "$KINDA_HOME/kr" || fail "api-resources: $(cat "$KINDA_HOME/kr")"
  example=$(dirname "$0")/../../examples/redis-statefulset.yaml
  kubectl apply -f "$example" >"$KINDA_HOME/ka" 2>&1 || fail "kubectl apply: $(cat "$KINDA_HOME/ka")"
  grep -q 'statefulset.apps/redis created' "$KINDA_HOME/ka" || fail "kubectl apply: $(cat "$KINDA_HOME/ka")"
  # The set's claim templates come back defaulted (volumeMode), so, as against Kubernetes, kubectl
  # patches the atomic list again; the service is unchanged.
  kubectl apply -f "$example" >"$KINDA_HOME/ka" 2>&1 || fail "second apply: $(cat "$KINDA_HOME/ka")"
  grep -q 'service/redis-svc unchanged' "$KINDA_HOME/ka" || fail "second apply: $(cat "$KINDA_HOME/ka")"
  sed 's/replicas: 3/replicas: 1/' "$example" | kubectl apply --server-side -f - >"$KINDA_HOME/ka" 2>&1 || fail "server-side apply: $(cat "$KINDA_HOME/ka")"
  grep -q 'statefulset.apps/redis serverside-applied' "$KINDA_HOME/ka" || fail "server-side apply: $(cat "$KINDA_HOME/ka")"
  [ "$(kubectl get sts redis -o jsonpath='{.spec.replicas}')" = 1 ] || fail "server-side apply replicas"
  ! kubectl get foo >/dev/null 2>"$KINDA_HOME/kerr" || fail "kubectl get foo succeeded"
  grep -q 'error: the server doesn'"'"'t have a resource type "foo"' "$KINDA_HOME/kerr" || fail "kubectl get foo: $(cat "$KINDA_HOME/kerr")"
  kubectl delete -f "$example" >/dev/null
  ok "kubectl api-resources, apply (client- and server-side) and its unknown-type error"
fi
echo "$passed passed"
