#!/usr/bin/env python3
"""API load for load_e2e.sh, and the check that no watcher lost, repeated or reordered an event.

usage: load_clients.py API_SOCKET STATE_DB WORK_DIR SET_NAME REPLICAS CLIENTS

Starts CLIENTS concurrent clients (threads) against the cluster's API: readers (list pods, get
the StatefulSet, get a pod by name, list by label, get the Service, list StatefulSets), a few
writers (merge-patch a label on their own ConfigMap; create and delete scratch ConfigMaps) and
watchers of pods:
  - reflectors: list, then watch from the list's resourceVersion with a short timeoutSeconds,
    resuming from the last event seen each time the server ends the stream (as client-go does);
    some with labelSelector;
  - single-pod watchers (fieldSelector, and the named-object path) from a list's resourceVersion;
  - snapshot watchers: resourceVersion=0 or none, one stream for the whole run (ADDED for the
    current pods, then every change).
Once every watcher's stream is open it creates WORK_DIR/established and runs until
WORK_DIR/stop appears (the shell rolls the set out meanwhile). Then readers and writers stop, a
sentinel change is made to pod SET-0 (an annotation), and each watcher reads until it has seen
the sentinel's resourceVersion, so a lost event at the tail shows too.

Each watcher's received (resourceVersion, type, name) sequence is then compared with the pod
revisions in the revision log (the `revisions` table, read-only; the daemon's WAL lets readers
in) in the watcher's window (start, sentinel], filtered by the watcher's selector: same events,
same order, no gaps, no duplicates. A snapshot watcher's leading ADDED events must equal the
log's state of the pods just before its first live event. Revisions the store compacted away
(meta.oldest_retained) cannot be compared and are reported as such; a 410 Gone ERROR event makes
a reflector relist (as client-go does) and starts a new window.

Requests answered with anything but 2xx count as errors, except 404 for a pod by name (the pod
is between deletion and re-creation in the rollout; counted apart). Writes WORK_DIR/load.json
with the counts and prints what went wrong; exits 1 on any error or mismatch.
"""
import http.client
import json
import os
import random
import socket
import sqlite3
import sys
import threading
import time
import urllib.parse

NS = "default"
PODS = f"/api/v1/namespaces/{NS}/pods"
CONFIGMAPS = f"/api/v1/namespaces/{NS}/configmaps"
STATEFULSETS = f"/apis/apps/v1/namespaces/{NS}/statefulsets"
# Readers pause this long (uniformly at random, seconds) between requests: a modest, fixed rate
# that a 2-core machine sustains next to 100 pods, the daemon and dnsperf.
READER_PAUSE = (0.15, 0.5)
WRITER_PAUSE = (0.15, 0.4)
SOCKET_TIMEOUT = 30      # a request unanswered this long is an error
# A keep-alive connection idle this long is dropped before reuse, as HTTP clients do: the API
# server closes connections that send no request for 30 s.
IDLE_CONNECTION = 20
WATCH_POLL = 0.5         # how often a watcher looks at the stop flags while its stream is idle
ESTABLISH_DEADLINE = 30  # for every watcher's stream to open
RUN_DEADLINE = 240       # for the shell's stop file
SENTINEL_DEADLINE = 30   # for every watcher to see the sentinel


class UnixConnection(http.client.HTTPConnection):
    """HTTP/1.1 keep-alive over the API's Unix socket."""

    def __init__(self, path):
        super().__init__("kinda", timeout=SOCKET_TIMEOUT)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(SOCKET_TIMEOUT)
        self.sock.connect(self.unix_path)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.errors = []          # (what, detail), the first few are printed
        self.error_count = 0
        self.pod_not_found = 0    # GET pod by name answered 404: mid-replacement, not an error
        self.gone = 0             # 410 Gone ERROR events (reflectors relist)
        self.by_kind = {}         # kind -> [seconds each request took], for the printout

    def request(self, kind, seconds=None):
        with self.lock:
            self.requests += 1
            self.by_kind.setdefault(kind, [])
            if seconds is not None:
                self.by_kind[kind].append(seconds)

    def error(self, what, detail):
        with self.lock:
            self.error_count += 1
            if len(self.errors) < 20:
                self.errors.append((what, str(detail)[:300]))


