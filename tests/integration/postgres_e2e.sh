#!/usr/bin/env bash
# PostgreSQL primary + streaming replicas (examples/postgres-statefulset.yaml) on a throwaway
# cluster: db-0 initialises the primary, db-1 and db-2 clone it from db-0.db with pg_basebackup
# once OrderedReady lets them start; db-0 sees both standbys streaming; a row written on db-0 is
# read on db-2, which is in recovery; a deleted standby comes back on its PVC's data without
# cloning again. psql runs from the host against the pods' addresses, and through `kinda exec`
# against the pod's own unix socket. The container is the postgres image profile's entrypoint.
# Exit 77: the PostgreSQL server binaries or psql are missing, or not root (see below).
set -euo pipefail
kinda=$1
example=$(cd "$(dirname "$0")/../.." && pwd)/examples/postgres-statefulset.yaml
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pgbin" ] || pgbin=$(dirname "$(readlink -f "$(command -v postgres 2>/dev/null || echo /nonexistent)")")
for tool in initdb postgres pg_basebackup; do
  [ -x "$pgbin/$tool" ] || { echo "SKIP: PostgreSQL server binaries not found ($tool; Debian package postgresql)"; exit 77; }
done
command -v psql >/dev/null && command -v pg_isready >/dev/null ||
  { echo "SKIP: psql/pg_isready not installed (Debian package postgresql-client)"; exit 77; }
if [ "$(id -u)" != 0 ]; then
  # Without root the pods' resolver cannot bind port 53 (README, "Isolation"), so db-0.db does
  # not resolve inside a pod and the standbys could not find the primary.
  echo "SKIP: needs root (pods resolve db-0.db only when kinda can bind port 53)"
  exit 77
fi
id postgres >/dev/null 2>&1 || { echo "SKIP: no postgres user to run the server as"; exit 77; }
source "$(dirname "$0")/lib.sh" pg

pod_ip() {
  "$kinda" get pod "$1" -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"].get("podIP", ""))'
}
ready() {  # the pod's Ready condition: True, False or empty
  "$kinda" get pod "$1" -o json | python3 -c 'import json,sys
print(next((c["status"] for c in json.load(sys.stdin)["status"].get("conditions", []) if c["type"] == "Ready"), ""))'
}
sql() {  # sql IP QUERY: one unaligned, tuples-only answer from the server at IP
  PGCONNECT_TIMEOUT=5 psql -h "$1" -p 5432 -U postgres -d postgres -XAtq -c "$2"
}
answers() {  # answers IP QUERY EXPECTED
  [ "$(sql "$1" "$2" 2>/dev/null)" = "$3" ]
}
volume() { echo "$KINDA_HOME/$KINDA_CLUSTER/volumes/default/data-$1"; }

"$kinda" up --time-scale 0.2 >/dev/null
"$kinda" apply -f "$example" >/dev/null

# Ordered start: each pod appears only once the one before it is Ready, and each ends Ready.
for i in 0 1 2; do
  wait_for "pod db-$i to be created" "$kinda" get pod "db-$i"
  if [ "$i" -gt 0 ]; then
    [ "$(ready "db-$((i - 1))")" = True ] ||
      fail "db-$i was created before db-$((i - 1)) was Ready"
  fi
  "$kinda" wait --for=condition=Ready "pod/db-$i" --timeout=60s >/dev/null ||
    fail "db-$i not Ready: $("$kinda" logs "db-$i" -c init 2>&1 | tail -5) $("$kinda" logs "db-$i" 2>&1 | tail -5)"
done
has "ordinal 0: initdb" "$kinda" logs db-0 -c init || fail "db-0 did not initdb"
for i in 1 2; do
  has "cloning db-0.db with pg_basebackup" "$kinda" logs "db-$i" -c init || fail "db-$i did not clone"
done
ok "db-0, db-1, db-2 started in order: db-0 ran initdb, db-1 and db-2 cloned db-0.db"

