#!/bin/sh
# kinda's entrypoint for the postgres image profile, written from the official image's
# documented contract (images/postgres/profile.yaml): on the first start of an empty data
# directory it runs initdb with the superuser POSTGRES_USER and POSTGRES_PASSWORD, creates
# POSTGRES_DB, lets other hosts in with POSTGRES_HOST_AUTH_METHOD (scram-sha-256 unless set) and
# runs /docker-entrypoint-initdb.d once; later starts reuse the data. Started as root it
# prepares the directories and re-runs itself as the postgres user; as another user it runs as
# that user.
set -eu
self=/usr/local/bin/docker-entrypoint.sh # as the image names it in its messages

log() { printf '%s\n' "$*"; }
fail() {
  printf '%s\n' "$@" >&2
  exit 1
}

# The server's programs: the newest of Debian's /usr/lib/postgresql/*/bin, else where the
# postgres on PATH really lives. The image has that directory on its PATH; so does the pod.
find_bin() {
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$newest" ] && [ -x "$newest/postgres" ]; then
    printf '%s\n' "$newest"
  elif command -v postgres >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v postgres)")"
  fi
}

# VAR or VAR_FILE (a file holding the value, as for Docker secrets), never both.
file_env() {
  var=$1
  default=${2:-}
  eval "value=\${$var:-}"
  eval "file=\${${var}_FILE:-}"
  if [ -n "$value" ] && [ -n "$file" ]; then
    fail "error: both $var and ${var}_FILE are set (but are exclusive)"
  fi
  if [ -n "$file" ]; then
    value=$(cat "$file")
  elif [ -z "$value" ]; then
    value=$default
  fi
  export "$var=$value"
  unset "${var}_FILE" 2>/dev/null || true
}

# A first argument that is an option is an option of postgres, as in the image.
case "${1:-}" in
-*) set -- postgres "$@" ;;
esac
if [ "${1:-}" != postgres ]; then
  exec "$@"
fi
case " $* " in
*" -V "* | *" --version "* | *" --help "* | *" --describe-config "* | *" -C "*)
  shift
  bin=$(find_bin)
  exec "$bin/postgres" "$@"
  ;;
esac

bin=$(find_bin)
[ -n "$bin" ] || fail "kinda: no PostgreSQL server found (/usr/lib/postgresql/*/bin/postgres;" \
  "Debian package postgresql)"
PATH=$bin:$PATH
export PATH
: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA

if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 ||
    fail "kinda: the postgres image runs its server as the user postgres, which this host lacks" \
      "(Debian package postgresql creates it)"
  mkdir -p "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  # Only what postgres does not own already: a large data directory is not walked twice.
  find "$PGDATA" ! -user postgres -exec chown postgres:postgres '{}' +
  if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
    mkdir -p "$POSTGRES_INITDB_WALDIR"
    find "$POSTGRES_INITDB_WALDIR" ! -user postgres -exec chown postgres:postgres '{}' +
  fi
  chown postgres:postgres /var/run/postgresql 2>/dev/null || true
  HOME=$(getent passwd postgres | cut -d: -f6)
  export HOME
  # Run again as postgres. The script is opened here, as root: postgres needs to read the file
  # only, not to reach it through the cluster's directory (often private to root).
  exec 3<"$0"
  exec setpriv --reuid=postgres --regid=postgres --init-groups sh /dev/fd/3 "$@"
fi
# Run again from the descriptor above: that is no descriptor for the server to inherit.
[ "$0" != /dev/fd/3 ] || exec 3<&-

mkdir -p "$PGDATA" 2>/dev/null || true
chmod 700 "$PGDATA" 2>/dev/null || true

file_env POSTGRES_PASSWORD
file_env POSTGRES_USER postgres
file_env POSTGRES_DB "$POSTGRES_USER"
file_env POSTGRES_INITDB_ARGS
: "${POSTGRES_HOST_AUTH_METHOD:=}"

if [ -s "$PGDATA/PG_VERSION" ]; then
  log "" "PostgreSQL Database directory appears to contain a database; Skipping initialization" ""
else
  if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
    fail 'Error: Database is uninitialized and superuser password is not specified.' \
      '       You must specify POSTGRES_PASSWORD to a non-empty value for the' \
      '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".' \
      '' \
      '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all' \
      '       connections without a password. This is *not* recommended.' \
      '' \
      '       See PostgreSQL documentation about "trust":' \
      '       https://www.postgresql.org/docs/current/auth-trust.html'
  fi
  if [ "$POSTGRES_HOST_AUTH_METHOD" = trust ]; then
    log 'WARNING: POSTGRES_HOST_AUTH_METHOD=trust: every connection is let in without a' \
      '         password, from any address. Not for anything but a sandbox.'
  fi

  # initdb reads the password from a file; the pod's own temporary directory holds it briefly.
  pwfile=
  if [ -n "$POSTGRES_PASSWORD" ]; then
    pwfile=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  fi
  waldir=
  [ -z "${POSTGRES_INITDB_WALDIR:-}" ] || waldir="--waldir=$POSTGRES_INITDB_WALDIR"
  # POSTGRES_INITDB_ARGS is split on blanks, as the image documents ("--data-checksums").
  # shellcheck disable=SC2086
  initdb --username="$POSTGRES_USER" ${pwfile:+--pwfile="$pwfile"} $waldir \
    $POSTGRES_INITDB_ARGS
  [ -z "$pwfile" ] || rm -f "$pwfile"

  # The image's configuration listens on every address; host connections need the password.
  printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
  auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
  printf '\nhost all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"

  # A server on the unix socket only, for the initialisation scripts.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p ${PGPORT:-5432}" -w start
  export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
  run_psql() {
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc "$@"
  }
  if [ "$POSTGRES_DB" != postgres ]; then
    exists=$(run_psql --dbname postgres -tA --set db="$POSTGRES_DB" <<'SQL'
SELECT 1 FROM pg_database WHERE datname = :'db';
SQL
)
    if [ -z "$exists" ]; then
      run_psql --dbname postgres --set db="$POSTGRES_DB" <<'SQL'
CREATE DATABASE :"db";
SQL
      log "CREATE DATABASE"
    fi
  fi
  log ""
  for f in /docker-entrypoint-initdb.d/*; do
    [ -e "$f" ] || continue
    case "$f" in
    *.sh)
      if [ -x "$f" ]; then
        log "$self: running $f"
        "$f"
      else
        log "$self: sourcing $f"
        # shellcheck disable=SC1090
        . "$f"
      fi
      ;;
    *.sql)
      log "$self: running $f"
      run_psql --dbname "$POSTGRES_DB" -f "$f"
      ;;
    *.sql.gz)
      log "$self: running $f"
      gzip -dc "$f" | run_psql --dbname "$POSTGRES_DB"
      ;;
    *) log "$self: ignoring $f" ;;
    esac
    log ""
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  unset PGPASSWORD
  log "" "PostgreSQL init process complete; ready for start up." ""
fi

shift
exec "$bin/postgres" "$@"
