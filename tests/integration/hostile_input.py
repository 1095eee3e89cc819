#!/usr/bin/env python3
"""Hostile input for hostile_input_e2e.sh: sends the API (and `kinda apply -f`) malformed,
mistyped, oversized, deeply nested and path-traversing input, and abuses HTTP itself.

usage: hostile_input.py KINDA API_SOCKET CLUSTER_ROOT CORPUS_DIR MARKER

Every hostile input must be refused with a 4xx (the API's a Kubernetes Status whose code is the
HTTP status; `kinda apply` exits 1 with an error), the daemon must stay up and keep answering
(checked after every input), and nothing may change: the cluster's revision and every object's
resourceVersion are the same afterwards, and no file or directory named MARKER exists anywhere
a traversing name could have put it. HTTP abuse (slow clients, connections that never finish,
hundreds of idle connections) must not stop the daemon answering everyone else meanwhile.

Prints `hostile inputs: N sent, N rejected with 4xx, 0 crashes, state unchanged` and exits 0, or
prints every failure and exits 1.
"""
import json
import os
import socket
import subprocess
import sys
import threading
import time

KINDA, SOCKET, ROOT, CORPUS, MARKER = sys.argv[1:6]
NS = "default"
CM = f"/api/v1/namespaces/{NS}/configmaps"
STS = f"/apis/apps/v1/namespaces/{NS}/statefulsets"
PVC = f"/api/v1/namespaces/{NS}/persistentvolumeclaims"
PODS = f"/api/v1/namespaces/{NS}/pods"
TIMEOUT = 20  # seconds for any one answer; far above what a healthy daemon needs

failures = []
sent = rejected = 0
DAEMON_PID = int(open(os.path.join(ROOT, "run", "daemon.pid")).read().split()[0])


def fail(what):
    failures.append(what)
    print("FAIL:", what, file=sys.stderr)


def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    s.connect(SOCKET)
    return s


def read_response(s):
    """(status, body bytes) of one response, or (None, reason) when none came."""
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                return None, "connection closed without an answer"
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        length = next((int(l.split(b":", 1)[1]) for l in lines[1:]
                       if l.lower().startswith(b"content-length:")), 0)
        while len(body) < length:
            chunk = s.recv(65536)
            if not chunk:
                break
            body += chunk
        return status, body[:length]
    except (socket.timeout, ConnectionError) as e:
        return None, repr(e)


def exchange(raw):
    """Sends raw bytes on a fresh connection and reads the answer. A server that answers early
    (413 before the whole body) may close while we still send; the answer is read regardless."""
    s = connect()
    try:
        try:
            s.sendall(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return read_response(s)
    finally:
        s.close()


def request(method, path, body=b"", content_type="application/json", headers=""):
    if isinstance(body, str):
        body = body.encode()
    elif not isinstance(body, bytes):
        body = json.dumps(body).encode()
    head = (f"{method} {path} HTTP/1.1\r\nHost: kinda\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n{headers}\r\n")
    return exchange(head.encode("latin-1") + body)


def alive():
    try:
        os.kill(DAEMON_PID, 0)
    except ProcessLookupError:
        return False
    status, _ = request("GET", "/healthz")
    return status == 200


def expect_refusal(name, status, body, codes=None, status_body=True):
    """Counts one hostile input: refused with a 4xx (one of `codes` when given), as a Status."""
    global sent, rejected
    sent += 1
    ok = status is not None and 400 <= status < 500 and (codes is None or status in codes)
    if ok and status_body:
        try:
            doc = json.loads(body)
            ok = doc.get("kind") == "Status" and doc.get("code") == status and doc.get("message")
        except ValueError:
            ok = False
    if ok:
        rejected += 1
    else:
        shown = body[:200] if isinstance(body, (bytes, str)) else body
        fail(f"{name}: expected a 4xx{' ' + str(sorted(codes)) if codes else ''} Status, got "
             f"{status} {shown!r}")
    if not alive():
        fail(f"{name}: the daemon stopped answering")
        raise SystemExit(finish())


def api_case(name, method, path, body=b"", codes=None, content_type="application/json",
             headers=""):
    status, answer = request(method, path, body, content_type, headers)
    expect_refusal(name, status, answer, codes)


def snapshot():
    """The cluster's revision and every object's resourceVersion, from the API."""
    status, body = request("GET", "/kinda/status")
    revision = json.loads(body)["revision"] if status == 200 else None
    objects = {}
    for path in ["/api/v1/namespaces", "/api/v1/pods", "/api/v1/services",
                 "/api/v1/configmaps", "/api/v1/secrets", "/api/v1/persistentvolumeclaims",
                 "/apis/apps/v1/statefulsets", "/apis/apps/v1/controllerrevisions",
                 "/api/v1/events", "/api/v1/nodes"]:
        status, body = request("GET", path)
        if status != 200:
            objects[path] = f"list answered {status}"
            continue
        for item in json.loads(body)["items"]:
            meta = item["metadata"]
            objects[f"{item['kind']} {meta.get('namespace', '')}/{meta['name']}"] = \
                meta["resourceVersion"]
    return revision, objects


def web_set(name="hostile", replicas=0, claim="data", **spec):
    body = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": name},
            "spec": {"serviceName": "web", "replicas": replicas,
                     "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{
                                      "name": "web", "image": "busybox",
                                      "command": ["sleep", "3600"],
                                      "volumeMounts": [{"name": claim, "mountPath": "/data"}]}]}},
                     "volumeClaimTemplates": [{"metadata": {"name": claim}, "spec": {
                         "accessModes": ["ReadWriteOnce"],
                         "resources": {"requests": {"storage": "1Gi"}}}}]}}
    body["spec"].update(spec)
    return body


