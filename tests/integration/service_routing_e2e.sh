#!/usr/bin/env bash
# Services that route, as kube-proxy makes them: a connection to ClusterIP:port, from a pod or
# from the host, reaches a ready endpoint's targetPort (named ports resolved), spread over the
# endpoints (sessionAffinity ClientIP sticks), over TCP and UDP; endpoints are followed as pods
# turn unready, ready and go away; a Service without endpoints refuses at once; a NodePort
# Service answers on 127.0.0.1:<nodePort>. Backends see the client's own address.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" svc
"$kinda" up --time-scale 0.2 >/dev/null

# echo-N answers "<its name> <the peer's address>" on TCP 7000 (named tcp-echo) and UDP 7001;
# it turns unready while $KINDA_HOME/unready-<name> exists.
server='import os, socket, threading
name = os.environ["POD_NAME"]
def udp():
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("0.0.0.0", 7001))
    while True:
        _, peer = u.recvfrom(100)
        u.sendto(("%s %s" % (name, peer[0])).encode(), peer)
threading.Thread(target=udp, daemon=True).start()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 7000))
s.listen(64)
while True:
    c, peer = s.accept()
    c.sendall(("%s %s" % (name, peer[0])).encode())
    c.close()'
server_json=$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$server")
cat > "$KINDA_HOME/svc.yaml" <<YAML
apiVersion: v1
kind: Service
metadata: {name: echo}
spec:
  selector: {app: echo}
  ports:
  - {name: tcp, port: 80, targetPort: tcp-echo}
  - {name: udp, port: 81, protocol: UDP, targetPort: 7001}
---
apiVersion: v1
kind: Service
metadata: {name: sticky}
spec:
  selector: {app: echo}
  sessionAffinity: ClientIP
  ports: [{port: 80, targetPort: tcp-echo}]
---
apiVersion: v1
kind: Service
metadata: {name: node-port}
spec:
  type: NodePort
  selector: {app: echo}
  ports: [{port: 80, targetPort: 7000}]
---
apiVersion: v1
kind: Service
metadata: {name: nobody}
spec:
  selector: {app: nothing-has-this}
  ports: [{port: 80, targetPort: 7000}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: echo}
