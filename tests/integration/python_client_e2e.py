"""The official Kubernetes Python client (Debian's python3-kubernetes) against kinda.

Usage: python_client_e2e.py KUBECONFIG MANIFEST. Loads the kubeconfig `kinda kubeconfig` wrote,
builds the seeds' Redis Service and StatefulSet (MANIFEST, examples/redis-statefulset.yaml) as
typed objects, and drives them through CoreV1Api and AppsV1Api: create, list, a watch until the
pods are Ready, the scale subresource, pod logs (whole and followed), exec (the client's
WebSocket, v4.channel.k8s.io), errors, and deletion.
Prints "ok - ..." per step; the shell script checks the results with kinda afterwards.
"""

import sys

import yaml
from kubernetes import client, config, watch
from kubernetes.stream import stream as exec_stream
from kubernetes.client.rest import ApiException

NS = "default"
SELECTOR = "app=redis"


def ok(message):
    print("ok - " + message, flush=True)


def fail(message):
    print("FAIL: " + message, file=sys.stderr, flush=True)
    sys.exit(1)


def ready(pod):
    return any(c.type == "Ready" and c.status == "True" for c in (pod.status.conditions or []))


def typed_objects(manifest):
    """The manifest's Service and StatefulSet rebuilt as the client's typed models."""
    service_doc, set_doc = list(yaml.safe_load_all(open(manifest)))
    container = set_doc["spec"]["template"]["spec"]["containers"][0]
    service = client.V1Service(
        api_version="v1",
        kind="Service",
        metadata=client.V1ObjectMeta(name=service_doc["metadata"]["name"]),
        spec=client.V1ServiceSpec(
            cluster_ip="None",
            selector={"app": "redis"},
            ports=[client.V1ServicePort(name="redis", port=6379)],
        ),
    )
    field = lambda path: client.V1EnvVarSource(field_ref=client.V1ObjectFieldSelector(field_path=path))
    statefulset = client.V1StatefulSet(
        api_version="apps/v1",
        kind="StatefulSet",
        metadata=client.V1ObjectMeta(name="redis"),
        spec=client.V1StatefulSetSpec(
            service_name="redis-svc",
            replicas=3,
            selector=client.V1LabelSelector(match_labels={"app": "redis"}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels={"app": "redis"}),
                spec=client.V1PodSpec(
                    containers=[
                        client.V1Container(
                            name="redis",
                            image=container["image"],
                            command=container["command"],
                            args=container["args"],
                            env=[
                                client.V1EnvVar(name="POD_NAME", value_from=field("metadata.name")),
                                client.V1EnvVar(name="POD_IP", value_from=field("status.podIP")),
                            ],
                            readiness_probe=client.V1Probe(
                                tcp_socket=client.V1TCPSocketAction(port=6379), period_seconds=1
                            ),
                            volume_mounts=[client.V1VolumeMount(name="data", mount_path="/data")],
                        )
                    ]
                ),
            ),
            volume_claim_templates=[
                client.V1PersistentVolumeClaim(
                    metadata=client.V1ObjectMeta(name="data"),
                    spec=client.V1PersistentVolumeClaimSpec(
                        access_modes=["ReadWriteOnce"],
                        storage_class_name="standard",
                        resources=client.V1ResourceRequirements(requests={"storage": "10Gi"}),
                    ),
                )
            ],
        ),
    )
    return service, statefulset


def watch_pods(core, until, what, timeout=120):
    """Streams pod events (a list, then a watch from its resourceVersion) until `until(pods)`."""
    listed = core.list_namespaced_pod(NS, label_selector=SELECTOR)
    pods = {p.metadata.name: p for p in listed.items}
    if until(pods):
        return pods
    w = watch.Watch()
    for event in w.stream(
        core.list_namespaced_pod,
        NS,
        label_selector=SELECTOR,
        resource_version=listed.metadata.resource_version,
        timeout_seconds=timeout,
    ):
        pod = event["object"]
        if event["type"] == "DELETED":
            pods.pop(pod.metadata.name, None)
        elif event["type"] in ("ADDED", "MODIFIED"):
            pods[pod.metadata.name] = pod
        if until(pods):
            w.stop()
            return pods
    fail("the watch ended before " + what + ": " + ", ".join(sorted(pods)))


