#!/usr/bin/env bash
# The etcd image profile (images/etcd) on a real cluster, with manifests written for etcd's
# release images: a 3-member quay.io/coreos/etcd StatefulSet with no command and no args (CMD
# /usr/local/bin/etcd) configured only by ETCD_* variables, as etcd reads them, its members
# finding each other by DNS names behind a headless Service, each data dir the default
# `<name>.etcd` in the image's WORKDIR /var/lib/etcd on its claim; then /usr/local/bin/etcdctl
# from a registry.k8s.io/etcd pod writes and reads a key through all three members.
# Exit 77 (skipped): etcd/etcdctl missing, or no pod namespaces.
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v etcd >/dev/null && command -v etcdctl >/dev/null ||
  { echo "skipped: etcd/etcdctl not installed (Debian: apt-get install etcd-server etcd-client)"; exit 77; }
source "$here/lib.sh" imgetcd
"$kinda" up --time-scale 0.2 >/dev/null
skip_unless_pod_namespaces

"$kinda" apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: etcd}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector: {app: etcd}
  ports: [{name: client, port: 2379}, {name: peer, port: 2380}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: etcd}
spec:
  serviceName: etcd
  replicas: 3
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: etcd}}
  template:
    metadata: {labels: {app: etcd}}
    spec:
      terminationGracePeriodSeconds: 5
      containers:
        - name: etcd
          image: quay.io/coreos/etcd:v3.5.17
          env:
            - name: POD_NAME
              valueFrom: {fieldRef: {fieldPath: metadata.name}}
            - {name: ETCD_NAME, value: $(POD_NAME)}
            - {name: ETCD_LISTEN_CLIENT_URLS, value: "http://0.0.0.0:2379"}
            - {name: ETCD_ADVERTISE_CLIENT_URLS, value: "http://$(POD_NAME).etcd:2379"}
            - {name: ETCD_LISTEN_PEER_URLS, value: "http://0.0.0.0:2380"}
            - {name: ETCD_INITIAL_ADVERTISE_PEER_URLS, value: "http://$(POD_NAME).etcd:2380"}
            - name: ETCD_INITIAL_CLUSTER
              value: etcd-0=http://etcd-0.etcd:2380,etcd-1=http://etcd-1.etcd:2380,etcd-2=http://etcd-2.etcd:2380
            - {name: ETCD_INITIAL_CLUSTER_STATE, value: new}
            - {name: ETCD_INITIAL_CLUSTER_TOKEN, value: kinda-image-etcd}
          readinessProbe:
            httpGet: {path: /health, port: 2379}
            periodSeconds: 2
          volumeMounts: [{name: data, mountPath: /var/lib/etcd}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: client, image: registry.k8s.io/etcd:3.5.15-0, command: [sleep, "3600"]}]
YAML
for pod in etcd-0 etcd-1 etcd-2 client; do
  wait_for "$pod Ready" "$kinda" wait --for=condition=Ready "pod/$pod" --timeout=1s
done
ctl() { "$kinda" exec client -- /usr/local/bin/etcdctl --endpoints "$1" "${@:2}"; }
members=$(ctl http://etcd-0.etcd:2379 member list)
for i in 0 1 2; do
  grep -q "etcd-$i, http://etcd-$i.etcd:2380, http://etcd-$i.etcd:2379" <<<"$members" ||
    fail "etcd-$i is not a member as its ETCD_* variables say: $members"
done
ok "3 members from ETCD_* variables alone (CMD /usr/local/bin/etcd), peers by DNS name"
[ "$(ctl http://etcd-0.etcd:2379 put greeting hello)" = OK ] || fail "put through etcd-0"
for i in 1 2; do
  out=$(ctl "http://etcd-$i.etcd:2379" get greeting --print-value-only)
  [ "$out" = hello ] || fail "etcd-$i read '$out'"
done
ok "/usr/local/bin/etcdctl in a registry.k8s.io/etcd pod: a key put through etcd-0 is read through etcd-1 and etcd-2"
for i in 0 1 2; do
  [ -d "$KINDA_HOME/$KINDA_CLUSTER/volumes/default/data-etcd-$i/etcd-$i.etcd/member" ] ||
    fail "etcd-$i's data dir is not etcd-$i.etcd in its claim at the image's WORKDIR"
done
ok "each member's default data dir etcd-N.etcd is in the image's WORKDIR /var/lib/etcd, on its claim"
echo "$passed passed, 0 failed"
