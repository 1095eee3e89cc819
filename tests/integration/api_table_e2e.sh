#!/usr/bin/env bash
# Server-side printing: a set whose pods restarted once, its headless service with two ports and
# its claims, asked for over the API socket the way kubectl asks (Accept: …;as=Table…): lists,
# single objects and a watch come back as meta.k8s.io Tables with kubectl's columns and cells
# (api_table_check.py). kinda get prints the same tables as before from the server's cells. When
# the daemon can listen on TCP for kubectl (kinda up --api-listen, kinda kubeconfig) and kubectl
# is on PATH, real kubectl prints kinda's objects with its own columns, -o wide, -A and -w too.
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh" tables
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }

with_kubectl=false
if command -v kubectl >/dev/null && "$kinda" up --help 2>/dev/null | grep -q -- --api-listen &&
  "$kinda" kubeconfig --help >/dev/null 2>&1; then
  with_kubectl=true
fi
listen=()
if $with_kubectl; then listen=(--api-listen 127.0.0.1:0); fi
"$kinda" up --time-scale 0.2 "${listen[@]}" >/dev/null
sock="$KINDA_HOME/$KINDA_CLUSTER/run/api.sock"

# Each pod's container fails its first run, so RESTARTS reads "1 (… ago)".
{
  web_service; echo ---; web_set_head 2 1
  cat <<'YAML'
      - name: web
        image: busybox
        command: [sh, -c, 'f=${KINDA_VOLUME_DATA:-/data}/started; if [ ! -e $f ]; then touch $f; exit 3; fi; exec sleep 3600']
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
YAML
} >"$KINDA_HOME/web.yaml"
"$kinda" apply -f "$KINDA_HOME/web.yaml" >/dev/null
"$kinda" patch svc web --type json \
  -p '[{"op":"add","path":"/spec/ports/-","value":{"port":9090,"name":"metrics","protocol":"UDP"}}]' >/dev/null
restarted_and_ready() {
  "$kinda" get pod "$1" -o json | "$python" -c '
import json, sys
p = json.load(sys.stdin)
ready = any(c["type"] == "Ready" and c["status"] == "True" for c in p["status"].get("conditions", []))
sys.exit(0 if ready and p["status"]["containerStatuses"][0]["restartCount"] == 1 else 1)'
}
for i in 0 1; do wait_for "web-$i restarted once and Ready" restarted_and_ready "web-$i"; done

"$python" "$here/api_table_check.py" "$sock" || fail "server-side tables"
ok "the API answers kubectl's Accept with Tables for lists, objects and watches"

# kinda get prints from the server's cells: kubectl's columns, then kinda's own for claims.
pods=$("$kinda" get pods)
head -1 <<<"$pods" | grep -Eq '^NAME +READY +STATUS +RESTARTS +AGE$' || fail "kinda get pods: $pods"
grep -Eq '^web-0 +1/1 +Running +1 \([0-9a-z]+ ago\) +[0-9a-z]+$' <<<"$pods" || fail "kinda get pods: $pods"
wide=$("$kinda" get pod web-1 -o wide)
head -1 <<<"$wide" | grep -Eq '^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES$' ||
  fail "kinda get pod -o wide: $wide"
grep -Eq '^web-1 +1/1 +Running .* 127\.[0-9.]+ +[^ ]+ +<none> +<none>$' <<<"$wide" || fail "wide row: $wide"
pvc=$("$kinda" get pvc)
head -1 <<<"$pvc" | grep -Eq '^NAME +STATUS +VOLUME +CAPACITY +ACCESS MODES +STORAGECLASS +VOLUMEATTRIBUTESCLASS +AGE +USED BY +DISK$' ||
  fail "kinda get pvc: $pvc"
grep -Eq '^data-web-1 +Bound +pvc-[^ ]+ +1Gi +RWO .* web-1 +[0-9.]+(Ki|Mi)?$' <<<"$pvc" || fail "kinda get pvc: $pvc"
events=$("$kinda" get events)
head -1 <<<"$events" | grep -Eq '^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$' || fail "kinda get events: $events"
grep -Eq 'SuccessfulCreate +statefulset/web +create Pod web-0' <<<"$events" || fail "kinda get events: $events"
mixed=$("$kinda" get sts,svc -A)
grep -Eq '^default +statefulset\.apps/web +2/2 ' <<<"$mixed" || fail "kinda get sts,svc -A: $mixed"
grep -Eq '^default +service/web +ClusterIP +None +<none> +8080/TCP,9090/UDP ' <<<"$mixed" || fail "kinda get sts,svc -A: $mixed"
ok "kinda get prints the server's tables: pods, -o wide, claims with USED BY and DISK, events, -A"

