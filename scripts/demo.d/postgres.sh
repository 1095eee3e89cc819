#!/usr/bin/env bash
# Guided tour: PostgreSQL with a primary and two streaming replicas on kinda
# (examples/postgres-statefulset.yaml). Run as `scripts/demo postgres`, or
# `bash scripts/demo.d/postgres.sh /path/to/kinda`. Offline, on a throwaway cluster removed at exit.
set -euo pipefail
kinda=$1
cd "$(dirname "$0")/../.."
source scripts/demo.d/lib.sh postgres

# `step kinda …` prints "$ kinda …" and runs the binary under test.
kinda() { "$kinda" "$@"; }
# sql POD QUERY: one unaligned answer from the pod's server, over the pod's own socket.
sql() { "$kinda" exec "$1" -- psql -d postgres -XAtqc "$2"; }
answers() { [ "$(sql "$1" "$2" 2>/dev/null)" = "$3" ]; }  # answers POD QUERY EXPECTED (for until_true)
# psql_on POD QUERY: psql in the pod (PGUSER comes from its env), shown as a step with the
# query quoted.
psql_on() {
  printf '%s$ kinda exec %s -- psql -c "%s"%s\n' "$bold" "$1" "$2" "$plain"
  "$kinda" exec "$1" -- psql -c "$2"
}

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pgbin" ] && [ -x "$pgbin/pg_basebackup" ] ||
  die "PostgreSQL server binaries not found (Debian package postgresql)"
command -v psql >/dev/null || die "psql not found (Debian package postgresql-client)"
[ "$(id -u)" = 0 ] ||
  die "run as root: the replicas find db-0.db through the pods' resolver on port 53, which only root can bind"

heading "A cluster"
step kinda up --time-scale 0.2
say "One daemon, state in SQLite; pods will be local processes with their own hostname, /etc/hosts"
say "and resolv.conf, and a loopback address each (127.X.0.N). --time-scale 0.2 speeds up probes."

heading "The seed's db StatefulSet, made to replicate"
step kinda apply -f examples/postgres-statefulset.yaml
say "Each pod first runs the initContainer 'init': ordinal 0 leaves initdb to the image's entrypoint"
say "(kinda's postgres image profile) with a replication.sh for its initdb.d; ordinals 1 and 2 clone"
say "db-0 with 'pg_basebackup -h db-0.db -R' (standbys). Then the image's entrypoint starts postgres"
say "on the pod's own address, as the postgres user (it starts as root and drops privileges)."

heading "Ordered start: db-1 is created only once db-0 is Ready"
watch_start db 3
say "OrderedReady is what makes the clone work: when db-1 runs pg_basebackup, db-0 is already"
say "answering pg_isready, and db-0.db resolves (the headless Service lists ready pods only)."
step kinda logs db-1 -c init
step kinda get pods -o wide

heading "Streaming replication, seen from the primary"
until_true 30 answers db-0 "select count(*) from pg_stat_replication where state = 'streaming'" 2
psql_on db-0 "select application_name, client_addr, state, sync_state from pg_stat_replication"
say "Two walsenders, one per standby. client_addr is 127.0.0.1 for both: pods share the host's"
say "loopback, so connections leave from its primary address, not from the pod's own."

heading "Write on db-0, read on db-2"
psql_on db-0 "create table notes (id int primary key, body text); insert into notes values (1, 'written on db-0 at ' || now())"
until_true 30 answers db-2 "select count(*) from notes" 1
psql_on db-2 "select * from notes"
psql_on db-2 "select pg_is_in_recovery()"
say "db-2 replays db-0's WAL as a hot standby: it reads, and it refuses writes:"
psql_on db-2 "insert into notes values (2, 'on a standby')" || true

heading "Per-ordinal data: one PVC per pod"
step kinda get pvc
vols=$KINDA_HOME/$KINDA_CLUSTER/volumes/default
for i in 0 1 2; do
  d=$vols/data-db-$i/pgdata
  role=primary
  [ -f "$d/standby.signal" ] && role="standby (standby.signal; $(grep -o "host=[^ ]*" "$d/postgresql.auto.conf" | tr -d "'" | tail -1))"
  printf '  volumes/default/data-db-%s/pgdata  PostgreSQL %s  %s\n' "$i" "$(cat "$d/PG_VERSION")" "$role"
done
say "Each claim is a directory on this machine, bind-mounted at /var/lib/postgresql/data in its"
say "pod only. pg_basebackup -R wrote standby.signal and primary_conninfo into the standbys' copies."

heading "A standby deleted comes back on its own data"
step kinda delete pod db-2
until_true 60 "$kinda" get pod db-2
step kinda wait --for=condition=Ready pod/db-2 --timeout=60s
step kinda logs db-2 -c init
until_true 30 answers db-2 "select count(*) from notes" 1
psql_on db-2 "select pg_is_in_recovery(), (select count(*) from notes) as notes"
say "Same name, same PVC: the data directory exists, so no second clone; it resumes streaming."

heading "Clean up"
say "Tour took $(elapsed) s. Now the pods stop in reverse order (db-2, db-1, db-0) and the cluster's"
say "state and volumes (three PostgreSQL data directories) are deleted."
step kinda down --purge
