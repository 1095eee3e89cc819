#!/usr/bin/env bash
# Every pod owns its address: the Kubernetes network model on loopback (README "Pod network"), in
# the isolation mode given as $2: `namespaces` (root), `none`, or `namespaces-userns` (the cluster
# run by the user nobody, as an unprivileged user would). Three replicas of unmodified servers
# that bind the wildcard (python3 -m http.server, nginx's stock configuration) all run and answer
# on their pod IPs; binds of another pod's address fail as on Kubernetes; 127.0.0.1 is the pod
# itself (a sidecar on 127.0.0.1 is reached by its sibling, never by another pod); peers see the
# pod's IP as the source of TCP and UDP; and a pod whose supervisor is gone fails closed.
set -euo pipefail
kinda=$1
mode=${2:-namespaces}
source "$(dirname "$0")/lib.sh" "net-${mode%%-*}"

case $mode in
  namespaces) [ "$(id -u)" = 0 ] || { echo "skipped: isolation namespaces needs root"; exit 77; } ;;
  none) ;;
  namespaces-userns)
    if [ "$(id -u)" = 0 ]; then
      # The whole cluster runs as nobody: its own copy of the binary, a home nobody owns.
      command -v setpriv >/dev/null || { echo "skipped: setpriv (util-linux) is not installed"; exit 77; }
      chmod 0755 "$KINDA_HOME"
      cp "$kinda" "$KINDA_HOME/kinda"
      printf '#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups env -u XDG_RUNTIME_DIR HOME=%s %s "$@"\n' \
        "$KINDA_HOME" "$KINDA_HOME/kinda" > "$KINDA_HOME/kinda-as-nobody"
      chmod 0755 "$KINDA_HOME/kinda" "$KINDA_HOME/kinda-as-nobody"
      chown 65534:65534 "$KINDA_HOME"
      kinda=$KINDA_HOME/kinda-as-nobody
    fi ;;
  *) fail "unknown isolation mode $mode" ;;
esac

if [ "$mode" = none ]; then up_with_config isolation='"none"'; else "$kinda" up --time-scale 0.2 >/dev/null; fi
actual=$("$kinda" status | awk '/^Isolation:/ {print $2}')
[ "$actual" = "$mode" ] || { echo "skipped: this machine gives isolation $actual, not $mode"; exit 77; }

# web: python's http.server on its default (every address) and a sidecar: a TCP echo on
# 127.0.0.1:9000 and a UDP echo on 0.0.0.0:9001, each answering "<its pod> <the peer's address>".
sidecar='import os, socket, threading
name = os.environ["POD_NAME"]
def udp():
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("0.0.0.0", 9001))
    while True:
        _, peer = u.recvfrom(100)
        u.sendto(("%s %s" % (name, peer[0])).encode(), peer)
