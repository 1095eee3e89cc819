#!/usr/bin/env bash
# The rabbitmq image profile (images/rabbitmq) on a real cluster: `rabbitmq:3-management` in a
# StatefulSet behind a headless Service with the image's variables (RABBITMQ_DEFAULT_USER,
# RABBITMQ_DEFAULT_PASS, RABBITMQ_DEFAULT_VHOST, RABBITMQ_ERLANG_COOKIE) and its data on a claim
# at /var/lib/rabbitmq, Ready through `rabbitmq-diagnostics -q ping`. Inside the pod (kinda
# exec, as root, as on the image): ping, status naming rabbit@rabbitmq-0, the user and vhost the
# variables asked for. From another pod: the AMQP handshake on 5672 and the management API on
# 15672 with that user. A pod setting a variable the image no longer supports fails with the
# image's error. Exit 77 (skipped): rabbitmq-server missing, or no pod namespaces.
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] ||
  { echo "skipped: rabbitmq-server not installed (Debian: apt-get install rabbitmq-server)"; exit 77; }
command -v curl >/dev/null || { echo "skipped: curl not installed"; exit 77; }
id rabbitmq >/dev/null 2>&1 || { echo "skipped: no rabbitmq user (Debian's rabbitmq-server creates it)"; exit 77; }
source "$here/lib.sh" imgrabbit
"$kinda" up --time-scale 0.2 >/dev/null
skip_unless_pod_namespaces

"$kinda" apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: rabbitmq}
spec:
  clusterIP: None
  selector: {app: rabbitmq}
  ports: [{name: amqp, port: 5672}, {name: management, port: 15672}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: rabbitmq}