if ! $with_kubectl; then
  echo "ok - kubectl part skipped: kubectl or kinda's TCP listener (kinda up --api-listen) is missing"
  echo "$passed checks passed"
  exit 0
fi

export KUBECONFIG="$KINDA_HOME/kubeconfig"
"$kinda" kubeconfig >"$KUBECONFIG"
kubectl_pods=$(kubectl get pods)
[ "$(head -1 <<<"$kubectl_pods")" = "$(head -1 <<<"$pods")" ] || fail "kubectl get pods header: $kubectl_pods"
grep -Eq '^web-0 +1/1 +Running +1 \([0-9a-z]+ ago\) +[0-9a-z]+$' <<<"$kubectl_pods" || fail "kubectl get pods: $kubectl_pods"
all=$(kubectl get pods -A)
grep -Eq '^default +web-1 +1/1 +Running ' <<<"$all" || fail "kubectl get pods -A: $all"
wide=$(kubectl get sts,svc,pvc -o wide)
for pattern in '^NAME +READY +AGE +CONTAINERS +IMAGES$' \
  '^statefulset\.apps/web +2/2 +[0-9a-z]+ +web +busybox$' \
  '^NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE +SELECTOR$' \
  '^service/web +ClusterIP +None +<none> +8080/TCP,9090/UDP +[0-9a-z]+ +app=web$' \
  '^NAME +STATUS +VOLUME +CAPACITY +ACCESS MODES +STORAGECLASS +VOLUMEATTRIBUTESCLASS +AGE +VOLUMEMODE$' \
  '^persistentvolumeclaim/data-web-0 +Bound +pvc-[^ ]+ +1Gi +RWO +([^ ]+ +)?<unset> +[0-9a-z]+ +Filesystem$'; do
  grep -Eq "$pattern" <<<"$wide" || fail "kubectl get sts,svc,pvc -o wide lacks $pattern: $wide"
done
kevents=$(kubectl get events)
head -1 <<<"$kevents" | grep -Eq '^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$' || fail "kubectl get events: $kevents"
grep -Eq '^[0-9a-z]+ +Normal +SuccessfulCreate +statefulset/web +create Pod web-0' <<<"$kevents" ||
  fail "kubectl get events: $kevents"
revisions=$(kubectl get controllerrevisions)
head -1 <<<"$revisions" | grep -Eq '^NAME +CONTROLLER +REVISION +AGE$' || fail "kubectl get controllerrevisions: $revisions"
grep -Eq '^web-[a-z0-9]+ +statefulset\.apps/web +1 +[0-9a-z]+$' <<<"$revisions" ||
  fail "kubectl get controllerrevisions: $revisions"
ok "kubectl get pods (-A), sts,svc,pvc -o wide, events and controllerrevisions show kubectl's columns"

# kubectl get -w: the header once, then a row per change.
kubectl get pods -w >"$KINDA_HOME/watch.out" 2>&1 &
watcher=$!
trap 'kill "$watcher" 2>/dev/null || true; cleanup' EXIT
watched_lines() { [ "$(wc -l <"$KINDA_HOME/watch.out")" -ge "$1" ]; }
wait_for "kubectl get -w lists the pods" watched_lines 3
"$kinda" patch pod web-1 --type merge -p '{"metadata":{"labels":{"watched":"by-kubectl"}}}' >/dev/null
wait_for "kubectl get -w prints the change" watched_lines 4
kill "$watcher" && wait "$watcher" 2>/dev/null || true
[ "$(grep -c '^NAME' "$KINDA_HOME/watch.out")" = 1 ] || fail "kubectl get -w: $(cat "$KINDA_HOME/watch.out")"
[ "$(tail -1 "$KINDA_HOME/watch.out" | awk '{print $1, $2, $3}')" = "web-1 1/1 Running" ] ||
  fail "kubectl get -w: $(cat "$KINDA_HOME/watch.out")"
ok "kubectl get pods -w: one header, then the changed pod's row"
echo "$passed checks passed"
