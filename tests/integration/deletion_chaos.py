#!/usr/bin/env python3
"""Deletes pods at random moments of their lives and checks that each deleted pod goes away.

usage: deletion_chaos.py CLUSTER_ROOT TIME_SCALE SEED POINTS

Each point makes one pod, bare or of the StatefulSet `web` (made here, Parallel, 3 replicas),
under restartPolicy Never, OnFailure or Always, doing one of: waiting unschedulable (Pending),
waiting for a ConfigMap that does not exist (ContainerCreating), running (some ignoring SIGTERM,
so the grace period runs out), exiting by itself around the moment of the deletion, completing,
failing, or crash-looping in back-off. After a random delay it deletes the pod through the API and
then requires, within grace x time scale + 1 s of the DELETE's answer, that the object with that
uid is gone and that every process the pod had when it was deleted (shim, sandbox holder,
containers) has ended. Prints one line per point and a summary by the state each pod was in;
exits 1 on the first violation, naming the seed that replays the run.
"""
import http.client
import json
import os
import random
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pod_processes import pod_processes  # noqa: E402


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=30)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


class Api:
    def __init__(self, root):
        self.socket = root + "/run/api.sock"

    def call(self, method, path, body=None):
        conn = UnixConnection(self.socket)
        try:
            data = json.dumps(body) if body is not None else None
            conn.request(method, path, data, {"Content-Type": "application/json"})
            reply = conn.getresponse()
            text = reply.read()
            return reply.status, json.loads(text) if text else {}
        finally:
            conn.close()


PODS = "/api/v1/namespaces/default/pods"

# What a container does, by behaviour: (command, extra pod spec fields, extra container fields).
BEHAVIOURS = {
    "pending": (["sleep", "30"], {"nodeSelector": {"kinda.test/no-such-node": "x"}}, {}),
    "config-wait": (["sleep", "30"], {}, {"env": [{"name": "MISSING", "valueFrom": {
        "configMapKeyRef": {"name": "chaos-absent", "key": "k"}}}]}),
    "running": (["sleep", "30"], {}, {}),
    "ignores-term": (["sh", "-c", "trap '' TERM; sleep 30 & wait; sleep 30"], {}, {}),
    "exits-soon": (None, {}, {}),  # command chosen per point: exits near the deletion
    "completes": (["true"], {}, {}),
    "fails": (["false"], {}, {}),
    "crash-loops": (["sh", "-c", "exit 2"], {}, {}),  # deleted while in back-off, when it restarts
}


def state_of(pod):
    """The pod's state as kubectl's STATUS column would name it, roughly."""
    status = pod.get("status", {})
    phase = status.get("phase", "Pending")
    for c in status.get("containerStatuses", []) or []:
        state = c.get("state", {})
        if "waiting" in state:
            return state["waiting"].get("reason", "Waiting")
        if "terminated" in state and phase not in ("Succeeded", "Failed"):
            return "Terminated-" + state["terminated"].get("reason", "")
    if phase == "Pending" and any(
            cond.get("reason") == "Unschedulable" for cond in status.get("conditions", []) or []):
        return "Pending-Unschedulable"
    if phase == "Succeeded":
        return "Completed"
    return phase


def processes_of(root, name):
    return {pid for kind, pod, pid in pod_processes(root) if pod == "default/" + name}


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        return stat[stat.rindex(")") + 2] != "Z"
    except OSError:
        return False


def wait_for_set(api, deadline):
    while time.monotonic() < deadline:
        status, pods = api.call("GET", PODS + "?labelSelector=app%3Dweb")
        running = [p for p in pods.get("items", []) if p.get("status", {}).get("phase") == "Running"]
        if len(running) == 3:
            return
        time.sleep(0.1)
    raise SystemExit("FAIL: the StatefulSet web never had 3 running pods")


