#!/usr/bin/env bash
# Image profiles end to end: `kinda images` lists the built-in profiles with their sources and
# programs; a user profile ($XDG_CONFIG_HOME/kinda/images) runs its own entrypoint script with
# its ENV under the pod's env and its files bound into the pod; a cluster profile
# (<cluster>/images) replaces a built-in of the same name; a broken profile is reported and the
# daemon still starts; an image nothing maps waits in ErrImageNotMapped with an event naming the
# profile directories. Then the postgres profile's contract: POSTGRES_USER, POSTGRES_DB,
# POSTGRES_INITDB_ARGS, POSTGRES_INITDB_WALDIR, PGDATA in a subdirectory, the
# /docker-entrypoint-initdb.d scripts (*.sql, *.sql.gz, *.sh executable and sourced) run once,
# and POSTGRES_HOST_AUTH_METHOD=trust without a password.
# Exit 77: the PostgreSQL server or psql is missing, or not root (the profile drops to postgres).
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pgbin" ] && [ -x "$pgbin/initdb" ] ||
  { echo "SKIP: PostgreSQL server binaries not found (Debian package postgresql)"; exit 77; }
command -v psql >/dev/null || { echo "SKIP: psql not installed (Debian package postgresql-client)"; exit 77; }
[ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 ||
  { echo "SKIP: needs root and the postgres user"; exit 77; }
source "$here/lib.sh" images
export XDG_CONFIG_HOME=$KINDA_HOME/config
user_profiles=$XDG_CONFIG_HOME/kinda/images
cluster_dir=$KINDA_HOME/$KINDA_CLUSTER

pod_ip() {
  "$kinda" get pod "$1" -o json | "$python" -c 'import json,sys; print(json.load(sys.stdin)["status"].get("podIP", ""))'
}
logs_have() { has "$2" "$kinda" logs "$1"; }

# A user profile with its own entrypoint script, ENV and a file; a broken one; a cluster one.
mkdir -p "$user_profiles/hello" "$user_profiles/broken" "$user_profiles/needs-tool"
cat >"$user_profiles/hello/profile.yaml" <<'YAML'
names: [example.test/hello]
entrypoint: [hello.sh]
cmd: [world]
env:
  - {name: GREETING, value: hello}
  - {name: OVERRIDDEN, value: from-image}
files:
  - {path: /etc/hello/message.txt, source: message.txt}
YAML
cat >"$user_profiles/hello/hello.sh" <<'SH'
#!/bin/sh
echo "$GREETING $* ($OVERRIDDEN) $(cat /etc/hello/message.txt) as $(id -un)"
exec sleep infinity
SH
chmod +x "$user_profiles/hello/hello.sh"
echo "a file of the profile" >"$user_profiles/hello/message.txt"
printf 'names: [broken]\ncmd: [sh]\nusr: nobody\n' >"$user_profiles/broken/profile.yaml"
printf 'names: [needs-tool]\ncmd: [no-such-tool]\nprograms: [{name: no-such-tool, package: no-such-package}]\n' \
  >"$user_profiles/needs-tool/profile.yaml"
mkdir -p "$cluster_dir/images/busybox"
printf 'names: [busybox]\nentrypoint: [echo, from the cluster profile]\n' >"$cluster_dir/images/busybox/profile.yaml"

"$kinda" up --time-scale 0.2 >/dev/null
out=$("$kinda" images)
grep -Eq '^postgres +built-in +postgres,docker.io/library/postgres,library/postgres +5432/tcp +installed' <<<"$out" ||
  fail "kinda images, postgres row: $out"
grep -Eq '^mariadb +built-in +.*3306/tcp' <<<"$out" || fail "kinda images, mariadb row: $out"
grep -Eq '^hello +user +example.test/hello ' <<<"$out" || fail "kinda images, hello row: $out"
grep -Eq '^busybox +cluster +busybox ' <<<"$out" || fail "kinda images, the cluster's busybox: $out"
grep -q 'missing: no-such-tool (apt-get install no-such-package)' <<<"$out" ||
  fail "kinda images does not name the missing program's package: $out"
grep -q 'not loaded: user image profile "broken": usr: unknown field' <<<"$out" ||
  fail "kinda images does not report the broken profile: $out"
has '"broken": usr: unknown field' cat "$cluster_dir/daemon.log" || fail "the daemon did not log the broken profile"
[ -x "$cluster_dir/builtin-images/postgres/docker-entrypoint.sh" ] || fail "built-in scripts not written out"
ok "kinda images: built-in, user and cluster profiles, a missing program's package, a broken profile reported"

"$kinda" apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: hello}
spec:
  containers:
    - name: hello
      image: example.test/hello:1.0
      env: [{name: OVERRIDDEN, value: from-pod}]
---
apiVersion: v1
kind: Pod
metadata: {name: box}
spec:
  restartPolicy: Never
  containers: [{name: box, image: busybox:1.36}]
---
apiVersion: v1
kind: Pod
metadata: {name: unmapped}
spec:
  containers: [{name: app, image: example.test/nothing:2}]
YAML
wait_for "hello's greeting" logs_have hello "hello world (from-pod) a file of the profile as root"
ok "a user profile: its entrypoint script with CMD, its ENV under the pod's env, its file bound in"
wait_for "busybox from the cluster profile" logs_have box "from the cluster profile"
ok "a cluster profile replaces the built-in busybox"
wait_for "ErrImageNotMapped" has ErrImageNotMapped "$kinda" get pod unmapped
has "$cluster_dir/images or $user_profiles" "$kinda" get events ||
  fail "no event naming the profile directories: $("$kinda" get events | grep unmapped)"