class Api:
    """One client's keep-alive connection; reconnects after a failure (which is counted)."""

    def __init__(self, sock_path, stats):
        self.sock_path = sock_path
        self.stats = stats
        self.conn = None
        self.last_used = 0.0

    def call(self, kind, method, path, body=None, content_type="application/json", ok_404=False):
        started = time.monotonic()
        if self.conn is not None and started - self.last_used > IDLE_CONNECTION:
            self.conn.close()
            self.conn = None
        if self.conn is None:
            self.conn = UnixConnection(self.sock_path)
        self.last_used = started
        try:
            headers = {"Content-Type": content_type} if body is not None else {}
            self.conn.request(method, path, body, headers)
            reply = self.conn.getresponse()
            data = reply.read()
            self.stats.request(kind, time.monotonic() - started)
        except (OSError, http.client.HTTPException) as e:
            self.stats.request(kind)
            self.conn.close()
            self.conn = None
            self.stats.error(f"{method} {path}", f"{type(e).__name__}: {e}")
            return None, None
        if reply.status == 404 and ok_404:
            return 404, None
        if not 200 <= reply.status < 300:
            self.stats.error(f"{method} {path}", f"{reply.status} {data[:200]!r}")
            return reply.status, None
        try:
            return reply.status, json.loads(data)
        except ValueError as e:
            self.stats.error(f"{method} {path}", f"unparsable reply: {e}")
            return reply.status, None


class WatchStream:
    """A `?watch=true` response read from a raw socket: chunked transfer decoded by hand, so an
    idle stream can time out (to look at stop flags) without losing a partial chunk."""

    def __init__(self, sock_path, target):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(SOCKET_TIMEOUT)
        self.sock.connect(sock_path)
        self.sock.sendall(f"GET {target} HTTP/1.1\r\nHost: kinda\r\n\r\n".encode())
        self.raw = bytearray()   # bytes received, not yet decoded
        self.body = bytearray()  # decoded body, not yet split into lines
        self.ended = False
        self.status = None
        self.error_body = b""
        self._read_head()
        self.sock.settimeout(WATCH_POLL)

    def _recv(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError("the server closed the watch connection")
        self.raw += data

    def _read_head(self):
        while b"\r\n\r\n" not in self.raw:
            self._recv()
        head, _, rest = bytes(self.raw).partition(b"\r\n\r\n")
        self.raw = bytearray(rest)
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}
        if self.status != 200 or headers.get("transfer-encoding", "").lower() != "chunked":
            length = int(headers.get("content-length", "0"))
            while len(self.raw) < length:
                self._recv()
            self.error_body = bytes(self.raw[:length])
            self.ended = True

    def _decode(self):
        while not self.ended:
            eol = self.raw.find(b"\r\n")
            if eol < 0:
                return
            size = int(self.raw[:eol].split(b";")[0], 16)
            if size == 0:
                self.ended = True
                return
            if len(self.raw) < eol + 2 + size + 2:
                return
            self.body += self.raw[eol + 2:eol + 2 + size]
            del self.raw[:eol + 2 + size + 2]

    def lines(self):
        """The complete lines received so far; [] after WATCH_POLL seconds of silence."""
        self._decode()
        if not self.ended and b"\n" not in self.body:
            try:
                self._recv()
            except socket.timeout:
                pass
            self._decode()
        out = []
        while True:
            nl = self.body.find(b"\n")
            if nl < 0:
                break
            out.append(bytes(self.body[:nl]))
            del self.body[:nl + 1]
        return out

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class Run:
    def __init__(self, sock_path, work, set_name, replicas):
        self.replicas = replicas
        self.sock_path = sock_path
        self.work = work
        self.set_name = set_name
        self.stats = Stats()
        self.stop_load = threading.Event()   # readers and writers stop
        self.sentinel_rv = None              # set once the sentinel is written
        self.sentinel_set = threading.Event()
        self.abort = threading.Event()       # give up (deadline)
        self.established = threading.Semaphore(0)