threading.Thread(target=udp, daemon=True).start()
s = socket.socket()
s.bind(("127.0.0.1", 9000))
s.listen(16)
while True:
    c, peer = s.accept()
    c.sendall(("%s %s" % (name, peer[0])).encode())
    c.close()'
{
  web_service
  echo ---
  web_set_head 3 2
  cat <<YAML
      - name: web
        image: python
        command: [python3, -m, http.server, "8080"]
        readinessProbe: {httpGet: {port: 8080, path: /}, periodSeconds: 1}
      - name: side
        image: python
        env: [{name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
        command: [python3, -c, $(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$sidecar")]
        readinessProbe: {tcpSocket: {port: 9000}, periodSeconds: 1}
YAML
} > "$KINDA_HOME/web.yaml"
sed -i 's/^  replicas: 3$/  replicas: 3\n  podManagementPolicy: Parallel/' "$KINDA_HOME/web.yaml"
"$kinda" apply -f "$KINDA_HOME/web.yaml" >/dev/null
for i in 0 1 2; do wait_for "web-$i Ready" "$kinda" wait --for=condition=Ready "pod/web-$i" --timeout=1s; done
ip_of() { "$kinda" get pod "$1" -o 'jsonpath={.status.podIP}'; }
ip0=$(ip_of web-0) ip1=$(ip_of web-1) ip2=$(ip_of web-2)
for ip in "$ip0" "$ip1" "$ip2"; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$ip:8080/")" = 200 ] || fail "no http.server answer on $ip:8080"
done
ok "three replicas of python3 -m http.server 8080 (default bind) run and answer on their pod IPs ($ip0 $ip1 $ip2)"

# What a program in web-0 sees, one "check value" line each.
inside='import errno, json, socket, sys
other, peer = sys.argv[1], sys.argv[2]
def bound(family, address, v6only=None):
    s = socket.socket(family)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
    try:
        s.bind(address)
        return s.getsockname()[0]
    except OSError as e:
        return errno.errorcode[e.errno]
def ask_tcp(host, port):
    c = socket.create_connection((host, port), timeout=5)
    return c.recv(100).decode()
def ask_udp(host, port):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(5)
    u.sendto(b"?", (host, port))
    return u.recv(100).decode()
print("any", bound(socket.AF_INET, ("0.0.0.0", 0)))
print("localhost", bound(socket.AF_INET, ("127.0.0.1", 0)))
print("v6any", bound(socket.AF_INET6, ("::", 0), 0))
print("v6loopback", bound(socket.AF_INET6, ("::1", 0), 0))
print("v6only", bound(socket.AF_INET6, ("::", 0), 1))
print("other", bound(socket.AF_INET, (other, 0)))
print("inuse", bound(socket.AF_INET, ("0.0.0.0", 8080)))
print("sidecar", ask_tcp("127.0.0.1", 9000))
print("sidecar6", ask_tcp("::1", 9000))
print("peer_tcp", ask_tcp(peer, 9000))
print("peer_udp", ask_udp(peer, 9001))
c = socket.create_connection((peer, 8080))
print("source", c.getsockname()[0])'
seen=$("$kinda" exec web-0 -- python3 -c "$inside" "$ip2" "$ip1")
want() { grep -qxF "$1" <<<"$seen" || fail "in web-0, expected '$1'; saw: $seen"; }
want "any $ip0"; want "localhost $ip0"; want "v6any ::ffff:$ip0"; want "v6loopback ::ffff:$ip0"
want "v6only ::$ip0"
ok "in web-0, binds of 0.0.0.0, 127.0.0.1, :: and ::1 (dual-stack) land on $ip0 (::ffff:$ip0); an IPv6-only :: on the placeholder ::$ip0"
want "other EADDRNOTAVAIL"; want "inuse EADDRINUSE"
ok "binding web-2's address fails with EADDRNOTAVAIL, a port the pod already uses with EADDRINUSE"
want "sidecar web-0 $ip0"; want "sidecar6 web-0 $ip0"
ok "127.0.0.1:9000 and [::1]:9000 in web-0 reach web-0's own sidecar container"
want "peer_tcp web-1 $ip0"; want "peer_udp web-1 $ip0"; want "source $ip0"
ok "web-1 sees web-0's TCP and UDP from $ip0, web-0's own IP"
[ "$("$kinda" exec web-1 -- python3 -c 'import socket; print(socket.create_connection(("127.0.0.1", 9000)).recv(100).decode())')" = "web-1 $ip1" ] ||
  fail "web-1's 127.0.0.1:9000 is not web-1's own sidecar"
! python3 -c 'import socket; socket.create_connection(("127.0.0.1", 9000), timeout=2)' 2>/dev/null ||
  echo "note: something on the host listens on 127.0.0.1:9000; not a pod's sidecar (checked above)"
ok "web-1's 127.0.0.1:9000 is web-1's sidecar; no pod's sidecar is on the host's 127.0.0.1"
if command -v ss >/dev/null; then
  has "$ip0:8080" "$kinda" exec web-0 -- ss -Hltn "sport = :8080" || fail "ss in web-0 does not show $ip0:8080"
  ok "ss in web-0 shows its server on $ip0:8080"
fi

# nginx as Debian ships it (listen 80; listen [::]:80), three replicas side by side.
if [ "$mode" != namespaces-userns ] && command -v nginx >/dev/null &&
   ! python3 -c 'import socket; socket.create_connection(("127.0.0.1", 80), timeout=1)' 2>/dev/null; then
  cat > "$KINDA_HOME/nginx.yaml" <<'YAML'
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: nginx}
spec:
  serviceName: nginx
  replicas: 3
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: nginx
        image: nginx
        ports: [{containerPort: 80, name: http}]
        readinessProbe: {tcpSocket: {port: http}, periodSeconds: 1}
YAML
  "$kinda" apply -f "$KINDA_HOME/nginx.yaml" >/dev/null
  for i in 0 1 2; do wait_for "nginx-$i Ready" "$kinda" wait --for=condition=Ready "pod/nginx-$i" --timeout=1s; done
  for i in 0 1 2; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://$(ip_of "nginx-$i")/")
    [ "$code" = 200 ] || fail "nginx-$i answered $code"
  done
  ok "three replicas of nginx with its stock configuration (listen 80; listen [::]:80) answer on their pod IPs"
else
  echo "note: nginx part skipped (isolation $mode, nginx missing, or the host's port 80 is taken)"
fi

# Fail closed: with its supervisor's socket gone, nothing new starts in web-2 unsupervised.
root=$KINDA_HOME/$KINDA_CLUSTER
rm -f "$root/pods/default/web-2/net.sock"
out=$("$kinda" exec web-2 -- true 2>&1) && fail "exec ran in web-2 without a network supervisor"
grep -q "network supervisor" <<<"$out" || fail "exec's error does not name the supervisor: $out"
side=$("$kinda" get pod web-2 -o 'jsonpath={.status.containerStatuses[?(@.name=="side")].containerID}')
kill "${side##*/}"
start_error() {
  "$kinda" get pod web-2 -o 'jsonpath={.status.containerStatuses[?(@.name=="side")].lastState.terminated.message}{.status.containerStatuses[?(@.name=="side")].state.terminated.message}' |
    grep -q "network supervisor"
}
wait_for "web-2's sidecar to fail to restart, naming the supervisor" start_error
has "network supervisor" "$kinda" get events -o json || fail "no event names the supervisor: $("$kinda" get events | tail -5)"
ok "without its supervisor, web-2 refuses exec and its restarted container fails (StartError, event) naming the network supervisor"
echo "passed $passed checks (isolation $mode)"
