#!/usr/bin/env python3
"""Writes the hostile manifest corpus (tests/hostile/manifests/): small files a user or a script
might feed `kinda apply -f` or the API by mistake or on purpose. Each must be refused with a clear
4xx and change nothing. The huge inputs (a 50 MB document, 10,000-deep nesting at full size) are
made at run time by hostile.py instead of being committed. Rerun after changing the list; the
files are committed so the test needs no generator.

usage: make_corpus.py DIR
"""
import json
import os
import sys

SET = """apiVersion: apps/v1
kind: StatefulSet
metadata: {name: %(name)s%(meta)s}
spec:
  serviceName: web
  replicas: %(replicas)s
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: busybox, command: [sleep, "3600"]%(mounts)s}]
%(claims)s"""


def statefulset(name="bad", replicas="1", meta="", claim=None):
    claims = mounts = ""
    if claim is not None:
        claims = ("  volumeClaimTemplates:\n  - metadata: {name: %s}\n"
                  "    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n"
                  % claim)
        mounts = ", volumeMounts: [{name: %s, mountPath: /data}]" % claim
    return SET % dict(name=name, replicas=replicas, meta=meta, claims=claims, mounts=mounts)


DEPLOYMENT = """apiVersion: apps/v1
kind: %(kind)s
metadata: {name: bad}
spec:
  replicas: %(replicas)s
  selector: %(selector)s
%(strategy)s  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: busybox, command: [sleep, "3600"]}]
"""


def deployment(kind="Deployment", replicas="1", selector="{matchLabels: {app: web}}",
               strategy=""):
    return DEPLOYMENT % dict(kind=kind, replicas=replicas, selector=selector,
                             strategy=strategy)
JOB = """apiVersion: batch/v1
kind: Job
metadata: {name: bad}
spec:
%(spec)s  template:
    spec:
      restartPolicy: %(restart)s
      containers: [{name: main, image: busybox, command: [sh, -c, "exit 0"]}]
"""


def job(spec="", restart="Never"):
    return JOB % dict(spec=spec, restart=restart)


CRONJOB = """apiVersion: batch/v1
kind: CronJob
metadata: {name: bad}
spec:
  schedule: %(schedule)s
%(spec)s  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: main, image: busybox, command: [sh, -c, "exit 0"]}]
"""


def cronjob(schedule='"* * * * *"', spec=""):
    return CRONJOB % dict(schedule=schedule, spec=spec)


def configmap(name="bad", extra=""):
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\ndata: {a: b}\n%s" % (name, extra)


def laughs(levels=9):
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: lol}", "data:",
             '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for n in "bcdefghijklmnop"[:levels - 1]:
        lines.append("  %s: &%s [%s]" % (n, n, ",".join(["*" + prev] * 9)))
        prev = n
    return "\n".join(lines) + "\n"