class Watcher(threading.Thread):
    """One pod watcher. `mode`:
      "reflector"  list, watch from its resourceVersion with a short timeoutSeconds, resume from
                   the last event seen whenever the server ends the stream;
      "replayer"   list once, then reopen from that same resourceVersion each time the server ends
                   the stream: an ever longer backlog handed over to live events mid-rollout;
      "rv0"/"norv" one stream with resourceVersion=0 / none: the current pods, then every change;
      "resnapshot" resourceVersion=0 streams the client itself closes after a few seconds and
                   reopens (snapshots taken mid-rollout, disconnects from the client side).
    `label`/`field` are its selectors; `named` watches SET-0 through /pods/SET-0?watch=true."""

    def __init__(self, run, index, mode, label="", field="", named=False, timeout_range=(2, 6)):
        super().__init__(name=f"watcher-{index}", daemon=True)
        self.run_ = run
        self.index = index
        self.mode = mode
        self.label = label
        self.field = field
        self.named = named
        self.timeout_range = timeout_range
        self.rng = random.Random(3000 + index)
        self.api = Api(run.sock_path, run.stats)
        # Windows of events: {"kind": "from_rv"|"snapshot", "start": rv or None, "events": [...],
        # "end": the last revision the window covers, None for up to the sentinel}.
        self.segments = []
        self.done = False
        self.opened = False
        self.failure = None
        self.phase = "starting"  # where it is, for the report when it misses the sentinel

    def describe(self):
        what = self.mode
        if self.label:
            what += f" labelSelector={self.label}"
        if self.field:
            what += f" fieldSelector={self.field}"
        if self.named:
            what += f" named /pods/{self.run_.set_name}-0"
        return f"watcher {self.index} ({what})"

    def query(self, extra):
        params = {"watch": "true"}
        if self.label:
            params["labelSelector"] = self.label
        if self.field and not self.named:
            params["fieldSelector"] = self.field
        params.update(extra)
        path = f"{PODS}/{self.run_.set_name}-0" if self.named else PODS
        return f"{path}?{urllib.parse.urlencode(params)}"

    def list_rv(self):
        params = {}
        if self.label:
            params["labelSelector"] = self.label
        if self.field:
            params["fieldSelector"] = self.field
        path = PODS + ("?" + urllib.parse.urlencode(params) if params else "")
        _, listed = self.api.call("list pods (watcher)", "GET", path)
        if listed is None:
            raise RuntimeError("the list before the watch failed")
        return int(listed["metadata"]["resourceVersion"])

    def open(self, extra):
        started = time.monotonic()
        self.phase = f"opening {self.query(extra)} at {time.time():.3f}"
        try:
            stream = WatchStream(self.run_.sock_path, self.query(extra))
        except (OSError, EOFError, ValueError):
            self.run_.stats.request("watch pods")
            raise
        self.run_.stats.request("watch pods (to headers)", time.monotonic() - started)
        if stream.status != 200:
            self.run_.stats.error(f"watch {self.query(extra)}",
                                  f"{stream.status} {stream.error_body[:200]!r}")
            raise RuntimeError(f"watch answered {stream.status}")
        if not self.opened:
            self.run_.established.release()
            self.opened = True
        self.phase = f"reading {self.query(extra)} (headers at {time.time():.3f})"
        return stream

    def reached_sentinel(self, rv):
        return self.run_.sentinel_set.is_set() and rv is not None and rv >= self.run_.sentinel_rv

    def run(self):
        try:
            self.watch()
        except Exception as e:  # noqa: BLE001 (any failure of a watcher fails the test)
            self.failure = f"{type(e).__name__}: {e}"
            self.run_.stats.error(self.describe(), self.failure)
            if not self.opened:
                self.run_.established.release()  # never leave the main thread waiting

    def new_segment(self, kind, start):
        segment = {"kind": kind, "start": start, "events": [], "end": None}
        self.segments.append(segment)
        return segment

    @staticmethod
    def close_segment(segment):
        """A window the client left before the sentinel covers what it received, no more."""
        rvs = [e[0] for e in segment["events"]]
        segment["end"] = max(rvs) if rvs else (segment["start"] or 0)
        segment["cut"] = True

    def watch(self):
        snapshot = self.mode in ("rv0", "norv", "resnapshot")
        start = None if snapshot else self.list_rv()
        segment = self.new_segment("snapshot" if snapshot else "from_rv", start)
        last = start
        while not self.run_.abort.is_set():
            deadline = None
            if self.mode in ("reflector", "replayer"):
                timeout = self.rng.randint(*self.timeout_range)
                since = last if self.mode == "reflector" else start
                stream = self.open({"resourceVersion": str(since), "timeoutSeconds": str(timeout)})
            elif self.mode == "norv":
                stream = self.open({})
            else:
                stream = self.open({"resourceVersion": "0"})
                if self.mode == "resnapshot":
                    deadline = time.monotonic() + self.rng.uniform(*self.timeout_range)
            try:
                outcome = self.read(stream, segment, deadline)
            finally:
                stream.close()
            if segment["events"]:
                last = segment["events"][-1][0]
            if self.done:
                segment["cut"] = True  # it stopped at the sentinel, maybe inside a snapshot
                return
            if outcome == "gone":  # as client-go: relist and watch from the new list
                self.close_segment(segment)
                start = last = self.list_rv()
                segment = self.new_segment("from_rv", start)
            elif outcome == "left" or (outcome == "ended" and self.mode == "replayer"):
                self.close_segment(segment)
                segment = self.new_segment(segment["kind"], start)
            elif outcome == "ended" and self.mode != "reflector":
                raise RuntimeError("the server ended a watch that had no timeoutSeconds")

    def read(self, stream, segment, deadline):
        """Reads one stream until the sentinel ("done"), its end ("ended"), a 410 ERROR event
        ("gone") or the client's own deadline ("left")."""
        # The newest revision seen, not the last: a snapshot comes in name order, so a pod
        # changed after the sentinel's pod (or the sentinel itself) may come before older ones.
        newest = None
        while not self.run_.abort.is_set():
            for line in stream.lines():
                event = json.loads(line)
                kind, obj = event.get("type"), event.get("object", {})
                if kind == "ERROR":
                    if obj.get("code") == 410:
                        with self.run_.stats.lock:
                            self.run_.stats.gone += 1
                        return "gone"
                    raise RuntimeError(f"ERROR event: {obj}")
                meta = obj.get("metadata", {})
                rv = int(meta["resourceVersion"])
                if meta.get("namespace") != NS:
                    raise RuntimeError(f"event for a pod outside {NS}: {meta}")
                segment["events"].append((rv, kind, meta["name"]))
                newest = rv if newest is None else max(newest, rv)
            if self.reached_sentinel(newest):
                self.done = True
                return "done"
            if stream.ended:
                return "ended"
            if deadline is not None and time.monotonic() > deadline and not self.run_.sentinel_set.is_set():
                return "left"
        return "abort"


