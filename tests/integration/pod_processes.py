"""The live processes of one cluster's pods, found the way the daemon finds them after a crash.

Shims and sandbox holders are known by their command line (`kinda shim|sandbox
<root>/pods/<ns>/<pod>/{shim,sandbox}.json`), containers as session leaders carrying the cluster
root and pod markers in their environment. The daemon runs exec probes, hooks and kubectl exec
commands with the container's environment too: its own children are never containers (a
container's parent is its shim or sandbox holder), and stories put the word kinda-probe in such
commands so that one orphaned by a killed daemon is not counted either. Zombies are not live: an
orphan's zombie may wait a while for init. A child a shim has forked but not yet turned into its
sandbox holder or a container (between fork and exec) still shows the shim's command line; it is
not a second shim.

Run as a program: one "KIND NAMESPACE/POD PID" line per process.
"""
import os
import sys


def pod_processes(root):
    """(kind, "ns/pod", pid) for every live shim, sandbox holder and container under root."""
    pods = root + "/pods/"
    marker = b"KINDA_CLUSTER_ROOT=" + root.encode()
    found, parents = [], {}
    try:
        with open(root + "/run/daemon.pid") as f:
            daemon = f.read().strip().encode()
    except OSError:
        daemon = b""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                stat = f.read()
            state, ppid, _, session = stat[stat.rindex(b")") + 2:].split()[:4]
            # Shims, sandbox holders and containers all lead their own session.
            if state in (b"Z", b"X") or session != pid.encode():
                continue
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().decode(errors="replace").split("\0")
            if len(argv) >= 3 and argv[1] in ("shim", "sandbox") and argv[2].startswith(pods):
                found.append((argv[1], os.path.dirname(argv[2][len(pods):]), int(pid)))
                parents[int(pid)] = int(ppid)
                continue
            if ppid == daemon:
                continue  # a probe, hook or exec the live daemon runs
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read().split(b"\0")
            if marker not in env:
                continue
            # Read again after the environment: a probe the daemon forked may have exec'd between
            # the two reads (its markers then seen beside the daemon's command line), or ended
            # (a process that has let go of its memory shows an empty command line).
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read()
            if not argv or b"kinda-probe" in argv:
                continue
            pod = next((v[len(b"KINDA_POD="):] for v in env if v.startswith(b"KINDA_POD=")), b"")
            if pod:
                found.append(("container", pod.decode(), int(pid)))
        except (OSError, ValueError):
            pass  # the process ended while we looked
    shims = {pid for kind, _, pid in found if kind == "shim"}
    found = [p for p in found if not (p[0] == "shim" and parents[p[2]] in shims)]
    return found


if __name__ == "__main__":
    for kind, pod, pid in pod_processes(sys.argv[1]):
        print(kind, pod, pid)