CASES = {
    # Syntax.
    "syntax-unclosed-flow.yaml": "kind: [unclosed\n",
    "syntax-bad-indent.yaml": "apiVersion: v1\nkind: ConfigMap\n metadata:\n   name: x\n  data: {}\n",
    "syntax-tab-indent.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n",
    "syntax-unclosed-quote.yaml": 'apiVersion: "v1\nkind: ConfigMap\n',
    "syntax-json-trailing-comma.json": '{"apiVersion": "v1", "kind": "ConfigMap",}',
    "syntax-json-unterminated.json": '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"',
    "syntax-json-garbage-after.json": '{"apiVersion": "v1"} trailing',
    "not-an-object-list.yaml": "- a\n- b\n",
    "not-an-object-scalar.yaml": "hello\n",
    "not-an-object-json-number.json": "42",
    "list-items-not-list.yaml": "apiVersion: v1\nkind: List\nitems: 5\n",
    "mapping-key-not-string.yaml": "? [a, b]\n: c\n",
    # Wrong types and out-of-range numbers.
    "replicas-string.yaml": statefulset(replicas='"three"'),
    "replicas-word.yaml": statefulset(replicas="three"),
    "replicas-negative.yaml": statefulset(replicas="-1"),
    "replicas-float.yaml": statefulset(replicas="1.5"),
    "replicas-huge.yaml": statefulset(replicas="99999999999999999999999999"),
    "replicas-int64.yaml": statefulset(replicas="9223372036854775807"),
    "replicas-over-int32.yaml": statefulset(replicas="2147483648"),
    "replicas-map.yaml": statefulset(replicas="{a: 1}"),
    "apiversion-number.yaml": "apiVersion: 5\nkind: ConfigMap\nmetadata: {name: x}\n",
    "kind-list.yaml": "apiVersion: v1\nkind: [ConfigMap]\nmetadata: {name: x}\n",
    "name-number.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 5}\n",
    "name-map.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {a: b}}\n",
    "namespace-number.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: 7}\n",
    "metadata-string.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: x\n",
    "spec-string.yaml": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: x}\nspec: x\n",
    "claim-metadata-string.yaml": statefulset() + "  volumeClaimTemplates: [{metadata: x}]\n",
    "service-port-number.yaml":
        "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {ports: [5]}\n",
    "service-port-string.yaml":
        "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {ports: [{port: \"80\"}]}\n",
    "configmap-data-number.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: 1}\n",
    "labels-list.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, labels: [a]}\n",
    # Names.
    "name-uppercase.yaml": configmap("Bad_Name"),
    "name-300-chars.yaml": configmap("a" * 300),
    "name-empty.yaml": configmap('""'),
    "name-missing.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n",
    "name-traversal.yaml": configmap('"../../x"'),
    "name-slash.yaml": configmap('"a/b"'),
    "name-dotdot.yaml": configmap('".."'),
    "name-dot.yaml": configmap('"."'),
    "name-percent.yaml": configmap('"%2e%2e"'),
    "name-nul.yaml": configmap('"a\\0b"'),
    "name-newline.yaml": configmap('"a\\nb"'),
    "sts-name-traversal.yaml": statefulset(name='"../../x"'),
    "sts-name-slash.yaml": statefulset(name='"a/b"'),
    "namespace-traversal.yaml": configmap("x").replace("{name: x}", '{name: x, namespace: "../.."}'),
    "namespace-slash.yaml": configmap("x").replace("{name: x}", '{name: x, namespace: "a/b"}'),
    "namespace-uppercase.yaml": configmap("x").replace("{name: x}", "{name: x, namespace: Kube}"),
    "claim-name-traversal.yaml": statefulset(name="claims", claim='"../../x"'),
    "claim-name-slash.yaml": statefulset(name="claims", claim='"a/b"'),
    "claim-name-dotdot.yaml": statefulset(name="claims", claim='".."'),
    "claim-name-empty.yaml": statefulset(name="claims", claim='""'),
    "claim-name-uppercase.yaml": statefulset(name="claims", claim="DATA"),
    "pvc-name-traversal.yaml":
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: \"../../x\"}\n"
        "spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n",
    "pod-name-traversal.yaml":
        "apiVersion: v1\nkind: Pod\nmetadata: {name: \"../../x\"}\n"
        "spec: {containers: [{name: c, image: busybox, command: [sleep, \"1\"]}]}\n",
    "container-name-traversal.yaml":
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"
        "spec: {containers: [{name: \"../../x\", image: busybox, command: [sleep, \"1\"]}]}\n",
    "volume-name-traversal.yaml":
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"
        "spec: {volumes: [{name: \"../x\", emptyDir: {}}], "
        "containers: [{name: c, image: busybox, command: [sleep, \"1\"]}]}\n",
    # Bytes that are not text.
    "nul-byte.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\0y}\n",
    "invalid-utf8.yaml": b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \xff\xfe}\n",
    "invalid-utf8.json": b'{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\xc3\x28"}}',
    "invalid-utf8-value.json":
        b'{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":{"a":"\xed\xa0\x80"}}',
    # Aliases and depth.
    "alias-self.yaml": "a: &a [*a]\n",
    "alias-self-map.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: x, self: *m}\n",
    "stray-comma.yaml": ",\n",
    "stray-comma-second-document.yaml": configmap("x") + "---\n,\n",
    "alias-undefined.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: *nope}\n",
    "billion-laughs.yaml": laughs(9),
    "deep-yaml-flow.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nx: "
                           + "[" * 10000 + "]" * 10000 + "\n",
    "deep-json-arrays.json": '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"x":'
                             + "[" * 10000 + "]" * 10000 + "}",
    "deep-json-maps.json": '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"x":'
                           + '{"a":' * 10000 + "1" + "}" * 10000 + "}",
    # The stored kinds: each refused with its field named (or 403 by admission).
    "rbac-binding-bad-roleref.yaml":
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: x}\n"
        "roleRef: {apiGroup: evil.example, kind: Robot, name: \"../x\"}\n"
        "subjects: [{kind: Alien, name: \"\"}]\n",
    "rbac-role-no-verbs.yaml":
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: x}\n"
        "rules: [{resources: [pods]}, {nonResourceURLs: [\"/x\"], verbs: [get]}]\n",
    "rbac-clusterbinding-sa-no-namespace.yaml":
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: x}\n"
        "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: view}\n"
        "subjects: [{kind: ServiceAccount, name: robot}]\n",
    "netpol-bad-ports.yaml":
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\n"
        "spec: {podSelector: {}, policyTypes: [Sideways, Ingress, Egress],"
        " ingress: [{ports: [{port: 0, protocol: ICMP}, {port: 90, endPort: 80}], from: [{}]}]}\n",
    "priorityclass-too-high.yaml":
        "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: x}\n"
        "value: 99999999999\npreemptionPolicy: Always\n",
    "priorityclass-system-prefix.yaml":
        "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: system-x}\nvalue: 1\n",
    "storageclass-no-provisioner.yaml":
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: x}\n"
        "reclaimPolicy: Recycle\nvolumeBindingMode: Sometimes\n",
    "pv-no-source.yaml":
        "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: x}\n"
        "spec: {capacity: {storage: lots, cpu: 1}, accessModes: [ReadSometimes]}\n",
    "pv-two-sources-empty-path.yaml":
        "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: x}\n"
        "spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], hostPath: {path: \"\"},"
        " local: {path: /x}, persistentVolumeReclaimPolicy: Shred}\n",
    "serviceaccount-name-traversal.yaml":
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: \"../../etc\"}\n",
    "pod-unknown-serviceaccount.yaml":
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"
        "spec: {serviceAccountName: nobody-here,"
        " containers: [{name: c, image: busybox, command: [sleep, \"1\"]}]}\n",
    "pod-unknown-priorityclass.yaml":
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"
        "spec: {priorityClassName: nope,"
        " containers: [{name: c, image: busybox, command: [sleep, \"1\"]}]}\n",
    "unknown-kind.yaml": "apiVersion: v1\nkind: Widget\nmetadata: {name: w}\n",
    "unknown-version.yaml": "apiVersion: apps/v2\nkind: StatefulSet\nmetadata: {name: w}\n",
    "deployment-selector-mismatch.yaml": deployment(selector="{matchLabels: {app: other}}"),
    "deployment-selector-empty.yaml": deployment(selector="{}"),
    "deployment-replicas-negative.yaml": deployment(replicas="-3"),
    "deployment-replicas-string.yaml": deployment(replicas='"3"'),
    "deployment-surge-zero-unavailable-zero.yaml": deployment(
        strategy="  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}\n"),
    "deployment-percent-garbage.yaml": deployment(
        strategy="  strategy: {rollingUpdate: {maxSurge: \"%%%\", maxUnavailable: \"-5%\"}}\n"),
    "deployment-unavailable-over-100.yaml": deployment(
        strategy="  strategy: {rollingUpdate: {maxUnavailable: \"250%\"}}\n"),
    "deployment-strategy-unknown.yaml": deployment(strategy="  strategy: {type: BlueGreen}\n"),
    "deployment-recreate-with-rolling.yaml": deployment(
        strategy="  strategy: {type: Recreate, rollingUpdate: {maxSurge: 1}}\n"),
    "deployment-strategy-string.yaml": deployment(strategy="  strategy: fast\n"),
    "replicaset-selector-mismatch.yaml": deployment(
        kind="ReplicaSet", selector="{matchLabels: {app: other}}"),
    "replicaset-replicas-huge.yaml": deployment(kind="ReplicaSet", replicas="99999999999"),
    # batch/v1.
    "job-restart-always.yaml": job(restart="Always"),
    "job-completions-negative.yaml": job("  completions: -3\n"),
    "job-parallelism-string.yaml": job('  parallelism: "two"\n'),
    "job-backofflimit-huge.yaml": job("  backoffLimit: 99999999999999999999\n"),
    "job-deadline-zero.yaml": job("  activeDeadlineSeconds: 0\n"),
    "job-indexed-no-completions.yaml": job("  completionMode: Indexed\n  parallelism: 2\n"),
    "job-indexed-huge.yaml": job("  completionMode: Indexed\n  completions: 2147483647\n"),
    "job-mode-unknown.yaml": job("  completionMode: Sometimes\n"),
    "job-pfp-action-unknown.yaml": job("  podFailurePolicy:\n    rules:\n    - action: Explode\n"
                                       "      onExitCodes: {operator: In, values: [1]}\n"),
    "job-pfp-exit-zero.yaml": job("  podFailurePolicy:\n    rules:\n    - action: FailJob\n"
                                  "      onExitCodes: {operator: In, values: [0]}\n"),
    "job-pfp-neither.yaml": job("  podFailurePolicy:\n    rules:\n    - action: Count\n"),
    "job-pfp-rules-string.yaml": job("  podFailurePolicy: {rules: nope}\n"),
    "job-selector-mismatch.yaml": job("  manualSelector: true\n  selector: {matchLabels: {a: b}}\n"),
    "cronjob-schedule-fields.yaml": cronjob('"* *"'),
    "cronjob-schedule-range.yaml": cronjob('"61 * * * *"'),
    "cronjob-schedule-descriptor.yaml": cronjob('"@every 5m"'),
    "cronjob-schedule-tz.yaml": cronjob('"TZ=UTC * * * * *"'),
    "cronjob-schedule-step-zero.yaml": cronjob('"*/0 * * * *"'),
    "cronjob-schedule-number.yaml": cronjob("5"),
    "cronjob-timezone-traversal.yaml": cronjob(spec="  timeZone: ../../etc/passwd\n"),
    "cronjob-concurrency-unknown.yaml": cronjob(spec="  concurrencyPolicy: Sometimes\n"),
    "cronjob-deadline-negative.yaml": cronjob(spec="  startingDeadlineSeconds: -5\n"),
    "cronjob-template-string.yaml": "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: bad}\n"
                                    "spec: {schedule: '* * * * *', jobTemplate: x}\n",
    "empty.yaml": "",
    # DaemonSets and PodDisruptionBudgets.
    "daemonset-selector-mismatch.yaml": "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: bad}\n"
                                        "spec:\n  selector: {matchLabels: {app: a}}\n  template:\n"
                                        "    metadata: {labels: {app: b}}\n"
                                        "    spec: {containers: [{name: c, image: busybox}]}\n",
    "daemonset-unavailable-zero.yaml": "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: bad}\n"
                                       "spec:\n  selector: {matchLabels: {app: a}}\n"
                                       "  updateStrategy: {type: RollingUpdate, rollingUpdate: "
                                       "{maxUnavailable: 0, maxSurge: '0%'}}\n  template:\n"
                                       "    metadata: {labels: {app: a}}\n"
                                       "    spec: {containers: [{name: c, image: busybox}]}\n",
    "daemonset-strategy-string.yaml": "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: bad}\n"
                                      "spec: {selector: {matchLabels: {app: a}}, updateStrategy: x}\n",
    "pdb-both-set.yaml": "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: bad}\n"
                         "spec: {minAvailable: 1, maxUnavailable: 1, selector: {matchLabels: {a: b}}}\n",
    "pdb-percent-over.yaml": "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: bad}\n"
                             "spec: {minAvailable: '101%', selector: {matchLabels: {a: b}}}\n",
    "pdb-percent-garbage.yaml": "apiVersion: policy/v1\nkind: PodDisruptionBudget\n"
                                "metadata: {name: bad}\nspec: {maxUnavailable: 'ten%'}\n",
    "pdb-negative.yaml": "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: bad}\n"
                         "spec: {minAvailable: -1}\n",
    "pdb-eviction-policy.yaml": "apiVersion: policy/v1\nkind: PodDisruptionBudget\n"
                                "metadata: {name: bad}\nspec: {unhealthyPodEvictionPolicy: Never}\n",
    "only-separators.yaml": "---\n---\n",
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, text in CASES.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(text.encode() if isinstance(text, str) else text)


if __name__ == "__main__":
    main()