def reader(run, index):
    api = Api(run.sock_path, run.stats)
    rng = random.Random(index)
    ops = ["list pods", "get statefulset", "get pod", "list pods by label", "get service",
           "list statefulsets"]
    at = index % len(ops)
    while not run.stop_load.is_set():
        op = ops[at]
        at = (at + 1) % len(ops)
        if op == "list pods":
            _, got = api.call(op, "GET", PODS)
            if got is not None and not isinstance(got.get("items"), list):
                run.stats.error(op, "no items")
        elif op == "get statefulset":
            api.call(op, "GET", f"{STATEFULSETS}/{run.set_name}")
        elif op == "get pod":
            status, _ = api.call(op, "GET", f"{PODS}/{run.set_name}-{rng.randrange(run.replicas)}", ok_404=True)
            if status == 404:
                with run.stats.lock:
                    run.stats.pod_not_found += 1
        elif op == "list pods by label":
            selector = rng.choice([f"app={run.set_name}",
                                   f"statefulset.kubernetes.io/pod-name={run.set_name}-{rng.randrange(run.replicas)}"])
            api.call(op, "GET", f"{PODS}?{urllib.parse.urlencode({'labelSelector': selector})}")
        elif op == "get service":
            api.call(op, "GET", f"/api/v1/namespaces/{NS}/services/{run.set_name}")
        else:
            api.call(op, "GET", STATEFULSETS)
        run.stop_load.wait(rng.uniform(*READER_PAUSE))


def label_writer(run, index):
    """Merge-patches a label on its own ConfigMap, over and over."""
    api = Api(run.sock_path, run.stats)
    rng = random.Random(1000 + index)
    name = f"load-writer-{index}"
    api.call("create configmap", "POST", CONFIGMAPS,
             json.dumps({"metadata": {"name": name}, "data": {"k": "v"}}))
    tick = 0
    while not run.stop_load.is_set():
        tick += 1
        _, got = api.call("patch configmap label", "PATCH", f"{CONFIGMAPS}/{name}",
                          json.dumps({"metadata": {"labels": {"tick": str(tick)}}}),
                          "application/merge-patch+json")
        if got is not None and got["metadata"].get("labels", {}).get("tick") != str(tick):
            run.stats.error("patch configmap label", f"label not applied: {got['metadata']}")
        run.stop_load.wait(rng.uniform(*WRITER_PAUSE))


