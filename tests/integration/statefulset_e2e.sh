#!/usr/bin/env bash
# The user-level story against the real daemon, real processes, real SQLite and real DNS packets:
# ordered creation, reverse-ordered scale-down that keeps PVCs, a deleted pod returning with its
# data, kill -9 of the daemon losing nothing, and bad input refused without changes.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" e2e
# The pods' readiness markers live in the host's /tmp (pods see it), named by pod address.
trap 'cleanup; rm -f /tmp/kinda-ready-127.*' EXIT

{
  web_service; echo ---; web_set_head 3 2
  cat <<'YAML'
      - name: web
        image: busybox
        command: [sh, -c, 'echo started $(POD_NAME) >> ${KINDA_VOLUME_DATA:-/data}/log; sleep 0.3; touch /tmp/kinda-ready-$(POD_IP); exec sleep 3600']
        readinessProbe:
          exec: {command: [sh, -c, 'test -f /tmp/kinda-ready-$POD_IP']}
          periodSeconds: 1
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
YAML
} > "$KINDA_HOME/web.yaml"

"$kinda" up --time-scale 0.2
"$kinda" apply -f "$KINDA_HOME/web.yaml"
for i in 0 1 2; do
  wait_for "web-$i" "$kinda" get pod "web-$i"
  "$kinda" wait --for=condition=Ready "pod/web-$i" --timeout=60s
done

# Ordered creation: each pod was created only after its predecessor became Ready.
ready_time() { "$kinda" get pod "$1" -o json | python3 -c 'import json,sys; p=json.load(sys.stdin); print([c["lastTransitionTime"] for c in p["status"]["conditions"] if c["type"]=="Ready"][0])'; }
created_time() { "$kinda" get pod "$1" -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["creationTimestamp"])'; }
[[ "$(created_time web-1)" > "$(ready_time web-0)" || "$(created_time web-1)" == "$(ready_time web-0)" ]] || fail "web-1 created before web-0 was Ready"
events=$("$kinda" get events -o json | python3 -c 'import json,sys; print("\n".join(e["message"] for e in json.load(sys.stdin)["items"] if e["reason"]=="SuccessfulCreate" and "Pod" in e["message"] and "Claim" not in e["message"]))')
[ "$(echo "$events" | grep -o 'web-[0-9]' | tr '\n' ' ')" = "web-0 web-1 web-2 " ] || fail "create order: $events"

