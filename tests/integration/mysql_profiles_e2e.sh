#!/usr/bin/env bash
# The mariadb and mysql image profiles against Debian's MariaDB server, answered by the mysql
# client over each pod's own address on port 3306:
#   mariadb  MARIADB_ROOT_PASSWORD, MARIADB_DATABASE, MARIADB_USER/MARIADB_PASSWORD and an
#            initdb.d *.sql run once into that database; the server runs as mysql; a restart on
#            the same data initialises nothing;
#   mysql    MYSQL_RANDOM_ROOT_PASSWORD (the generated password printed in the log, and working),
#            MYSQL_DATABASE, MYSQL_USER/MYSQL_PASSWORD;
#   mariadb  MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: root without a password;
#   mysql    no password option: the image's own message, exit 1, CrashLoopBackOff.
# Exit 77: mariadb-server or the client is missing, or not root (the profile drops to mysql).
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
for tool in mariadbd mariadb-install-db mariadb mysql; do
  command -v "$tool" >/dev/null ||
    { echo "SKIP: $tool not installed (Debian packages mariadb-server, mariadb-client)"; exit 77; }
done
[ "$(id -u)" = 0 ] && id mysql >/dev/null 2>&1 || { echo "SKIP: needs root and the mysql user"; exit 77; }
source "$here/lib.sh" mysql
export XDG_CONFIG_HOME=$KINDA_HOME/config

field() {
  "$kinda" get pod "$1" -o json | "$python" -c "import json,sys; o=json.load(sys.stdin); print($2)"
}
pod_ip() { field "$1" 'o["status"].get("podIP", "")'; }
logs_have() { has "$2" "$kinda" logs "$1"; }
# ask POD USER PASSWORD [DATABASE] QUERY: one tab-separated answer from the pod's server.
ask() {
  local pod=$1 user=$2 password=$3
  shift 3
  MYSQL_PWD=$password mysql --connect-timeout=5 -h "$(pod_ip "$pod")" -P 3306 -u "$user" -N -B "$@"
}

initdb=$KINDA_HOME/initdb.d data=$KINDA_HOME/mariadb-data
mkdir -p "$initdb"
cat >"$initdb/01-items.sql" <<'SQL'
CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20));
INSERT INTO items VALUES (1, 'first'), (2, 'second');
SQL
maria_pod() {
  cat <<YAML
apiVersion: v1
kind: Pod
metadata: {name: maria}
spec:
  containers:
    - name: db
      image: mariadb:11
      env:
        - {name: MARIADB_ROOT_PASSWORD, value: root-secret}
        - {name: MARIADB_DATABASE, value: shop}
        - {name: MARIADB_USER, value: shopper}
        - {name: MARIADB_PASSWORD, value: "it's-a-secret"}
      volumeMounts:
        - {name: data, mountPath: /var/lib/mysql}
        - {name: initdb, mountPath: /docker-entrypoint-initdb.d, readOnly: true}
  volumes:
    - {name: data, hostPath: {path: $data, type: DirectoryOrCreate}}
    - {name: initdb, hostPath: {path: $initdb}}
YAML
}

"$kinda" up --time-scale 0.2 >/dev/null
maria_pod | "$kinda" apply -f - >/dev/null
"$kinda" apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: my}
spec:
  containers:
    - name: db
      image: docker.io/library/mysql:8.4
      env:
        - {name: MYSQL_RANDOM_ROOT_PASSWORD, value: "yes"}
        - {name: MYSQL_DATABASE, value: app}
        - {name: MYSQL_USER, value: appuser}
        - {name: MYSQL_PASSWORD, value: app-pass}
        - {name: MYSQL_INITDB_SKIP_TZINFO, value: "1"}
      volumeMounts: [{name: data, mountPath: /var/lib/mysql}]
  volumes: [{name: data, emptyDir: {}}]
---
apiVersion: v1
kind: Pod
metadata: {name: open}
spec:
  containers:
    - name: db
      image: mariadb
      env:
        - {name: MARIADB_ALLOW_EMPTY_ROOT_PASSWORD, value: "1"}
        - {name: MARIADB_INITDB_SKIP_TZINFO, value: "1"}
      volumeMounts: [{name: data, mountPath: /var/lib/mysql}]
  volumes: [{name: data, emptyDir: {}}]
