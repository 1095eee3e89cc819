#!/bin/sh
# kinda's entrypoint for the mariadb (and, with KINDA_MYSQL_FLAVOR=mysql, the mysql) image
# profile, written from the official images' documented contract (images/mariadb/profile.yaml):
# on the first start of an empty data directory it creates the system tables, sets the root
# password (given, empty when explicitly allowed, or generated and printed), creates the
# database and user asked for and runs /docker-entrypoint-initdb.d once; later starts reuse the
# data. Started as root it prepares the directories and re-runs itself as the mysql user; as
# another user it runs as that user.
set -eu
self=/usr/local/bin/docker-entrypoint.sh # as the image names it in its messages

flavor=${KINDA_MYSQL_FLAVOR:-mariadb}
if [ "$flavor" = mysql ]; then
  server=mysqld client=mysql product=MySQL
else
  server=mariadbd client=mariadb product=MariaDB
fi

log() { printf '%s [%s] [Entrypoint]: %s\n' "$(date -u '+%F %T+00:00')" "$1" "$2"; }
note() { log Note "$*"; }
fail() {
  log ERROR "$*" >&2
  exit 1
}

# A setting by the image's names: MARIADB_X, else MYSQL_X (the mysql image knows only the
# latter), each also as X_FILE, a file holding the value.
setting() {
  names="MYSQL_$1"
  [ "$flavor" = mysql ] || names="MARIADB_$1 MYSQL_$1"
  for name in $names; do
    eval "value=\${$name:-}"
    eval "file=\${${name}_FILE:-}"
    if [ -n "$value" ] && [ -n "$file" ]; then
      fail "Both $name and ${name}_FILE are set (but are exclusive)"
    fi
    [ -z "$file" ] || value=$(cat "$file")
    if [ -n "$value" ]; then
      printf '%s' "$value"
      return
    fi
  done
}

# A string inside single quotes in SQL.
sql_string() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g"; }
# A name inside backquotes in SQL.
# shellcheck disable=SC2016
sql_name() { printf '%s' "$1" | sed -e 's/`/``/g'; }

case "${1:-}" in
-*) set -- "$server" "$@" ;;
esac
case "${1:-}" in
mariadbd | mysqld) ;;
*) exec "$@" ;;
esac
shift
case " $* " in
*" --help "* | *" --version "* | *" -V "*) exec "$server" "$@" ;;
esac

