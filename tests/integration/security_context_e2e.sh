#!/usr/bin/env bash
# securityContext at pod and container level, in the mode given as $2: `namespaces` and `none`
# (the cluster as root: everything enforced), `none-nobody` and `namespaces-userns` (the cluster
# run by the user nobody: ids and added capabilities are not enforced, and a Warning
# SecurityContextNotEnforced event says so). Checked from inside the pods with id, stat and
# /proc/self/status through `kinda exec` and `kubectl exec`: runAsUser, runAsGroup, fsGroup and
# supplementalGroups (container over pod), the primary group of a runAsUser from the passwd
# database, files written into an emptyDir and a PVC owned by that uid on the host, exec probes
# and postStart hooks run as the user, a python3 -m http.server running as uid 1000 serving on its
# pod IP through the network supervisor, containerd's default capabilities, add/drop/ALL,
# privileged, allowPrivilegeEscalation: false (NoNewPrivs), runAsNonRoot refused with the
# kubelet's message, and the API's validation of securityContext fields.
set -euo pipefail
kinda=$1
mode=${2:-namespaces}
source "$(dirname "$0")/lib.sh" "sec-${mode%%-*}"
command -v kubectl >/dev/null || { echo "skipped: kubectl is not installed"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "skipped: the story runs clusters as root and as nobody"; exit 77; }

as_nobody() {  # the whole cluster runs as nobody: its own copy of the binary, a home nobody owns
  command -v setpriv >/dev/null || { echo "skipped: setpriv (util-linux) is not installed"; exit 77; }
  chmod 0755 "$KINDA_HOME"
  cp "$kinda" "$KINDA_HOME/kinda"
  printf '#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups env -u XDG_RUNTIME_DIR HOME=%s %s "$@"\n' \
    "$KINDA_HOME" "$KINDA_HOME/kinda" >"$KINDA_HOME/kinda-as-nobody"
  chmod 0755 "$KINDA_HOME/kinda" "$KINDA_HOME/kinda-as-nobody"
  chown 65534:65534 "$KINDA_HOME"
  kinda=$KINDA_HOME/kinda-as-nobody
}
# Containers running as other uids reach their volumes' host directories under it (isolation none).
chmod 0755 "$KINDA_HOME"
case $mode in
  namespaces) up_mode=namespaces enforced=1 ;;
  none) up_mode=none enforced=1 ;;
  none-nobody) as_nobody; up_mode=none enforced=0 ;;
  namespaces-userns) as_nobody; up_mode=namespaces-userns enforced=0 ;;
  *) fail "unknown mode $mode" ;;
esac
# An HTTPS listener for kubectl; up_with_config restarts with it remembered in config.json.
if [ "$up_mode" = none ]; then
  up_with_config isolation='"none"' api='{"listen": "127.0.0.1:0"}'
else
  "$kinda" up --time-scale 0.2 --api-listen 127.0.0.1:0 >/dev/null
fi
actual=$("$kinda" status | awk '/^Isolation:/ {print $2}')
[ "$actual" = "$up_mode" ] || { echo "skipped: this machine gives isolation $actual, not $up_mode"; exit 77; }
export KUBECONFIG=$KINDA_HOME/kubeconfig
"$kinda" kubeconfig >"$KUBECONFIG"
kubectl=(kubectl --cache-dir "$KINDA_HOME/kube-cache")
cluster_uid=$([ "$enforced" = 1 ] && echo 0 || echo 65534)
# What a container asked to run as gets: that id where enforced, the cluster's own elsewhere.
want() { if [ "$enforced" = 1 ]; then echo "$1"; else echo "$2"; fi; }

