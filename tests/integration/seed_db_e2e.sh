#!/usr/bin/env bash
# The seeds' `db` StatefulSet (examples/seed-db.yaml: image postgres:17, a data claim at
# /var/lib/postgresql/data, POSTGRES_PASSWORD) through the postgres image profile: three
# independent PostgreSQL servers db-0..2, each run by the postgres user on its own data directory
# in data-db-N, initialised on first start; psql from another pod reaches each as db-N.db:5432
# with the password (a wrong one is refused); a deleted pod comes back on the same data without
# initialising again. The same manifest without the password: the image's own message in
# `kubectl logs`, exit 1, CrashLoopBackOff.
# Exit 77: the PostgreSQL server, psql, kubectl or the postgres user is missing, or not root.
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
example=$here/../../examples/seed-db.yaml
source "$here/postgres_kubectl_preflight.sh" initdb postgres pg_ctl
source "$here/lib.sh" seeddb
# The user's own profiles stay out of the test (lookup order 3).
export XDG_CONFIG_HOME=$KINDA_HOME/config
export KUBECONFIG=$KINDA_HOME/kubeconfig
k() { timeout 120 kubectl --cache-dir "$KINDA_HOME/kube-cache" "$@"; }

field() {  # field POD PYTHON-EXPR [NAMESPACE]: a value of the pod object
  "$kinda" get pod "$1" -n "${3:-default}" -o json | "$python" -c "import json,sys; o=json.load(sys.stdin); print($2)"
}
pod_ip() { field "$1" 'o["status"].get("podIP", "")'; }
volume() { echo "$KINDA_HOME/$KINDA_CLUSTER/volumes/default/data-$1"; }
# The user running the server of pod $1: the postmaster's pid is the first line of postmaster.pid.
server_user() { ps -o user= -p "$(head -1 "$(volume "$1")/postmaster.pid")" | tr -d ' '; }
client_sql() {  # client_sql HOST QUERY: psql in the client pod, with the password
  "$kinda" exec client -- psql -h "$1" -p 5432 -U postgres -d postgres -XAtq -c "$2"
}

"$kinda" up --time-scale 0.2 --api-listen 127.0.0.1:0 >/dev/null
"$kinda" kubeconfig >"$KUBECONFIG"
k apply -f "$example" >/dev/null

for i in 0 1 2; do
  wait_for "pod db-$i" "$kinda" get pod "db-$i"
  "$kinda" wait --for=condition=Ready "pod/db-$i" --timeout=60s >/dev/null ||
    fail "db-$i not Ready: $("$kinda" logs "db-$i" 2>&1 | tail -5)"
  wait_for "db-$i accepting connections" pg_isready -q -h "$(pod_ip "db-$i")" -p 5432
done
for i in 0 1 2; do
  has "PostgreSQL init process complete; ready for start up." "$kinda" logs "db-$i" ||
    fail "db-$i did not initialise: $("$kinda" logs "db-$i" | tail -5)"
  [ -s "$(volume "db-$i")/PG_VERSION" ] || fail "no database in data-db-$i"
  [ "$(stat -c %U "$(volume "db-$i")")" = postgres ] || fail "data-db-$i is not the postgres user's"
  [ "$(server_user "db-$i")" = postgres ] || fail "db-$i's server runs as $(server_user "db-$i")"
done
ok "db-0, db-1, db-2 initialised their own data-db-N on first start, servers run as postgres"

# The pod's view: ps inside db-1 shows the postgres user's server; its socket is the pod's own.
out=$("$kinda" exec db-1 -- ps -o user=,args= -p "$(head -1 "$(volume db-1)/postmaster.pid")")
[[ $out == postgres*postgres* ]] || fail "ps in db-1: $out"
out=$("$kinda" exec db-1 -- psql -U postgres -XAtqc 'select current_setting($$data_directory$$)')
[ "$out" = /var/lib/postgresql/data ] || fail "db-1 data_directory over its socket: $out"
ok "inside db-1: ps shows the server as postgres, psql over the pod's own socket works"

