#!/usr/bin/env bash
# The kubernetes-zookeeper image profile (images/kubernetes-zookeeper) with Kubernetes' "Running
# ZooKeeper, A Distributed System Coordinator" tutorial: its zookeeper.yaml as published, but
# for the PodDisruptionBudget (a kind kinda does not serve), on three nodes for its pod
# anti-affinity. zk-0, zk-1, zk-2 start in order through `start-zookeeper --servers=3 …`, Ready
# through `zookeeper-ready 2181`; the tutorial's checks: `hostname` and myid of each server,
# zoo.cfg naming the members by their DNS names, `zkCli.sh create /hello world` on zk-0 read back
# on zk-1, then mode of each server over the client Service. Exit 77 (skipped): Debian's
# zookeeper, java, nc or kubectl missing, or no pod namespaces.
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
[ -f /usr/share/java/zookeeper.jar ] && [ -x /usr/share/zookeeper/bin/zkCli.sh ] ||
  { echo "skipped: ZooKeeper not installed (Debian: apt-get install zookeeper)"; exit 77; }
command -v java >/dev/null && command -v nc >/dev/null && command -v kubectl >/dev/null ||
  { echo "skipped: java, nc or kubectl not installed"; exit 77; }
source "$here/lib.sh" imgk8szk
export KUBECONFIG=$KINDA_HOME/kubeconfig
k() { timeout 200 kubectl --cache-dir "$KINDA_HOME/kube-cache" "$@"; }
"$kinda" up --nodes 3 --time-scale 0.2 --api-listen 127.0.0.1:0 >/dev/null
skip_unless_pod_namespaces
"$kinda" kubeconfig >"$KUBECONFIG"

k apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: zk-hs
  labels:
    app: zk
spec:
  ports:
  - port: 2888
    name: server
  - port: 3888
    name: leader-election
  clusterIP: None
  selector:
    app: zk
---
apiVersion: v1
kind: Service
metadata:
  name: zk-cs
  labels:
    app: zk
spec:
  ports:
  - port: 2181
    name: client
  selector:
    app: zk
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: zk
spec:
  selector:
    matchLabels:
      app: zk
  serviceName: zk-hs
  replicas: 3
  updateStrategy:
    type: RollingUpdate
  podManagementPolicy: OrderedReady
  template:
    metadata:
      labels:
        app: zk
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector:
                matchExpressions:
                  - key: "app"
                    operator: In
                    values:
                    - zk
              topologyKey: "kubernetes.io/hostname"
      containers:
      - name: kubernetes-zookeeper
        imagePullPolicy: Always
        image: "registry.k8s.io/kubernetes-zookeeper:1.0-3.4.10"
        resources:
          requests:
            memory: "1Gi"
            cpu: "0.5"
        ports:
        - containerPort: 2181
          name: client
        - containerPort: 2888
          name: server
        - containerPort: 3888
          name: leader-election
        command:
        - sh
        - -c
        - "start-zookeeper \
          --servers=3 \
          --data_dir=/var/lib/zookeeper/data \
          --data_log_dir=/var/lib/zookeeper/data/log \
          --conf_dir=/opt/zookeeper/conf \
          --client_port=2181 \
          --election_port=3888 \
          --server_port=2888 \
          --tick_time=2000 \
          --init_limit=10 \
          --sync_limit=5 \
          --heap=512M \
          --max_client_cnxns=60 \
          --snap_retain_count=3 \
          --purge_interval=12 \
          --max_session_timeout=40000 \
          --min_session_timeout=4000 \
          --log_level=INFO"
        readinessProbe:
          exec:
            command:
            - sh
            - -c
            - "zookeeper-ready 2181"
          initialDelaySeconds: 10
          timeoutSeconds: 5
        livenessProbe:
          exec:
            command:
            - sh
            - -c
            - "zookeeper-ready 2181"
          initialDelaySeconds: 10
          timeoutSeconds: 5
        volumeMounts:
        - name: datadir
          mountPath: /var/lib/zookeeper
      securityContext:
        runAsUser: 1000
        fsGroup: 1000
  volumeClaimTemplates:
  - metadata:
      name: datadir
    spec:
      accessModes: [ "ReadWriteOnce" ]
      resources:
        requests:
          storage: 10Gi
YAML
k rollout status sts/zk --timeout=180s >/dev/null ||
  fail "zk did not roll out: $(k get pods 2>&1) $(k logs zk-0 2>&1 | tail -5)"
for i in 0 1 2; do
  [ "$(k exec "zk-$i" -- hostname)" = "zk-$i" ] || fail "hostname of zk-$i"
  [ "$(k exec "zk-$i" -- cat /var/lib/zookeeper/data/myid)" = $((i + 1)) ] || fail "myid of zk-$i"
  [ "$(k exec "zk-$i" -- hostname -f)" = "zk-$i.zk-hs.default.svc.cluster.local" ] || fail "FQDN of zk-$i"
done
cfg=$(k exec zk-0 -- cat /opt/zookeeper/conf/zoo.cfg)
for i in 1 2 3; do
  grep -qx "server.$i=zk-$((i - 1)).zk-hs.default.svc.cluster.local:2888:3888" <<<"$cfg" || fail "zoo.cfg: $cfg"
done
ok "the tutorial's ensemble: zk-0..2 in order, hostnames, myid 1..3, zoo.cfg naming zk-N.zk-hs.default.svc.cluster.local"
# The last member may still be joining the quorum when its probe first passes.
created() { k exec zk-0 -- zkCli.sh create /hello world 2>&1 | grep -Eq 'Created /hello|Node already exists'; }
wait_for "zkCli.sh create /hello world on zk-0" created
wait_for "/hello on zk-1" has world k exec zk-1 -- zkCli.sh get /hello
ok "zkCli.sh create /hello world on zk-0, get /hello on zk-1 prints world"
modes=$(for i in 0 1 2; do printf srvr | "$kinda" exec "zk-$i" -- nc -N -w 5 "zk-$i.zk-hs" 2181 | sed -n 's/^Mode: //p'; done | sort | tr '\n' ' ')
[ "$modes" = "follower follower leader " ] || fail "modes: $modes"
ok "one leader and two followers (srvr, whitelisted as ZooKeeper 3.4 had every four-letter word)"
echo "$passed passed, 0 failed"