def main():
    kubeconfig, manifest = sys.argv[1], sys.argv[2]
    config.load_kube_config(config_file=kubeconfig)
    core, apps = client.CoreV1Api(), client.AppsV1Api()

    service, statefulset = typed_objects(manifest)
    created_service = core.create_namespaced_service(NS, service)
    created_set = apps.create_namespaced_stateful_set(NS, statefulset)
    if created_set.metadata.uid is None or created_set.metadata.generation != 1:
        fail("the created set has no uid or generation: %s" % created_set.metadata)
    if created_service.spec.cluster_ip != "None":
        fail("the headless Service got a cluster IP: %s" % created_service.spec.cluster_ip)
    ok("created Service redis-svc and StatefulSet redis from typed objects (uid %s)" % created_set.metadata.uid)

    all_ready = lambda pods: len(pods) == 3 and all(ready(p) for p in pods.values())
    pods = watch_pods(core, all_ready, "3 Ready pods")
    names = sorted(pods)
    if names != ["redis-0", "redis-1", "redis-2"]:
        fail("pods: %s" % names)
    for name, pod in pods.items():
        owner = pod.metadata.owner_references[0]
        if owner.kind != "StatefulSet" or owner.uid != created_set.metadata.uid:
            fail("%s is not owned by the set: %s" % (name, owner))
        if pod.spec.hostname != name or pod.spec.subdomain != "redis-svc":
            fail("%s has hostname %s.%s" % (name, pod.spec.hostname, pod.spec.subdomain))
    listed = core.list_namespaced_pod(NS, label_selector=SELECTOR)
    if sorted(p.metadata.name for p in listed.items) != names:
        fail("list_namespaced_pod: %s" % [p.metadata.name for p in listed.items])
    claims = core.list_namespaced_persistent_volume_claim(NS)
    if sorted(c.metadata.name for c in claims.items) != ["data-redis-0", "data-redis-1", "data-redis-2"]:
        fail("claims: %s" % [c.metadata.name for c in claims.items])
    current = apps.read_namespaced_stateful_set("redis", NS)
    if current.status.ready_replicas != 3 or current.status.observed_generation != 1:
        fail("set status: %s" % current.status)
    ok("a watch saw redis-0..2 Ready, owned by the set, each with its claim; status readyReplicas 3")

    scale = apps.read_namespaced_stateful_set_scale("redis", NS)
    if scale.spec.replicas != 3 or scale.status.selector != SELECTOR:
        fail("scale: %s" % scale)
    scaled = apps.patch_namespaced_stateful_set_scale("redis", NS, {"spec": {"replicas": 1}})
    if scaled.spec.replicas != 1:
        fail("patched scale: %s" % scaled)
    pods = watch_pods(core, lambda pods: sorted(pods) == ["redis-0"], "the scale-down to 1")
    ok("patch_namespaced_stateful_set_scale to 1: redis-2 and redis-1 went, a watch saw it")

    log = core.read_namespaced_pod_log("redis-0", NS, container="redis", tail_lines=200)
    if "Ready to accept connections" not in log:
        fail("read_namespaced_pod_log: %r" % log[-500:])
    tail = core.read_namespaced_pod_log("redis-0", NS, tail_lines=1)
    if tail.count("\n") != 1:
        fail("tail_lines=1 gave %r" % tail)
    stream = core.read_namespaced_pod_log("redis-0", NS, follow=True, tail_lines=200, _preload_content=False)
    seen = b""
    for chunk in stream.stream(1024):
        seen += chunk
        if b"Ready to accept connections" in seen:
            break
    stream.release_conn()
    if b"Ready to accept connections" not in seen:
        fail("followed log: %r" % seen[-500:])
    ok("read_namespaced_pod_log: whole, tail_lines=1 and followed")

    # exec: the client's WebSocket; output apart by channel, stdin, and the outcome Status.
    out = exec_stream(core.connect_get_namespaced_pod_exec, "redis-0", NS,
                      command=["sh", "-c", 'redis-cli -h "$POD_IP" ping'],
                      stderr=True, stdin=False, stdout=True, tty=False)
    if out.strip() != "PONG":
        fail("exec redis-cli ping: %r" % out)
    ws = exec_stream(core.connect_get_namespaced_pod_exec, "redis-0", NS,
                     command=["sh", "-c", "read line; echo got $line; echo oops >&2; exit 5"],
                     stderr=True, stdin=True, stdout=True, tty=False, _preload_content=False)
    ws.write_stdin("hello\n")
    ws.run_forever(timeout=60)
    stdout, stderr = ws.read_stdout(), ws.read_stderr()
    code = ws.returncode
    ws.close()
    if stdout != "got hello\n" or stderr != "oops\n" or code != 5:
        fail("exec with stdin: %r %r exit %r" % (stdout, stderr, code))
    ok("connect_get_namespaced_pod_exec: output, stdin, stderr apart and exit code 5")

    try:
        core.read_namespaced_pod("nosuch", NS)
        fail("read_namespaced_pod(nosuch) succeeded")
    except ApiException as e:
        if e.status != 404 or '"reason":"NotFound"' not in e.body.replace(" ", ""):
            fail("nosuch: %s %s" % (e.status, e.body))
    ok("a missing pod is ApiException 404 NotFound")

    status = apps.delete_namespaced_stateful_set(
        "redis", NS, body=client.V1DeleteOptions(propagation_policy="Foreground")
    )
    # The set stays, terminating, until its pods are gone: the answer is the set itself.
    if status.kind != "StatefulSet":
        fail("delete_namespaced_stateful_set answered: %s" % status)
    core.delete_namespaced_service("redis-svc", NS)
    watch_pods(core, lambda pods: not pods, "the pods were deleted")
    deleted = lambda: [s.metadata.name for s in apps.list_namespaced_stateful_set(NS).items]
    w = watch.Watch()
    if deleted():
        for event in w.stream(apps.list_namespaced_stateful_set, NS, timeout_seconds=120):
            if event["type"] == "DELETED" and event["object"].metadata.name == "redis":
                w.stop()
                break
    if deleted():
        fail("the set is still there: %s" % deleted())
    ok("delete_namespaced_stateful_set (Foreground) and delete_namespaced_service: set and pods gone")


if __name__ == "__main__":
    main()
