#!/usr/bin/env bash
# Hostile input against a real daemon: malformed, mistyped, oversized, deeply nested and
# path-traversing manifests and requests (through the API and through `kinda apply -f`), and HTTP
# abused (garbage, bad framing, oversized headers, slow, idle and unfinished connections). Every
# input is refused with a clear 4xx, the daemon keeps answering throughout, no object changes and
# no traversing name creates anything. Then the daemon, short of descriptors, neither spins nor
# stops: it answers again once the connections holding them go.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" hostile
here=$(cd "$(dirname "$0")" && pwd)
marker=kinda-escape-$$
root=$KINDA_HOME/$KINDA_CLUSTER
trap 'cleanup; rm -rf "/tmp/$marker" "/$marker"' EXIT
# A cluster at rest (no pods: a set of 0 replicas), so any change at all is the input's doing.

"$kinda" up --time-scale 0.2 >/dev/null
{
  web_service; echo ---; web_set_head 0 1
  cat <<'YAML'
      - name: web
        image: busybox
        command: [sleep, "3600"]
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {a: "1"}
YAML
} > "$KINDA_HOME/web.yaml"
"$kinda" apply -f "$KINDA_HOME/web.yaml" >/dev/null
settled() {
  "$kinda" get sts web -o json | python3 -c 'import json,sys; s=json.load(sys.stdin); sys.exit(s.get("status",{}).get("observedGeneration")!=s["metadata"]["generation"])'
}
wait_for "the set's status to settle" settled

python3 "$here/hostile_input.py" "$kinda" "$root/run/api.sock" "$root" \
  "$here/../hostile/manifests" "$marker"
ok "every hostile input refused with a 4xx, daemon up, state unchanged"

# Status is the one part clients write that is not decoded (kubectl patch --subresource=status):
# shapes no kubelet would write must not take down the controllers that read them.
"$kinda" scale sts web --replicas=1 >/dev/null
wait_for "web-0" "$kinda" get pod web-0
python3 - "$root/run/api.sock" <<'PY'
import json, socket, sys
def patch(path, body):
    data = json.dumps(body).encode()
    s = socket.socket(socket.AF_UNIX); s.settimeout(20); s.connect(sys.argv[1])
    s.sendall(b"PATCH %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/merge-patch+json\r\n"
              b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (path.encode(), len(data), data))
    answer = s.recv(100).split(b"\r\n")[0]
    if b" 200 " not in answer: sys.exit(f"PATCH {path}: {answer}")
patch("/api/v1/namespaces/default/pods/web-0/status",
      {"status": {"conditions": [5, {"type": 1}, {"type": "Ready", "status": True,
                                                  "lastTransitionTime": 7}],
                  "containerStatuses": "x", "phase": ["Running"]}})
patch("/apis/apps/v1/namespaces/default/statefulsets/web/status",
      {"status": {"replicas": "x", "currentRevision": 5, "collisionCount": 1e300}})
PY
# A reconcile over the odd pod status rewrites the set's status (web-0 counts, not Ready).
"$kinda" scale sts web --replicas=2 >/dev/null
reconciled() {
  "$kinda" get sts web -o json | python3 -c 'import json,sys; s=json.load(sys.stdin)["status"]; sys.exit(not (s.get("replicas") == 1 and s.get("observedGeneration") == 3))'
}
wait_for "the set controller to reconcile over the odd status" reconciled
kill -0 "$(cat "$root/run/daemon.pid")" || fail "the daemon died"
ok "statuses of odd shapes are survived: the set controller reconciles over them"
"$kinda" scale sts web --replicas=0 >/dev/null
wait_for "web-0 and web-1 gone" sh -c "! '$kinda' get pod web-0 && ! '$kinda' get pod web-1"

# Short of descriptors: with a limit of 128 the daemon cannot accept 300 connections at once.
# It must wait for descriptors (not spin a core retrying accept) and answer once they are freed.
"$kinda" down >/dev/null
(ulimit -n 128; "$kinda" up --time-scale 0.2 >/dev/null)
pid=$(cat "$root/run/daemon.pid")
python3 - "$root/run/api.sock" "$pid" <<'PY'
import os, socket, sys, time
path, pid = sys.argv[1], sys.argv[2]
def cpu():  # the daemon's user + system CPU time, in clock ticks
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])
held = []
for _ in range(300):
    s = socket.socket(socket.AF_UNIX); s.connect(path); held.append(s)
start, before = time.monotonic(), cpu()
time.sleep(3)  # not a wait for an event: the window in which a spinning accept would burn CPU
used = (cpu() - before) / os.sysconf("SC_CLK_TCK") / (time.monotonic() - start)
for s in held: s.close()
print(f"descriptors exhausted: daemon CPU {used:.0%} while 300 connections were held")
sys.exit(used > 0.5)
PY
ok "out of descriptors, the daemon waits instead of spinning"
wait_for "the API to answer again" "$kinda" get cm cfg
grep -q "cannot accept connections" "$root/daemon.log" || fail "no warning about accept failing"
ok "the API answers again once the connections are gone"

"$kinda" down >/dev/null
echo "$passed passed, 0 failed"
