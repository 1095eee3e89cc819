"""The invariants the fault stories (crash_points_e2e, pod_chaos_e2e) check after every fault.

Usage: fault_checks.py ROOT STATE_FILE CHECK... [ARGS], with `kinda get … -o json` on stdin for
the checks that read objects. Several checks run in one call, one Python start for all. Prints how
many held, or what is wrong and exits 1 on the first violated invariant.

  tree                       (a) no pod identity has two live shims or two live containers
  volumes                    (b) every data-web-N directory seen before is still there, its marker
                                 file holding at least the start lines it held before
  objects PRESENT REPLICAS REV
                             (c) pods, claims and the set unique by name; no claim seen before
                                 lost (retention is Retain); each pod with its claim; the set there
                                 with the acknowledged replicas and template rev (PRESENT yes), or
                                 gone for good (PRESENT no)
  converged REPLICAS REV     (d) the set's status matches its spec, rollout done, web-0… Ready at
                                 the update revision, one shim and one container each, and no
                                 other identity with a process
  gone                       (d) no pod and no pod process left
  pick KIND N                not a check: writes "NAMESPACE/POD PID" of the (N mod count)th live
                                 process of KIND (shim, sandbox or container) to
                                 STATE_FILE.picked, so a story checks and chooses its next
                                 victim from one scan
"""
import collections
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pod_processes import pod_processes  # noqa: E402


class Violation(Exception):
    pass


picked_file = None  # where pick writes its choice


def names(items, kind):
    return [i["metadata"]["name"] for i in items if i["kind"] == kind]


def check_tree(root, state, args, items):
    counts = collections.Counter(
        (pod, kind) for kind, pod, _ in pod_processes(root) if kind != "sandbox")
    doubled = sorted(f"{pod} has {n} {kind}s" for (pod, kind), n in counts.items() if n > 1)
    if doubled:
        raise Violation("two live copies: " + ", ".join(doubled))


def marker_lines(directory, pod):
    try:
        with open(os.path.join(directory, "marker")) as f:
            return sum(1 for line in f if line.rstrip("\n") == "started " + pod)
    except FileNotFoundError:
        return 0


def check_volumes(root, state, args, items):
    volumes = os.path.join(root, "volumes", "default")
    seen = state.setdefault("markers", {})
    for claim, before in seen.items():
        directory = os.path.join(volumes, claim)
        if not os.path.isdir(directory):
            raise Violation(f"PVC directory {claim} lost")
        now = marker_lines(directory, claim[len("data-"):])
        if now < before:
            raise Violation(f"marker of {claim} lost lines: {now} < {before}")
    for claim in os.listdir(volumes) if os.path.isdir(volumes) else []:
        if claim.startswith("data-web-"):
            seen[claim] = marker_lines(os.path.join(volumes, claim), claim[len("data-"):])


def check_objects(root, state, args, items):
    present, replicas, rev = args.pop(0), int(args.pop(0)), args.pop(0)
    for kind in ("Pod", "PersistentVolumeClaim", "StatefulSet"):
        listed = names(items, kind)
        twice = sorted({n for n in listed if listed.count(n) > 1})
        if twice:
            raise Violation(f"{kind} listed twice: {twice}")
    claims = set(names(items, "PersistentVolumeClaim"))
    lost = sorted(set(state.get("claims", [])) - claims)
    if lost:
        raise Violation(f"claims lost: {lost}")
    state["claims"] = sorted(set(state.get("claims", [])) | claims)
    for pod in names(items, "Pod"):
        if "data-" + pod not in claims:
            raise Violation(f"pod {pod} without its claim data-{pod}")
    sets = [i for i in items if i["kind"] == "StatefulSet"]
    if present == "no":
        if sets:
            raise Violation("StatefulSet web back after its deletion was acknowledged")
        return
    if not sets:
        raise Violation("StatefulSet web lost")
    spec = sets[0]["spec"]
    if spec["replicas"] != replicas:
        raise Violation(f"acknowledged replicas={replicas} lost: spec.replicas={spec['replicas']}")
    got = spec["template"]["metadata"].get("annotations", {}).get("rev")
    if got != rev:
        raise Violation(f"acknowledged template rev={rev} lost: rev={got}")


def check_converged(root, state, args, items):
    replicas, rev = int(args.pop(0)), args.pop(0)
    sets = [i for i in items if i["kind"] == "StatefulSet"]
    if not sets:
        raise Violation("no StatefulSet")
    s = sets[0]
    st = s.get("status", {})
    want = {"observedGeneration": s["metadata"].get("generation"), "replicas": replicas,
            "readyReplicas": replicas, "updatedReplicas": replicas,
            "currentRevision": st.get("updateRevision")}
    off = {k: st.get(k) for k, v in want.items() if st.get(k, 0) != v}
    if off:
        raise Violation(f"status {off}, want {want}")
    pods = {p["metadata"]["name"]: p for p in items if p["kind"] == "Pod"}
    expected = [f"web-{i}" for i in range(replicas)]
    if sorted(pods) != sorted(expected):
        raise Violation(f"pods {sorted(pods)}")
    for name, p in pods.items():
        meta = p["metadata"]
        ready = any(c["type"] == "Ready" and c["status"] == "True"
                    for c in p.get("status", {}).get("conditions", []))
        if not ready or "deletionTimestamp" in meta:
            raise Violation(f"{name} not Ready or terminating")
        if meta["labels"].get("controller-revision-hash") != st["updateRevision"]:
            raise Violation(f"{name} not at {st['updateRevision']}")
        if meta.get("annotations", {}).get("rev") != rev:
            raise Violation(f"{name} at template rev {meta.get('annotations', {}).get('rev')}")
    counts = collections.Counter((pod, kind) for kind, pod, _ in pod_processes(root))
    for name in expected:
        shims = counts[("default/" + name, "shim")]
        containers = counts[("default/" + name, "container")]
        if (shims, containers) != (1, 1):
            raise Violation(f"{name}: {shims} shims, {containers} containers")
    others = sorted({pod for pod, _ in counts} - {"default/" + n for n in expected})
    if others:
        raise Violation(f"processes of {others} left")


def check_gone(root, state, args, items):
    if names(items, "Pod"):
        raise Violation(f"pods left: {names(items, 'Pod')}")
    left = pod_processes(root)
    if left:
        raise Violation(f"processes left: {left}")


def pick(root, state, args, items):
    kind, n = args.pop(0), int(args.pop(0))
    targets = [f"{pod} {pid}" for k, pod, pid in pod_processes(root) if k == kind]
    with open(picked_file, "w") as f:
        f.write(targets[n % len(targets)] + "\n" if targets else "")


CHECKS = {"tree": check_tree, "volumes": check_volumes, "objects": check_objects,
          "converged": check_converged, "gone": check_gone, "pick": pick}


def main():
    root, state_file, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    try:
        with open(state_file) as f:
            state = json.load(f)
    except FileNotFoundError:
        state = {}
    global picked_file
    picked_file = state_file + ".picked"
    items = None
    done = 0
    try:
        while args:
            check = args.pop(0)
            if check in ("objects", "converged", "gone") and items is None:
                items = json.load(sys.stdin)["items"]
            CHECKS[check](root, state, args, items)
            done += check != "pick"
    except Violation as v:
        print(v)
        return 1
    finally:
        with open(state_file, "w") as f:
            json.dump(state, f)
    print(done)
    return 0


if __name__ == "__main__":
    sys.exit(main())
