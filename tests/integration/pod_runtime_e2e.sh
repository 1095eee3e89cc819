#!/usr/bin/env bash
# The kubelet's side of kinda against the real daemon, shims and processes: init containers,
# env/envFrom from ConfigMaps and Secrets, the pod's own hostname, hosts file and DNS, liveness
# restarts with --previous logs, an httpGet readiness probe gating Ready, exec exit codes and stdin,
# restart policies and CrashLoopBackOff, preStop hooks, log rotation and bad specs refused.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" pod
restarts_at_least() {  # restarts_at_least POD N: the first container restarted N times or more
  [ "$(field "$1" 'p["status"]["containerStatuses"][0]["restartCount"]')" -ge "$2" ]
}
field() {  # field POD PYTHON-EXPRESSION-ON-p
  "$kinda" get pod "$1" -o json | python3 -c "import json,sys; p=json.load(sys.stdin); print($2)"
}

# Small log files, so rotation shows after a few kilobytes.
up_with_config containerLogMaxBytes=2048 containerLogMaxFiles=3
isolation=$("$kinda" status | awk '/^Isolation:/ {print $2}')

# ---- bad container specs are refused at apply time, with the field named ----
bad() {  # bad FIELD-TEXT YAML-FRAGMENT-OF-A-CONTAINER
  cat > "$KINDA_HOME/bad.yaml" <<YAML
apiVersion: v1
kind: Pod
metadata: {name: bad}
spec:
  containers:
  - $2
YAML
  ! "$kinda" apply -f "$KINDA_HOME/bad.yaml" 2> "$KINDA_HOME/err" || fail "accepted: $2"
  grep -qF "$1" "$KINDA_HOME/err" || fail "error for '$2' does not name $1: $(cat "$KINDA_HOME/err")"
}
bad 'spec.containers[0].image' '{name: a, command: [sleep, "1"]}'
bad 'spec.containers[0].name' '{name: Not_OK, image: busybox}'
bad 'spec.containers[0].ports[0].containerPort' '{name: a, image: busybox, ports: [{containerPort: 70000}]}'
bad 'spec.containers[0].livenessProbe' '{name: a, image: busybox, livenessProbe: {periodSeconds: 1}}'
bad 'spec.containers[0].env[0].name' '{name: a, image: busybox, env: [{name: "1x", value: v}]}'
bad 'spec.containers[0].resources.limits' '{name: a, image: busybox, resources: {limits: {memory: lots}}}'
bad 'spec.containers[0].volumeMounts[0].name' '{name: a, image: busybox, volumeMounts: [{name: nope, mountPath: /x}]}'
! "$kinda" get pod bad >/dev/null 2>&1 || fail "a refused pod exists"
ok "bad container specs refused with the field named"

# ---- init containers, env from ConfigMaps and Secrets, identity inside the pod ----
cat > "$KINDA_HOME/app.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data: {COLOR: blue, greeting: hello}
---
apiVersion: v1
kind: Secret
metadata: {name: app-secret}
stringData: {password: s3cret}
---
apiVersion: v1
kind: Service
metadata: {name: app}
spec: {clusterIP: None, selector: {app: app}, ports: [{port: 8080, name: http}]}
---
apiVersion: v1
kind: Pod
metadata: {name: app-0, labels: {app: app}}
spec:
  hostname: app-0
  subdomain: app
  terminationGracePeriodSeconds: 5
  volumes: [{name: work, emptyDir: {}}]
  initContainers:
  - name: first
    image: busybox
    command: [sh, -c, 'echo first >> $(WORK)/order']
    env: [{name: WORK, value: /work}]
    volumeMounts: [{name: work, mountPath: /work}]
  - name: second
    image: busybox
    command: [sh, -c, 'echo second >> /work/order']
    volumeMounts: [{name: work, mountPath: /work}]
  containers:
  - name: main
    image: busybox
    workingDir: /work
    command: [sh, -c]
    args:
    - |
      echo main >> order
      echo "color=$COLOR cfg_greeting=$CFG_greeting password=$PASSWORD expanded=$(EXPANDED)"
      hostname > hostname.txt
      trap 'exit 0' TERM
      if [ ! -f restarted ]; then touch restarted; echo first-run; sleep 0.5; touch dead; else echo second-run; fi
      python3 -m http.server 8080 --directory /work/www 2>/dev/null &
      while true; do sleep 0.2; done
    env:
    - {name: PASSWORD, valueFrom: {secretKeyRef: {name: app-secret, key: password}}}
    - {name: EXPANDED, value: "$(COLOR)-$(POD_NAME)"}
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    envFrom:
    - configMapRef: {name: app-config}
    - {prefix: CFG_, configMapRef: {name: app-config}}
    livenessProbe:
      exec: {command: [sh, -c, 'test ! -f /work/dead']}
      periodSeconds: 1
      failureThreshold: 1
    readinessProbe:
      httpGet: {path: /ready, port: http}
      periodSeconds: 1
    ports: [{name: http, containerPort: 8080}]
    lifecycle:
      # Probes start only after postStart succeeds, so a new run never sees the old run's marker.
      postStart: {exec: {command: [rm, -f, /work/dead]}}
      preStop: {exec: {command: [sh, -c, 'echo prestop >> /work/order']}}
    volumeMounts: [{name: work, mountPath: /work}]
  - name: chatty
    image: busybox
    command: [sh, -c, 'i=0; while [ $i -lt 400 ]; do echo "line $i of a chatty container"; i=$((i+1)); done; exec sleep 3600']