# Real DNS packets: per-pod and headless-service names, UDP and TCP.
dns=$("$kinda" status | awk '/^DNS:/ {print $2}')
ip1=$("$kinda" get pod web-1 -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["podIP"])')
[ "$(dig +short "@${dns%:*}" -p "${dns##*:}" web-1.web.default.svc.cluster.local)" = "$ip1" ] || fail "DNS A for web-1"
[ "$(dig +tcp +short "@${dns%:*}" -p "${dns##*:}" web.default.svc.cluster.local | wc -l)" = 3 ] || fail "headless A records"
dig "@${dns%:*}" -p "${dns##*:}" nope.web.default.svc.cluster.local | grep -q NXDOMAIN || fail "NXDOMAIN"

# A deleted pod comes back with the same name and the same data.
uid=$("$kinda" get pod web-1 -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["uid"])')
"$kinda" delete pod web-1 || fail "delete pod web-1 exited $?"
recreated() {
  local u
  u=$("$kinda" get pod web-1 -o json | python3 -c 'import json,sys; p=json.load(sys.stdin); print(p["metadata"]["uid"] if any(c["type"]=="Ready" and c["status"]=="True" for c in p["status"].get("conditions",[])) else "")')
  [ -n "$u" ] && [ "$u" != "$uid" ]
}
wait_for "web-1 recreated with a new uid and Ready" recreated
[ "$(grep -c 'started web-1' "$KINDA_HOME/$KINDA_CLUSTER/volumes/default/data-web-1/log")" = 2 ] || fail "web-1 lost its data"

# kill -9 of the daemon, then up: no object lost, no second copy of any pod.
before=$("$kinda" get pods,pvc,sts,svc -o name | sort)
pid=$("$kinda" status | sed -n 's/.*pid \([0-9]*\)).*/\1/p')
kill -9 "$pid"
"$kinda" up --time-scale 0.2 >/dev/null
after=$("$kinda" get pods,pvc,sts,svc -o name | sort)
[ "$before" = "$after" ] || fail "objects lost across kill -9: $before vs $after"
for i in 0 1 2; do
  n=$({ grep -l "KINDA_POD=default/web-$i" /proc/[0-9]*/environ 2>/dev/null || true; } | xargs -r -n1 dirname | xargs -r -n1 basename | while read -r p; do
        if [ "$(awk '{print $6}' /proc/$p/stat 2>/dev/null)" = "$p" ] &&
           grep -qz "KINDA_CLUSTER_ROOT=$KINDA_HOME/$KINDA_CLUSTER" /proc/$p/environ 2>/dev/null; then echo "$p"; fi
      done | wc -l)
  [ "$n" = 1 ] || fail "web-$i has $n live copies after daemon restart"
done

# Scale-down deletes 2 then 1 and keeps their PVCs and files.
"$kinda" scale sts web --replicas=1
wait_for "web-1 gone" sh -c "! '$kinda' get pod web-1"
"$kinda" get pvc data-web-2 >/dev/null || fail "PVC data-web-2 deleted on scale-down"
[ -s "$KINDA_HOME/$KINDA_CLUSTER/volumes/default/data-web-2/log" ] || fail "data of web-2 lost"
deletes=$("$kinda" get events -o json | python3 -c 'import json,sys; print(" ".join(e["message"].split()[2] for e in json.load(sys.stdin)["items"] if e["reason"]=="SuccessfulDelete"))')
[[ "$deletes" == *"web-2 web-1"* ]] || fail "delete order: $deletes"

# Bad input: one clear line, exit 1, nothing changed.
rv=$("$kinda" get sts web -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["resourceVersion"])')
printf 'kind: [unclosed\n' > "$KINDA_HOME/bad.yaml"
! "$kinda" apply -f "$KINDA_HOME/bad.yaml" 2> "$KINDA_HOME/err" || fail "malformed YAML accepted"
[ "$(wc -l < "$KINDA_HOME/err")" = 1 ] || fail "malformed YAML: $(cat "$KINDA_HOME/err")"
printf 'apiVersion: v1\nkind: Widget\nmetadata: {name: w}\n' > "$KINDA_HOME/bad.yaml"
! "$kinda" apply -f "$KINDA_HOME/bad.yaml" 2> "$KINDA_HOME/err" || fail "unknown kind accepted"
grep -q 'no matches for kind "Widget"' "$KINDA_HOME/err" || fail "unknown kind: $(cat "$KINDA_HOME/err")"
sed 's/name: web}/name: Bad_Name}/' "$KINDA_HOME/web.yaml" > "$KINDA_HOME/bad.yaml"
! "$kinda" apply -f "$KINDA_HOME/bad.yaml" 2> "$KINDA_HOME/err" || fail "invalid name accepted"
sed 's/matchLabels: {app: web}/matchLabels: {app: other}/; s/name: web}/name: web2}/' "$KINDA_HOME/web.yaml" | sed -n '/^---/,$p' > "$KINDA_HOME/bad.yaml"
! "$kinda" apply -f "$KINDA_HOME/bad.yaml" 2> "$KINDA_HOME/err" || fail "mismatched selector accepted"
grep -q 'selector. does not match template .labels' "$KINDA_HOME/err" || fail "selector: $(cat "$KINDA_HOME/err")"
[ "$("$kinda" get sts web -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["resourceVersion"])')" = "$rv" ] || fail "bad input changed the set"
! "$kinda" get sts web2 >/dev/null 2>&1 || fail "web2 created"

"$kinda" down
echo "1 passed, 0 failed"
