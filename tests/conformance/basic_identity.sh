#!/usr/bin/env bash
# e2e "should provide basic identity": each pod's hostname is its name, it has a stable DNS name
# through the headless Service, and the data in its claim survives the pod being deleted and the
# whole set being restarted (scaled to 0 and back).
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" basic_identity

up
apply_service
apply_set replicas=3
wait_ready web-0 web-1 web-2
dns=$("$kinda" status | awk '/^DNS:/ {print $2}')
resolve() { dig +short "@${dns%:*}" -p "${dns##*:}" "$1.web.default.svc.cluster.local"; }
resolves_to() { [ "$(resolve "$1")" = "$(jget pod "$1" .status.podIP)" ] && [ -n "$(resolve "$1")" ]; }

for p in web-0 web-1 web-2; do
  [ "$("$kinda" exec "$p" -- hostname)" = "$p" ] || fail "hostname of $p: $("$kinda" exec "$p" -- hostname)"
  [ "$(jget pod "$p" .spec.hostname)/$(jget pod "$p" .spec.subdomain)" = "$p/web" ] ||
    fail "$p: spec.hostname/subdomain $(jget pod "$p" .spec.hostname)/$(jget pod "$p" .spec.subdomain)"
  [ "$(jget pod "$p" '.spec.volumes[] | select(.name == "data") | .persistentVolumeClaim.claimName')" = "data-$p" ] ||
    fail "$p does not mount claim data-$p"
  [ "$(jget pod "$p" '.metadata.labels["statefulset.kubernetes.io/pod-name"]')" = "$p" ] || fail "$p: pod-name label"
  [ "$(jget pod "$p" '.metadata.labels["apps.kubernetes.io/pod-index"]')" = "${p#web-}" ] || fail "$p: pod-index label"
  wait_for "DNS name of $p" resolves_to "$p"
  # The e2e's CheckMount and data writes: the claim is mounted at /data, writable, symlinks work.
  "$kinda" exec "$p" -- sh -c 'hostname > /data/hostname && ln -s /data/hostname /data/hostname-symlink'
done
ok "hostname = pod name, hostname/subdomain set, claims data-web-N mounted, stable DNS names"
[ "$(jget pvc data-web-1 .status.phase)" = Bound ] || fail "data-web-1 is $(jget pvc data-web-1 .status.phase)"
[ -s "$ROOT/volumes/default/data-web-1/hostname" ] || fail "no $ROOT/volumes/default/data-web-1/hostname"
ok "claims are Bound and backed by <root>/volumes/<ns>/<claim>"

# A deleted pod comes back with the same name, a new uid, the same data and the same DNS name.
old=$(uid_of web-1)
"$kinda" delete pod web-1 >/dev/null
new_uid() { [ -n "$(uid_of web-1)" ] && [ "$(uid_of web-1)" != "$old" ]; }
wait_for "web-1 recreated" new_uid
wait_ready web-1
[ "$("$kinda" exec web-1 -- cat /data/hostname)" = web-1 ] || fail "web-1 lost /data/hostname"
[ "$("$kinda" exec web-1 -- hostname)" = web-1 ] || fail "recreated web-1 hostname"
wait_for "DNS name of the recreated web-1" resolves_to web-1
ok "a deleted pod returns with a new uid, its hostname, its data and its DNS name"

# The e2e's Restart: scale to 0, then back; every pod reads its own hostname from its claim.
"$kinda" scale sts web --replicas=0 >/dev/null
wait_gone web-0 web-1 web-2
unresolved() { [ -z "$(resolve "$1")" ]; }
wait_for "web-0 to leave DNS" unresolved web-0
"$kinda" scale sts web --replicas=3 >/dev/null
wait_ready web-0 web-1 web-2
for p in web-0 web-1 web-2; do
  "$kinda" exec "$p" -- sh -c 'test "$(cat /data/hostname)" = "$(hostname)" && test "$(cat /data/hostname-symlink)" = "$(hostname)"' ||
    fail "$p after restart: /data/hostname is $("$kinda" exec "$p" -- cat /data/hostname)"
  wait_for "DNS name of $p after restart" resolves_to "$p"
done
ok "after a restart (0 replicas and back) each pod finds its own data through /data"

finish