YAML
mkdir -p "$KINDA_HOME/www"
"$kinda" apply -f "$KINDA_HOME/app.yaml" >/dev/null
wait_for "app-0 restarted by its liveness probe" sh -c "[ \"\$('$kinda' get pod app-0 -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"status\"][\"containerStatuses\"][0][\"restartCount\"])')\" -ge 1 ]"
ok "liveness failure restarted the container"
wait_for "second run" has second-run "$kinda" logs app-0 -c main
has first-run "$kinda" logs app-0 -c main --previous || fail "--previous does not show the first run"
! has first-run "$kinda" logs app-0 -c main || fail "current log shows the previous run"
has 'Liveness probe failed' "$kinda" get events || fail "no Unhealthy event"
has 'failed liveness probe, will be restarted' "$kinda" get events || fail "no Killing event"
ok "restartCount incremented and --previous logs readable"

has "color=blue cfg_greeting=hello password=s3cret expanded=blue-app-0" "$kinda" logs app-0 -c main ||
  fail "env: $("$kinda" logs app-0 -c main)"
ok "env, envFrom with prefix, secretKeyRef, fieldRef and \$(VAR) expansion"
"$kinda" logs app-0 > "$KINDA_HOME/out" 2> "$KINDA_HOME/err"
grep -q 'Defaulted container "main" out of: main, chatty, first (init), second (init)' "$KINDA_HOME/err" || fail "default container notice: $(cat "$KINDA_HOME/err")"
grep -q second-run "$KINDA_HOME/out" || fail "logs without -c did not show main"

[ "$(field app-0 'p["status"]["initContainerStatuses"][1]["state"]["terminated"]["reason"]')" = Completed ] || fail "init status"
[ "$(field app-0 '[c["status"] for c in p["status"]["conditions"] if c["type"]=="Initialized"][0]')" = True ] || fail "Initialized"
[[ "$("$kinda" exec app-0 -c main -- cat /work/order | tr '\n' ' ')" == "first second main"* ]] || fail "init order: $("$kinda" exec app-0 -c main -- cat /work/order)"
ok "init containers ran in order, to completion, before the containers"

# ---- httpGet readiness gates Ready; exec passes exit codes and stdin ----
[ "$(field app-0 'p["status"]["containerStatuses"][0]["ready"]')" = False ] || fail "Ready before /ready exists"
"$kinda" exec app-0 -c main -- sh -c 'mkdir -p /work/www && echo yes > /work/www/ready'
wait_for "app-0 Ready through httpGet" "$kinda" wait --for=condition=Ready pod/app-0 --timeout=1s
ok "httpGet readiness probe gates Ready"
code=0
"$kinda" exec app-0 -c main -- sh -c 'exit 7' || code=$?
[ "$code" = 7 ] || fail "exec exit code $code, want 7"
[ "$(echo piped | "$kinda" exec -i app-0 -c main -- cat)" = piped ] || fail "exec stdin"
[ "$("$kinda" exec app-0 -c main -- sh -c 'echo $COLOR')" = blue ] || fail "exec environment"
ok "exec returns the exit code, passes stdin and the container's environment"

