#!/usr/bin/env bash
# StorageClasses and PersistentVolumes as `kubectl get sc,pvc,pv` shows them on a kind cluster:
# the default class "standard", a StatefulSet's claims each provisioned as a Bound PV
# pvc-<claim uid> (claimRef, the claim's volumeName and binding annotations, a hostPath at the
# claim's directory), data that outlives its pod, reclaimPolicy Delete (deleting the claim
# removes PV and data) and Retain (a Released PV, data kept, a new claim of the same name gets
# a directory of its own), a claim of an unknown class Pending with an event, a static PV bound
# by volumeName, and expansion allowed or refused by the class.
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh" storage
command -v kubectl >/dev/null || { echo "SKIP: kubectl is not installed"; exit 77; }

"$kinda" up --time-scale 0.2 --api-listen 127.0.0.1:0 >/dev/null
export KUBECONFIG="$KINDA_HOME/kubeconfig"
"$kinda" kubeconfig >"$KUBECONFIG"
columns() { head -1 <<<"$1" | tr -s ' '; }
phase() { kubectl get "$1" "$2" -o jsonpath='{.status.phase}'; }
# Conditions re-evaluated at each try of wait_for (a $(…) in its arguments would be read once).
phase_is() { [ "$(phase "$1" "$2")" = "$3" ]; }
no_web_pods() { [ -z "$(kubectl get pods -l app=web --no-headers 2>/dev/null)" ]; }
lines_at_least() { [ "$(grep -c "$1" "$2" 2>/dev/null)" -ge "$3" ]; }
capacity_is() { [ "$(kubectl get pvc "$1" -o jsonpath='{.status.capacity.storage}')" = "$2" ]; }
# On a failed wait: what the pods and the events say.
trap 'rc=$?; if [ "$rc" != 0 ]; then kubectl get pods,pvc,pv -o wide >&2 || true; kubectl get events >&2 || true; fi; cleanup' EXIT

out=$(kubectl get sc)
[ "$(columns "$out")" = "NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE" ] ||
  fail "storageclass columns: $out"
grep -Eq '^standard \(default\) +rancher.io/local-path +Delete +WaitForFirstConsumer +false +[0-9]+s$' <<<"$out" ||
  fail "standard class: $out"
has 'uid' kubectl explain pv.spec.claimRef || fail "kubectl explain pv.spec.claimRef"
has 'boolean' kubectl explain storageclass.allowVolumeExpansion || fail "kubectl explain storageclass"
ok "the default StorageClass standard is kind's; kubectl explain knows the storage kinds"

web_service | kubectl apply -f - >/dev/null
kubectl apply -f - >/dev/null <<'YAML'
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1  # sleep ignores SIGTERM as a pid 1: no 30 s waits
      containers:
      - name: writer
        image: busybox
        command: [sh, -c, 'echo "$HOSTNAME" >> /data/log; exec sleep 3600']
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
YAML
wait_for "two Bound PVs" has 'default/data-web-1' kubectl get pv
for i in 0 1; do wait_for "data-web-$i Bound" phase_is pvc data-web-$i Bound; done
out=$(kubectl get pv)
[ "$(columns "$out")" = "NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE" ] ||
  fail "pv columns: $out"
for i in 0 1; do
  uid=$(kubectl get pvc data-web-$i -o jsonpath='{.metadata.uid}')
  grep -Eq "^pvc-$uid +1Gi +RWO +Delete +Bound +default/data-web-$i +standard +<unset> +[0-9]+s$" <<<"$out" ||
    fail "pv of data-web-$i: $out"
  [ "$(kubectl get pvc data-web-$i -o jsonpath='{.spec.volumeName}')" = "pvc-$uid" ] || fail "volumeName of data-web-$i"
  [ "$(kubectl get pv pvc-$uid -o jsonpath='{.spec.claimRef.uid} {.spec.hostPath.path}')" = "$uid $KINDA_HOME/$KINDA_CLUSTER/volumes/default/data-web-$i" ] ||
    fail "claimRef/hostPath of pvc-$uid: $(kubectl get pv pvc-$uid -o yaml)"
done
ann=$(kubectl get pvc data-web-0 -o jsonpath='{.metadata.annotations}')
for key in '"pv.kubernetes.io/bind-completed":"yes"' '"pv.kubernetes.io/bound-by-controller":"yes"' \
  '"volume.kubernetes.io/storage-provisioner":"rancher.io/local-path"'; do
  grep -qF "$key" <<<"$ann" || fail "claim annotations lack $key: $ann"
done
[ "$(kubectl get pv "$(kubectl get pvc data-web-0 -o jsonpath='{.spec.volumeName}')" \
  -o jsonpath='{.metadata.annotations.pv\.kubernetes\.io/provisioned-by}')" = rancher.io/local-path ] || fail "provisioned-by"
out=$(kubectl get pvc)
grep -Eq '^data-web-0 +Bound +pvc-[0-9a-f-]+ +1Gi +RWO +standard +<unset> +[0-9]+s$' <<<"$out" || fail "get pvc: $out"
out=$(kubectl get pv -o wide)
head -1 <<<"$out" | grep -q 'VOLUMEMODE$' || fail "pv -o wide: $out"
ok "each claim of the StatefulSet has a Bound PV pvc-<uid> with claimRef, and the claim its volumeName"

