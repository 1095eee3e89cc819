#!/usr/bin/env bash
# The nats image profile (images/nats) on a real cluster. A 2-server StatefulSet `nats:2.10`
# behind a headless Service: nats-0 runs the image's CMD (`--config nats-server.conf`, the
# image's default configuration), nats-1 adds a route to nats-0 with the image's route
# credentials (`--routes nats-route://ruser:T0pS3cr3t@nats-0.nats:6222`, as its docs show).
# Debian has no `nats` CLI, so the client pod speaks the NATS protocol itself: PING → PONG and a
# PUB/SUB round trip over nc, a message published on nats-1 received by a subscriber on nats-0
# (Python sockets), and the monitoring endpoint /varz and /routez with curl.
# Exit 77 (skipped): nats-server, nc or curl missing, or no pod namespaces.
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v nats-server >/dev/null || [ -x /usr/sbin/nats-server ] ||
  { echo "skipped: nats-server not installed (Debian: apt-get install nats-server)"; exit 77; }
command -v nc >/dev/null && command -v curl >/dev/null || { echo "skipped: nc or curl not installed"; exit 77; }
source "$here/lib.sh" imgnats
"$kinda" up --time-scale 0.2 >/dev/null
skip_unless_pod_namespaces

"$kinda" apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: nats}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector: {app: nats}
  ports: [{name: client, port: 4222}, {name: cluster, port: 6222}, {name: monitor, port: 8222}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: nats}
spec:
  serviceName: nats
  replicas: 1
  selector: {matchLabels: {app: nats}}
  template:
    metadata: {labels: {app: nats}}
    spec:
      containers:
        - name: nats
          image: nats:2.10
          readinessProbe: {httpGet: {path: /healthz, port: 8222}, periodSeconds: 1}
---
apiVersion: v1
kind: Pod
metadata: {name: nats-routed}
spec:
  containers:
    - name: nats
      image: docker.io/library/nats
      args: [--config, nats-server.conf, --routes, "nats-route://ruser:T0pS3cr3t@nats-0.nats:6222"]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: client, image: nats, command: [sleep, "3600"]}]
YAML
for pod in nats-0 nats-routed client; do
  wait_for "$pod Ready" "$kinda" wait --for=condition=Ready "pod/$pod" --timeout=1s
done
in_client() { "$kinda" exec client -- "$@"; }
out=$(printf 'PING\r\n' | in_client nc -q 1 nats-0.nats 4222 | tr -d '\r')
grep -q '^INFO {' <<<"$out" && grep -qx PONG <<<"$out" || fail "PING to nats-0.nats:4222: $out"
out=$(printf 'CONNECT {"verbose":false}\r\nSUB greeting 1\r\nPUB greeting 5\r\nhello\r\nPING\r\n' |
  in_client nc -q 1 nats-0.nats 4222 | tr -d '\r')
grep -A1 -x 'MSG greeting 1 5' <<<"$out" | grep -qx hello || fail "PUB/SUB round trip on nats-0: $out"
ok "the NATS protocol on nats-0.nats:4222 from another pod: PING → PONG, SUB + PUB → MSG"

varz=$(in_client curl -sS http://nats-0.nats:8222/varz)
summary=$("$python" -c 'import json,sys; v=json.load(sys.stdin); print(v["port"], v["http_port"], v["cluster"]["name"], v["cluster"]["cluster_port"])' <<<"$varz")
[ "$summary" = "4222 8222 my_cluster 6222" ] || fail "/varz: $summary"
ok "/varz of the image's default configuration: clients 4222, monitoring 8222, cluster my_cluster on 6222"

routed_ip=$("$kinda" get pod nats-routed -o json | "$python" -c 'import json,sys; print(json.load(sys.stdin)["status"]["podIP"])')
routes() { in_client curl -sS http://nats-0.nats:8222/routez | "$python" -c 'import json,sys; print(json.load(sys.stdin)["num_routes"])'; }
one_route() { [ "$(routes)" = 1 ]; }
wait_for "the route from nats-routed on nats-0" one_route
out=$(in_client "$python" - nats-0.nats "$routed_ip" <<'PY'
# Subscribe on nats-0, publish on the routed server until the subscription's interest has
# crossed the route (bounded), print what the subscriber received.
import socket, sys
def connect(host):
    s = socket.create_connection((host, 4222), timeout=5)
    s.recv(4096)  # INFO
    s.sendall(b'CONNECT {"verbose":false}\r\n')
    return s
def pong(s):
    s.sendall(b"PING\r\n")
    data = b""
    while b"PONG\r\n" not in data:
        data += s.recv(4096)
    return data
sub, pub = connect(sys.argv[1]), connect(sys.argv[2])
sub.sendall(b"SUB across 1\r\n")
pong(sub)
sub.settimeout(0.2)
for _ in range(100):
    pub.sendall(b"PUB across 6\r\nrouted\r\n")
    pong(pub)
    try:
        data = sub.recv(4096)
    except socket.timeout:
        continue
    print(data.decode().replace("\r", ""))
    break
PY
)
grep -A1 -x 'MSG across 1 6' <<<"$out" | grep -qx routed || fail "no message across the route: $out"
ok "a server routed with the image's credentials (ruser/T0pS3cr3t): published there, received by a subscriber on nats-0"
echo "$passed passed, 0 failed"
