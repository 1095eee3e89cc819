#!/bin/sh
# kinda's entrypoint for the zookeeper image, written from the image's documented contract (see
# profile.yaml): zoo.cfg from the ZOO_* variables unless one is mounted, myid from ZOO_MY_ID
# unless the data directory has one, the data directories given to zookeeper when run as root.
set -e
here=$(dirname "$(readlink -f "$0")")
: "${ZOO_CONF_DIR:=/conf}" "${ZOO_DATA_DIR:=/data}" "${ZOO_DATA_LOG_DIR:=/datalog}"
: "${ZOO_LOG_DIR:=/logs}"

if [ "${1-}" = zkServer.sh ]; then
  # The server is this profile's zkServer.sh wherever the pod's PATH leads (`none` isolation
  # has no /apache-zookeeper-bin).
  # Run as /docker-entrypoint.sh (bound into the pod) this script is not beside it.
  shift
  server=$here/zkServer.sh
  [ -x "$server" ] || server=/apache-zookeeper-bin/bin/zkServer.sh
  set -- "$server" "$@"

  if [ ! -f "$ZOO_CONF_DIR/zoo.cfg" ]; then
    {
      echo "dataDir=$ZOO_DATA_DIR"
      echo "dataLogDir=$ZOO_DATA_LOG_DIR"
      echo "tickTime=${ZOO_TICK_TIME:-2000}"
      echo "initLimit=${ZOO_INIT_LIMIT:-5}"
      echo "syncLimit=${ZOO_SYNC_LIMIT:-2}"
      echo "autopurge.snapRetainCount=${ZOO_AUTOPURGE_SNAPRETAINCOUNT:-3}"
      echo "autopurge.purgeInterval=${ZOO_AUTOPURGE_PURGEINTERVAL:-0}"
      echo "maxClientCnxns=${ZOO_MAX_CLIENT_CNXNS:-60}"
      echo "standaloneEnabled=${ZOO_STANDALONE_ENABLED:-true}"
      echo "admin.enableServer=${ZOO_ADMINSERVER_ENABLED:-true}"
      if [ -n "${ZOO_4LW_COMMANDS_WHITELIST-}" ]; then
        echo "4lw.commands.whitelist=$ZOO_4LW_COMMANDS_WHITELIST"
      fi
      for setting in ${ZOO_CFG_EXTRA-}; do
        echo "$setting"
      done
      for server in ${ZOO_SERVERS:-server.1=localhost:2888:3888;2181}; do
        echo "$server"
      done
    } > "$ZOO_CONF_DIR/zoo.cfg"
  fi

  if [ ! -f "$ZOO_DATA_DIR/myid" ]; then
    echo "${ZOO_MY_ID:-1}" > "$ZOO_DATA_DIR/myid"
  fi

  if [ "$(id -u)" = 0 ]; then
    for dir in "$ZOO_DATA_DIR" "$ZOO_DATA_LOG_DIR" "$ZOO_LOG_DIR" "$ZOO_CONF_DIR"; do
      find "$dir" \! -user zookeeper -exec chown zookeeper '{}' + 2>/dev/null || true
    done
    HOME=$(getent passwd zookeeper | cut -d: -f6)
    # zkServer.sh drops to zookeeper when it execs the JVM: this script's directory (and its
    # zkServer.sh) is private to kinda's user, so it cannot run again as zookeeper.
    ZOO_RUN_AS=zookeeper
    export HOME ZOO_RUN_AS
  fi
fi

exec "$@"