# web: uid 1000, gid 3000, fsGroup 2000, supplementalGroups [4000] at pod level; an emptyDir, a
# claim and a hostPath directory anyone may write; the container, its probe and its hook record
# who they run as (the probe every second, by rename, so a reader never sees a half-written
# record). Without namespaces, volumes are at $KINDA_VOLUME_<NAME> rather than their mountPath,
# and the cluster directory (0700) holding the emptyDir and the claim is closed to other uids.
mkdir -m 0777 "$KINDA_HOME/shared"
chmod 0777 "$KINDA_HOME/shared"
cat >"$KINDA_HOME/web.yaml" <<YAML
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      securityContext: {runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000]}
      volumes:
      - {name: scratch, emptyDir: {}}
      - {name: shared, hostPath: {path: $KINDA_HOME/shared}}
      containers:
      - name: web
        image: python
        workingDir: /shared
        command: [sh, -c, 'id -u >\${KINDA_VOLUME_SHARED:-/shared}/main-uid; (id -u >\${KINDA_VOLUME_SCRATCH:-/scratch}/main-uid; id -u >\${KINDA_VOLUME_DATA:-/data}/main-uid) 2>/dev/null; exec python3 -m http.server 8080']
        readinessProbe:
          exec: {command: [sh, -c, 'd=\${KINDA_VOLUME_SHARED:-/shared}; id -u >\$d/probe-uid.new && mv \$d/probe-uid.new \$d/probe-uid']}
          periodSeconds: 1
        lifecycle:
          postStart: {exec: {command: [sh, -c, 'id -u >\${KINDA_VOLUME_SHARED:-/shared}/hook-uid']}}
        volumeMounts: [{name: scratch, mountPath: /scratch}, {name: data, mountPath: /data}, {name: shared, mountPath: /shared}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
YAML
# caps: root containers with the capability fields; www: runAsUser 33 alone, at container level.
cat >"$KINDA_HOME/caps.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: caps}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: plain, image: python, command: [sleep, infinity]}
  - name: added
    image: python
    command: [sleep, infinity]
    securityContext: {allowPrivilegeEscalation: false, capabilities: {add: [NET_ADMIN], drop: [CAP_CHOWN]}}
  - {name: dropped, image: python, command: [sleep, infinity], securityContext: {capabilities: {drop: [ALL]}}}
  - {name: priv, image: python, command: [sleep, infinity], securityContext: {privileged: true}}
  - {name: www, image: python, command: [sleep, infinity], securityContext: {runAsUser: 33}}
YAML
cat >"$KINDA_HOME/nonroot.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: nonroot}
spec:
  securityContext: {runAsNonRoot: true}
  containers: [{name: main, image: python, command: [sleep, infinity]}]
YAML
for f in web caps nonroot; do "${kubectl[@]}" apply -f "$KINDA_HOME/$f.yaml" >/dev/null; done
wait_for "web-0 Ready" "$kinda" wait --for=condition=Ready pod/web-0 --timeout=1s
wait_for "caps Ready" "$kinda" wait --for=condition=Ready pod/caps --timeout=1s

# ---- ids ----
in_web() { "$kinda" exec web-0 -- "$@"; }
groups_sorted() { tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//'; }
for via in kinda kubectl; do
  if [ $via = kinda ]; then run=(in_web); else run=("${kubectl[@]}" exec web-0 -c web --); fi
  [ "$("${run[@]}" id -u)" = "$(want 1000 65534)" ] || fail "$via exec: id -u is $("${run[@]}" id -u)"
  [ "$("${run[@]}" id -g)" = "$(want 3000 65534)" ] || fail "$via exec: id -g is $("${run[@]}" id -g)"
  groups=$("${run[@]}" id -G | groups_sorted)
  [ "$groups" = "$(want '2000 3000 4000' 65534)" ] || fail "$via exec: id -G is $groups"
done
ok "runAsUser/runAsGroup/fsGroup/supplementalGroups: id in kinda exec and kubectl exec shows uid $(want 1000 65534) gid $(want 3000 65534) groups $(want '2000 3000 4000' 65534)"

pid_of() {  # the container's main process, from its containerID kinda://<pod uid>/<name>/<pid>
  "${kubectl[@]}" get pod "$1" -o json | jq -r --arg c "$2" \
    '.status.containerStatuses[] | select(.name == $c) | .containerID // ""' | awk -F/ '{print $NF}'
}
web_pid=$(pid_of web-0 web)
[ "$(awk '/^Uid:/ {print $2}' "/proc/$web_pid/status")" = "$(want 1000 65534)" ] ||
  fail "the container's process runs as $(awk '/^Uid:/ {print $2}' "/proc/$web_pid/status")"
ip=$("$kinda" get pod web-0 -o 'jsonpath={.status.podIP}')
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://$ip:8080/")" = 200 ] || fail "no answer from $ip:8080"
ok "python3 -m http.server runs as uid $(want 1000 65534) (pid $web_pid) and serves on its pod IP $ip"

scratch=$(find "$KINDA_HOME/$KINDA_CLUSTER/pods" -type d -path '*web-0*/volumes/scratch' | head -1)
claim=$KINDA_HOME/$KINDA_CLUSTER/volumes/default/data-web-0
shared=$KINDA_HOME/shared
[ -n "$scratch" ] || fail "no emptyDir directory on the host"
wait_for "the probe's record" test -s "$shared/probe-uid"
records=("$shared/main-uid" "$shared/probe-uid" "$shared/hook-uid")
if [ "$mode" != none ]; then records+=("$scratch/main-uid" "$claim/main-uid"); fi
for file in "${records[@]}"; do
  [ "$(cat "$file")" = "$(want 1000 65534)" ] || fail "$file says $(cat "$file")"
  [ "$(stat -c %u "$file")" = "$(want 1000 65534)" ] || fail "$file is owned by $(stat -c %u "$file")"
done
inside=$([ "$mode" = none ] || [ "$mode" = none-nobody ] && echo "$shared" || echo /shared)
[ "$(in_web stat -c %u "$inside/main-uid")" = "$(want 1000 65534)" ] || fail "stat inside the pod"
if [ "$mode" = none ]; then
  # Documented limit of `none`: the emptyDir and the claim sit in the 0700 cluster directory.
  [ ! -e "$scratch/main-uid" ] && [ ! -e "$claim/main-uid" ] || fail "uid 1000 reached the cluster directory"
  ok "files written into a hostPath by the container, its exec probe and its postStart hook are owned by uid 1000 on the host and in the pod; the emptyDir and the PVC in the 0700 cluster directory stay closed to uid 1000 without namespaces"
else
  ok "files written into the emptyDir, the PVC and a hostPath, by the container, its exec probe and its postStart hook, are owned by uid $(want 1000 65534) on the host and in the pod"
fi

# runAsUser without runAsGroup: the passwd database's primary group of uid 33 (www-data).
for via in kinda kubectl; do
  if [ $via = kinda ]; then run=("$kinda" exec caps -c www --); else run=("${kubectl[@]}" exec caps -c www --); fi
  [ "$("${run[@]}" id -u)" = "$(want 33 65534)" ] || fail "$via exec www: id -u"
  [ "$("${run[@]}" id -g)" = "$(want "$(id -g www-data)" 65534)" ] || fail "$via exec www: id -g is $("${run[@]}" id -g)"
  [ "$("${run[@]}" id -G | groups_sorted)" = "$(want "$(id -G www-data | groups_sorted)" 65534)" ] || fail "$via exec www: id -G"
done
ok "runAsUser 33 alone: uid $(want 33 65534), gid $(want "$(id -g www-data) (www-data's primary group, and its /etc/group groups)" 65534)"

# ---- capabilities ----
status_of() {  # status_of VIA CONTAINER FIELD: a /proc/self/status field of a command in it
  if [ "$1" = kinda ]; then
    "$kinda" exec caps -c "$2" -- grep "^$3:" /proc/self/status | awk '{print $2}'
  else
    "${kubectl[@]}" exec caps -c "$2" -- grep "^$3:" /proc/self/status | awk '{print $2}'
  fi
}
default_caps=00000000a80425fb  # containerd's 14: CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW
#                                SETGID SETUID SETFCAP SETPCAP NET_BIND_SERVICE SYS_CHROOT KILL AUDIT_WRITE
added_caps=00000000a80435fa    # + NET_ADMIN (12) - CHOWN (0)
host_caps=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
check_caps() {  # check_caps CONTAINER CapEff CapBnd NoNewPrivs
  for via in kinda kubectl; do
    for field in CapEff:$2 CapPrm:$2 CapBnd:$3 CapInh:0000000000000000 CapAmb:0000000000000000 NoNewPrivs:$4; do
      [ -z "${field#*:}" ] && continue
      got=$(status_of $via "$1" "${field%%:*}")
      [ "$got" = "${field#*:}" ] || fail "$via exec in $1: ${field%%:*} is $got, not ${field#*:}"
    done
  done
  # The container's own process, not only what exec starts.
  pid=$(pid_of caps "$1")
  [ "$(awk '/^NoNewPrivs:/ {print $2}' "/proc/$pid/status")" = "$4" ] || fail "$1's process NoNewPrivs"
}
if [ "$mode" = namespaces ] || [ "$mode" = none ]; then
  check_caps plain $default_caps $default_caps 0
  check_caps added $added_caps $added_caps 1
  check_caps dropped 0000000000000000 0000000000000000 0
  check_caps priv "$host_caps" "$host_caps" 0
  check_caps www 0000000000000000 $default_caps 0
  ok "capabilities: default set $default_caps, add NET_ADMIN/drop CAP_CHOWN $added_caps with NoNewPrivs 1, drop ALL, privileged = all, non-root uid with none effective (CapEff/CapPrm/CapBnd/CapInh/CapAmb in kinda and kubectl exec)"
else
  # No capabilities on the host; inside a user namespace the bounding set is still limited.
  bounded=$([ "$mode" = namespaces-userns ] && echo $default_caps || echo "")
  # Without CAP_SYS_ADMIN anywhere (none as nobody) the pod network's seccomp filter needs
  # no_new_privs, so every container has it there.
  check_caps plain 0000000000000000 "$bounded" "$([ "$mode" = none-nobody ] && echo 1 || echo 0)"
  check_caps added 0000000000000000 "$([ -n "$bounded" ] && echo $added_caps)" 1
  ok "without privileges: no capabilities, allowPrivilegeEscalation: false still sets NoNewPrivs${bounded:+, the bounding set limited inside the user namespace}"
  events=$("${kubectl[@]}" get events -o json | jq -r '.items[] | select(.reason == "SecurityContextNotEnforced") | .message')
  grep -qF "securityContext of container web not enforced: runAsUser, runAsGroup, supplementalGroups, fsGroup (in the process's groups) (the cluster runs as uid 65534" <<<"$events" ||
    fail "no SecurityContextNotEnforced event for web: $events"
  grep -qF "securityContext of container added not enforced: capabilities.add" <<<"$events" || fail "no event for added: $events"
  grep -qF "securityContext of container priv not enforced: privileged" <<<"$events" || fail "no event for priv: $events"
  ok "Warning SecurityContextNotEnforced names runAsUser, runAsGroup, supplementalGroups, fsGroup, capabilities.add and privileged, and why"
fi

# ---- runAsNonRoot ----
pod_uid=$("${kubectl[@]}" get pod nonroot -o 'jsonpath={.metadata.uid}')
message="container has runAsNonRoot and image will run as root (pod: \"nonroot_default($pod_uid)\", container: main)"
wait_for "nonroot refused" has CreateContainerConfigError "${kubectl[@]}" get pod nonroot \
  -o 'jsonpath={.status.containerStatuses[0].state.waiting.reason}'
[ "$("${kubectl[@]}" get pod nonroot -o 'jsonpath={.status.containerStatuses[0].state.waiting.message}')" = "$message" ] ||
  fail "waiting message: $("${kubectl[@]}" get pod nonroot -o 'jsonpath={.status.containerStatuses[0].state.waiting.message}')"
"${kubectl[@]}" get events -o json | jq -e --arg m "Error: $message" \
  '.items[] | select(.reason == "Failed" and .type == "Warning" and .message == $m)' >/dev/null ||
  fail "no Warning Failed event with the message"
[ -z "$(pid_of nonroot main)" ] || fail "the refused container runs"
ok "runAsNonRoot with a root image: CreateContainerConfigError \"$message\" and a Warning Failed event"

# ---- a new daemon re-adopts the pods and keeps running commands in their identity ----
kill -9 "$(daemon_pid)"
"$kinda" up >/dev/null
"$kinda" kubeconfig >"$KUBECONFIG"  # the listener's port may be a new one
[ "$(pid_of web-0 web)" = "$web_pid" ] || fail "web-0 not re-adopted"
[ "$("${kubectl[@]}" exec web-0 -c web -- id -u)" = "$(want 1000 65534)" ] || fail "kubectl exec after the restart"
rm -f "$shared/probe-uid"
wait_for "the probe's record after the restart" test -s "$shared/probe-uid"
[ "$(cat "$shared/probe-uid")" = "$(want 1000 65534)" ] || fail "probe after the restart runs as $(cat "$shared/probe-uid")"
ok "after kill -9 of the daemon, the re-adopting daemon's kubectl exec and exec probes still run as uid $(want 1000 65534)"

# ---- validation ----
bad=$(
  "${kubectl[@]}" apply -f - 2>&1 <<'YAML' || true
apiVersion: v1
kind: Pod
metadata: {name: bad}
spec:
  securityContext: {runAsUser: -1, fsGroup: 2147483648, supplementalGroups: [5, -2], fsGroupChangePolicy: Sometimes}
  containers:
  - name: main
    image: python
    command: [sleep, infinity]
    securityContext: {runAsGroup: -5, allowPrivilegeEscalation: false, privileged: true, procMount: Odd}
YAML
)
for want_line in \
  'spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive' \
  'spec.securityContext.fsGroup: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive' \
  'spec.securityContext.supplementalGroups[1]: Invalid value: -2: must be between 0 and 2147483647, inclusive' \
  'spec.securityContext.fsGroupChangePolicy: Unsupported value: "Sometimes": supported values: "Always", "OnRootMismatch"' \
  'spec.containers[0].securityContext.runAsGroup: Invalid value: -5: must be between 0 and 2147483647, inclusive' \
  'spec.containers[0].securityContext.procMount: Unsupported value: "Odd": supported values: "Default", "Unmasked"' \
  'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'; do
  grep -qF -- "$want_line" <<<"$bad" || fail "validation: no \"$want_line\" in: $bad"
done
! "${kubectl[@]}" get pod bad >/dev/null 2>&1 || fail "the invalid pod was stored"
ok "the API refuses bad securityContext fields with 422s naming each field"

echo "security_context_e2e ($mode): $passed checks passed"
