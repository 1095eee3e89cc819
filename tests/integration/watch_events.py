#!/usr/bin/env python3
"""Reads a watch over the API's Unix socket and prints its events, one JSON line each.

usage: watch_events.py SOCKET PATH [--until TYPE[:ANNOTATION]] [--count N] [--limit SECONDS]

Stops after the N-th event of TYPE (carrying ANNOTATION in its object's metadata when given), when
the server ends the stream, or after SECONDS (default 60) as a bound on a stuck test; exits 1 in
that last case. Each line is flushed at once, so a test can wait for one in the output file.
"""
import argparse
import http.client
import json
import socket
import sys
import time


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


def wanted(event, until):
    if not until:
        return False
    kind, _, annotation = until.partition(":")
    if event.get("type") != kind:
        return False
    annotations = (event.get("object") or {}).get("metadata", {}).get("annotations") or {}
    return not annotation or annotations.get(annotation) == "true"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("socket")
    p.add_argument("path")
    p.add_argument("--until")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--limit", type=float, default=60)
    a = p.parse_args()
    deadline = time.monotonic() + a.limit
    conn = UnixConnection(a.socket, timeout=a.limit)
    conn.request("GET", a.path)
    resp = conn.getresponse()
    if resp.status != 200:
        print(json.dumps({"status": resp.status, "body": resp.read().decode()}), flush=True)
        return 1
    seen = 0
    while time.monotonic() < deadline:
        try:
            line = resp.readline()
        except socket.timeout:
            break
        if not line:
            return 0  # the server ended the stream
        event = json.loads(line)
        print(json.dumps(event), flush=True)
        if wanted(event, a.until):
            seen += 1
            if seen >= a.count:
                return 0
    print(json.dumps({"timeout": a.limit}), flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
