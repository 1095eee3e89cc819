#!/usr/bin/env bash
# Volumes as the kubelet writes them (README "Volumes"), in the isolation mode given as $2:
# `namespaces` (root), `namespaces-userns` (the cluster run by the user nobody) or `none`.
# A ConfigMap-configured StatefulSet whose ConfigMap change reaches the running pods through
# `..data` without a restart (a subPath file keeps the old content, as on Kubernetes); Secret and
# projected volumes with items, modes and optional sources, closed to other users on the host;
# downwardAPI files following a label change; an emptyDir of medium Memory that is a tmpfs of its
# sizeLimit shared by the pod's containers; subPath and subPathExpr; readOnly mounts and
# readOnlyRootFilesystem (EROFS, also for kubectl exec); fsGroup on the volumes; a pod waiting
# in ContainerCreating with the kubelet's FailedMount event until kubectl applies the ConfigMap;
# and, in `none` mode, Warning events naming what is not enforced.
set -euo pipefail
kinda=$1
mode=${2:-namespaces}
source "$(dirname "$0")/lib.sh" "vol-${mode%%-*}"
command -v kubectl >/dev/null || { echo "skipped: kubectl is not installed"; exit 77; }
command -v setpriv >/dev/null || { echo "skipped: setpriv (util-linux) is not installed"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "skipped: the story checks host permissions as another user (needs root)"; exit 77; }

case $mode in
  namespaces | none) ;;
  namespaces-userns)
    # The whole cluster runs as nobody: its own copy of the binary, a home nobody owns.
    chmod 0755 "$KINDA_HOME"
    cp "$kinda" "$KINDA_HOME/kinda"
    printf '#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups env -u XDG_RUNTIME_DIR HOME=%s %s "$@"\n' \
      "$KINDA_HOME" "$KINDA_HOME/kinda" > "$KINDA_HOME/kinda-as-nobody"
    chmod 0755 "$KINDA_HOME/kinda" "$KINDA_HOME/kinda-as-nobody"
    chown 65534:65534 "$KINDA_HOME"
    kinda=$KINDA_HOME/kinda-as-nobody ;;
  *) fail "unknown isolation mode $mode" ;;
esac

if [ "$mode" = none ]; then
  up_with_config isolation='"none"' api='{"listen": "127.0.0.1:0"}'
else
  "$kinda" up --time-scale 0.2 --api-listen 127.0.0.1:0 >/dev/null
fi
actual=$("$kinda" status | awk '/^Isolation:/ {print $2}')
[ "$actual" = "$mode" ] || { echo "skipped: this machine gives isolation $actual, not $mode"; exit 77; }
export KUBECONFIG=$KINDA_HOME/kubeconfig
"$kinda" kubeconfig >"$KUBECONFIG"
k() { timeout 120 kubectl --cache-dir "$KINDA_HOME/kube-cache" "$@"; }
in_pod() { "$kinda" exec "$@"; }
pod_dir=$KINDA_HOME/$KINDA_CLUSTER/pods/default
# A path on the host that a container with a read-only root must not be able to create.
ro_probe=/var/tmp/kinda-ro-probe-$$
trap 'rm -f "$ro_probe"; cleanup' EXIT
events_of() {  # events_of POD: "TYPE REASON MESSAGE" lines
  k get events -o json | jq -r --arg pod "$1" \
    '.items[] | select(.involvedObject.name == $pod) | "\(.type) \(.reason) \(.message)"'
}
field() { "$kinda" get pod "$1" -o "jsonpath=$2"; }
# `kubectl create configmap|secret …` as kubectl writes it, applied (kinda's API takes JSON, and
# kubectl create sends these kinds in protobuf).
kcreate() { k create "$@" --dry-run=client -o yaml | k apply -f - >/dev/null; }

kcreate configmap web-config --from-literal=greeting=hello --from-literal=web.conf='port=8080'
kcreate secret generic db --from-literal=password=s3cret --from-literal=user=admin

if [ "$mode" = none ]; then
  # Pods share the host's filesystem: the files are written all the same (at $KINDA_VOLUME_*),
  # and every mount feature the pod asks for is named in a Warning event.
  cat >"$KINDA_HOME/plain.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: plain}