def main():
    root, scale, seed, points = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    rng = random.Random(seed)
    api = Api(root)
    replay = f"(seed {seed}; replay with KINDA_FAULT_SEED={seed})"
    status, _ = api.call("POST", "/apis/apps/v1/namespaces/default/statefulsets", {
        "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web"},
        "spec": {"replicas": 3, "serviceName": "web", "podManagementPolicy": "Parallel",
                 "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
                     "terminationGracePeriodSeconds": 2,
                     "containers": [{"name": "c", "image": "busybox",
                                     "command": ["sh", "-c",
                                                 "trap 'exit 0' TERM; sleep 30 & wait"]}]}}}})
    if status != 201:
        raise SystemExit(f"FAIL: creating the StatefulSet answered {status}")
    wait_for_set(api, time.monotonic() + 60)

    by_state, worst = {}, 0.0
    for n in range(points):
        set_pod = rng.random() < 0.25
        grace = rng.choice([0, 1, 3])
        delay = rng.choice([0, 0.05, 0.2, 0.4, 0.8, 1.2, 2.0])
        if set_pod:
            name = f"web-{rng.randrange(3)}"
            kind = "set pod"
        else:
            behaviour = rng.choice(sorted(BEHAVIOURS))
            policy = rng.choice(["Never", "OnFailure", "Always"])
            if behaviour == "crash-loops":
                policy, delay = rng.choice(["OnFailure", "Always"]), rng.choice([1.2, 2.0, 3.0])
            command, pod_extra, container_extra = BEHAVIOURS[behaviour]
            if command is None:
                command = ["sh", "-c", f"sleep {delay * rng.uniform(0.5, 1.5):.3f}; exit {rng.choice([0, 3])}"]
            name = f"chaos-{n}"
            kind = f"{behaviour}/{policy}"
            spec = {"restartPolicy": policy, "terminationGracePeriodSeconds": grace,
                    "containers": [dict({"name": "c", "image": "busybox", "command": command},
                                        **container_extra)]}
            spec.update(pod_extra)
            status, created = api.call("POST", PODS, {"apiVersion": "v1", "kind": "Pod",
                                                      "metadata": {"name": name}, "spec": spec})
            if status != 201:
                raise SystemExit(f"FAIL: creating {name} answered {status}: {created}")
        time.sleep(delay)  # the moment of the deletion, not a wait for a condition
        status, pod = api.call("GET", f"{PODS}/{name}")
        if status != 200:
            raise SystemExit(f"FAIL: {name} vanished before its deletion {replay}")
        uid = pod["metadata"]["uid"]
        if set_pod:
            grace = pod["spec"].get("terminationGracePeriodSeconds", 30)
        state = state_of(pod)
        pids = processes_of(root, name)
        status, _ = api.call("DELETE", f"{PODS}/{name}")
        deleted_at = time.monotonic()
        if status not in (200, 202):
            raise SystemExit(f"FAIL: deleting {name} answered {status}")
        bound = grace * scale + 1.0
        gone_at = None
        while time.monotonic() - deleted_at < bound + 10:
            status, current = api.call("GET", f"{PODS}/{name}")
            object_gone = status == 404 or current.get("metadata", {}).get("uid") != uid
            if object_gone and not any(alive(p) for p in pids):
                gone_at = time.monotonic() - deleted_at
                break
            time.sleep(0.02)
        by_state[state] = by_state.get(state, 0) + 1
        took = "never" if gone_at is None else f"{gone_at:.2f} s"
        print(f"point {n}: {kind} {name} deleted {delay} s after start while {state}"
              f" (grace {grace}): gone in {took}, bound {bound:.2f} s", flush=True)
        if gone_at is None or gone_at > bound:
            left = [p for p in pids if alive(p)]
            try:
                with open(root + "/daemon.log", errors="replace") as f:
                    lines = [line.rstrip() for line in f if name in line]
                print("--- daemon.log on " + name + ":\n" + "\n".join(lines[-30:]), file=sys.stderr)
            except OSError:
                pass
            raise SystemExit(f"FAIL: {name} ({kind}, deleted while {state}) was not gone within "
                             f"{bound:.2f} s: took {took}; processes left {left}; object "
                             f"{json.dumps(current.get('metadata', {}))} {replay}")
        worst = max(worst, gone_at)
        if set_pod:
            wait_for_set(api, time.monotonic() + 60)
    states = ", ".join(f"{s} {c}" for s, c in sorted(by_state.items()))
    print(f"deletion chaos: {points} points tried ({states}), violations: 0, "
          f"slowest {worst:.2f} s")


if __name__ == "__main__":
    main()
