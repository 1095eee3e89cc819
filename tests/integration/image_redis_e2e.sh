#!/usr/bin/env bash
# The redis image profile (images/redis) on a real cluster, with manifests written for the
# official image and no command: a StatefulSet `redis:7.2` behind a headless Service starts
# redis-server through the profile's entrypoint (args `--appendonly yes` alone: a leading option
# is redis-server's), as the redis user, in /data on its claim, with protected mode off, and
# answers redis-cli from another pod by its DNS name; a bare `redis` pod (CMD redis-server) works
# in its own /data. Exit 77 (skipped): redis-server/redis-cli missing, or no pod namespaces.
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v redis-server >/dev/null && command -v redis-cli >/dev/null ||
  { echo "skipped: redis-server/redis-cli not installed (Debian: apt-get install redis-server redis-tools)"; exit 77; }
id redis >/dev/null 2>&1 || { echo "skipped: no redis user (Debian's redis-server creates it)"; exit 77; }
source "$here/lib.sh" imgredis
"$kinda" up --time-scale 0.2 >/dev/null
skip_unless_pod_namespaces

"$kinda" apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: redis}
spec:
  clusterIP: None
  selector: {app: redis}
  ports: [{name: redis, port: 6379}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: redis}
spec:
  serviceName: redis
  replicas: 1
  selector: {matchLabels: {app: redis}}
  template:
    metadata: {labels: {app: redis}}
    spec:
      containers:
        - name: redis
          image: redis:7.2
          args: ["--appendonly", "yes"]
          ports: [{containerPort: 6379, name: redis}]
          readinessProbe: {tcpSocket: {port: 6379}, periodSeconds: 1}
          volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: plain}
spec:
  containers: [{name: redis, image: docker.io/library/redis}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: client, image: redis, command: [sleep, "3600"]}]
YAML
for pod in redis-0 plain client; do
  wait_for "$pod Ready" "$kinda" wait --for=condition=Ready "pod/$pod" --timeout=1s
done
cli() { "$kinda" exec client -- redis-cli -h "$@" | tr -d '\r'; }
wait_for "PONG from redis-0.redis" has PONG cli redis-0.redis ping
[ "$(cli redis-0.redis config get protected-mode | tail -1)" = no ] || fail "protected mode is on"
[ "$(cli redis-0.redis config get appendonly | tail -1)" = yes ] || fail "args did not reach redis-server"
[ "$(cli redis-0.redis config get dir | tail -1)" = /data ] || fail "redis-0 does not run in /data"
ok "redis-0 (redis:7.2, args only): redis-cli from another pod by DNS name, protected mode off, --appendonly yes, in /data"

pid=$(cli redis-0.redis info server | sed -n 's/^process_id://p')
[ "$(stat -c %U "/proc/$pid")" = redis ] || fail "redis-server runs as $(stat -c %U "/proc/$pid")"
[ "$(cli redis-0.redis set greeting hello)" = OK ] && [ "$(cli redis-0.redis save)" = OK ] || fail "SET/SAVE"
claim=$KINDA_HOME/$KINDA_CLUSTER/volumes/default/data-redis-0
[ "$(stat -c %U "$claim/dump.rdb")" = redis ] && [ -d "$claim/appendonlydir" ] ||
  fail "no dump.rdb/appendonlydir of redis in the claim: $(ls -la "$claim")"
ok "the entrypoint dropped to the redis user (pid $pid) and gave it the claim at /data (dump.rdb, appendonlydir)"

plain_ip=$("$kinda" get pod plain -o json | "$python" -c 'import json,sys; print(json.load(sys.stdin)["status"]["podIP"])')
[ "$(cli "$plain_ip" config get protected-mode | tail -1)" = no ] &&
  [ "$(cli "$plain_ip" config get dir | tail -1)" = /data ] || fail "the bare redis pod"
host_had_dump=no
[ -e /data/dump.rdb ] && host_had_dump=yes
[ "$(cli "$plain_ip" save)" = OK ] || fail "SAVE on the bare pod"
[ "$host_had_dump" = yes ] || [ ! -e /data/dump.rdb ] || fail "the bare pod saved into the host's /data"
ok "a bare docker.io/library/redis pod (CMD redis-server) answers at its pod IP from its own /data"
echo "$passed passed, 0 failed"