spec:
  terminationGracePeriodSeconds: 1
  volumes:
  - {name: config, configMap: {name: web-config}}
  - {name: mem, emptyDir: {medium: Memory, sizeLimit: 8Mi}}
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'exec sleep 100000']
    securityContext: {readOnlyRootFilesystem: true}
    volumeMounts:
    - {name: config, mountPath: /etc/web}
    - {name: mem, mountPath: /mem, readOnly: true}
YAML
  "$kinda" apply -f "$KINDA_HOME/plain.yaml" >/dev/null
  wait_for "plain Ready" "$kinda" wait --for=condition=Ready pod/plain --timeout=1s
  [ "$(in_pod plain -- sh -c 'cat "$KINDA_VOLUME_CONFIG/greeting"')" = hello ] || fail "no configMap file at \$KINDA_VOLUME_CONFIG"
  [ -L "$pod_dir/plain/volumes/config/..data" ] || fail "no ..data link in the config volume"
  ok "none: the configMap volume is written through ..data at \$KINDA_VOLUME_CONFIG"
  wait_for "warnings" has "medium Memory but is a directory on disk" events_of plain
  for text in "readOnlyRootFilesystem of container app is not enforced: isolation none makes no mounts" \
    "volumeMount /mem of container app: readOnly is not enforced"; do
    has "$text" events_of plain || fail "no warning \"$text\": $(events_of plain)"
  done
  events_of plain | grep -q '^Warning VolumeNotEnforced' || fail "warnings are not VolumeNotEnforced events"
  ok "none: Warning events say that medium Memory, readOnly and readOnlyRootFilesystem are not enforced"
  echo "passed: $passed"
  exit 0
fi

