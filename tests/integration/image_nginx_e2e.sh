#!/usr/bin/env bash
# The nginx image profile (images/nginx) on a real cluster, driven with kubectl as Kubernetes'
# "StatefulSet Basics" tutorial does, with its manifest unchanged: web-0 and web-1
# (registry.k8s.io/nginx-slim, no command) behind the headless Service nginx, a `www` claim at
# /usr/share/nginx/html; `kubectl exec web-N -- sh -c 'echo "$(hostname)" > …/index.html'`, then
# curl from another pod to web-N.nginx prints web-N. Then an official nginx pod whose
# /etc/nginx/conf.d and /docker-entrypoint.d are the pod's own (written by an init container, as
# a ConfigMap would be): its hook runs before nginx, its server answers; the image's welcome page
# on a bare nginx pod; worker processes as www-data (the image's nginx user).
# Exit 77 (skipped): nginx, kubectl or curl missing, or no pod namespaces.
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v nginx >/dev/null || command -v /usr/sbin/nginx >/dev/null ||
  { echo "skipped: nginx not installed (Debian: apt-get install nginx)"; exit 77; }
command -v kubectl >/dev/null && command -v curl >/dev/null ||
  { echo "skipped: kubectl or curl not installed"; exit 77; }
source "$here/lib.sh" imgnginx
export KUBECONFIG=$KINDA_HOME/kubeconfig
k() { timeout 120 kubectl --cache-dir "$KINDA_HOME/kube-cache" "$@"; }
"$kinda" up --time-scale 0.2 --api-listen 127.0.0.1:0 >/dev/null
skip_unless_pod_namespaces
"$kinda" kubeconfig >"$KUBECONFIG"

# The tutorial's web.yaml, as published.
k apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  ports:
  - port: 80
    name: web
  clusterIP: None
  selector:
    app: nginx
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: "nginx"
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
        ports:
        - containerPort: 80
          name: web
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ "ReadWriteOnce" ]
      resources:
        requests:
          storage: 1Gi
YAML
k apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: client, image: nginx, command: [sleep, "3600"]}]
YAML
k rollout status sts/web --timeout=100s >/dev/null || fail "web did not roll out: $(k get pods 2>&1)"
k wait --for=condition=Ready pod/client --timeout=60s >/dev/null
for i in 0 1; do
  k exec "web-$i" -- sh -c 'echo "$(hostname)" > /usr/share/nginx/html/index.html'
done
for i in 0 1; do
  out=$(k exec client -- curl -sS "http://web-$i.nginx/")
  [ "$out" = "web-$i" ] || fail "curl web-$i.nginx from the client pod printed '$out'"
done
ok "the StatefulSet tutorial: web-0/web-1 (nginx-slim) serve their hostnames from their www claims to curl from another pod"
[ "$(cat "$KINDA_HOME/$KINDA_CLUSTER/volumes/default/www-web-1/index.html")" = web-1 ] ||
  fail "index.html is not in the claim www-web-1"
master=$(k exec web-0 -- cat /var/cache/nginx/nginx.pid)
workers=$(for w in $(pgrep -P "$master"); do stat -c %U "/proc/$w"; done | sort -u)
[ "$(stat -c %U "/proc/$master")" = root ] && [ "$workers" = www-data ] ||
  fail "nginx master $(stat -c %U "/proc/$master"), workers '$workers'"
ok "web-0: nginx master as root, worker processes as www-data, the pid file in the pod's own /var/cache/nginx"

# conf.d and /docker-entrypoint.d supplied by the pod, as ConfigMaps mounted there would be.
k apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: custom}
spec:
  initContainers:
    - name: config
      image: nginx
      command:
        - sh
        - -c
        - |
          printf 'server {\n  listen 8080;\n  location / { return 200 "custom $hostname\\n"; }\n}\n' > /etc/nginx/conf.d/custom.conf
          printf '#!/bin/sh\necho "hook: $(id -un) on $(hostname)"\n' > /docker-entrypoint.d/10-hello.sh
          chmod +x /docker-entrypoint.d/10-hello.sh
      # The same paths as the nginx container's (kinda mounts the volumes of regular
      # containers; the pod's containers share its mounts).
      volumeMounts:
        - {name: conf, mountPath: /etc/nginx/conf.d}
        - {name: hooks, mountPath: /docker-entrypoint.d}
  containers:
    - name: nginx
      image: docker.io/library/nginx:1.27
      volumeMounts:
        - {name: conf, mountPath: /etc/nginx/conf.d}
        - {name: hooks, mountPath: /docker-entrypoint.d}
  volumes:
    - {name: conf, emptyDir: {}}
    - {name: hooks, emptyDir: {}}
---
apiVersion: v1
kind: Pod
metadata: {name: bare}
spec:
  containers: [{name: nginx, image: nginx}]
YAML
k wait --for=condition=Ready pod/custom pod/bare --timeout=60s >/dev/null
ip() { k get pod "$1" -o jsonpath='{.status.podIP}'; }
out=$(k exec client -- curl -sS "http://$(ip custom):8080/")
[ "$out" = "custom custom" ] || fail "the server from the pod's conf.d said '$out'"
wait_for "the hook's line in the log" has "hook: root on custom" k logs custom
has "Launching /docker-entrypoint.d/10-hello.sh" k logs custom || fail "the entrypoint did not name the hook"
ok "an official nginx pod: /docker-entrypoint.d/10-hello.sh ran before nginx, the server in its conf.d answers on 8080"
has "Welcome to nginx!" k exec client -- curl -sS "http://$(ip bare)/" || fail "no welcome page on the bare pod"
code=$(k exec client -- curl -s -o /dev/null -w '%{http_code}' "http://$(ip bare)/nothing-here")
[ "$code" = 404 ] || fail "a missing page gave $code"
has '"GET /nothing-here HTTP/1.1" 404' k logs bare || fail "the access log is not in the container's log"
ok "a bare nginx pod serves the image's welcome page from the image's default.conf, access log on stdout"
echo "$passed passed, 0 failed"
