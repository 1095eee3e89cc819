#!/usr/bin/env bash
# Guided tour: the seeds' own `db` StatefulSet (image postgres:17, a data claim per pod), with
# only POSTGRES_PASSWORD added (examples/seed-db.yaml), run through kinda's postgres image
# profile. Run as `scripts/demo db`, or `bash scripts/demo.d/db.sh /path/to/kinda`. Offline, on
# a throwaway cluster removed at exit.
set -euo pipefail
kinda=$1
cd "$(dirname "$0")/../.."
source scripts/demo.d/lib.sh db

kinda() { "$kinda" "$@"; }
# psql_on POD QUERY: psql in the pod over its own socket, shown as a step with the query quoted.
psql_on() {
  printf '%s$ kinda exec %s -- psql -U postgres -c "%s"%s\n' "$bold" "$1" "$2" "$plain"
  "$kinda" exec "$1" -- psql -U postgres -c "$2"
}
# from_client HOST QUERY: psql in the client pod, across pods, with the password.
from_client() {
  printf '%s$ kinda exec client -- psql -h %s -U postgres -c "%s"%s\n' "$bold" "$1" "$2" "$plain"
  "$kinda" exec client -- psql -h "$1" -U postgres -d postgres -c "$2"
}
answers() { [ "$("$kinda" exec client -- psql -h "$1" -U postgres -d postgres -XAtqc "$2" 2>/dev/null)" = "$3" ]; }

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pgbin" ] && [ -x "$pgbin/initdb" ] || die "PostgreSQL server binaries not found (Debian package postgresql)"
command -v psql >/dev/null || die "psql not found (Debian package postgresql-client)"
[ "$(id -u)" = 0 ] || die "run as root: the servers drop to the postgres user, and pods resolve db-N.db on port 53"

heading "A cluster, and the image profiles it knows"
step kinda up --time-scale 0.2
step kinda images
say "kinda runs no images: a profile says what the official image does (ENTRYPOINT, CMD, ENV,"
say "USER...) and which of this machine's programs stand in for it. postgres is built in."

heading "The seeds' db StatefulSet, as written there, plus POSTGRES_PASSWORD"
step grep -n -A2 'image:' examples/seed-db.yaml
step kinda apply -f examples/seed-db.yaml
say "No command in the manifest: the profile's entrypoint runs, as the image's does. On an empty"
say "data directory it runs initdb with the password, then starts postgres on every address, as"
say "the postgres user (it starts as root, chowns the claim, and drops privileges)."
watch_start db 3
step kinda logs db-0 --tail 4

heading "Three independent servers, each the postgres user's, each on its own claim"
vols=$KINDA_HOME/$KINDA_CLUSTER/volumes/default
for i in 0 1 2; do
  pid=$(head -1 "$vols/data-db-$i/postmaster.pid")
  printf '  db-%s  pid %-7s user %-9s data volumes/default/data-db-%s (PostgreSQL %s, owned by %s)\n' \
    "$i" "$pid" "$(ps -o user= -p "$pid")" "$i" "$(cat "$vols/data-db-$i/PG_VERSION")" "$(stat -c %U "$vols/data-db-$i")"
done
psql_on db-1 "select current_setting('data_directory'), inet_server_addr() is null as over_socket"

heading "From another pod, by name: db-N.db:5432"
step kinda apply -f - <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers:
    - name: client
      image: postgres:17
      command: [sleep, infinity]   # a command replaces the image's ENTRYPOINT: no server here
      env: [{name: PGPASSWORD, value: seed-db-password}]
YAML
step kinda wait --for=condition=Ready pod/client --timeout=60s
until_true 30 answers db-2.db "select 1" 1
for i in 0 1 2; do from_client "db-$i.db" "select inet_server_addr() as server, current_user"; done
say "Each name resolves to its own pod's address through the headless Service; connections from"
say "other pods need the password (the image's 'host all all all scram-sha-256')."
from_client db-0.db "create table notes (body text); insert into notes values ('kept on db-0')"

heading "A deleted pod comes back on its own data"
step kinda delete pod db-0
until_true 60 "$kinda" get pod db-0
step kinda wait --for=condition=Ready pod/db-0 --timeout=60s
until_true 30 answers db-0.db "select body from notes" "kept on db-0"
step kinda logs db-0 --tail 3
from_client db-0.db "select * from notes"
say "Same name, same claim: the data directory holds a database, so no second initdb."

heading "Without the password, as the image does"
say "The same manifest without POSTGRES_PASSWORD, in a namespace of its own:"
step kinda apply -f - <<'YAML'
apiVersion: v1
kind: Namespace
metadata: {name: nopw}
YAML
grep -v -e 'name: POSTGRES_PASSWORD' -e 'value: seed-db-password' -e '^          env:$' examples/seed-db.yaml |
  "$kinda" apply -n nopw -f - >/dev/null
until_true 60 bash -c "'$kinda' get pod db-0 -n nopw | grep -q CrashLoopBackOff"
step kinda get pod db-0 -n nopw
step kinda logs db-0 -n nopw --previous

heading "Clean up"
say "Tour took $(elapsed) s. The pods stop in reverse order and the cluster's state and volumes go."
step kinda down --purge
