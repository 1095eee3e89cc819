#!/usr/bin/env python3
"""CPU time (ms, from the scheduler's per-thread run time: /proc/*/stat's tick counts miss a
short-lived process's few milliseconds) spent so far by each role of one cluster's processes: the daemon
(all its threads), the pods' shims, their sandbox holders and their containers; it shows
where a pod's start-up cost goes. Prints one JSON object.

usage: cluster_cpu.py CLUSTER_ROOT DAEMON_PID
"""
import json
import os
import sys

def cpu_ms(pid):
    total_ns = 0
    for thread in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{thread}/schedstat") as f:
            total_ns += int(f.read().split()[0])  # time spent on a CPU
    return total_ns / 1e6


def main():
    root, daemon = sys.argv[1], int(sys.argv[2])
    roles = {"daemon": cpu_ms(daemon), "shim": 0.0, "sandbox": 0.0, "container": 0.0}
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == daemon:
            continue
        try:
            argv = open(f"/proc/{entry}/cmdline", "rb").read().split(b"\0")
            environ = open(f"/proc/{entry}/environ", "rb").read()
            if len(argv) >= 3 and argv[1] == b"shim" and argv[2].startswith(root.encode()):
                roles["shim"] += cpu_ms(entry)
            elif len(argv) >= 3 and argv[1] == b"sandbox" and argv[2].startswith(root.encode()):
                roles["sandbox"] += cpu_ms(entry)
            elif f"KINDA_CLUSTER_ROOT={root}\0".encode() in environ:
                roles["container"] += cpu_ms(entry)
        except OSError:
            continue  # gone meanwhile, or not ours to read
    print(json.dumps({k: round(v) for k, v in roles.items()}))


if __name__ == "__main__":
    main()
