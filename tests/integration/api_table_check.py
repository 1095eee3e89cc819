"""Server-side printing over the API socket, as kubectl asks for it: lists, single objects and a
watch answered as meta.k8s.io Tables with kubectl's columns and cells.

Usage: api_table_check.py SOCKET. Expects the story's objects (api_table_e2e.sh): StatefulSet
"web" with two ready pods that each restarted once, headless Service "web" with two ports, claims
data-web-0/1, events and a ControllerRevision. Prints one "ok - ..." line per check and exits 1
on the first failure."""
import json
import re
import subprocess
import sys

SOCK = sys.argv[1]
KUBECTL_ACCEPT = ("application/json;as=Table;v=v1;g=meta.k8s.io,"
                  "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")
NS = "/api/v1/namespaces/default"
APPS = "/apis/apps/v1/namespaces/default"
AGE = re.compile(r"^[0-9]+(s|m|h|d|y)([0-9]+(s|m|h|d))?$")


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def get(path, accept=KUBECTL_ACCEPT):
    """(status, headers, parsed body) of a GET on the socket with curl."""
    out = subprocess.run(["curl", "-s", "-D", "-", "--unix-socket", SOCK, "-H", "Accept: " + accept,
                          "http://kinda" + path], capture_output=True, check=True).stdout
    head, _, body = out.decode().partition("\r\n\r\n")
    lines = head.split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return status, headers, json.loads(body)


def table(path, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    status, headers, body = get(path + ("?" + query if query else ""))
    check(status == 200, f"{path}: {status} {body}")
    check(headers.get("content-type") == "application/json",
          f"{path}: Content-Type {headers.get('content-type')}")
    check(body.get("kind") == "Table" and body.get("apiVersion") == "meta.k8s.io/v1",
          f"{path}: not a v1 Table: {str(body)[:300]}")
    check(body["metadata"].get("resourceVersion", "").isdigit(), f"{path}: resourceVersion")
    return body


def columns(t, priority=None):
    return [c["name"] for c in t["columnDefinitions"]
            if priority is None or c["priority"] == priority]


def rows_by_name(t, name_column="Name"):
    i = columns(t).index(name_column)
    return {r["cells"][i]: r for r in t["rows"]}


# Pods: kubectl's columns, READY/STATUS, RESTARTS with the last restart's age, the wide cells.
pods = table(NS + "/pods")
check(columns(pods, 0) == ["Name", "Ready", "Status", "Restarts", "Age"], f"pod columns {columns(pods)}")
check(columns(pods, 1) == ["IP", "Node", "Nominated Node", "Readiness Gates"], "pod wide columns")
check(pods["columnDefinitions"][0]["format"] == "name", "Name column format")
for name, row in rows_by_name(pods).items():
    cells = row["cells"]
    check(cells[1:3] == ["1/1", "Running"], f"{name}: {cells}")
    check(re.match(r"^1 \([0-9]+(s|m[0-9]*s?) ago\)$", cells[3]), f"{name} restarts: {cells[3]}")
    check(AGE.match(cells[4]), f"{name} age: {cells[4]}")
    check(cells[5].startswith("127.") and cells[6] != "<none>", f"{name} wide: {cells}")
    obj = row["object"]
    check(obj["kind"] == "PartialObjectMetadata" and obj["apiVersion"] == "meta.k8s.io/v1",
          f"{name}: row object {obj.get('kind')}")
    check(obj["metadata"]["name"] == name and obj["metadata"]["namespace"] == "default",
          f"{name}: metadata")
check(sorted(rows_by_name(pods)) == ["web-0", "web-1"], f"pod rows {sorted(rows_by_name(pods))}")
print("ok - pods list: columns, cells, PartialObjectMetadata rows")

none = table(NS + "/pods", includeObject="None")
check(all(r["object"] is None for r in none["rows"]), "includeObject=None")
whole = table(NS + "/pods", includeObject="Object")
check(all(r["object"]["kind"] == "Pod" and "spec" in r["object"] for r in whole["rows"]),
      "includeObject=Object")
status, _, body = get(NS + "/pods?includeObject=Everything")
check(status == 400 and body.get("reason") == "BadRequest", f"bad includeObject: {status} {body}")
status, _, body = get(NS + "/pods", accept="application/json")
check(status == 200 and body.get("kind") == "PodList", "plain JSON without the Table profile")
status, _, body = get(NS + "/pods", accept="application/json;as=Table;v=v1beta1;g=meta.k8s.io")
check(body.get("apiVersion") == "meta.k8s.io/v1beta1", "v1beta1 Table")
check(body["rows"][0]["object"]["apiVersion"] == "meta.k8s.io/v1beta1", "v1beta1 row metadata")
print("ok - includeObject None/Object, 400 for others; plain JSON and v1beta1 as asked")

one = table(NS + "/pods/web-0")
check(len(one["rows"]) == 1 and one["rows"][0]["cells"][0] == "web-0", "single pod table")
check(one["metadata"]["resourceVersion"] == one["rows"][0]["object"]["metadata"]["resourceVersion"],
      "single object table's resourceVersion is the object's")
status, _, body = get(NS + "/pods/nosuch")
check(status == 404 and body.get("kind") == "Status", "missing object is a Status, not a Table")
print("ok - single object Table; missing objects stay 404 Status")

sts = table(APPS + "/statefulsets")
check(columns(sts) == ["Name", "Ready", "Age", "Containers", "Images"], f"sts columns {columns(sts)}")
check(rows_by_name(sts)["web"]["cells"][1] == "2/2", f"sts ready: {sts['rows']}")
check(rows_by_name(sts)["web"]["cells"][3:] == ["web", "busybox"], "sts containers/images")

svc = table(NS + "/services")
check(columns(svc) == ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"],
      f"svc columns {columns(svc)}")
cells = rows_by_name(svc)["web"]["cells"]
check(cells[1:5] == ["ClusterIP", "None", "<none>", "8080/TCP,9090/UDP"], f"svc cells {cells}")
check(cells[6] == "app=web", f"svc selector {cells}")

pvc = table(NS + "/persistentvolumeclaims")
check(columns(pvc) == ["Name", "Status", "Volume", "Capacity", "Access Modes", "StorageClass",
                       "VolumeAttributesClass", "Age", "VolumeMode"], f"pvc columns {columns(pvc)}")
cells = rows_by_name(pvc)["data-web-0"]["cells"]
check(cells[1] == "Bound" and cells[2].startswith("pvc-") and cells[3:5] == ["1Gi", "RWO"],
      f"pvc cells {cells}")
check(cells[6] == "<unset>" and cells[8] == "Filesystem", f"pvc cells {cells}")
print("ok - statefulsets, services (two ports), bound claims")

events = table(NS + "/events")
check(columns(events) == ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message",
                          "First Seen", "Count", "Name"], f"event columns {columns(events)}")