if [[ "$isolation" == namespaces* ]]; then
  [ "$("$kinda" exec app-0 -c main -- hostname)" = app-0 ] || fail "hostname"
  has "app-0.app.default.svc.cluster.local" "$kinda" exec app-0 -c main -- cat /etc/hosts || fail "/etc/hosts"
  has "search default.svc.cluster.local svc.cluster.local cluster.local" "$kinda" exec app-0 -c main -- cat /etc/resolv.conf || fail "resolv.conf"
  has "options ndots:5" "$kinda" exec app-0 -c main -- cat /etc/resolv.conf || fail "ndots"
  ip=$(field app-0 'p["status"]["podIP"]')
  [ "$("$kinda" exec app-0 -c main -- getent hosts app-0.app | awk '{print $1}')" = "$ip" ] || fail "getent hosts app-0.app"
  ok "namespaces: hostname, /etc/hosts FQDN, resolv.conf search path, getent through cluster DNS"
else
  echo "ok - # SKIP namespace checks: isolation is $isolation"
fi

# ---- log rotation by size ----
logs="$KINDA_HOME/$KINDA_CLUSTER/logs/default/app-0/chatty"
wait_for "chatty rotated" test -f "$logs/0.log.1"
[ "$(stat -c %s "$logs/0.log")" -le 2048 ] || fail "live log larger than the limit"
[ ! -e "$logs/0.log.3" ] || fail "more than containerLogMaxFiles files kept"
[ "$("$kinda" logs app-0 -c chatty --tail 2 | tail -1)" = "line 399 of a chatty container" ] || fail "tail after rotation"
[ "$("$kinda" logs app-0 -c chatty --tail 2 | wc -l)" = 2 ] || fail "--tail 2"
ok "logs rotate by size; --tail reads the newest"

# ---- preStop runs before SIGTERM; deletion waits for every process ----
shim=$(cat "$KINDA_HOME/$KINDA_CLUSTER/pods/default/app-0/shim.lock")
"$kinda" delete pod app-0 >/dev/null
! kill -0 "$shim" 2>/dev/null || fail "pod object gone while its shim $shim lives"
[ -z "$(grep -l "KINDA_POD=default/app-0" /proc/[0-9]*/environ 2>/dev/null)" ] || fail "app-0 processes left"
ok "delete completes only when the shim and every process are gone"
# The emptyDir went with the pod, so preStop is checked on a pod with a PVC-like hostPath.
cat > "$KINDA_HOME/hook.yaml" <<YAML
apiVersion: v1
kind: Pod
metadata: {name: hook}
spec:
  terminationGracePeriodSeconds: 10
  volumes: [{name: out, hostPath: {path: $KINDA_HOME/hook-out, type: DirectoryOrCreate}}]
  containers:
  - name: c
    image: busybox
    command: [sh, -c, 'trap "echo term >> /out/order; exit 0" TERM; while true; do sleep 0.1; done']
    lifecycle:
      postStart: {exec: {command: [sh, -c, 'echo poststart >> /out/order']}}
      preStop: {exec: {command: [sh, -c, 'echo prestop >> /out/order']}}
    volumeMounts: [{name: out, mountPath: /out}]
YAML
"$kinda" apply -f "$KINDA_HOME/hook.yaml" >/dev/null
"$kinda" wait --for=condition=Ready pod/hook --timeout=30s >/dev/null
"$kinda" delete pod hook >/dev/null
[ "$(tr '\n' ' ' < "$KINDA_HOME/hook-out/order")" = "poststart prestop term " ] || fail "hook order: $(cat "$KINDA_HOME/hook-out/order")"
ok "postStart runs before Running; preStop runs, then SIGTERM"

# ---- restart policies and CrashLoopBackOff ----
cat > "$KINDA_HOME/policies.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: never}
spec:
  restartPolicy: Never
  containers: [{name: c, image: busybox, command: [sh, -c, 'echo bye; exit 3']}]
---
apiVersion: v1
kind: Pod
metadata: {name: onfailure}
spec:
  restartPolicy: OnFailure
  containers: [{name: c, image: busybox, command: [sh, -c, 'if [ -f $(KINDA_VOLUME_W)/x ] || [ -f /w/x ]; then exit 0; fi; touch /w/x 2>/dev/null || touch $KINDA_VOLUME_W/x; exit 1'], volumeMounts: [{name: w, mountPath: /w}]}]
  volumes: [{name: w, emptyDir: {}}]