# Another pod (the image with a command, so no server of its own) reaches each by name.
"$kinda" apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers:
    - name: client
      image: postgres:17
      command: [sleep, infinity]
      env: [{name: PGPASSWORD, value: seed-db-password}]
YAML
"$kinda" wait --for=condition=Ready pod/client --timeout=60s >/dev/null || fail "client not Ready"
for i in 0 1 2; do
  wait_for "db-$i.db from the client" client_sql "db-$i.db" "select 1"
  [ "$(client_sql "db-$i.db" 'select host(inet_server_addr())')" = "$(pod_ip "db-$i")" ] ||
    fail "db-$i.db did not reach db-$i's own address"
done
client_sql db-0.db "create table notes (body text); insert into notes values ('on db-0')"
[ "$(client_sql db-1.db "select count(*) from pg_tables where tablename = 'notes'")" = 0 ] ||
  fail "db-1 has db-0's table: the servers are not independent"
code=0
"$kinda" exec client -- env PGPASSWORD=wrong psql -h db-2.db -U postgres -d postgres -XAtqc 'select 1' \
  >/dev/null 2>"$KINDA_HOME/err" || code=$?
[ "$code" != 0 ] && grep -q "password authentication failed" "$KINDA_HOME/err" ||
  fail "a wrong password was not refused: $code $(cat "$KINDA_HOME/err")"
ok "psql from another pod reaches db-N.db:5432 (each its own server), a wrong password is refused"

old_uid=$(field db-0 'o["metadata"]["uid"]')
"$kinda" delete pod db-0 >/dev/null
recreated() { local uid; uid=$(field db-0 'o["metadata"]["uid"]') && [ "$uid" != "$old_uid" ]; }
wait_for "db-0 recreated" recreated
"$kinda" wait --for=condition=Ready pod/db-0 --timeout=60s >/dev/null || fail "db-0 not Ready again"
wait_for "db-0 reusing its data" has "Skipping initialization" "$kinda" logs db-0
row_back() { [ "$(client_sql db-0.db 'select body from notes' 2>/dev/null)" = "on db-0" ]; }
for _ in $(seq 600); do row_back && break; sleep 0.1; done  # bounded retry
row_back || fail "db-0's row after the restart: $(client_sql db-0.db 'select body from notes' 2>&1) $("$kinda" logs db-0 | tail -5)"
! has "init process complete" "$kinda" logs db-0 || fail "db-0 initialised again"
ok "db-0 deleted: recreated on data-db-0 without initialising again, its row still there"

# Without the password: the image's own refusal, and the kubelet's back-off.
"$kinda" apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Namespace
metadata: {name: nopw}
YAML
grep -v -e 'name: POSTGRES_PASSWORD' -e 'value: seed-db-password' -e '^          env:$' "$example" |
  k apply -n nopw -f - >/dev/null
wait_for "nopw/db-0 in CrashLoopBackOff" has CrashLoopBackOff "$kinda" get pod db-0 -n nopw
logs=$(k logs -n nopw db-0 --previous 2>/dev/null || k logs -n nopw db-0)
for line in 'Error: Database is uninitialized and superuser password is not specified.' \
  'You must specify POSTGRES_PASSWORD to a non-empty value for the' \
  'You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all'; do
  grep -qF -- "$line" <<<"$logs" || fail "kubectl logs lacks '$line': $logs"
done
[ "$(field db-0 'o["status"]["containerStatuses"][0]["lastState"]["terminated"]["exitCode"]' nopw)" = 1 ] ||
  fail "the container did not exit 1"
[ ! -e "$KINDA_HOME/$KINDA_CLUSTER/volumes/nopw/data-db-0/PG_VERSION" ] || fail "initialised anyway"
ok "without POSTGRES_PASSWORD: the image's message in kubectl logs, exit 1, CrashLoopBackOff"

echo "$passed passed, 0 failed"
