# Sourced before lib.sh by the stories that run the official postgres image's behaviour through
# kubectl: exits 77 (skipped) unless the PostgreSQL server TOOLS…, psql, pg_isready and kubectl
# are installed and the test runs as root with a postgres user. Sets pgbin.
# Usage: source postgres_kubectl_preflight.sh TOOL…
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
for tool in "$@"; do
  [ -n "$pgbin" ] && [ -x "$pgbin/$tool" ] ||
    { echo "SKIP: PostgreSQL server binaries not found ($tool; Debian package postgresql)"; exit 77; }
done
command -v psql >/dev/null && command -v pg_isready >/dev/null ||
  { echo "SKIP: psql/pg_isready not installed (Debian package postgresql-client)"; exit 77; }
command -v kubectl >/dev/null || { echo "SKIP: kubectl is not installed"; exit 77; }
# Pods resolve db-N.db only when kinda can bind port 53; the server drops to postgres only as root.
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (pod DNS on port 53, the postgres user)"; exit 77; }
id postgres >/dev/null 2>&1 || { echo "SKIP: no postgres user to run the server as"; exit 77; }