def scratch_writer(run, index):
    """Creates a scratch ConfigMap and deletes it again, over and over."""
    api = Api(run.sock_path, run.stats)
    rng = random.Random(2000 + index)
    n = 0
    while not run.stop_load.is_set():
        n += 1
        name = f"load-scratch-{index}-{n}"
        status, _ = api.call("create scratch configmap", "POST", CONFIGMAPS,
                             json.dumps({"metadata": {"name": name}, "data": {"n": str(n)}}))
        if status == 201:
            api.call("delete scratch configmap", "DELETE", f"{CONFIGMAPS}/{name}")
        run.stop_load.wait(rng.uniform(*WRITER_PAUSE))


# ---- the check against the revision log ----

def read_log(db_path):
    """The pod revisions of namespace NS as [(rv, type, name, labels)], and oldest_retained."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        with db:  # one read transaction: meta and log from the same snapshot
            oldest = db.execute("SELECT value FROM meta WHERE key = 'oldest_retained'").fetchone()[0]
            rows = db.execute("SELECT revision, type, name, data FROM revisions "
                              "WHERE resource = 'pods' AND namespace = ? ORDER BY revision",
                              (NS,)).fetchall()
    finally:
        db.close()
    log = [(rv, kind, name, json.loads(data)["metadata"].get("labels", {}))
           for rv, kind, name, data in rows]
    return log, oldest


def selector_matches(label, field, name, labels):
    for term in filter(None, label.split(",")):
        key, _, value = term.partition("=")
        if labels.get(key) != value:
            return False
    for term in filter(None, field.split(",")):
        key, _, value = term.partition("=")
        if key != "metadata.name":
            raise ValueError(f"the check knows no field selector {term}")
        if name != value:
            return False
    return True


def compare(expected, got):
    """Counts of lost, duplicated, out-of-order and unexpected events, and the first difference."""
    want = set(expected)
    seen = set()
    dup = ooo = unexpected = 0
    previous = None
    for e in got:
        if e in seen:
            dup += 1
            continue
        seen.add(e)
        if e not in want:
            unexpected += 1
        if previous is not None and e[0] <= previous:
            ooo += 1
        previous = e[0]
    lost = len(want - seen)
    first = None
    for i, (a, b) in enumerate(zip(expected, got)):
        if a != b:
            first = f"at #{i}: log {a}, watch {b}"
            break
    if first is None and len(expected) != len(got):
        first = f"log has {len(expected)} events, watch {len(got)}"
    return {"lost": lost, "dup": dup, "ooo": ooo, "unexpected": unexpected, "first": first}


def state_at(log, rv):
    """{name: rv} of the pods that exist after revision rv, from the log."""
    pods = {}
    for r, kind, name, _ in log:
        if r > rv:
            break
        if kind == "DELETED":
            pods.pop(name, None)
        else:
            pods[name] = r
    return pods


def check_watcher(watcher, log, oldest, sentinel_rv):
    """Compares every window of one watcher with the log. Returns (events checked, problems,
    events not comparable because compacted)."""
    problems = []
    checked = compacted = truncated = 0
    match = [e[:3] for e in log if selector_matches(watcher.label, watcher.field, e[2], e[3])]
    for segment in watcher.segments:
        end = segment["end"] if segment["end"] is not None else sentinel_rv
        got = [e for e in segment["events"] if e[0] <= end]
        if segment["kind"] == "snapshot":
            # A window the client stopped reading may have ended inside the snapshot.
            prefix, got, cut = split_snapshot(got, match, log, oldest, segment.get("cut", False))
            truncated += cut
            if prefix is None:
                problems.append("the initial ADDED events match no state of the pods in the log: "
                                + explain_snapshot(got, log))
                continue
            checked += prefix
            # The live events start right after the snapshot's state (split_snapshot checked that
            # no change lies between), so from the first of them on nothing may be missing.
            first_live = got[0][0] if got else end + 1
            lower = max(first_live - 1, oldest - 1)
            expected = [e for e in match if lower < e[0] <= end]
        else:
            # A watch from `start` gets only later revisions; those the log no longer holds
            # (compacted while the watch ran) cannot be compared and are left out of both sides.
            start = segment["start"]
            lower = max(start, oldest - 1)
            compacted += sum(1 for e in got if start < e[0] <= lower)
            got = [e for e in got if not start < e[0] <= lower]
            expected = [e for e in match if lower < e[0] <= end]
        diff = compare(expected, got)
        checked += len(expected)
        if any(diff[k] for k in ("lost", "dup", "ooo", "unexpected")):
            problems.append(f"window ({segment['start']}, {end}]: {diff}")
    return checked, problems, compacted, truncated


def split_snapshot(got, match, log, oldest, truncatable=False):
    """A resourceVersion=0 stream begins with ADDED events for the pods that existed when it
    opened (in name order, each at its own resourceVersion), then every change after that. Finds
    the split for which the ADDED events are exactly the log's pod state (as the watcher's
    selector sees it) just before the first live event, or, without live events, at some
    revision from the newest of them on; when `truncatable` (the client left early), without
    live events they may be just the first names of that state. Returns (how many snapshot
    events, the live events, whether the snapshot was cut short) or (None, got, False)."""
    if oldest > 1:
        # The state cannot be rebuilt from a compacted log: take the leading ADDED run whose
        # names are in order as the snapshot and check only the live events after it.
        k = 0
        while k < len(got) and got[k][1] == "ADDED" and (k == 0 or got[k][2] > got[k - 1][2]):
            k += 1
        return k, got[k:], False
    run = 0
    while run < len(got) and got[run][1] == "ADDED":
        run += 1
    matching = {e[0] for e in match}  # revisions whose pod the watcher's selector lets through
    for k in range(run, -1, -1):
        prefix = {name: rv for rv, _, name in got[:k]}
        if len(prefix) != k:
            continue
        if k < len(got):
            first_live = got[k][0]
            at = max((e[0] for e in log if e[0] < first_live), default=0)
            states = [state_at(log, at)]
        else:
            states = states_from(log, max(prefix.values(), default=0))
        received = [(name, rv) for rv, _, name in got[:k]]
        for state in states:
            visible = sorted((n, r) for n, r in state.items() if r in matching)
            if visible == received:
                return k, got[k:], False
            if truncatable and k == len(got) and visible[:k] == received:
                return k, got[k:], True
    return None, got, False


def explain_snapshot(got, log):
    """What differs between a snapshot that matched no state and the log's state just before
    the first event that does not continue the snapshot's name order."""
    k = 0
    while k < len(got) and got[k][1] == "ADDED" and (k == 0 or got[k][2] > got[k - 1][2]):
        k += 1
    prefix = {name: rv for rv, _, name in got[:k]}
    first_live = got[k][0] if k < len(got) else None
    at = max((e[0] for e in log if first_live is None or e[0] < first_live), default=0)
    state = state_at(log, at)
    diff = sorted((n, prefix.get(n), state.get(n)) for n in set(prefix) | set(state)
                  if prefix.get(n) != state.get(n))
    near = [e[:3] for e in log if diff and min(r for d in diff for r in d[1:] if r) - 3 <= e[0]
            <= (first_live or at) + 1]
    return (f"{k} snapshot events (newest {max(prefix.values(), default=None)}), then "
            f"{got[k:k + 3]}; (name, snapshot rv, log rv) differing at {at}: {diff[:6]}; "
            f"log around: {near[:40]}")