ip0=$(pod_ip db-0) ip2=$(pod_ip db-2)
[ -n "$ip0" ] && [ -n "$ip2" ] && [ "$ip0" != "$ip2" ] || fail "pod IPs: db-0 '$ip0', db-2 '$ip2'"

streaming="select count(*) from pg_stat_replication where state = 'streaming'"
wait_for "2 standbys streaming from db-0" answers "$ip0" "$streaming" 2
names=$(sql "$ip0" "select string_agg(application_name, ',' order by application_name) from pg_stat_replication")
[ "$names" = "db-1,db-2" ] || fail "pg_stat_replication application names: $names"
ok "pg_stat_replication on db-0: 2 standbys (db-1, db-2) streaming"
# Each standby connects from its own pod IP, as on Kubernetes (no announce or bind workaround).
addrs=$(sql "$ip0" "select string_agg(host(client_addr), ',' order by application_name) from pg_stat_replication")
[ "$addrs" = "$(pod_ip db-1),$ip2" ] || fail "pg_stat_replication client_addr: $addrs, not db-1's and db-2's pod IPs"
ok "pg_stat_replication.client_addr shows db-1's and db-2's own pod IPs ($addrs)"

[ "$(sql "$ip0" 'select pg_is_in_recovery()')" = f ] || fail "db-0 is in recovery"
[ "$(sql "$ip2" 'select pg_is_in_recovery()')" = t ] || fail "db-2 is not in recovery"
[ -f "$(volume db-2)/pgdata/standby.signal" ] && [ ! -f "$(volume db-0)/pgdata/standby.signal" ] ||
  fail "standby.signal should be in data-db-2 only"
ok "db-0 is the primary, db-2 a standby in recovery (standby.signal in its own PVC)"

sql "$ip0" "create table notes (id int primary key, body text); insert into notes values (1, 'written on db-0')"
wait_for "the row written on db-0 on db-2" answers "$ip2" "select body from notes where id = 1" "written on db-0"
code=0
sql "$ip2" "insert into notes values (2, 'on a standby')" 2>"$KINDA_HOME/err" || code=$?
[ "$code" != 0 ] && grep -q "read-only transaction" "$KINDA_HOME/err" || fail "db-2 accepted a write: $code"
ok "a row written on db-0 is read on db-2, which refuses writes"

# The unix socket is in the pod's own /var/run/postgresql (the profile's emptyDir), reachable
# through kinda exec in the pod's namespaces; PGUSER in the pod's env, the default-container
# annotation spares `-c`.
out=$("$kinda" exec db-1 -- psql -d postgres -XAtqc "select count(*) from notes" 2>"$KINDA_HOME/err") ||
  fail "psql over db-1's unix socket: $out $(cat "$KINDA_HOME/err")"
[ "$out" = 1 ] && [ ! -s "$KINDA_HOME/err" ] || fail "db-1 over its unix socket: $out $(cat "$KINDA_HOME/err")"
ok "kinda exec db-1 reaches its server over the pod's own unix socket"

# A standby deleted comes back as the same identity on its PVC: no second clone, still streaming.
"$kinda" delete pod db-2 >/dev/null
wait_for "db-2 to be recreated" has "exists: nothing to initialise" "$kinda" logs db-2 -c init
"$kinda" wait --for=condition=Ready pod/db-2 --timeout=60s >/dev/null || fail "db-2 not Ready after restart"
ip2=$(pod_ip db-2)
wait_for "db-2 streaming again" answers "$ip0" "$streaming" 2
[ "$(sql "$ip2" 'select pg_is_in_recovery()')" = t ] || fail "restarted db-2 is not in recovery"
sql "$ip0" "insert into notes values (3, 'after the restart')"
wait_for "the row written after db-2's restart on db-2" answers "$ip2" "select count(*) from notes" 2
ok "db-2 deleted: recreated on its own data (no new clone), streaming and in recovery again"

echo "$passed passed, 0 failed"