spec:
  serviceName: rabbitmq
  replicas: 1
  selector: {matchLabels: {app: rabbitmq}}
  template:
    metadata: {labels: {app: rabbitmq}}
    spec:
      terminationGracePeriodSeconds: 10
      containers:
        - name: rabbitmq
          image: rabbitmq:3-management
          env:
            - {name: RABBITMQ_DEFAULT_USER, value: kinda}
            - {name: RABBITMQ_DEFAULT_PASS, value: s3cret}
            - {name: RABBITMQ_DEFAULT_VHOST, value: orders}
            - {name: RABBITMQ_ERLANG_COOKIE, value: kinda-cookie}
          readinessProbe:
            exec: {command: [rabbitmq-diagnostics, -q, ping]}
            periodSeconds: 5
            timeoutSeconds: 30
          volumeMounts: [{name: data, mountPath: /var/lib/rabbitmq}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: client, image: rabbitmq, command: [sleep, "3600"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: deprecated}
spec:
  restartPolicy: Never
  containers:
    - name: rabbitmq
      image: docker.io/library/rabbitmq:3.13
      env: [{name: RABBITMQ_VM_MEMORY_HIGH_WATERMARK, value: "0.5"}]
YAML
wait_for "client Ready" "$kinda" wait --for=condition=Ready pod/client --timeout=1s
# RabbitMQ boots in tens of seconds; wait_for gives 60 at most, so wait twice as long here.
"$kinda" wait --for=condition=Ready pod/rabbitmq-0 --timeout=240s >/dev/null ||
  fail "rabbitmq-0 not Ready: $("$kinda" logs rabbitmq-0 2>&1 | tail -20)"
wait_for "rabbit running" "$kinda" exec rabbitmq-0 -- rabbitmq-diagnostics -q check_running
out=$("$kinda" exec rabbitmq-0 -- rabbitmq-diagnostics -q ping 2>/dev/null)
[ "$out" = "Ping succeeded" ] || fail "ping: $out"
has "rabbit@rabbitmq-0" "$kinda" exec rabbitmq-0 -- rabbitmq-diagnostics -q status || fail "status does not name rabbit@rabbitmq-0"
users=$("$kinda" exec rabbitmq-0 -- rabbitmqctl -q list_users 2>/dev/null)
grep -q '^kinda[[:space:]]*\[administrator\]' <<<"$users" || fail "users: $users"
has orders "$kinda" exec rabbitmq-0 -- rabbitmqctl -q list_vhosts || fail "no vhost orders"
ok "inside rabbitmq-0: ping, status of rabbit@rabbitmq-0, user kinda (administrator) and vhost orders from the variables"

claim=$KINDA_HOME/$KINDA_CLUSTER/volumes/default/data-rabbitmq-0
[ "$(cat "$claim/.erlang.cookie")" = kinda-cookie ] && [ "$(stat -c '%U %a' "$claim/.erlang.cookie")" = "rabbitmq 600" ] ||
  fail "cookie in the claim: $(stat -c '%U %a' "$claim/.erlang.cookie" 2>&1)"
[ -d "$claim/mnesia/rabbit@rabbitmq-0" ] || fail "no mnesia/rabbit@rabbitmq-0 in the claim: $(ls -a "$claim")"
ok "RABBITMQ_ERLANG_COOKIE in /var/lib/rabbitmq/.erlang.cookie (rabbitmq, 0600) and the node's data, on the claim"

out=$("$kinda" exec client -- "$python" -c '
import socket
s = socket.create_connection(("rabbitmq-0.rabbitmq", 5672), timeout=10)
s.sendall(b"AMQP\x00\x00\x09\x01")
data = b""
while len(data) < 200:
    chunk = s.recv(4096)
    if not chunk: break
    data += chunk
print("RabbitMQ" if b"RabbitMQ" in data and data[0:1] == b"\x01" else repr(data))')
[ "$out" = RabbitMQ ] || fail "AMQP handshake on rabbitmq-0.rabbitmq:5672: $out"
whoami=$("$kinda" exec client -- curl -sS -u kinda:s3cret http://rabbitmq-0.rabbitmq:15672/api/whoami)
has '"name":"kinda"' echo "$whoami" || fail "management API whoami: $whoami"
code=$("$kinda" exec client -- curl -s -o /dev/null -w '%{http_code}' -u guest:guest http://rabbitmq-0.rabbitmq:15672/api/whoami)
[ "$code" = 401 ] || fail "guest got $code although RABBITMQ_DEFAULT_USER replaced it"
ok "from another pod: AMQP 0-9-1 Connection.Start from RabbitMQ on 5672, the management API on 15672 for kinda (guest refused)"

failed() { [ "$("$kinda" get pod deprecated -o json | "$python" -c 'import json,sys; print(json.load(sys.stdin)["status"].get("phase"))')" = Failed ]; }
wait_for "the deprecated pod to fail" failed
has "error: RABBITMQ_VM_MEMORY_HIGH_WATERMARK is set but deprecated" "$kinda" logs deprecated ||
  fail "no image error in: $("$kinda" logs deprecated 2>&1)"
ok "RABBITMQ_VM_MEMORY_HIGH_WATERMARK: the container exits 1 with the image's error"
# The readiness probe's rabbitmq-diagnostics starts `epmd -daemon`, which double-forks away from
# every process group kinda knows; nothing of the pod may outlive it all the same.
pod_processes() {
  local f
  for f in /proc/[0-9]*/environ; do
    local env
    env=$({ tr '\0' '\n' <"$f"; } 2>/dev/null) || continue
    grep -qx "KINDA_POD=default/rabbitmq-0" <<<"$env" &&
      grep -qx "KINDA_CLUSTER_ROOT=$KINDA_HOME/.*" <<<"$env" && echo "${f%/environ}"
  done
  true
}
[ -n "$(pod_processes)" ] || fail "no process of rabbitmq-0 found by its markers"
"$kinda" scale sts rabbitmq --replicas 0 >/dev/null
gone() { [ -z "$(pod_processes)" ]; }
wait_for "every process of rabbitmq-0 (epmd included) to end" gone
ok "scaling rabbitmq-0 away ends every process it started, epmd's double fork included"
echo "$passed passed, 0 failed"