ok "an image nothing maps: ErrImageNotMapped, the event names the profile directories"

# The postgres contract, on a hostPath data directory the test can look into.
initdb=$KINDA_HOME/initdb.d data=$KINDA_HOME/pgdata
mkdir -p "$initdb"
cat >"$initdb/01-schema.sql" <<'SQL'
CREATE TABLE items (id int PRIMARY KEY, owner text DEFAULT current_user);
INSERT INTO items (id) VALUES (1);
SQL
printf 'INSERT INTO items (id) VALUES (2);\n' | gzip >"$initdb/02-more.sql.gz"
cat >"$initdb/03-sourced.sh" <<'SH'
# Sourced (not executable): sees the entrypoint's variables.
echo "sourced as $(id -un) for $POSTGRES_DB" >>"$PGDATA/../initdb-runs"
SH
cat >"$initdb/04-run.sh" <<'SH'
#!/bin/sh
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -c "INSERT INTO items (id) VALUES (3)"
SH
chmod +x "$initdb/04-run.sh"
echo "ignored" >"$initdb/05-notes.txt"
pg_pod() {
  cat <<YAML
apiVersion: v1
kind: Pod
metadata: {name: pg}
spec:
  containers:
    - name: pg
      image: docker.io/library/postgres:17
      env:
        - {name: POSTGRES_PASSWORD, value: app-secret}
        - {name: POSTGRES_USER, value: app}
        - {name: POSTGRES_DB, value: appdb}
        - {name: POSTGRES_INITDB_ARGS, value: "--data-checksums --encoding=UTF8"}
        - {name: POSTGRES_INITDB_WALDIR, value: /var/lib/postgresql/data/wal}
        - {name: PGDATA, value: /var/lib/postgresql/data/pgdata}
      volumeMounts:
        - {name: data, mountPath: /var/lib/postgresql/data}
        - {name: initdb, mountPath: /docker-entrypoint-initdb.d, readOnly: true}
  volumes:
    - {name: data, hostPath: {path: $data, type: DirectoryOrCreate}}
    - {name: initdb, hostPath: {path: $initdb}}
YAML
}
app_sql() { PGPASSWORD=app-secret PGCONNECT_TIMEOUT=5 psql -h "$(pod_ip pg)" -U app -d appdb -XAtq -c "$1"; }
pg_pod | "$kinda" apply -f - >/dev/null
wait_for "pg initialised" logs_have pg "PostgreSQL init process complete; ready for start up."
wait_for "pg accepting app" app_sql "select 1"
[ "$(app_sql 'select string_agg(id || owner, $$,$$ order by id) from items')" = "1app,2app,3app" ] ||
  fail "initdb.d results: $(app_sql 'table items')"
[ "$(app_sql 'show data_checksums')" = on ] || fail "POSTGRES_INITDB_ARGS not passed to initdb"
[ "$(app_sql 'select current_database() || current_user')" = appdbapp ] || fail "POSTGRES_DB/USER"
[ -L "$data/pgdata/pg_wal" ] && [ "$(readlink "$data/pgdata/pg_wal")" = /var/lib/postgresql/data/wal ] ||
  fail "POSTGRES_INITDB_WALDIR: pg_wal is $(ls -ld "$data/pgdata/pg_wal")"
[ "$(cat "$data/initdb-runs")" = "sourced as postgres for appdb" ] || fail "sourced script: $(cat "$data/initdb-runs")"
logs_have pg "ignoring /docker-entrypoint-initdb.d/05-notes.txt" || fail "05-notes.txt not ignored"
code=0
PGPASSWORD=wrong psql -h "$(pod_ip pg)" -U app -d appdb -XAtqc 'select 1' >/dev/null 2>&1 || code=$?
[ "$code" != 0 ] || fail "a wrong password was let in"
ok "postgres: POSTGRES_USER/DB/INITDB_ARGS/INITDB_WALDIR, PGDATA subdirectory, initdb.d *.sql, *.sql.gz, *.sh"

"$kinda" delete pod pg >/dev/null
wait_for "pg gone" test -z "$("$kinda" get pod pg 2>/dev/null)"
pg_pod | "$kinda" apply -f - >/dev/null
wait_for "pg reusing its data" logs_have pg "Skipping initialization"
wait_for "pg accepting app again" app_sql "select 1"
[ "$(app_sql 'select count(*) from items')" = 3 ] && [ "$(wc -l <"$data/initdb-runs")" = 1 ] ||
  fail "initdb.d ran again: $(app_sql 'select count(*) from items'), $(cat "$data/initdb-runs")"
ok "postgres restarted on its data: no second initialisation, initdb.d not run again"

"$kinda" apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: trusting}
spec:
  containers:
    - name: pg
      image: postgres
      env: [{name: POSTGRES_HOST_AUTH_METHOD, value: trust}]
      volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
  volumes: [{name: data, emptyDir: {}}]
YAML
trusted() { PGCONNECT_TIMEOUT=5 psql -h "$(pod_ip trusting)" -U postgres -d postgres -w -XAtqc "select 42"; }
wait_for "trust without a password" trusted
logs_have trusting "POSTGRES_HOST_AUTH_METHOD=trust" || fail "no warning about trust"
ok "postgres: POSTGRES_HOST_AUTH_METHOD=trust starts without a password and lets clients in"

echo "$passed passed, 0 failed"