check(columns(events, 0) == ["Last Seen", "Type", "Reason", "Object", "Message"], "event columns")
created = [r["cells"] for r in events["rows"]
           if r["cells"][2] == "SuccessfulCreate" and r["cells"][3] == "statefulset/web"]
check(created, f"no SuccessfulCreate event for statefulset/web: {events['rows'][:3]}")
check(all(isinstance(c[8], int) and c[8] >= 1 for c in created), f"event count {created[0]}")
check(all(AGE.match(c[0]) and AGE.match(c[7]) for c in created), f"event times {created[0]}")

revisions = table(APPS + "/controllerrevisions")
check(columns(revisions) == ["Name", "Controller", "Revision", "Age"], "revision columns")
check(any(r["cells"][1] == "statefulset.apps/web" and r["cells"][2] == 1 for r in revisions["rows"]),
      f"revision rows {revisions['rows']}")
nodes = table("/api/v1/nodes")
check(columns(nodes, 0) == ["Name", "Status", "Roles", "Age", "Version"], "node columns")
check(all(r["cells"][1] == "Ready" for r in nodes["rows"]), f"node rows {nodes['rows']}")
for path, expected in ((NS + "/configmaps", ["Name", "Data", "Age"]),
                       (NS + "/secrets", ["Name", "Type", "Data", "Age"]),
                       ("/api/v1/namespaces", ["Name", "Status", "Age"])):
    check(columns(table(path)) == expected, f"{path} columns")
print("ok - events, controllerrevisions, nodes, configmaps, secrets, namespaces")

# A watch from "now" (resourceVersion 0 replays the current pods): every event's object is a
# one-row Table; only the first carries the column definitions.
watch = subprocess.Popen(
    ["curl", "-sN", "--unix-socket", SOCK, "-H", "Accept: " + KUBECTL_ACCEPT,
     "http://kinda" + NS + "/pods?watch=true&resourceVersion=0"],
    stdout=subprocess.PIPE, text=True)
events_seen = []
try:
    for line in watch.stdout:
        event = json.loads(line)
        events_seen.append(event)
        if len(events_seen) == 2:
            subprocess.run(["curl", "-sf", "-o", "/dev/null", "--unix-socket", SOCK, "-X", "PATCH",
                            "-H", "Content-Type: application/merge-patch+json",
                            "-d", '{"metadata":{"labels":{"watched":"yes"}}}',
                            "http://kinda" + NS + "/pods/web-1"], check=True)
        labels = event["object"]["rows"][0]["object"]["metadata"].get("labels", {})
        if event["type"] == "MODIFIED" and labels.get("watched") == "yes":
            break
finally:
    watch.kill()
    watch.wait()
types = [e["type"] for e in events_seen]
check(types[:2] == ["ADDED", "ADDED"] and set(types[2:]) == {"MODIFIED"}, f"watch events {types}")
first, *rest = [e["object"] for e in events_seen]
check(first["kind"] == "Table" and columns(first, 0) == ["Name", "Ready", "Status", "Restarts", "Age"],
      f"first watch event {str(first)[:300]}")
check(all(t["kind"] == "Table" and t["columnDefinitions"] is None for t in rest),
      "later watch events without column definitions")
check(rest[-1]["rows"][0]["cells"][0] == "web-1"
      and rest[-1]["rows"][0]["object"]["metadata"]["labels"]["watched"] == "yes",
      f"MODIFIED row {rest[-1]['rows']}")
print("ok - watch: one-row Tables, columns in the first event only")
