#!/usr/bin/env python3
"""Watch delivery latency: ROUNDS label patches of one pod, each timed from the PATCH request to
the watch event that carries its resourceVersion (and from the PATCH reply, which is when the
write is committed). Prints one JSON object of medians and maxima in ms.

usage: watch_latency.py API_SOCKET POD ROUNDS
"""
import json
import statistics
import sys
import time

from unix_http import UnixConnection


def main():
    sock, pod, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    path = f"/api/v1/namespaces/default/pods/{pod}"
    api = UnixConnection(sock)
    api.request("GET", path)
    version = json.loads(api.getresponse().read())["metadata"]["resourceVersion"]
    watch = UnixConnection(sock)
    watch.request("GET", f"/api/v1/namespaces/default/pods?watch=true&resourceVersion={version}")
    stream = watch.getresponse()
    from_request, from_reply, round_trip = [], [], []
    for i in range(rounds):
        patch = json.dumps({"metadata": {"labels": {"bench-round": str(i)}}})
        started = time.perf_counter()
        api.request("PATCH", path, patch, {"Content-Type": "application/merge-patch+json"})
        reply = api.getresponse()
        body = json.loads(reply.read())
        replied = time.perf_counter()
        if reply.status != 200:
            sys.exit(f"patch: {reply.status} {body}")
        want = body["metadata"]["resourceVersion"]
        while True:
            line = stream.readline()
            if not line:
                sys.exit("watch ended")
            event = json.loads(line)
            if event["object"]["metadata"].get("resourceVersion") == want:
                break
        seen = time.perf_counter()
        from_request.append((seen - started) * 1000)
        from_reply.append(max(0.0, (seen - replied) * 1000))
        round_trip.append((replied - started) * 1000)
    print(json.dumps({
        "event_after_request_ms": round(statistics.median(from_request), 3),
        "event_after_request_max_ms": round(max(from_request), 3),
        "event_after_reply_ms": round(statistics.median(from_reply), 3),
        "patch_round_trip_ms": round(statistics.median(round_trip), 3),
    }))


if __name__ == "__main__":
    main()