---
apiVersion: v1
kind: Pod
metadata: {name: crashy}
spec:
  containers: [{name: c, image: busybox, command: [sh, -c, 'exit 2']}]
YAML
"$kinda" apply -f "$KINDA_HOME/policies.yaml" >/dev/null
wait_for "never Failed" sh -c "[ \"\$('$kinda' get pod never -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"status\"][\"phase\"])')\" = Failed ]"
[ "$(field never 'p["status"]["containerStatuses"][0]["state"]["terminated"]["exitCode"]')" = 3 ] || fail "never exit code"
[ "$(field never 'p["status"]["containerStatuses"][0]["restartCount"]')" = 0 ] || fail "never restarted"
wait_for "onfailure Succeeded" sh -c "[ \"\$('$kinda' get pod onfailure -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"status\"][\"phase\"])')\" = Succeeded ]"
[ "$(field onfailure 'p["status"]["containerStatuses"][0]["restartCount"]')" = 1 ] || fail "onfailure restarts"
wait_for "crashy in CrashLoopBackOff" has CrashLoopBackOff "$kinda" get pod crashy
[ "$(field crashy 'p["status"]["containerStatuses"][0]["lastState"]["terminated"]["exitCode"]')" = 2 ] || fail "crashy lastState"
has 'Back-off restarting failed container c in pod crashy' "$kinda" get events || fail "no BackOff event"
ok "restartPolicy Never/OnFailure, CrashLoopBackOff with lastState and BackOff event"

# ---- an image that maps to nothing waits with a reason and an event ----
cat > "$KINDA_HOME/unmapped.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: unmapped}
spec:
  containers: [{name: c, image: "example.com/nothing-like-it:1.0"}]
YAML
"$kinda" apply -f "$KINDA_HOME/unmapped.yaml" >/dev/null
wait_for "ErrImageNotMapped" has ErrImageNotMapped "$kinda" get pod unmapped
has 'config.json' "$kinda" get events || fail "no event telling how to map the image"
"$kinda" delete pod unmapped >/dev/null
ok "an unmapped image waits with ErrImageNotMapped and an event"

# ---- a startup probe holds back readiness and liveness until it passes ----
cat > "$KINDA_HOME/slow.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: slow}
spec:
  volumes: [{name: w, emptyDir: {}}]
  containers:
  - name: c
    image: busybox
    command: [sh, -c, 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 0.1; done']
    volumeMounts: [{name: w, mountPath: /w}]
    startupProbe: {exec: {command: [test, -f, /w/started]}, periodSeconds: 1, failureThreshold: 100}
    # Fails once after startup (so one restart shows liveness is on), then passes.
    livenessProbe:
      exec: {command: [sh, -c, 'test -f /w/failed-once || { touch /w/failed-once; false; }']}
      periodSeconds: 1
      failureThreshold: 1
YAML
"$kinda" apply -f "$KINDA_HOME/slow.yaml" >/dev/null
wait_for "slow running" has '"running"' "$kinda" get pod slow -o json
sleep 1  # several startup periods pass (0.2 s each); liveness must not run meanwhile
[ "$(field slow 'p["status"]["containerStatuses"][0]["started"]')" = False ] || fail "started before its probe passed"
[ "$(field slow 'p["status"]["containerStatuses"][0]["restartCount"]')" = 0 ] || fail "liveness ran before startup"
"$kinda" exec slow -- touch /w/started
wait_for "a liveness restart after startup" restarts_at_least slow 1
ok "startup probe gates liveness; once started, the failing liveness probe restarts the container"

# ---- logs -f streams what a running container writes ----
wait_for "slow running again" has '"running"' "$kinda" get pod slow -o json
timeout 2 "$kinda" logs -f slow > "$KINDA_HOME/follow" || true
[ "$(grep -c tick "$KINDA_HOME/follow")" -ge 5 ] || fail "logs -f: $(cat "$KINDA_HOME/follow")"
ok "logs -f follows a running container"

"$kinda" down >/dev/null
echo "$passed passed, 0 failed"