dir0="$KINDA_HOME/$KINDA_CLUSTER/volumes/default/data-web-0"
wait_for "web-0 wrote its log" grep -q web-0 "$dir0/log"
kubectl delete pod web-0 >/dev/null
wait_for "web-0 wrote again" lines_at_least web-0 "$dir0/log" 2
ok "data written by a pod survives the pod"

kubectl scale sts web --replicas=0 >/dev/null
wait_for "web pods gone" no_web_pods
pv0=$(kubectl get pvc data-web-0 -o jsonpath='{.spec.volumeName}')
kubectl delete pvc data-web-0 >/dev/null
wait_for "$pv0 deleted" sh -c "! kubectl get pv $pv0 >/dev/null 2>&1"
[ ! -e "$dir0" ] || fail "the data of a deleted claim of a Delete class is still there"
[ -d "$KINDA_HOME/$KINDA_CLUSTER/volumes/default/data-web-1" ] || fail "the other claim's data went too"
ok "deleting a claim of a Delete class deletes its PV and its data, and nothing else"

cat >"$KINDA_HOME/keep.yaml" <<'YAML'
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: keep}
provisioner: rancher.io/local-path
reclaimPolicy: Retain
volumeBindingMode: Immediate
allowVolumeExpansion: true
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: kept}
spec:
  storageClassName: keep
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
YAML
kubectl apply -f "$KINDA_HOME/keep.yaml" >/dev/null
wait_for "kept Bound" phase_is pvc kept Bound
kept_pv=$(kubectl get pvc kept -o jsonpath='{.spec.volumeName}')
kept_dir=$(kubectl get pv "$kept_pv" -o jsonpath='{.spec.hostPath.path}')
echo precious >"$kept_dir/file"
kubectl delete pvc kept >/dev/null
wait_for "$kept_pv Released" phase_is pv "$kept_pv" Released
grep -Eq "^$kept_pv +1Gi +RWO +Retain +Released +default/kept +keep " <<<"$(kubectl get pv)" || fail "released pv: $(kubectl get pv)"
[ "$(cat "$kept_dir/file")" = precious ] || fail "the retained data is gone"
kubectl apply -f "$KINDA_HOME/keep.yaml" >/dev/null
wait_for "the new kept Bound" phase_is pvc kept Bound
new_dir=$(kubectl get pv "$(kubectl get pvc kept -o jsonpath='{.spec.volumeName}')" -o jsonpath='{.spec.hostPath.path}')
[ "$new_dir" != "$kept_dir" ] && [ ! -e "$new_dir/file" ] || fail "a new claim got the retained data ($new_dir)"
ok "a Retain class keeps a Released PV and its data; a new claim of the same name starts empty"

# Expansion: allowed by keep, refused by standard; shrinking refused.
kubectl patch pvc kept -p '{"spec":{"resources":{"requests":{"storage":"3Gi"}}}}' >/dev/null
wait_for "kept at 3Gi" capacity_is kept 3Gi
[ "$(kubectl get pv "$(kubectl get pvc kept -o jsonpath='{.spec.volumeName}')" -o jsonpath='{.spec.capacity.storage}')" = 3Gi ] ||
  fail "the PV did not grow"
if out=$(kubectl patch pvc data-web-1 -p '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}' 2>&1); then
  fail "a claim of a class without expansion grew"
fi
grep -qF 'persistentvolumeclaims "data-web-1" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize' <<<"$out" ||
  fail "expansion refusal: $out"
if out=$(kubectl patch pvc kept -p '{"spec":{"resources":{"requests":{"storage":"1Gi"}}}}' 2>&1); then
  fail "a claim shrank"
fi
grep -qF 'spec.resources.requests.storage: Forbidden: field can not be less than status.capacity' <<<"$out" ||
  fail "shrink refusal: $out"
ok "a claim grows when its class allows expansion (PV and status follow), else is refused; never shrinks"

kubectl apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ghost}
spec:
  storageClassName: nosuch
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
YAML
wait_for "ghost's event" has 'storageclass.storage.k8s.io "nosuch" not found' kubectl get events --field-selector involvedObject.name=ghost
[ "$(phase pvc ghost)" = Pending ] || fail "ghost is $(phase pvc ghost)"
ok "a claim of an unknown class stays Pending with a ProvisioningFailed event"

mkdir -p "$KINDA_HOME/static"
kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: PersistentVolume
metadata: {name: mine}
spec:
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: $KINDA_HOME/static}
  storageClassName: ""
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: handmade}
spec:
  storageClassName: ""
  volumeName: mine
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
YAML
wait_for "handmade Bound" phase_is pvc handmade Bound
[ "$(phase pv mine)" = Bound ] && [ "$(kubectl get pv mine -o jsonpath='{.spec.claimRef.name}')" = handmade ] || fail "static pv: $(kubectl get pv mine -o yaml)"
kubectl delete pvc handmade >/dev/null
wait_for "mine Released" phase_is pv mine Released
[ -d "$KINDA_HOME/static" ] || fail "a static volume's directory was deleted"
if out=$(printf 'apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: bad}\nspec: {accessModes: [ReadWriteOnce]}\n' | kubectl apply -f - 2>&1); then
  fail "a PV without capacity and source was accepted"
fi
grep -qF 'spec: Required value: must specify a volume type' <<<"$out" && grep -qF 'spec.capacity: Required value' <<<"$out" ||
  fail "pv validation: $out"
ok "a static PV binds by volumeName and is Released (data kept) with its claim; invalid PVs are refused"
echo "passed $passed"
