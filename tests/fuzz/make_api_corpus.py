#!/usr/bin/env python3
"""Writes the seed corpora of the API fuzz targets (manifest, patch, request) from the examples,
the hostile manifest corpus and a few hand-written requests and patches. Rerun it after changing
any of them; the files are committed so the corpus needs no Python to use. Files named
regression-* are inputs the fuzzers found crashing (fixed since); the script leaves them be.

usage: make_api_corpus.py REPO_ROOT
"""
import glob
import hashlib
import json
import os
import sys

WEB_SET = """apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 2
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: busybox
        command: [sh, -c, 'exec sleep 3600']
        ports: [{name: http, containerPort: 8080}]
        env:
        - {name: A, value: "1"}
        - name: POD
          valueFrom: {fieldRef: {fieldPath: metadata.name}}
        readinessProbe:
          httpGet: {path: /healthz, port: http}
        livenessProbe:
          tcpSocket: {port: 8080}
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""

MORE_MANIFESTS = {
    "web-set.yaml": WEB_SET,
    "service.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
                    "spec: {selector: {app: web}, ports: [{port: 80, name: http, targetPort: http}]}\n",
    "external-service.json": json.dumps({"apiVersion": "v1", "kind": "Service",
                                         "metadata": {"name": "ext"},
                                         "spec": {"type": "ExternalName",
                                                  "externalName": "example.com"}}),
    "pod.json": json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                            "spec": {"containers": [{"name": "c", "image": "busybox",
                                                     "command": ["sleep", "1"],
                                                     "resources": {"limits": {"memory": "64Mi",
                                                                              "cpu": "100m"}}}]}}),
    "configmap.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: '1', b.txt: x}\n",
    "secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {password: x}\n",
    "namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n",
    "pvc.yaml": "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\n"
                "spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n",
    "list.json": json.dumps({"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}]}),
    "daemonset.yaml": "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\n"
                      "spec:\n  selector: {matchLabels: {app: agent}}\n  template:\n"
                      "    metadata: {labels: {app: agent}}\n"
                      "    spec: {containers: [{name: a, image: busybox, command: [sleep, '1']}]}\n",
    "pdb.yaml": "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\n"
                "spec: {maxUnavailable: '50%', selector: {matchLabels: {app: web}}}\n",
    "anchors.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: anchors, labels: &l {a: b}}\n"
                    "data: {x: &x hello, y: *x}\n",
}

PATCHES = {
    "strategic-replicas": ("strategic", '{"spec":{"replicas":3}}'),
    "strategic-containers": ("strategic", '{"spec":{"template":{"spec":{"containers":'
                                          '[{"name":"web","image":"busybox:2"}]}}}}'),
    "strategic-delete-env": ("strategic", '{"spec":{"template":{"spec":{"containers":[{"name":"web",'
                                          '"env":[{"name":"A","$patch":"delete"}]}]}}}}'),
    "strategic-order": ("strategic", '{"spec":{"template":{"spec":{"$setElementOrder/containers":'
                                     '[{"name":"web"}],"containers":[{"name":"web","ports":'
                                     '[{"containerPort":9090}]}]}}}}'),
    "strategic-retain": ("strategic", '{"spec":{"$retainKeys":["replicas"],"replicas":1}}'),
    "merge-labels": ("merge", '{"metadata":{"labels":{"x":"y"}}}'),
    "merge-null": ("merge", '{"spec":{"template":null}}'),
    "merge-status": ("merge", '{"status":{"replicas":"x","conditions":[5]}}'),
    "json-replace": ("json", '[{"op":"replace","path":"/spec/replicas","value":0}]'),
    "json-copy-doubling": ("json", json.dumps([{"op": "copy", "from": "/spec", "path": "/spec/x%d" % i}
                                               for i in range(40)])),
    "json-move": ("json", '[{"op":"move","from":"/spec/template","path":"/spec/t2"}]'),
    "json-test-fail": ("json", '[{"op":"test","path":"/spec/replicas","value":9}]'),
    "json-bad-op": ("json", '[{"op":"frobnicate","path":"/x"}]'),
    "json-deep-add": ("json", json.dumps([{"op": "add", "path": "/spec/x",
                                          "value": json.loads("[" * 900 + "]" * 900)}])),
    "json-deep-add-fits": ("json", json.dumps([{"op": "add", "path": "/spec/x",
                                               "value": json.loads("[" * 200 + "]" * 200)}])),
}

REQUESTS = [
    ("GET", "/api/v1/namespaces/default/pods", "", ""),
    ("GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Dweb,x!=y", "", ""),
    ("GET", "/api/v1/pods?fieldSelector=metadata.name=web-0", "", ""),
    ("GET", "/apis/apps/v1/namespaces/default/statefulsets/web", "", ""),
    ("GET", "/apis/apps/v1/namespaces/default/statefulsets/web/scale", "", ""),
    ("PUT", "/apis/apps/v1/namespaces/default/statefulsets/web/scale", "application/json",
     '{"spec":{"replicas":"x"}}'),
    ("PATCH", "/apis/apps/v1/namespaces/default/statefulsets/web/scale",
     "application/merge-patch+json", '{"spec":{"replicas":3}}'),
    ("PATCH", "/apis/apps/v1/namespaces/default/statefulsets/web",
     "application/strategic-merge-patch+json", '{"spec":{"replicas":2}}'),
    ("GET", "/apis/apps/v1/namespaces/default/deployments/web/scale", "", ""),
    ("PUT", "/apis/apps/v1/namespaces/default/replicasets/web-abc/scale", "application/json",
     '{"spec":{"replicas":-2}}'),
    ("PATCH", "/apis/apps/v1/namespaces/default/deployments/web", "application/json-patch+json",
     '[{"op":"replace","path":"/spec/template","value":{"metadata":{"labels":{"app":"x"}}}}]'),
    ("PATCH", "/apis/apps/v1/namespaces/default/deployments/web",
     "application/strategic-merge-patch+json",
     '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":"200%","maxUnavailable":"x"}}}}'),
    ("PATCH", "/api/v1/namespaces/default/pods/web-0/status", "application/merge-patch+json",
     '{"status":{"conditions":[{"type":"Ready","status":"True"}]}}'),
    ("PUT", "/api/v1/namespaces/default/pods/web-0/status", "application/json", "[1]"),
    ("PUT", "/api/v1/namespaces/default/configmaps/cfg", "application/json",
     '{"metadata":{"name":"cfg"},"data":{"a":"2"}}'),
    ("POST", "/api/v1/namespaces/default/configmaps", "application/json",
     '{"metadata":{"name":5}}'),
    ("POST", "/api/v1/namespaces/default/configmaps", "application/json",
     '{"metadata":{"name":"x","namespace":7}}'),
    ("POST", "/api/v1/namespaces/../configmaps", "application/json", '{"metadata":{"name":"x"}}'),
    ("POST", "/api/v1/namespaces/default/pods/web-0/eviction", "application/json",
     '{"deleteOptions":{"gracePeriodSeconds":"x"}}'),
    ("DELETE", "/api/v1/namespaces/default/configmaps/cfg", "application/json",
     '{"gracePeriodSeconds":"x"}'),
    ("DELETE", "/api/v1/namespaces/default/pods/web-0?gracePeriodSeconds=0&propagationPolicy=Orphan",
     "", ""),
    ("DELETE", "/api/v1/namespaces/default", "", ""),
    ("GET", "/api/v1/namespaces/default/pods/web-0/log?tailLines=99999999999999999999999", "", ""),
    ("FOO", "/api/v1/namespaces", "", ""),
    ("GET", "/api/v1/namespaces/default/pods/%2e%2e", "", ""),
    ("GET", "/apis/apps/v2/statefulsets", "", ""),
    ("GET", "/version", "", ""),
    ("GET", "/api/v1/namespaces/default/pods?watch=true", "", ""),
    ("POST", "/kinda/nodes/x/fail", "", ""),
]


def write(directory, name, data):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def main():
    root = sys.argv[1]
    corpus = os.path.join(root, "tests/fuzz/corpus")
    manifests = {}
    for path in sorted(glob.glob(os.path.join(root, "examples/*.yaml"))):
        manifests["example-" + os.path.basename(path)] = open(path, "rb").read()
    for path in sorted(glob.glob(os.path.join(root, "tests/hostile/manifests/*"))):
        data = open(path, "rb").read()
        if len(data) <= 4096:  # the deep ones stay in tests/hostile; the fuzzer finds depth
            manifests["hostile-" + os.path.basename(path)] = data
    manifests.update(MORE_MANIFESTS)
    for name, data in manifests.items():
        write(os.path.join(corpus, "manifest"), name, data)
    for name, (kind, body) in PATCHES.items():
        write(os.path.join(corpus, "patch"), name, WEB_SET + "\n#patch " + kind + "\n" + body)
    for method, target, content_type, body in REQUESTS:
        text = "%s %s\n%s\n%s" % (method, target, content_type, body)
        name = method.lower() + "-" + hashlib.sha1(text.encode()).hexdigest()[:10]
        write(os.path.join(corpus, "request"), name, text)


if __name__ == "__main__":
    main()
