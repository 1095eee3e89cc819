#!/usr/bin/env bash
# examples/etcd-statefulset.yaml against the real etcd: three unmodified etcd members bootstrap a
# cluster through their stable DNS names (etcd-N.etcd, resolved by kinda's resolver through each
# pod's resolv.conf), all report healthy, replicate a key; a deleted member is recreated with a
# new IP but the same name and PVC, restarts from its data dir as the same member, and the
# cluster is whole again with the key still there. Exit 77 (skipped): etcd/etcdctl not installed.
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v etcd >/dev/null && command -v etcdctl >/dev/null ||
  { echo "skipped: etcd/etcdctl not installed (Debian: apt-get install etcd-server etcd-client)"; exit 77; }
source "$here/lib.sh" etcd

"$kinda" up --time-scale 0.2 >/dev/null
"$kinda" status | grep -q "Isolation: *namespaces" ||
  { echo "skipped: pods need their own resolv.conf (root) to find etcd-N.etcd by name"; exit 77; }
"$kinda" apply -f "$here/../../examples/etcd-statefulset.yaml" >/dev/null
for i in 0 1 2; do wait_for "etcd-$i Ready" "$kinda" wait --for=condition=Ready "pod/etcd-$i" --timeout=1s; done
ok "etcd-0, etcd-1, etcd-2 are Ready: started together (Parallel), their /health probe passed once they had a leader"

export ETCDCTL_API=3
field() {  # field POD PYTHON-EXPR-ON-p: a field of the pod's JSON
  "$kinda" get pod "$1" -o json | python3 -c "import json,sys; p=json.load(sys.stdin); print($2)"
}
ctl() { etcdctl --dial-timeout=2s --command-timeout=5s "$@"; }       # on the host, by pod IP
in_pod() { "$kinda" exec "$1" -- etcdctl --dial-timeout=2s --command-timeout=5s "${@:2}"; }  # by name
ep() { echo "http://$(field "$1" 'p["status"]["podIP"]'):2379"; }
member_id() { ctl --endpoints "$(ep "$1")" endpoint status -w json |
  python3 -c 'import json,sys; print("%x" % json.load(sys.stdin)[0]["Status"]["header"]["member_id"])'; }
healthy_count() {  # healthy_count POD: members `endpoint health --cluster` finds healthy, asked in POD
  in_pod "$1" --endpoints "http://$1.etcd:2379" endpoint health --cluster 2>&1 | grep -c "is healthy" || true
}
three_healthy() { [ "$(healthy_count "$1")" = 3 ]; }
members() {  # sorted "ID NAME PEER-URL" lines of `member list`
  ctl --endpoints "$(ep etcd-0)" member list -w json | python3 -c '
import json, sys
for m in json.load(sys.stdin)["members"]:
    print("%x %s %s" % (m["ID"], m.get("name", ""), ",".join(m.get("peerURLs", []))))' | sort
}
all=$(ep etcd-0),$(ep etcd-1),$(ep etcd-2)

wait_for "3 healthy members seen from etcd-0" three_healthy etcd-0
[ "$(ctl --endpoints "$all" endpoint health 2>&1 | grep -c "is healthy")" = 3 ] ||
  fail "endpoint health by pod IP: $(ctl --endpoints "$all" endpoint health 2>&1)"
ok "endpoint health --cluster (in etcd-0, by the members' DNS names) and by pod IP from the host: 3 healthy"

before=$(members)
[ "$(wc -l <<<"$before")" = 3 ] || fail "member list: $before"
for i in 0 1 2; do
  grep -qx "[0-9a-f]* etcd-$i http://etcd-$i.etcd:2380" <<<"$before" || fail "etcd-$i not in member list: $before"
done
ok "member list: 3 members, etcd-N peering at http://etcd-N.etcd:2380"

[ "$(ctl --endpoints "$(ep etcd-0)" put greeting hello)" = OK ] || fail "put on etcd-0"
[ "$(ctl --endpoints "$(ep etcd-2)" get greeting --print-value-only)" = hello ] || fail "get on etcd-2"
[ "$(in_pod etcd-1 --endpoints http://etcd-1.etcd:2379 get greeting --print-value-only)" = hello ] ||
  fail "get on etcd-1 (in the pod, by name)"
ok "a key put on etcd-0 is read on etcd-2 (host, pod IP) and on etcd-1 (in the pod, by name)"

# Delete etcd-1: the StatefulSet recreates it with a new IP but the same name and claim.
old_id=$(member_id etcd-1)
old_uid=$(field etcd-1 'p["metadata"]["uid"]')
old_ip=$(field etcd-1 'p["status"]["podIP"]')
wal=$KINDA_HOME/$KINDA_CLUSTER/volumes/default/data-etcd-1/data/member/wal
[ -d "$wal" ] || fail "no WAL in data-etcd-1: $(ls -R "$KINDA_HOME/$KINDA_CLUSTER/volumes/default" | head)"
first_wal=$(ls "$wal" | grep '\.wal$' | head -1)
wal_inode=$(stat -c %i "$wal/$first_wal")
"$kinda" delete pod etcd-1 >/dev/null
recreated() { local uid; uid=$(field etcd-1 'p["metadata"]["uid"]') && [ "$uid" != "$old_uid" ]; }
wait_for "etcd-1 recreated" recreated
wait_for "the new etcd-1 Ready" "$kinda" wait --for=condition=Ready pod/etcd-1 --timeout=1s
new_ip=$(field etcd-1 'p["status"]["podIP"]')
[ "$new_ip" != "$old_ip" ] || fail "etcd-1 kept its IP $old_ip (kinda hands out new addresses)"
[ "$(member_id etcd-1)" = "$old_id" ] || fail "etcd-1 is member $(member_id etcd-1), was $old_id"
[ "$(stat -c %i "$wal/$first_wal")" = "$wal_inode" ] || fail "etcd-1's WAL $first_wal was recreated"
has "restarting member $old_id" "$kinda" logs etcd-1 ||
  fail "etcd did not restart from its data dir: $("$kinda" logs etcd-1 2>&1 | grep -i member | head -5)"
ok "etcd-1 came back at $new_ip (was $old_ip) as the same member $old_id, restarted from its WAL in data-etcd-1"

for i in 0 1 2; do wait_for "3 healthy members seen from etcd-$i" three_healthy "etcd-$i"; done
[ "$(members)" = "$before" ] || fail "member list changed: $(members) (was $before)"
[ "$(ctl --endpoints "$(ep etcd-1)" get greeting --print-value-only --consistency=s)" = hello ] ||
  fail "the key on the recreated etcd-1 (serializable: its own store)"
ok "after the restart: 3 healthy members (asked in each pod), the same member list, the key on etcd-1"
echo "passed: $passed"