datadir=/var/lib/mysql
for arg in "$@"; do
  case "$arg" in
  --datadir=*) datadir=${arg#--datadir=} ;;
  esac
done
socket=/run/mysqld/mysqld.sock

if [ "$(id -u)" = 0 ]; then
  id mysql >/dev/null 2>&1 ||
    fail "the $flavor image runs its server as the user mysql, which this host lacks" \
      "(Debian package mariadb-server creates it)"
  note "Switching to dedicated user 'mysql'"
  mkdir -p "$datadir" /run/mysqld
  # Only what mysql does not own already: a large data directory is not walked twice.
  find "$datadir" ! -user mysql -exec chown mysql:mysql '{}' +
  chown mysql:mysql /run/mysqld 2>/dev/null || true
  HOME=$(getent passwd mysql | cut -d: -f6)
  export HOME
  # Run again as mysql. The script is opened here, as root: mysql needs to read the file only,
  # not to reach it through the cluster's directory (often private to root).
  exec 3<"$0"
  KINDA_MYSQL_FLAVOR=$flavor exec setpriv --reuid=mysql --regid=mysql --init-groups \
    sh /dev/fd/3 "$server" "$@"
fi
# Run again from the descriptor above: that is no descriptor for the server to inherit.
[ "$0" != /dev/fd/3 ] || exec 3<&-
unset KINDA_MYSQL_FLAVOR

note "Entrypoint script for $product Server $("$server" --version | sed 's/.*Ver \([^ ]*\).*/\1/') started."
mkdir -p "$datadir" 2>/dev/null || true

if [ -d "$datadir/mysql" ]; then
  note "$product data directory appears to contain a database; Skipping initialization"
else
  root_password=$(setting ROOT_PASSWORD)
  if [ "$flavor" = mysql ]; then
    allow_empty=$(setting ALLOW_EMPTY_PASSWORD)
  else
    allow_empty=$(setting ALLOW_EMPTY_ROOT_PASSWORD)
    [ -n "$allow_empty" ] || allow_empty=$(setting ALLOW_EMPTY_PASSWORD)
  fi
  random=$(setting RANDOM_ROOT_PASSWORD)
  if [ -z "$root_password" ] && [ -z "$allow_empty" ] && [ -z "$random" ]; then
    if [ "$flavor" = mysql ]; then
      fail "Database is uninitialized and password option is not specified
    You need to specify one of the following as an environment variable:
    - MYSQL_ROOT_PASSWORD
    - MYSQL_ALLOW_EMPTY_PASSWORD
    - MYSQL_RANDOM_ROOT_PASSWORD"
    fi
    fail "Database is uninitialized and password option is not specified
	You need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD"
  fi
  database=$(setting DATABASE)
  user=$(setting USER)
  password=$(setting PASSWORD)
  root_host=$(setting ROOT_HOST)
  : "${root_host:=%}"
  if [ "$user" = root ]; then
    fail "$(if [ "$flavor" = mysql ]; then echo MYSQL_USER; else echo MARIADB_USER; fi)=\"root\", MYSQL_USER and MYSQL_PASSWORD are for configuring a regular user and cannot be used for the root user"
  fi

  note "Initializing database files"
  mariadb-install-db --datadir="$datadir" --rpm --auth-root-authentication-method=normal \
    --skip-test-db --default-time-zone=SYSTEM --skip-log-bin --expire-logs-days=0 \
    --loose-innodb_buffer_pool_load_at_startup=0 --loose-innodb_buffer_pool_dump_at_shutdown=0
  note "Database files initialized"

  note "Starting temporary server"
  "$server" --skip-networking --socket="$socket" --default-time-zone=SYSTEM \
    --skip-log-bin --expire-logs-days=0 --loose-innodb_buffer_pool_load_at_startup=0 "$@" &
  temporary=$!
  run_sql() { "$client" --no-defaults --protocol=socket --socket="$socket" -uroot "$@"; }
  tries=0
  until run_sql -e 'SELECT 1' >/dev/null 2>&1; do
    kill -0 "$temporary" 2>/dev/null || fail "Unable to start server."
    tries=$((tries + 1))
    [ "$tries" -lt 60 ] || fail "Unable to start server."
    sleep 1
  done
  note "Temporary server started."

  skip_tzinfo=$(setting INITDB_SKIP_TZINFO)
  if [ -z "$skip_tzinfo" ]; then
    # The time zone tables from the host's zoneinfo, as the image fills them.
    mariadb-tzinfo-to-sql --skip-write-binlog /usr/share/zoneinfo 2>/dev/null | run_sql mysql
  fi
  if [ -n "$random" ]; then
    root_password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | cut -c1-32)
    note "GENERATED ROOT PASSWORD: $root_password"
  fi
  pw=$(sql_string "$root_password")
  {
    echo "SET @@SESSION.SQL_LOG_BIN=0;"
    echo "DROP USER IF EXISTS ''@'localhost', ''@'$(sql_string "$(hostname)")';"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '$pw';"
    if [ "$root_host" != localhost ]; then
      host=$(sql_string "$root_host")
      echo "CREATE USER 'root'@'$host' IDENTIFIED BY '$pw';"
      echo "GRANT ALL ON *.* TO 'root'@'$host' WITH GRANT OPTION;"
    fi
    if [ -n "$database" ]; then
      echo "CREATE DATABASE IF NOT EXISTS \`$(sql_name "$database")\`;"
    fi
    if [ -n "$user" ] && [ -n "$password" ]; then
      u=$(sql_string "$user")
      echo "CREATE USER '$u'@'%' IDENTIFIED BY '$(sql_string "$password")';"
      [ -z "$database" ] || echo "GRANT ALL ON \`$(sql_name "$database")\`.* TO '$u'@'%';"
    fi
  } | run_sql
  [ -z "$database" ] || note "Creating database $database"
  [ -z "$user" ] || note "Creating user $user"

  # From here on root has its password; the client reads it from a file, not argv.
  defaults=$(mktemp)
  printf '[client]\npassword="%s"\n' "$(sql_string "$root_password")" >"$defaults"
  run_sql() {
    "$client" --defaults-extra-file="$defaults" --protocol=socket --socket="$socket" -uroot "$@"
  }
  echo
  for f in /docker-entrypoint-initdb.d/*; do
    [ -e "$f" ] || continue
    case "$f" in
    *.sh)
      if [ -x "$f" ]; then
        note "$self: running $f"
        "$f"
      else
        note "$self: sourcing $f"
        # shellcheck disable=SC1090
        . "$f"
      fi
      ;;
    *.sql)
      note "$self: running $f"
      run_sql ${database:+"$database"} <"$f"
      ;;
    *.sql.gz)
      note "$self: running $f"
      gzip -dc "$f" | run_sql ${database:+"$database"}
      ;;
    *.sql.xz)
      note "$self: running $f"
      xz -dc "$f" | run_sql ${database:+"$database"}
      ;;
    *.sql.zst)
      note "$self: running $f"
      zstd -dc "$f" | run_sql ${database:+"$database"}
      ;;
    *) note "$self: ignoring $f" ;;
    esac
  done

  note "Stopping temporary server"
  kill "$temporary"
  wait "$temporary" || true
  rm -f "$defaults"
  note "Temporary server stopped"
  echo
  note "$product init process done. Ready for start up."
  echo
fi

exec "$server" "$@"