def states_from(log, low):
    """The pod states ({name: rv}) at revision `low` and after each later revision of the log."""
    pods = {}
    for r, kind, name, _ in log:
        if r > low:
            yield dict(pods)
        if kind == "DELETED":
            pods.pop(name, None)
        else:
            pods[name] = r
    yield pods


def selftest():
    """The check must find what it is there to find: a made-up log and watchers that lost,
    repeated or reordered an event, or whose snapshot is wrong. Exits 1 when it does not."""
    log = [(1, "ADDED", "a", {"app": "x"}), (2, "ADDED", "b", {"app": "x"}),
           (4, "MODIFIED", "a", {"app": "x"}), (5, "DELETED", "b", {"app": "x"}),
           (6, "ADDED", "b", {"app": "x"}), (8, "MODIFIED", "a", {"app": "x"})]
    sentinel = 8

    class Fake:
        def __init__(self, kind, start, events, label="", field="", end=None):
            self.label, self.field = label, field
            self.segments = [{"kind": kind, "start": start, "events": events, "end": end,
                              "cut": end is not None}]

    def ev(*rvs):
        return [e[:3] for r in rvs for e in log if e[0] == r]

    cases = [  # (what, watcher, problems expected)
        ("all events", Fake("from_rv", 2, ev(4, 5, 6, 8)), False),
        ("one lost", Fake("from_rv", 2, ev(4, 6, 8)), True),
        ("one lost at the tail", Fake("from_rv", 2, ev(4, 5, 6)), True),
        ("one twice", Fake("from_rv", 2, ev(4, 5, 5, 6, 8)), True),
        ("two swapped", Fake("from_rv", 2, ev(4, 6, 5, 8)), True),
        ("one from before the window", Fake("from_rv", 2, ev(2, 4, 5, 6, 8)), True),
        ("wrong type", Fake("from_rv", 2, ev(4) + [(5, "MODIFIED", "b")] + ev(6, 8)), True),
        ("field selector", Fake("from_rv", 1, ev(4, 8), field="metadata.name=a"), False),
        ("field selector, one lost", Fake("from_rv", 1, ev(8), field="metadata.name=a"), True),
        ("label selector", Fake("from_rv", 0, ev(1, 2, 4, 5, 6, 8), label="app=x"), False),
        ("snapshot", Fake("snapshot", None, [(1, "ADDED", "a"), (2, "ADDED", "b")] + ev(4, 5, 6, 8)),
         False),
        ("snapshot after a change", Fake("snapshot", None, [(4, "ADDED", "a"), (2, "ADDED", "b")]
                                         + ev(5, 6, 8)), False),
        ("snapshot missing a pod", Fake("snapshot", None, [(1, "ADDED", "a")] + ev(4, 5, 6, 8)), True),
        ("snapshot, first live event lost",
         Fake("snapshot", None, [(1, "ADDED", "a"), (2, "ADDED", "b")] + ev(5, 6, 8)), True),
        ("snapshot left early", Fake("snapshot", None, [(4, "ADDED", "a"), (2, "ADDED", "b")],
                                     end=4), False),
        ("snapshot left early, stale pod", Fake("snapshot", None, [(1, "ADDED", "a"), (6, "ADDED", "b")],
                                                end=6), True),
        ("snapshot left inside the snapshot", Fake("snapshot", None, [(4, "ADDED", "a")], end=4),
         False),
        ("snapshot left inside the snapshot, out of order",
         Fake("snapshot", None, [(6, "ADDED", "b")], end=6), True),
        ("snapshot, one twice",
         Fake("snapshot", None, [(1, "ADDED", "a"), (2, "ADDED", "b")] + ev(4, 5, 6, 6, 8)), True),
    ]
    # The log compacted up to revision 5 while the watchers ran: 4 cannot be compared any more.
    compacted = [e for e in log if e[0] >= 5]
    cases += [
        ("compacted", Fake("from_rv", 2, ev(4, 5, 6, 8)), False, compacted, 5),
        ("compacted, one lost", Fake("from_rv", 2, ev(4, 6, 8)), True, compacted, 5),
        ("compacted, snapshot", Fake("snapshot", None, [(4, "ADDED", "a"), (2, "ADDED", "b")]
                                     + ev(5, 6, 8)), False, compacted, 5),
        ("compacted, snapshot, one lost", Fake("snapshot", None, [(4, "ADDED", "a"), (2, "ADDED", "b")]
                                               + ev(5, 8)), True, compacted, 5),
    ]
    wrong = []
    for what, watcher, bad, *log_oldest in cases:
        the_log, oldest = log_oldest or (log, 1)
        _, problems, _, _ = check_watcher(watcher, the_log, oldest, sentinel)
        if bool(problems) != bad:
            wrong.append(f"{what}: expected {'problems' if bad else 'none'}, got {problems}")
    for w in wrong:
        print(f"selftest: {w}", file=sys.stderr)
    sys.exit(1 if wrong else 0)