def configmap(name="hostile", **fields):
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name},
            "data": {"a": "b"}}
    body.update(fields)
    return body


def api_bodies():
    """Create (POST) bodies: wrong types, out-of-range numbers, bad and traversing names."""
    escape = f"../../{MARKER}"
    cases = [
        ("replicas string", STS, web_set(replicas="three"), {422}),
        ("replicas negative", STS, web_set(replicas=-1), {422}),
        ("replicas float", STS, web_set(replicas=1.5), {422}),
        ("replicas beyond int64", STS, web_set(replicas=10 ** 30), {422}),
        ("replicas beyond int32", STS, web_set(replicas=2 ** 31), {422}),
        ("replicas object", STS, web_set(replicas={"a": 1}), {422}),
        ("name number", CM, configmap(metadata={"name": 5}), {400}),
        ("name object", CM, configmap(metadata={"name": {"a": 1}}), {400}),
        ("namespace number", CM, configmap(metadata={"name": "x", "namespace": 7}), {400}),
        ("metadata string", CM, configmap(metadata="x"), {400}),
        ("spec string", STS, {"metadata": {"name": "x"}, "spec": "x"}, {400}),
        ("labels list", CM, configmap(metadata={"name": "x", "labels": ["a"]}), {400}),
        ("ownerReferences wrong", CM,
         configmap(metadata={"name": "x", "ownerReferences": [5]}), {400}),
        ("data number", CM, configmap(data={"a": 1}), {422}),
        ("claim metadata string", STS,
         dict(web_set(), spec=dict(web_set()["spec"], volumeClaimTemplates=[{"metadata": "x"}])),
         {422}),
        ("service port number", f"/api/v1/namespaces/{NS}/services",
         {"metadata": {"name": "x"}, "spec": {"ports": [5]}}, {422}),
        ("probe host number", PODS,
         {"metadata": {"name": "x"}, "spec": {"containers": [{
             "name": "c", "image": "busybox", "command": ["sleep", "1"],
             "readinessProbe": {"tcpSocket": {"port": 80, "host": 5}}}]}}, {422}),
        ("mount readOnly string", PODS,
         {"metadata": {"name": "x"}, "spec": {"volumes": [{"name": "v", "emptyDir": {}}],
                                             "containers": [{
                                                 "name": "c", "image": "busybox",
                                                 "command": ["sleep", "1"],
                                                 "volumeMounts": [{"name": "v", "mountPath": "/v",
                                                                   "readOnly": "yes"}]}]}}, {422}),
        ("kind mismatch", CM, {"kind": "Secret", "metadata": {"name": "x"}}, {400}),
        ("body not an object", CM, [1, 2, 3], {400}),
        ("body a string", CM, "\"x\"", {400}),
        ("body empty", CM, b"", {400}),
        ("name uppercase", CM, configmap("Bad_Name"), {422}),
        ("name 300 chars", CM, configmap("a" * 300), {422}),
        ("sts name 300 chars", STS, web_set("a" * 300), {422}),
        ("name empty", CM, configmap(""), {422}),
        ("name NUL", CM, configmap("a\u0000b"), {422}),
        ("name newline", CM, configmap("a\nb"), {422}),
    ]
    for label, name in [("traversal", escape), ("slash", f"a/{MARKER}"), ("dotdot", ".."),
                        ("dot", "."), ("percent", "%2e%2e"), ("backslash", f"..\\{MARKER}")]:
        cases += [
            (f"configmap name {label}", CM, configmap(name), {422}),
            (f"statefulset name {label}", STS, web_set(name), {422}),
            (f"claim name {label}", PVC, {"metadata": {"name": name}, "spec": {
                "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}},
             {422}),
            (f"pod name {label}", PODS, {"metadata": {"name": name}, "spec": {"containers": [
                {"name": "c", "image": "busybox", "command": ["sleep", "1"]}]}}, {422}),
            (f"volumeClaimTemplate name {label}", STS, web_set("claims", claim=name), {422}),
            (f"namespace object {label}", "/api/v1/namespaces", {"metadata": {"name": name}},
             {422}),
            (f"namespace in body {label}", "/api/v1/namespaces/" + NS + "/configmaps",
             configmap("x", metadata={"name": "x", "namespace": name}), {400}),
            (f"container name {label}", PODS, {"metadata": {"name": "x"}, "spec": {"containers": [
                {"name": name, "image": "busybox", "command": ["sleep", "1"]}]}}, {422}),
        ]
        if label in ("traversal", "slash", "dotdot"):  # "." and odd characters stay inside
            cases.append((f"subPath {label}", PODS, {"metadata": {"name": "x"}, "spec": {
                "volumes": [{"name": "v", "emptyDir": {}}], "containers": [{
                    "name": "c", "image": "busybox", "command": ["sleep", "1"],
                    "volumeMounts": [{"name": "v", "mountPath": "/v",
                                      "subPath": name if label != "slash" else f"/{MARKER}"}]}]}},
                {422}))
    return cases


def body_cases():
    for name, path, body, codes in api_bodies():
        api_case(f"POST {name}", "POST", path, body, codes)
    # Raw bytes a JSON encoder would never produce.
    for name, body in [
        ("invalid UTF-8 in a string", b'{"metadata":{"name":"\xc3\x28"}}'),
        ("lone surrogate bytes", b'{"metadata":{"name":"x"},"data":{"a":"\xed\xa0\x80"}}'),
        ("raw NUL in a string", b'{"metadata":{"name":"a\x00b"}}'),
        ("raw NUL outside strings", b'{"metadata":\x00{"name":"x"}}'),
        ("truncated JSON", b'{"metadata":{"name":"x"'),
        ("trailing garbage", b'{"metadata":{"name":"x"}} junk'),
        ("YAML body", b"metadata:\n  name: x\n"),
        ("10,000 nested arrays", b'{"metadata":{"name":"x"},"x":' + b"[" * 10000 + b"]" * 10000 + b"}"),
        ("10,000 nested maps", b'{"metadata":{"name":"x"},"x":' + b'{"a":' * 10000 + b"1" +
         b"}" * 10000 + b"}"),
        ("3,000,000 nested arrays", b"[" * 3000000 + b"]" * 3000000),
    ]:
        api_case(f"POST {name}", "POST", CM, body, {400})
    # 50 MB: refused from its Content-Length, before the body is read.
    api_case("POST 50 MB body", "POST", CM,
             b'{"metadata":{"name":"big"},"data":{"a":"' + b"x" * (50 << 20) + b'"}}', {413})
    # The same without a length: chunked, refused once 8 MB have been read.
    chunk = b"x" * (1 << 20)
    raw = (f"POST {CM} HTTP/1.1\r\nHost: kinda\r\nContent-Type: application/json\r\n"
           "Transfer-Encoding: chunked\r\n\r\n").encode()
    raw += b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(50)) + b"0\r\n\r\n"
    status, body = exchange(raw)
    expect_refusal("POST 50 MB chunked body", status, body, {413})


def update_cases():
    """PUT, PATCH and DELETE against objects that exist (the set "web", the ConfigMap "cfg")."""
    web = f"{STS}/web"
    status, body = request("GET", web)
    current = json.loads(body)
    for name, change, codes in [
        ("replicas string", {"replicas": "three"}, {422}),
        ("replicas negative", {"replicas": -1}, {422}),
        ("replicas huge", {"replicas": 10 ** 20}, {422}),
        ("selector changed", {"selector": {"matchLabels": {"app": "other"}}}, {422}),
        ("claim template renamed to traversal", {"volumeClaimTemplates": [
            {"metadata": {"name": f"../../{MARKER}"}, "spec": {"accessModes": ["ReadWriteOnce"],
             "resources": {"requests": {"storage": "1Gi"}}}}]}, {422}),
    ]:
        body = json.loads(json.dumps(current))
        body["spec"].update(change)
        api_case(f"PUT {name}", "PUT", web, body, codes)
    renamed = json.loads(json.dumps(current))
    renamed["metadata"]["name"] = f"../../{MARKER}"
    api_case("PUT name differs from URL", "PUT", web, renamed, {400})
    api_case("PUT status not an object", "PUT", web + "/status", [1], {400})
    api_case("PUT status metadata string", "PUT", web + "/status", {"metadata": "x"}, {400})
    merge, strategic, jsonpatch = ("application/merge-patch+json",
                                   "application/strategic-merge-patch+json",
                                   "application/json-patch+json")
    for name, kind, body, codes in [
        ("merge replicas string", merge, {"spec": {"replicas": "three"}}, {422}),
        ("merge name traversal", merge, {"metadata": {"name": f"../../{MARKER}"}}, {400}),
        ("merge metadata number", merge, {"metadata": 5}, {400}),
        ("merge not an object", merge, [1], {400}),
        ("strategic replicas -1", strategic, {"spec": {"replicas": -1}}, {422}),
        ("strategic bad directive", strategic, {"spec": {"$patch": "frobnicate"}}, {400, 422}),
        ("strategic containers not a list", strategic,
         {"spec": {"template": {"spec": {"containers": 5}}}}, {400, 422}),
        ("json patch not a list", jsonpatch, {"op": "add"}, {400}),
        ("json patch unknown op", jsonpatch, [{"op": "frobnicate", "path": "/x"}], {400}),
        ("json patch bad pointer", jsonpatch,
         [{"op": "replace", "path": "spec/replicas", "value": 1}], {400, 422}),
        ("json patch missing path", jsonpatch, [{"op": "remove", "path": "/spec/nope/x"}], {422}),
        ("json patch replicas string", jsonpatch,
         [{"op": "replace", "path": "/spec/replicas", "value": "three"}], {422}),
        ("json patch 10,001 operations", jsonpatch,
         [{"op": "test", "path": "/kind", "value": "StatefulSet"}] * 10001, {413}),
        ("json patch copy doubling", jsonpatch,
         [{"op": "copy", "from": "/spec", "path": f"/spec/x{i}"} for i in range(40)], {422}),
        ("json patch nesting values deeper than the limit", jsonpatch,
         [{"op": "add", "path": "/spec/x", "value": json.loads("[" * 200 + "]" * 200)},
          {"op": "add", "path": "/spec/x" + "/0" * 100,
           "value": json.loads("[" * 200 + "]" * 200)}], {422}),
        ("patch deeper than the limit", merge,
         b'{"spec":' + b"[" * 10000 + b"]" * 10000 + b"}", {400}),
        ("patch of unknown type", "application/yaml", {"spec": {}}, {415}),
        ("apply without a field manager", "application/apply-patch+yaml", {"spec": {}}, {422}),
        ("patch invalid JSON", merge, b"{", {400}),
    ]:
        api_case(f"PATCH {name}", "PATCH", web, body, codes, content_type=kind)
    for name, method, body, codes, kind in [
        ("scale replicas string", "PUT", {"spec": {"replicas": "three"}}, {422}, "application/json"),
        ("scale replicas -1", "PUT", {"spec": {"replicas": -1}}, {422}, "application/json"),
        ("scale without replicas", "PUT", {"spec": {}}, {422}, "application/json"),
        ("scale body not an object", "PUT", b"[", {400}, "application/json"),
        ("scale patch replicas huge", "PATCH", {"spec": {"replicas": 10 ** 20}}, {422}, merge),
    ]:
        api_case(f"{method} {name}", method, web + "/scale", body, codes, content_type=kind)
    api_case("DELETE grace period a string", "DELETE", f"{CM}/cfg", {"gracePeriodSeconds": "x"},
             {400})
    api_case("DELETE propagation policy a number", "DELETE", f"{CM}/cfg",
             {"propagationPolicy": 5}, {400})
    api_case("DELETE unknown propagation policy", "DELETE", f"{CM}/cfg?propagationPolicy=Most",
             b"", {400})
    api_case("DELETE grace period query not a number", "DELETE", f"{CM}/cfg?gracePeriodSeconds=x",
             b"", {400})
    api_case("DELETE body deeper than the limit", "DELETE", f"{CM}/cfg",
             b"[" * 10000 + b"]" * 10000, {400})


def url_cases():
    """Traversal, encoded and oversized names in URL paths; none may reach a file."""
    names = [f"..%2F..%2F{MARKER}", f"%2e%2e%2f%2e%2e%2f{MARKER}", "%2e%2e", "..", ".",
             f"..%5C{MARKER}", "%00", "a%00b", "%ff%fe", "a" * 300, "UPPER", f"%2F{MARKER}"]
    for name in names:
        api_case(f"GET configmap {name[:40]}", "GET", f"{CM}/{name}", codes={404})
        api_case(f"GET claim {name[:40]}", "GET", f"{PVC}/{name}", codes={404})
        api_case(f"PUT configmap {name[:40]}", "PUT", f"{CM}/{name}",
                 configmap(name.replace("%", "")), codes={400, 404})
        api_case(f"DELETE configmap {name[:40]}", "DELETE", f"{CM}/{name}", codes={404})
        api_case(f"GET pod log {name[:40]}", "GET", f"{PODS}/{name}/log", codes={404})
        api_case(f"POST into namespace {name[:40]}", "POST",
                 f"/api/v1/namespaces/{name}/configmaps", configmap("x"), codes={400, 404, 422})
        api_case(f"POST claim into namespace {name[:40]}", "POST",
                 f"/api/v1/namespaces/{name}/persistentvolumeclaims",
                 {"metadata": {"name": "x"}, "spec": {"accessModes": ["ReadWriteOnce"],
                  "resources": {"requests": {"storage": "1Gi"}}}}, codes={400, 404, 422})
    for path, codes in [
        (f"/api/v1/namespaces/{NS}/widgets", {404}),
        ("/apis/apps/v2/namespaces/default/statefulsets", {404}),
        ("/api/v2/pods", {404}),
        ("/../../etc/passwd", {404}),
        (f"/api/v1/namespaces/{NS}/pods/x/exec", {404}),
        (f"{STS}/web/frobnicate", {404}),
        (f"{PODS}/nope/log?container=../../../../etc/passwd", {404}),
        (f"{PODS}/nope/log?tailLines=99999999999999999999999", {404}),
        (f"{CM}?labelSelector=%3D%3D%3D", {400}),
        (f"{CM}?fieldSelector=nonsense", {400}),
    ]:
        api_case(f"GET {path[:60]}", "GET", path, codes=codes)
    for method in ["BREW", "PROPFIND", "TRACE", "CONNECT"]:
        api_case(f"method {method}", method, CM, codes={405})
    api_case("POST to a named object", "POST", f"{CM}/cfg", configmap("cfg"), {405})


def http_cases():
    """HTTP itself abused: garbage, bad framing, oversized lines and headers."""
    for name, raw, codes in [
        ("garbage instead of HTTP", b"\x00\x01\x02garbage\r\n\r\n", {400}),
        ("TLS hello instead of HTTP", bytes.fromhex("160301020001") + b"\x00" * 64 + b"\r\n\r\n",
         {400}),
        ("request line only", b"GET\r\n\r\n", {400}),
        ("space in target", b"GET /ver sion HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
        ("negative Content-Length",
         b"POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", {400}),
        ("non-numeric Content-Length",
         b"POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", {400}),
        ("two Content-Lengths",
         b"POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
         b"Content-Length: 5\r\n\r\n{}", {400}),
        ("Content-Length and chunked",
         b"POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
         b"Transfer-Encoding: chunked\r\n\r\n{}", {400}),
        ("bad chunk size",
         b"POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
         b"zz\r\n{}\r\n0\r\n\r\n", {400}),
        ("header without colon", b"GET /version HTTP/1.1\r\nHost x\r\n\r\n", {400}),
        ("NUL in a header", b"GET /version HTTP/1.1\r\nHost: x\x00y\r\n\r\n", {400}),
        ("oversized header", b"GET /version HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100000 +
         b"\r\n\r\n", {431}),
        ("100 headers of 1 KB", b"GET /version HTTP/1.1\r\nHost: x\r\n" +
         b"".join(b"X-H%d: %s\r\n" % (i, b"a" * 1000) for i in range(100)) + b"\r\n", {431}),
        ("oversized URL", b"GET /api/v1/namespaces/default/configmaps/" + b"a" * 100000 +
         b" HTTP/1.1\r\nHost: x\r\n\r\n", {431}),
        ("Content-Length beyond the limit",
         b"POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n",
         {413}),
        ("Content-Length beyond 64 bits",
         b"POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nContent-Length: "
         b"999999999999999999999999\r\n\r\n", {400, 413}),
    ]:
        status, body = exchange(raw)
        expect_refusal(f"HTTP {name}", status, body, codes)


def held_connections(count, slow):
    """Opens `count` connections that never finish a request: idle ones send nothing, slow ones
    send a request's first bytes one at a time. Returns (sockets, stop event)."""
    sockets, stop = [], threading.Event()
    for _ in range(count):
        sockets.append(connect())
    if slow:
        def drip(s):
            line = b"GET /api/v1/namespaces HTTP/1.1\r\nHost: kinda\r\nX-Slow: " + b"a" * 10000
            for byte in line:
                if stop.wait(0.05):
                    return
                try:
                    s.send(bytes([byte]))
                except OSError:
                    return
        for s in sockets:
            threading.Thread(target=drip, args=(s,), daemon=True).start()
    return sockets, stop


def abuse_cases():
    """Slow and idle clients must not keep the daemon from answering everyone else."""
    served = asked = 0
    idle, _ = held_connections(500, slow=False)
    slow, stop = held_connections(20, slow=True)
    partial = []
    for _ in range(20):  # requests cut off mid-header, mid-body
        s = connect()
        s.sendall(b"POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Length: 1000\r\n\r\n{\"metadata\":")
        partial.append(s)
    for _ in range(40):
        asked += 1
        status, _ = request("GET", f"{CM}/cfg")
        served += status == 200
    stop.set()
    for s in idle + slow + partial:
        s.close()
    if served != asked:
        fail(f"with 500 idle, 20 slow and 20 unfinished connections open, only {served} of "
             f"{asked} requests were answered")
    if not alive():
        fail("the daemon stopped answering after the idle and slow connections")
    print(f"abuse: 500 idle, 20 byte-by-byte and 20 unfinished connections held; {served}/{asked}"
          f" other requests answered meanwhile")


def apply_cases():
    """`kinda apply -f` over the corpus: each refused with an error (exit 1), never a crash."""
    global sent, rejected
    files = sorted(os.listdir(CORPUS))
    refused = 0
    for name in files:
        sent += 1
        run = subprocess.run([KINDA, "apply", "-f", os.path.join(CORPUS, name)],
                             capture_output=True, timeout=TIMEOUT * 3)
        err = run.stderr.decode("utf-8", "replace")
        if run.returncode == 1 and "error" in err and "terminate called" not in err:
            rejected += 1
            refused += 1
        else:
            fail(f"kinda apply -f {name}: exit {run.returncode}, stderr {err[:300]!r}")
        if not alive():
            fail(f"kinda apply -f {name}: the daemon stopped answering")
            raise SystemExit(finish())
    print(f"kinda apply: {refused} of {len(files)} corpus files refused")


def escaped():
    """Paths named MARKER anywhere a traversing name could have put them."""
    found = []
    home = os.path.dirname(ROOT)
    for top in [home, os.path.dirname(home), "/"]:
        depth_limit = 0 if top == "/" else 8
        for dirpath, dirnames, filenames in os.walk(top):
            if dirpath.count(os.sep) - top.count(os.sep) >= depth_limit:
                dirnames[:] = []
            found += [os.path.join(dirpath, n) for n in dirnames + filenames if MARKER in n]
    return found


def finish():
    after = snapshot()
    if after != before:
        changed = sorted(set(after[1].items()) ^ set(before[1].items()))
        fail(f"state changed: revision {before[0]} -> {after[0]}; objects {changed[:10]}")
    for path in escaped():
        fail(f"a hostile name created {path}")
    if failures:
        print(f"hostile inputs: {sent} sent, {rejected} rejected with 4xx, "
              f"{len(failures)} failures")
        return 1
    print(f"hostile inputs: {sent} sent, {rejected} rejected with 4xx, 0 crashes, "
          f"state unchanged (revision {after[0]}, {len(after[1])} objects)")
    return 0


before = snapshot()
body_cases()
update_cases()
url_cases()
http_cases()
abuse_cases()
apply_cases()
sys.exit(finish())