---
apiVersion: v1
kind: Pod
metadata: {name: nopass}
spec:
  containers:
    - name: db
      image: mysql:8
      volumeMounts: [{name: data, mountPath: /var/lib/mysql}]
  volumes: [{name: data, emptyDir: {}}]
YAML

wait_for "maria initialised" logs_have maria "MariaDB init process done. Ready for start up."
wait_for "maria answering shopper" ask maria shopper "it's-a-secret" shop -e 'select 1'
[ "$(ask maria shopper "it's-a-secret" shop -e 'select group_concat(name order by id) from items')" = "first,second" ] ||
  fail "initdb.d into MARIADB_DATABASE: $(ask maria shopper "it's-a-secret" shop -e 'select * from items' 2>&1)"
[ "$(ask maria root root-secret -e 'select count(*) from mysql.time_zone_name > 0')" = 1 ] ||
  fail "time zone tables not loaded"
code=0
ask maria shopper wrong shop -e 'select 1' >/dev/null 2>&1 || code=$?
[ "$code" != 0 ] || fail "a wrong password was let in"
pid=$("$kinda" exec maria -- cat /run/mysqld/mysqld.pid)
[ "$(ps -o user= -p "$pid" | tr -d ' ')" = mysql ] || fail "mariadbd runs as $(ps -o user= -p "$pid")"
[ "$(stat -c %U "$data/mysql")" = mysql ] || fail "the data directory is not mysql's"
[ ! -e /run/mysqld/mysqld.pid ] || [ "$(cat /run/mysqld/mysqld.pid)" != "$pid" ] ||
  fail "the pod's /run/mysqld is the host's"
ok "mariadb: root and user passwords, MARIADB_DATABASE, initdb.d, server as mysql, client on :3306"

"$kinda" delete pod maria >/dev/null
wait_for "maria gone" test -z "$("$kinda" get pod maria 2>/dev/null)"
maria_pod | "$kinda" apply -f - >/dev/null
wait_for "maria reusing its data" logs_have maria "data directory appears to contain a database; Skipping initialization"
wait_for "maria answering again" ask maria shopper "it's-a-secret" shop -e 'select 1'
[ "$(ask maria shopper "it's-a-secret" shop -e 'select count(*) from items')" = 2 ] ||
  fail "initdb.d ran again"
ok "mariadb restarted on its data: no second initialisation"

wait_for "my's generated root password" logs_have my "GENERATED ROOT PASSWORD: "
root_pw=$("$kinda" logs my | sed -n 's/.*GENERATED ROOT PASSWORD: //p' | head -1)
wait_for "my answering appuser" ask my appuser app-pass app -e 'select 1'
[ "$(ask my root "$root_pw" -e 'select current_user()')" = "root@%" ] ||
  fail "the generated root password does not work"
[ "$(ask my appuser app-pass app -e 'select database()')" = app ] || fail "MYSQL_DATABASE/USER"
ok "mysql: MYSQL_RANDOM_ROOT_PASSWORD printed and working, MYSQL_DATABASE, MYSQL_USER"

wait_for "open answering root without a password" ask open root "" -e 'select 1'
ok "mariadb: MARIADB_ALLOW_EMPTY_ROOT_PASSWORD lets root in without a password"

wait_for "nopass in CrashLoopBackOff" has CrashLoopBackOff "$kinda" get pod nopass
logs=$("$kinda" logs nopass --previous 2>/dev/null || "$kinda" logs nopass)
for line in '[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified' \
  '- MYSQL_ROOT_PASSWORD' '- MYSQL_ALLOW_EMPTY_PASSWORD' '- MYSQL_RANDOM_ROOT_PASSWORD'; do
  grep -qF -- "$line" <<<"$logs" || fail "nopass logs lack '$line': $logs"
done
[ "$(field nopass 'o["status"]["containerStatuses"][0]["lastState"]["terminated"]["exitCode"]')" = 1 ] ||
  fail "nopass did not exit 1"
ok "mysql without a password option: the image's message, exit 1, CrashLoopBackOff"

echo "$passed passed, 0 failed"
