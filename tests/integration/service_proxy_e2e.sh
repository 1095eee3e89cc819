#!/usr/bin/env bash
# A Service's ClusterIP and NodePort route, as kube-proxy makes them: two pods behind a NodePort
# Service answer on clusterIP:80 and on 127.0.0.1:nodePort, in turn, and each sees the caller's
# own address (the host's 127.0.0.77, or the calling pod's, as on a direct connection); a pod turning not ready stops
# getting connections; with no endpoint left the ClusterIP refuses at once; a NodePort taken on
# the host gets a Warning event. Needs the EndpointSlice controller: skipped while the API does
# not serve discovery.k8s.io/v1 endpointslices.
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh" svcproxy
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }
mark=/tmp/kinda-ready-$KINDA_CLUSTER
trap 'cleanup; rm -f "$mark"-*' EXIT

"$kinda" up --time-scale 0.2 >/dev/null
sock="$KINDA_HOME/$KINDA_CLUSTER/run/api.sock"
api() { curl -sS --unix-socket "$sock" "$@"; }
if ! api http://kinda/apis/discovery.k8s.io/v1 2>/dev/null | grep -q '"name":"endpointslices"'; then
  echo "SKIP: the API serves no EndpointSlices yet (the endpoints controller is not merged)"
  exit 77
fi

# Each pod answers "<pod> <peer address>" over HTTP and is ready while its mark exists.
{
  cat <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: echo}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
YAML
  web_set_head 2 1
  cat <<YAML
      - name: echo
        image: python
        command:
        - python3
        - -c
        - |
          import http.server, os, socketserver
          class Echo(http.server.BaseHTTPRequestHandler):
              def do_GET(self):
                  body = (os.environ["POD_NAME"] + " " + self.client_address[0]).encode()
                  self.send_response(200); self.send_header("Content-Length", str(len(body)))
                  self.end_headers(); self.wfile.write(body)
              def log_message(self, *args): pass
          open("$mark-" + os.environ["POD_NAME"], "w").close()
          http.server.ThreadingHTTPServer((os.environ["POD_IP"], 8080), Echo).serve_forever()
        env:
        - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
        - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
        ports: [{name: http, containerPort: 8080}]
        readinessProbe:
          exec: {command: [sh, -c, 'test -f $mark-\$POD_NAME']}
          periodSeconds: 1
YAML
} >"$KINDA_HOME/echo.yaml"
"$kinda" apply -f "$KINDA_HOME/echo.yaml" >/dev/null
cluster_ip=$("$kinda" get svc echo -o jsonpath='{.spec.clusterIP}')
node_port=$("$kinda" get svc echo -o jsonpath='{.spec.ports[0].nodePort}')
[ -n "$cluster_ip" ] && [ -n "$node_port" ] || fail "service echo: clusterIP '$cluster_ip' nodePort '$node_port'"
ready_count() { "$kinda" get endpointslices -l kubernetes.io/service-name=echo -o json | "$python" -c '
import json, sys
print(sum(1 for s in json.load(sys.stdin)["items"] for e in s.get("endpoints") or [] if e["conditions"].get("ready")))'; }
two_ready() { [ "$(ready_count)" = 2 ]; }
wait_for "two ready endpoints" two_ready
ask() { curl -sS -m 5 --interface "$1" "$2"; }
wait_for "the ClusterIP to answer" ask 127.0.0.77 "http://$cluster_ip/"

seen=$(for _ in 1 2 3 4; do ask 127.0.0.77 "http://$cluster_ip/"; echo; done | sort | uniq -c)
[ "$(wc -l <<<"$seen")" = 2 ] || fail "connections did not spread over both pods: $seen"
grep -q ' 2 web-0 127.0.0.77$' <<<"$seen" && grep -q ' 2 web-1 127.0.0.77$' <<<"$seen" ||
  fail "round-robin or client address wrong: $seen"
ok "clusterIP $cluster_ip:80 spreads over both pods, which see the client's own address"

answer=$(ask 127.0.0.1 "http://127.0.0.1:$node_port/")
grep -Eq '^web-[01] 127.0.0.1$' <<<"$answer" || fail "NodePort $node_port: $answer"
ok "NodePort 127.0.0.1:$node_port answers"

# From a pod: the backends see the same source address through the ClusterIP as on a direct
# connection (the pod IP where the pod network binds pods' sources, else what the kernel chose),
# as behind kube-proxy's DNAT.
web0_ip=$("$kinda" get pod web-0 -o jsonpath='{.status.podIP}')
from_pod=$("$kinda" exec web-1 -- python3 -c "
import urllib.request
get = lambda url: urllib.request.urlopen(url).read().decode()
direct = get('http://$web0_ip:8080/').split()[1]
via = sorted({get('http://$cluster_ip/') for _ in range(4)})
print(direct, ' '.join(via))")
read -r direct via0 seen0 via1 seen1 <<<"$from_pod"
[ "$via0 $via1" = "web-0 web-1" ] && [ "$seen0" = "$direct" ] && [ "$seen1" = "$direct" ] ||
  fail "from pod web-1: direct source $direct, through the ClusterIP: $via0 $seen0, $via1 $seen1"
ok "a pod reaches the ClusterIP and the backends see its source address as on a direct connection"

rm -f "$mark-web-1"  # web-1 turns not ready: no new connections go to it
one_ready() { [ "$(ready_count)" = 1 ]; }
wait_for "web-1 to leave the endpoints" one_ready
only0() { for _ in 1 2 3 4; do [ "$(ask 127.0.0.77 "http://$cluster_ip/")" = "web-0 127.0.0.77" ] || return 1; done; }
wait_for "connections to go to web-0 only" only0
ok "a pod that is not ready gets no connections"

"$kinda" scale sts web --replicas=0 >/dev/null
refused() { curl -sS -m 5 "http://$cluster_ip/" >/dev/null 2>&1; [ $? = 7 ]; }
wait_for "the ClusterIP to refuse" refused
start=$(date +%s%N)
refused || fail "ClusterIP without endpoints did not refuse"
[ $((($(date +%s%N) - start) / 1000000)) -lt 1000 ] || fail "refusal was not prompt"
ok "without endpoints the ClusterIP refuses at once (ECONNREFUSED)"

# A NodePort another program holds on the host: the Service gets a Warning event.
"$python" -c 'import socket, time
s = socket.socket()
for port in range(32700, 30000, -1):  # a free port in the NodePort range, from the top
    try:
        s.bind(("127.0.0.1", port)); break
    except OSError:
        pass
s.listen(); print(port, flush=True)
time.sleep(120)' >"$KINDA_HOME/holder.port" &
holder=$!
trap 'kill "$holder" 2>/dev/null; cleanup; rm -f "$mark"-*' EXIT
wait_for "the port holder" test -s "$KINDA_HOME/holder.port"
taken=$(cat "$KINDA_HOME/holder.port")
"$kinda" patch svc echo --type merge -p \
  "{\"spec\":{\"ports\":[{\"name\":\"http\",\"port\":80,\"targetPort\":\"http\",\"nodePort\":$taken}]}}" >/dev/null
"$kinda" scale sts web --replicas=1 >/dev/null
warned() { "$kinda" get events | grep -q "FailedToListen.*127.0.0.1:$taken/TCP"; }
wait_for "a FailedToListen event" warned
wait_for "the ClusterIP to answer again" ask 127.0.0.77 "http://$cluster_ip/"
ok "a NodePort taken on the host gives a Warning event; the ClusterIP still answers"
kill "$holder" 2>/dev/null || true
echo "# $passed checks passed"
