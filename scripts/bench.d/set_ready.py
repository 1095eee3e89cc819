#!/usr/bin/env python3
"""Creates a StatefulSet of REPLICAS probe-less `sleep` pods (POLICY: OrderedReady or Parallel)
through the API of a running cluster and watches it until status.readyReplicas is REPLICAS.
Prints the milliseconds from the create request to the watch event that says so.

usage: set_ready.py API_SOCKET NAME REPLICAS POLICY
"""
import json
import sys
import time

from unix_http import UnixConnection




def main():
    sock, name, replicas, policy = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    base = "/apis/apps/v1/namespaces/default/statefulsets"
    api = UnixConnection(sock)
    api.request("GET", base)
    listed = json.loads(api.getresponse().read())
    version = listed["metadata"]["resourceVersion"]
    watch = UnixConnection(sock)
    watch.request("GET", f"{base}?watch=true&resourceVersion={version}&fieldSelector=metadata.name%3D{name}")
    stream = watch.getresponse()
    body = {
        "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": name},
        "spec": {"replicas": replicas, "serviceName": name, "podManagementPolicy": policy, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"terminationGracePeriodSeconds": 1, "containers": [
                                  {"name": "app", "image": "busybox", "command": ["sleep", "3600"]}]}}}}
    started = time.perf_counter()
    api.request("POST", base, json.dumps(body), {"Content-Type": "application/json"})
    reply = api.getresponse()
    reply.read()
    if reply.status >= 300:
        sys.exit(f"create: {reply.status}")
    while True:
        line = stream.readline()
        if not line:
            sys.exit(f"watch ended before readyReplicas reached {replicas}")
        event = json.loads(line)
        if event["object"].get("status", {}).get("readyReplicas", 0) >= replicas:
            print(f"{(time.perf_counter() - started) * 1000:.1f}")
            return


if __name__ == "__main__":
    main()