# ---- a ConfigMap-configured StatefulSet with every kind of volume ----
{
  web_service
  echo ---
  web_set_head 2 1
  cat <<'YAML'
      - name: app
        image: busybox
        command: [sh, -c, 'mkdir -p /work/out && echo started > /work/out/mark && exec sleep 100000']
        env: [{name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
        resources: {limits: {cpu: 250m, memory: 64Mi}}
        securityContext: {readOnlyRootFilesystem: true}
        volumeMounts:
        - {name: config, mountPath: /etc/web}
        - {name: config, mountPath: /etc/greeting.txt, subPath: greeting}
        - {name: db, mountPath: /etc/db}
        - {name: maybe, mountPath: /etc/maybe}
        - {name: everything, mountPath: /etc/all}
        - {name: info, mountPath: /etc/info}
        - {name: mem, mountPath: /mem}
        - {name: scratch, mountPath: /scratch}
        - {name: scratch, mountPath: /work, subPathExpr: 'pods/$(POD_NAME)'}
        - {name: scratch, mountPath: /frozen, readOnly: true}
      - name: side
        image: busybox
        command: [sh, -c, 'exec sleep 100000']
        volumeMounts:
        - {name: mem, mountPath: /shared-mem}
      securityContext: {fsGroup: 2000}
      volumes:
      - {name: config, configMap: {name: web-config}}
      - name: db
        secret:
          secretName: db
          defaultMode: 0600
          items: [{key: password, path: creds/password}, {key: user, path: user, mode: 0604}]
      - {name: maybe, configMap: {name: not-there, optional: true}}
      - name: everything
        projected:
          sources:
          - configMap: {name: web-config, items: [{key: greeting, path: cfg/greeting}]}
          - secret: {name: db, items: [{key: user, path: secret/user}]}
          - secret: {name: absent, optional: true}
          - downwardAPI: {items: [{path: ns, fieldRef: {fieldPath: metadata.namespace}}]}
          - serviceAccountToken: {path: token, audience: vault, expirationSeconds: 3600}
      - name: info
        downwardAPI:
          items:
          - {path: labels, fieldRef: {fieldPath: metadata.labels}}
          - {path: name, fieldRef: {fieldPath: metadata.name}}
          - {path: cpu_millis, resourceFieldRef: {containerName: app, resource: limits.cpu, divisor: 1m}}
          - {path: mem_mi, resourceFieldRef: {containerName: app, resource: limits.memory, divisor: 1Mi}}
      - {name: mem, emptyDir: {medium: Memory, sizeLimit: 16Mi}}
      - {name: scratch, emptyDir: {}}
YAML
} >"$KINDA_HOME/web.yaml"
sed -i 's/^  replicas: 2$/  replicas: 2\n  podManagementPolicy: Parallel/' "$KINDA_HOME/web.yaml"
k apply -f "$KINDA_HOME/web.yaml" >/dev/null
for i in 0 1; do wait_for "web-$i Ready" "$kinda" wait --for=condition=Ready "pod/web-$i" --timeout=1s; done
ok "a StatefulSet with configMap, secret, projected, downwardAPI and emptyDir volumes runs"

# ConfigMap: every key, behind the atomic writer's links.
[ "$(in_pod web-0 -c app -- cat /etc/web/greeting)" = hello ] || fail "configMap file"
[ "$(in_pod web-0 -c app -- readlink /etc/web/greeting)" = ..data/greeting ] || fail "greeting is not a link into ..data"
data0=$(in_pod web-0 -c app -- readlink /etc/web/..data)
[[ $data0 =~ ^\.\.[0-9]{4}_[0-9]{2}_[0-9]{2}_[0-9]{2}_[0-9]{2}_[0-9]{2}\.[0-9]+$ ]] || fail "..data points at $data0"
ok "configMap keys are links name -> ..data/name into $data0"

# Secret: items, modes as asked inside the pod (with the fsGroup's read bits added, as the
# kubelet's SetVolumeOwnership does), nothing for other users on the host.
# An unprivileged cluster cannot give files another group: the modes stay as asked and a
# Warning event says fsGroup is not applied.
if [ "$mode" = namespaces ]; then secret_modes="640 644" group=2000; else secret_modes="600 604" group=; fi
[ "$(in_pod web-0 -c app -- cat /etc/db/creds/password)" = s3cret ] || fail "secret item"
[ "$(in_pod web-0 -c app -- stat -L -c %a /etc/db/creds/password) $(in_pod web-0 -c app -- stat -L -c %a /etc/db/user)" = "$secret_modes" ] ||
  fail "modes: $(in_pod web-0 -c app -- stat -L -c %a /etc/db/creds/password /etc/db/user)"
if [ -n "$group" ]; then
  [ "$(in_pod web-0 -c app -- stat -L -c %g /etc/db/user)" = 2000 ] || fail "secret files are not of the fsGroup"
else
  wait_for "the fsGroup warning" has 'fsGroup 2000 is not applied to volume "db"' events_of web-0
fi
host_secret=$(ls -d "$pod_dir"/web-0/volumes/db/..data/creds/password)
[ "$(stat -c %a "$pod_dir/web-0/volumes")" = 700 ] || fail "the pod's volume directory is $(stat -c %a "$pod_dir/web-0/volumes")"
if setpriv --reuid=12345 --regid=12345 --clear-groups cat "$host_secret" >/dev/null 2>&1; then
  fail "another user reads the secret on the host"
fi
ok "secret: items with defaultMode 0600 and mode 0604 (modes $secret_modes${group:+, group $group}); the host directory is 0700 and another user cannot read it"

[ -z "$(in_pod web-0 -c app -- ls -A /etc/maybe | grep -v '^\.\.')" ] || fail "an optional missing configMap is not empty"
[ "$(in_pod web-0 -c app -- cat /etc/all/cfg/greeting)" = hello ] || fail "projected configMap"
[ "$(in_pod web-0 -c app -- cat /etc/all/secret/user)" = admin ] || fail "projected secret"
[ "$(in_pod web-0 -c app -- cat /etc/all/ns)" = default ] || fail "projected downwardAPI"
claims=$(in_pod web-0 -c app -- cat /etc/all/token | "$python" -c 'import base64, sys
part = sys.stdin.read().split(".")[1]
print(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode())')
[ "$(jq -r .sub <<<"$claims")" = system:serviceaccount:default:default ] || fail "token claims: $claims"
[ "$(jq -r '.aud[0]' <<<"$claims")" = vault ] || fail "token audience: $claims"
ok "optional missing sources give an empty volume; projected configMap, secret, downwardAPI and a serviceAccountToken (sub system:serviceaccount:default:default, aud vault)"

# downwardAPI.
[ "$(in_pod web-0 -c app -- cat /etc/info/name)" = web-0 ] || fail "downwardAPI name"
[ "$(in_pod web-0 -c app -- cat /etc/info/cpu_millis)" = 250 ] || fail "cpu limit with divisor 1m"
[ "$(in_pod web-0 -c app -- cat /etc/info/mem_mi)" = 64 ] || fail "memory limit with divisor 1Mi"
in_pod web-0 -c app -- cat /etc/info/labels | grep -qx 'app="web"' || fail "labels file: $(in_pod web-0 -c app -- cat /etc/info/labels)"
k label pod web-0 color=blue >/dev/null
wait_for "the label in the downwardAPI file" has 'color="blue"' in_pod web-0 -c app -- cat /etc/info/labels
[ "$(in_pod web-0 -c app -- head -1 /etc/info/labels)" = 'app="web"' ] || fail "labels are not sorted"
ok "downwardAPI: name, limits with divisors, labels as sorted key=\"value\" lines that follow kubectl label"

# emptyDir medium Memory: one tmpfs of its sizeLimit, shared by both containers.
[ "$(in_pod web-0 -c app -- stat -f -c %T /mem)" = tmpfs ] || fail "/mem is $(in_pod web-0 -c app -- stat -f -c %T /mem)"
in_pod web-0 -c app -- grep -q ' /mem tmpfs .*size=16384k' /proc/mounts || fail "/mem: $(in_pod web-0 -c app -- grep ' /mem ' /proc/mounts)"
in_pod web-0 -c app -- sh -c 'echo shared > /mem/note'
[ "$(in_pod web-0 -c side -- cat /shared-mem/note)" = shared ] || fail "the side container does not see the app's tmpfs file"
[ -z "$group" ] || [ "$(in_pod web-0 -c app -- stat -c %g /mem)" = 2000 ] || fail "the tmpfs is not of the fsGroup"
ok "emptyDir medium Memory is a tmpfs with size=16Mi, shared by the pod's containers${group:+, group $group}"

# subPath and subPathExpr; readOnly; fsGroup on a disk emptyDir.
[ "$(in_pod web-0 -c app -- cat /work/out/mark)" = started ] || fail "subPathExpr mount"
[ -f "$pod_dir/web-0/volumes/scratch/pods/web-0/out/mark" ] || fail "subPathExpr did not expand to pods/web-0"
[ "$(in_pod web-0 -c app -- cat /etc/greeting.txt)" = hello ] || fail "subPath file"
[ -z "$group" ] || [ "$(in_pod web-0 -c app -- stat -c %a:%g /scratch)" = 2777:2000 ] || fail "emptyDir: $(in_pod web-0 -c app -- stat -c %a:%g /scratch)"
out=$(in_pod web-0 -c app -- touch /frozen/x 2>&1) && fail "a readOnly mount is writable"
grep -q "Read-only file system" <<<"$out" || fail "readOnly: $out"
ok "subPath file, subPathExpr pods/\$(POD_NAME),${group:+ emptyDir 2777 of group $group,} a readOnly mount fails with EROFS"

# readOnlyRootFilesystem: the root is read-only, volumes are not; kubectl exec enters the
# container's own mount namespace. The side container, without it, is not affected.
out=$(k exec web-0 -c app -- touch "$ro_probe" 2>&1) && fail "kubectl exec wrote the read-only root"
grep -q "Read-only file system" <<<"$out" || fail "readOnlyRootFilesystem: $out"
out=$(in_pod web-0 -c app -- touch "$ro_probe" 2>&1) && fail "kinda exec wrote the read-only root"
[ ! -e "$ro_probe" ] || fail "the host's $ro_probe was created"
in_pod web-0 -c app -- touch /scratch/ok /mem/ok
[ "$(in_pod web-0 -c app -- readlink /proc/self/ns/mnt)" != "$(in_pod web-0 -c side -- readlink /proc/self/ns/mnt)" ] ||
  fail "the app container has no mount namespace of its own"
in_pod web-0 -c side -- touch /shared-mem/side-ok
ok "readOnlyRootFilesystem: touch on the root fails with EROFS (kubectl exec and kinda exec), volumes stay writable"

# A ConfigMap update reaches both running pods through a new ..data, without a restart; the
# subPath file keeps what it had.
pid_before=$(field web-0 '{.status.containerStatuses[0].containerID}')
kcreate configmap web-config --from-literal=greeting=bonjour --from-literal=web.conf='port=9090' 2>/dev/null
for i in 0 1; do
  wait_for "web-$i sees the new greeting" has bonjour in_pod "web-$i" -c app -- cat /etc/web/greeting
done
[ "$(in_pod web-0 -c app -- cat /etc/web/web.conf)" = port=9090 ] || fail "web.conf not updated"
[ "$(in_pod web-0 -c app -- readlink /etc/web/..data)" != "$data0" ] || fail "..data did not move"
[ "$(in_pod web-0 -c app -- cat /etc/all/cfg/greeting)" = bonjour ] || fail "projected configMap not updated"
[ "$(in_pod web-0 -c app -- cat /etc/greeting.txt)" = hello ] || fail "a subPath mount was updated"
[ "$(field web-0 '{.status.containerStatuses[0].containerID}')" = "$pid_before" ] || fail "the container was restarted"
[ "$(field web-0 '{.status.containerStatuses[0].restartCount}')" = 0 ] || fail "restartCount"
[ "$(ls -d "$pod_dir"/web-0/volumes/config/..2* | wc -l)" = 1 ] || fail "old timestamped directories are left"
ok "a ConfigMap change reaches both pods through a new ..data, no restart; the subPath file keeps its content"

# ---- a missing ConfigMap: ContainerCreating and FailedMount until it is created ----
cat >"$KINDA_HOME/waiter.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: waiter}
spec:
  terminationGracePeriodSeconds: 1
  volumes: [{name: config, configMap: {name: app-config}}]
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'exec sleep 100000']
    volumeMounts: [{name: config, mountPath: /etc/app}]
YAML
k apply -f "$KINDA_HOME/waiter.yaml" >/dev/null
expected='MountVolume.SetUp failed for volume "config" : configmap "app-config" not found'
wait_for "FailedMount" has "Warning FailedMount $expected" events_of waiter
wait_for "ContainerCreating" has ContainerCreating field waiter '{.status.containerStatuses[0].state.waiting.reason}'
[ "$(field waiter '{.status.phase}')" = Pending ] || fail "waiter is $(field waiter '{.status.phase}')"
kcreate configmap app-config --from-literal=mode=ready
wait_for "waiter Ready" "$kinda" wait --for=condition=Ready pod/waiter --timeout=1s
[ "$(in_pod waiter -- cat /etc/app/mode)" = ready ] || fail "waiter's config"
ok "a missing configMap: Pending, ContainerCreating, FailedMount \"$expected\"; Running once kubectl applies it"

# ---- validation as the API server's ----
out=$(k apply -f - 2>&1 <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: invalid}
spec:
  volumes:
  - {name: two, emptyDir: {}, configMap: {name: x}}
  - {name: bad, configMap: {name: x, defaultMode: 01000, items: [{key: k, path: ../up}]}}
  containers: [{name: app, image: busybox, command: [sleep, "1"]}]
YAML
) && fail "an invalid pod was accepted"
for text in 'spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type' \
  'spec.volumes[1].configMap.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive' \
  "spec.volumes[1].configMap.items[0].path: Invalid value: \"../up\": must not contain '..'"; do
  grep -qF "$text" <<<"$out" || fail "no \"$text\" in: $out"
done
ok "invalid volumes are refused with the field named (two sources, defaultMode, items path with ..)"
echo "passed: $passed"