def main():
    if sys.argv[1:2] == ["selftest"]:
        return selftest()
    sock_path, db_path, work, set_name, replicas, clients = sys.argv[1:7]
    clients = int(clients)
    run = Run(sock_path, work, set_name, int(replicas))

    # Watchers: 14 of every 50 clients; writers: 4; readers: the rest.
    watchers = []
    plan = [("reflector", {}), ("reflector", {}), ("reflector", {}), ("reflector", {}),
            ("replayer", {"timeout_range": (3, 6)}), ("resnapshot", {"timeout_range": (2, 5)}),
            ("reflector", {"label": f"app={set_name}"}),
            ("reflector", {"label": f"app={set_name}", "timeout_range": (1, 3)}),
            ("reflector", {"field": f"metadata.name={set_name}-0"}),
            ("reflector", {"field": f"metadata.name={set_name}-0", "named": True}),
            ("rv0", {}), ("rv0", {"label": f"app={set_name}"}), ("norv", {}), ("norv", {})]
    n_watchers = max(1, clients * len(plan) // 50)
    n_writers = max(1, clients * 4 // 50)
    n_readers = clients - n_watchers - n_writers
    for i in range(n_watchers):
        mode, options = plan[i % len(plan)]
        watchers.append(Watcher(run, i, mode, **options))
    threads = [threading.Thread(target=reader, args=(run, i), daemon=True) for i in range(n_readers)]
    threads += [threading.Thread(target=label_writer, args=(run, i), daemon=True)
                for i in range(n_writers - 1)]
    threads += [threading.Thread(target=scratch_writer, args=(run, 0), daemon=True)]

    for w in watchers:
        w.start()
    deadline = time.monotonic() + ESTABLISH_DEADLINE
    for _ in watchers:
        if not run.established.acquire(timeout=max(0.1, deadline - time.monotonic())):
            sys.exit("load: not every watch stream opened in time")
    for t in threads:
        t.start()
    open(os.path.join(work, "established"), "w").close()

    deadline = time.monotonic() + RUN_DEADLINE
    while not os.path.exists(os.path.join(work, "stop")):
        if time.monotonic() > deadline:
            run.abort.set()
            sys.exit("load: no stop file from the test in time")
        time.sleep(0.1)
    run.stop_load.set()
    for t in threads:
        t.join(SOCKET_TIMEOUT + 5)

    # The sentinel: one more pod change that every watcher's filter lets through.
    api = Api(sock_path, run.stats)
    _, pod = api.call("sentinel", "PATCH", f"{PODS}/{set_name}-0",
                      json.dumps({"metadata": {"annotations": {"load-e2e/sentinel": str(time.time())}}}),
                      "application/merge-patch+json")
    if pod is None:
        run.abort.set()
        sys.exit(f"load: the sentinel patch failed: {run.stats.errors}")
    run.sentinel_rv = int(pod["metadata"]["resourceVersion"])
    sentinel_at = time.time()
    run.sentinel_set.set()
    deadline = time.monotonic() + SENTINEL_DEADLINE
    for w in watchers:
        w.join(max(0.1, deadline - time.monotonic()))
    run.abort.set()

    log, oldest = read_log(db_path)
    checked = compacted = truncated = 0
    problems = []
    for w in watchers:
        if w.failure:
            problems.append(f"{w.describe()}: {w.failure}")
            continue
        n, p, c, t = check_watcher(w, log, oldest, run.sentinel_rv)
        checked += n
        compacted += c
        truncated += t
        problems += [f"{w.describe()}: {x}" for x in p]
    for w in watchers:
        if w.is_alive() or not w.done:
            last = w.segments[-1]["events"][-3:] if w.segments else []
            problems.append(f"{w.describe()}: did not see the sentinel (resourceVersion "
                            f"{run.sentinel_rv}, set at {sentinel_at:.3f}) within "
                            f"{SENTINEL_DEADLINE} s; {w.phase}; last events {last}")

    s = run.stats
    result = {"clients": clients, "readers": n_readers, "writers": n_writers,
              "watchers": len(watchers), "requests": s.requests, "errors": s.error_count,
              "pod_not_found": s.pod_not_found, "gone": s.gone, "events_checked": checked,
              "compacted": compacted, "snapshots_cut_short": truncated,
              "oldest_retained": oldest, "sentinel_rv": run.sentinel_rv,
              "watch_problems": len(problems),
              "by_kind": {k: len(v) for k, v in s.by_kind.items()},
              "watch_restarts": sum(len(w.segments) for w in watchers)}
    with open(os.path.join(work, "load.json"), "w") as f:
        json.dump(result, f)
    # Latencies are printed for whoever reads the log (a stall shows as a long max); never
    # asserted, since they depend on the machine.
    print(f"{'request':<26} {'count':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, times in sorted(s.by_kind.items()):
        times = sorted(times) or [0.0]
        at = lambda q: times[min(len(times) - 1, int(len(times) * q))] * 1000
        print(f"{kind:<26} {len(s.by_kind[kind]):>6} {at(0.5):>8.1f} {at(0.99):>8.1f} {times[-1] * 1000:>8.1f}")
    windows = {}
    for w in watchers:
        windows[w.mode] = windows.get(w.mode, 0) + len(w.segments)
    print("watch windows: " + ", ".join(f"{m} {n}" for m, n in sorted(windows.items()))
          + f"; snapshots the client left mid-way: {truncated}; events the log compacted away: "
          f"{compacted}; 410 Gone: {s.gone}")
    for what, detail in s.errors:
        print(f"load: error: {what}: {detail}", file=sys.stderr)
    for p in problems[:20]:
        print(f"load: watch: {p}", file=sys.stderr)
    sys.exit(1 if s.error_count or problems else 0)


if __name__ == "__main__":
    main()
