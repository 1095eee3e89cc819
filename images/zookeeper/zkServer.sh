#!/bin/sh
# kinda's zkServer.sh for the zookeeper profile: runs Debian's ZooKeeper as the image's
# zkServer.sh does, reading the configuration from ZOOCFGDIR (the image's /conf) instead of
# Debian's /etc/zookeeper, and logging to stderr for the container's log.
#   zkServer.sh start-foreground [CONFIG]   the server, in the foreground (CONFIG: zoo.cfg)
#   zkServer.sh status [CONFIG]             the local server's mode, through the srvr command
set -e
confdir=${ZOOCFGDIR:-${ZOO_CONF_DIR:-/conf}}
config=${2:-zoo.cfg}
case "$config" in
  /*) ;;
  *) config=$confdir/$config ;;
esac
echo "Using config: $config" >&2

case "${1-}" in
  start-foreground)
    java=java
    [ -n "${JAVA_HOME-}" ] && java=$JAVA_HOME/bin/java
    command -v "$java" >/dev/null ||
      { echo "Error: JAVA_HOME is not set and java could not be found in PATH." >&2; exit 1; }
    # zookeeper.jar names its dependencies in its manifest; slf4j-simple writes the server's
    # log to stderr without a configuration file.
    classpath=$confdir:/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar
    # The AdminServer (port 8080) needs the servlet API, which zookeeper.jar does not name.
    [ -f /usr/share/java/servlet-api.jar ] && classpath=$classpath:/usr/share/java/servlet-api.jar
    # Started as root by the entrypoint: the JVM runs as the image's user.
    drop=
    [ -n "${ZOO_RUN_AS-}" ] && [ "$(id -u)" = 0 ] &&
      drop="setpriv --reuid=$ZOO_RUN_AS --regid=$ZOO_RUN_AS --init-groups"
    # shellcheck disable=SC2086 # JVMFLAGS are words, as zkServer.sh splits them
    exec $drop "$java" "-Dzookeeper.log.dir=${ZOO_LOG_DIR:-/logs}" \
      -Dorg.slf4j.simpleLogger.showDateTime=true \
      "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss,SSS" \
      "-Xmx${ZK_SERVER_HEAP:-1000}m" -XX:+HeapDumpOnOutOfMemoryError \
      "-XX:OnOutOfMemoryError=kill -9 %p" \
      -cp "$classpath" ${SERVER_JVMFLAGS-} ${JVMFLAGS-} \
      org.apache.zookeeper.server.quorum.QuorumPeerMain "$config"
    ;;
  status)
    # The client port: clientPort=, else the one after ';' in this server's server.N line.
    myid=$(cat "$(sed -n 's/^[[:space:]]*dataDir[[:space:]]*=[[:space:]]*//p' "$config")/myid" 2>/dev/null || true)
    port=$(sed -n 's/^[[:space:]]*clientPort[[:space:]]*=[[:space:]]*//p' "$config")
    [ -n "$port" ] || port=$(sed -n "s/^server\.$myid=.*;\([^;:]*:\)\{0,1\}\([0-9]*\)[[:space:]]*$/\2/p" "$config")
    mode=$(printf srvr | nc -N -w 5 127.0.0.1 "${port:-2181}" 2>/dev/null | sed -n 's/^Mode: //p')
    if [ -z "$mode" ]; then
      echo "Error contacting service. It is probably not running." >&2
      exit 1
    fi
    echo "Client port found: ${port:-2181}. Client address: localhost."
    echo "Mode: $mode"
    ;;
  *)
    echo "Usage: $0 {start-foreground|status} [config]" >&2
    echo "(kinda's zookeeper profile runs the server in the foreground, as the image's CMD does)" >&2
    exit 1
    ;;
esac
