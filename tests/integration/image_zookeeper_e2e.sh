#!/usr/bin/env bash
# The zookeeper image profile (images/zookeeper) on a real cluster: a 3-member ensemble of the
# official `zookeeper:3.8` image in a StatefulSet behind a headless Service, configured only by
# the image's variables (ZOO_SERVERS with the pods' DNS names, ZOO_MY_ID from the ordinal as
# manifests for this image do, ZOO_4LW_COMMANDS_WHITELIST, ZOO_CFG_EXTRA, ZOO_TICK_TIME), Ready
# through `zkServer.sh status`. From another pod: `echo srvr | nc` shows one leader and two
# followers, zkCli.sh writes a znode through zk-0 and reads it through zk-2. The generated
# zoo.cfg and myid are checked in the pods, the data in the claims, the server's user.
# Exit 77 (skipped): Debian's zookeeper, java or nc missing, or no pod namespaces.
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
[ -f /usr/share/java/zookeeper.jar ] && [ -x /usr/share/zookeeper/bin/zkCli.sh ] ||
  { echo "skipped: ZooKeeper not installed (Debian: apt-get install zookeeper)"; exit 77; }
command -v java >/dev/null && command -v nc >/dev/null || { echo "skipped: java or nc not installed"; exit 77; }
id zookeeper >/dev/null 2>&1 || { echo "skipped: no zookeeper user (Debian's zookeeper creates it)"; exit 77; }
source "$here/lib.sh" imgzk
"$kinda" up --time-scale 0.2 >/dev/null
skip_unless_pod_namespaces

"$kinda" apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: zk}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector: {app: zk}
  ports: [{name: client, port: 2181}, {name: follower, port: 2888}, {name: election, port: 3888}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: zk}
spec:
  serviceName: zk
  replicas: 3
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: zk}}
  template:
    metadata: {labels: {app: zk}}
    spec:
      terminationGracePeriodSeconds: 5
      containers:
        - name: zookeeper
          image: zookeeper:3.8
          # The image takes the server id from ZOO_MY_ID; a StatefulSet derives it from the ordinal.
          command: [sh, -c, 'ZOO_MY_ID=$((${HOSTNAME##*-} + 1)) exec /docker-entrypoint.sh zkServer.sh start-foreground']
          env:
            - {name: ZOO_SERVERS, value: "server.1=zk-0.zk:2888:3888;2181 server.2=zk-1.zk:2888:3888;2181 server.3=zk-2.zk:2888:3888;2181"}
            - {name: ZOO_4LW_COMMANDS_WHITELIST, value: "srvr,ruok,mntr"}
            - {name: ZOO_CFG_EXTRA, value: "quorumListenOnAllIPs=true"}
            - {name: ZOO_TICK_TIME, value: "1000"}
            - {name: ZOO_ADMINSERVER_ENABLED, value: "false"}
            - {name: JVMFLAGS, value: "-Xmx256m"}
          readinessProbe:
            exec: {command: [zkServer.sh, status]}
            periodSeconds: 2
            timeoutSeconds: 30
          volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: client, image: zookeeper, command: [sleep, "3600"]}]
YAML
for pod in zk-0 zk-1 zk-2 client; do
  wait_for "$pod Ready" "$kinda" wait --for=condition=Ready "pod/$pod" --timeout=1s
done
mode() { printf srvr | "$kinda" exec client -- nc -N -w 5 "$1" 2181 | sed -n 's/^Mode: //p'; }
modes=$(for i in 0 1 2; do mode "zk-$i.zk"; done | sort | tr '\n' ' ')
[ "$modes" = "follower follower leader " ] || fail "srvr modes: $modes"
ok "3-member ensemble from ZOO_SERVERS/ZOO_MY_ID: srvr over nc from another pod shows one leader, two followers"
[ "$(printf ruok | "$kinda" exec client -- nc -N -w 5 zk-1.zk 2181)" = imok ] || fail "ruok is not whitelisted"
zkcli() { "$kinda" exec client -- zkCli.sh -server "$1" "${@:2}" 2>&1; }
has "Created /kinda" zkcli zk-0.zk:2181 create /kinda from-zk-0 || fail "zkCli.sh create through zk-0"
wait_for "the znode through zk-2" has from-zk-0 zkcli zk-2.zk:2181 get /kinda
ok "zkCli.sh from another pod: a znode created through zk-0 is read through zk-2"

cfg=$("$kinda" exec zk-1 -- cat /conf/zoo.cfg)
for line in dataDir=/data dataLogDir=/datalog tickTime=1000 initLimit=5 syncLimit=2 maxClientCnxns=60 \
  4lw.commands.whitelist=srvr,ruok,mntr quorumListenOnAllIPs=true "server.2=zk-1.zk:2888:3888;2181"; do
  grep -qxF "$line" <<<"$cfg" || fail "zoo.cfg lacks $line: $cfg"
done
for i in 0 1 2; do
  claim=$KINDA_HOME/$KINDA_CLUSTER/volumes/default/data-zk-$i
  [ "$(cat "$claim/myid")" = $((i + 1)) ] && [ "$(stat -c %U "$claim/myid")" = zookeeper ] ||
    fail "myid of zk-$i: $(cat "$claim/myid" 2>&1)"
done
[ -d "$KINDA_HOME/$KINDA_CLUSTER/volumes/default/data-zk-0/version-2" ] || fail "no snapshots in data-zk-0"
server=$(pod_processes | awk '$1 == "container" && $2 == "default/zk-0" {print $3}')
[ -n "$server" ] && [ "$(stat -c %U "/proc/$server")" = zookeeper ] &&
  grep -q QuorumPeerMain "/proc/$server/cmdline" || fail "zk-0's server (pid '$server') is not java as zookeeper"
ok "zoo.cfg generated in /conf from the ZOO_* variables, myid (1, 2, 3) and snapshots in the claims, the server (one process from sh -c to java) running as zookeeper"
echo "$passed passed, 0 failed"