spec:
  serviceName: echo
  replicas: 3
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: echo}}
  template:
    metadata: {labels: {app: echo}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: echo
        image: python
        env: [{name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
        command: [python3, -c, $server_json]
        ports: [{name: tcp-echo, containerPort: 7000}, {name: udp-echo, containerPort: 7001, protocol: UDP}]
        readinessProbe:
          exec: {command: [sh, -c, 'test ! -e $KINDA_HOME/unready-\$POD_NAME']}
          periodSeconds: 1
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 0
  containers: [{name: c, image: python, command: [sleep, "3600"]}]
YAML
"$kinda" apply -f "$KINDA_HOME/svc.yaml" >/dev/null
for p in echo-0 echo-1 echo-2 client; do wait_for "$p Ready" "$kinda" wait --for=condition=Ready "pod/$p" --timeout=1s; done
ip_of() { "$kinda" get pod "$1" -o 'jsonpath={.status.podIP}'; }
cluster_ip() { "$kinda" get svc "$1" -o 'jsonpath={.spec.clusterIP}'; }
echo_ip=$(cluster_ip echo) client_ip=$(ip_of client)

# ask HOST PORT COUNT [udp]: COUNT answers, one per line, "<pod> <peer seen>".
ask='import socket, sys
host, port, count, udp = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), len(sys.argv) > 4
for _ in range(count):
    if udp:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.settimeout(3)
        u.sendto(b"?", (host, port))
        data, source = u.recvfrom(100)
        print(data.decode(), "%s:%d" % source)
    else:
        c = socket.create_connection((host, port), timeout=3)
        print(c.recv(100).decode())'
from_host() { python3 -c "$ask" "$@"; }
from_pod() { "$kinda" exec client -- python3 -c "$ask" "$@"; }
backends() { awk '{print $1}' | sort -u | tr '\n' ' ' | sed 's/ $//'; }
all_three() { [ "$("$@" | backends)" = "echo-0 echo-1 echo-2" ]; }

wait_for "the ClusterIP to route" from_host "$echo_ip" 80 1
answers=$(from_host "$echo_ip" 80 30)
[ "$(backends <<<"$answers")" = "echo-0 echo-1 echo-2" ] || fail "30 host connections to $echo_ip:80 reached: $(backends <<<"$answers")"
ok "30 connections from the host to $echo_ip:80 spread over echo-0, echo-1, echo-2 (named targetPort tcp-echo -> 7000)"
answers=$(from_pod "$echo_ip" 80 30)
[ "$(backends <<<"$answers")" = "echo-0 echo-1 echo-2" ] || fail "30 pod connections reached: $(backends <<<"$answers")"
[ "$(awk '{print $2}' <<<"$answers" | sort -u)" = "$client_ip" ] || fail "backends saw $(awk '{print $2}' <<<"$answers" | sort -u | tr '\n' ' '), not the client pod's $client_ip"
ok "30 connections from pod client to $echo_ip:80 spread over the three, each backend seeing the client's own IP $client_ip"
if "$kinda" status | grep -q "Isolation: *namespaces$"; then
  [ "$(from_pod echo 80 3 | backends)" != "" ] || fail "the name echo did not route from a pod"
  ok "a pod reaches the Service by its name (echo:80, cluster DNS then ClusterIP)"
fi

sticky=$(from_host "$(cluster_ip sticky)" 80 20 | backends)
[ "$(wc -w <<<"$sticky")" = 1 ] || fail "sessionAffinity ClientIP spread 20 connections over $sticky"
ok "sessionAffinity: ClientIP keeps 20 connections on one endpoint ($sticky)"

udp=$(from_pod "$echo_ip" 81 12 udp)
[ "$(backends <<<"$udp")" = "echo-0 echo-1 echo-2" ] || fail "UDP to $echo_ip:81 reached: $(backends <<<"$udp")"
[ "$(awk '{print $3}' <<<"$udp" | sort -u)" = "$echo_ip:81" ] || fail "UDP replies came from $(awk '{print $3}' <<<"$udp" | sort -u | tr '\n' ' ')"
[ "$(awk '{print $2}' <<<"$udp" | sort -u)" = "$client_ip" ] || fail "UDP backends saw $(awk '{print $2}' <<<"$udp" | sort -u)"
ok "UDP datagrams to $echo_ip:81 reach all three endpoints and the replies come back from $echo_ip:81"

touch "$KINDA_HOME/unready-echo-1"
wait_for "echo-1 unready" sh -c "[ \"\$('$kinda' get pod echo-1 -o 'jsonpath={.status.conditions[?(@.type==\"Ready\")].status}')\" = False ]"
settled() { [ "$(from_host "$echo_ip" 80 12 | backends)" = "echo-0 echo-2" ]; }
wait_for "traffic to avoid unready echo-1" settled
ok "an endpoint that turns unready (echo-1) gets no more connections"
rm -f "$KINDA_HOME/unready-echo-1"
wait_for "echo-1 back in rotation" all_three from_host "$echo_ip" 80 30
ok "and gets them again once Ready"
"$kinda" scale sts echo --replicas=1 >/dev/null
only_zero() { [ "$(from_host "$echo_ip" 80 10 | backends)" = "echo-0" ]; }
wait_for "scaled-down endpoints to go" only_zero
ok "after a scale-down to 1, only echo-0 answers"

nodeport=$("$kinda" get svc node-port -o 'jsonpath={.spec.ports[0].nodePort}')
[ "$nodeport" -ge 30000 ] && [ "$nodeport" -le 32767 ] || fail "nodePort $nodeport outside 30000-32767"
wait_for "127.0.0.1:$nodeport to route" from_host 127.0.0.1 "$nodeport" 1
[ "$(from_host 127.0.0.1 "$nodeport" 3 | backends)" = echo-0 ] || fail "127.0.0.1:$nodeport did not reach echo-0"
ok "the NodePort Service answers on 127.0.0.1:$nodeport (allocated from 30000-32767)"

refused='import socket, sys, time
t = time.monotonic()
try:
    socket.create_connection((sys.argv[1], 80), timeout=5)
    print("connected")
except ConnectionRefusedError:
    print("refused %.2f" % (time.monotonic() - t))
except OSError as e:
    print("error", e)'
for who in host pod; do
  if [ $who = host ]; then out=$(python3 -c "$refused" "$(cluster_ip nobody)"); else out=$("$kinda" exec client -- python3 -c "$refused" "$(cluster_ip nobody)"); fi
  [[ $out == refused* ]] || fail "a Service without endpoints, from the $who: $out"
done
ok "a Service without endpoints refuses at once (ECONNREFUSED), from the host and from a pod"
echo "passed $passed checks"
