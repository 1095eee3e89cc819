#!/usr/bin/env python3
"""DNS records for the benchmark, through a running kinda cluster's API.

populate API_SOCKET COUNT POD_OCTET QUERY_FILE HOSTS_FILE
    Writes COUNT pods' worth of records without starting a process: a headless Service "bench",
    COUNT Pods bound to a node that does not exist (so no kubelet runs them, as for pods on a lost
    node), and each Pod's status with its address and Ready condition. Writes a dnsperf query file
    and a hosts file (for dnsmasq) with the same names.
update-latency API_SOCKET POD_OCTET DNS_ADDR DNS_PORT ROUNDS
    Moves pod bench-0 to a new address ROUNDS times, as a restart does, and measures how long until
    the resolver answers the new address: from the status write's reply, and from its request.
    Prints "median_ms max_ms median_from_request_ms".
"""
import json
import socket
import statistics
import struct
import sys
import time

from unix_http import UnixConnection




def call(conn, method, path, body, content_type="application/json"):
    conn.request(method, path, json.dumps(body), {"Content-Type": content_type})
    reply = conn.getresponse()
    data = reply.read()
    if reply.status >= 300 and reply.status != 409:
        sys.exit(f"{method} {path}: {reply.status} {data.decode(errors='replace')}")


def set_address(conn, name, ip):
    call(conn, "PATCH", f"/api/v1/namespaces/default/pods/{name}/status", {"status": {
        "phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}],
        "conditions": [{"type": "Ready", "status": "True"}]}}, "application/merge-patch+json")


def a_query(qid, name):
    packet = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        packet += bytes([len(label)]) + label.encode()
    return packet + b"\0" + struct.pack(">HH", 1, 1)


def answered_address(reply):
    # Our own query's name is echoed, then one A record compressed to it: the last 4 octets.
    return ".".join(str(b) for b in reply[-4:]) if struct.unpack(">H", reply[6:8])[0] else ""


def update_latency():
    sock, octet, dns_addr, dns_port, rounds = sys.argv[2:7]
    conn = UnixConnection(sock)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.settimeout(1)
    name = "bench-0.bench.default.svc.cluster.local"
    after_reply, after_request = [], []
    for i in range(int(rounds)):
        ip = f"127.{octet}.9.{1 + i % 250}"
        started = time.perf_counter()
        set_address(conn, "bench-0", ip)
        replied = time.perf_counter()
        qid = 0
        while True:
            qid += 1
            udp.sendto(a_query(qid, name), (dns_addr, int(dns_port)))
            if answered_address(udp.recv(4096)) == ip:
                break
        done = time.perf_counter()
        after_reply.append((done - replied) * 1000)
        after_request.append((done - started) * 1000)
    print(f"{statistics.median(after_reply):.3f} {max(after_reply):.3f} "
          f"{statistics.median(after_request):.3f}")


def populate():
    sock, count, octet, query_file, hosts_file = sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
    conn = UnixConnection(sock)
    base = "/api/v1/namespaces/default"
    call(conn, "POST", base + "/services", {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "bench"},
        "spec": {"clusterIP": "None", "selector": {"app": "bench"},
                 "ports": [{"name": "web", "port": 80}]}})
    names = []
    for i in range(count):
        name = f"bench-{i}"
        ip = f"127.{octet}.{10 + i // 250}.{1 + i % 250}"
        call(conn, "POST", base + "/pods", {
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "labels": {"app": "bench"}},
            "spec": {"hostname": name, "subdomain": "bench", "nodeName": "bench-absent-node",
                     "containers": [{"name": "c", "image": "busybox", "command": ["sleep", "1"]}]}})
        set_address(conn, name, ip)
        names.append((f"{name}.bench.default.svc.cluster.local", ip))
    with open(query_file, "w") as q:
        for fqdn, _ in names:
            q.write(f"{fqdn} A\n")
    with open(hosts_file, "w") as h:
        for fqdn, ip in names:
            h.write(f"{ip} {fqdn}\n")


if __name__ == "__main__":
    {"populate": populate, "update-latency": update_latency}[sys.argv[1]]()
