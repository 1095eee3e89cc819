#!/usr/bin/env bash
# Isolation mode "none" (what a machine without namespaces gives): pods run as plain processes
# under their shims, get their volume paths as KINDA_VOLUME_<NAME>, their own address, and still
# restart, probe, log and exec like any other pod.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" none

up_with_config isolation='"none"'
[ "$("$kinda" status | awk '/^Isolation:/ {print $2}')" = none ] || fail "isolation: $("$kinda" status)"
ok "config.json isolation: none is reported by status"

cat > "$KINDA_HOME/none.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: plain}
spec:
  volumes: [{name: data, emptyDir: {}}]
  containers:
  - name: c
    image: busybox
    command: [sh, -c, 'echo "volume=$KINDA_VOLUME_DATA ip=$POD_IP"; echo hi > $KINDA_VOLUME_DATA/f; exec sleep 3600']
    volumeMounts: [{name: data, mountPath: /data}]
    readinessProbe: {exec: {command: [sh, -c, 'test -f $KINDA_VOLUME_DATA/f']}, periodSeconds: 1}
YAML
"$kinda" apply -f "$KINDA_HOME/none.yaml" >/dev/null
"$kinda" wait --for=condition=Ready pod/plain --timeout=30s >/dev/null
out=$("$kinda" logs plain)
[[ "$out" == "volume=$KINDA_HOME/$KINDA_CLUSTER/pods/default/plain/volumes/data ip=127."* ]] || fail "env: $out"
[ "$("$kinda" exec plain -- sh -c 'cat $KINDA_VOLUME_DATA/f')" = hi ] || fail "exec"
[ "$("$kinda" exec plain -- hostname)" = "$(hostname)" ] || fail "none mode shares the host's hostname"
ok "pods run as plain processes with KINDA_VOLUME_* paths, probes and exec"

"$kinda" delete pod plain >/dev/null
[ -z "$({ grep -l "KINDA_POD=default/plain" /proc/[0-9]*/environ 2>/dev/null || true; })" ] || fail "processes left"
ok "delete ends every process"
"$kinda" down >/dev/null
echo "$passed passed, 0 failed"
