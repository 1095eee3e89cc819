#!/bin/sh
# kinda's entrypoint for the redis image, written from the image's documented behaviour (see
# profile.yaml): it prepares the data directory and starts redis-server as the redis user.
set -e

# `docker run redis --appendonly yes` and `docker run redis /etc/redis.conf` mean redis-server.
case "${1-}" in
  -*|*.conf) set -- redis-server "$@" ;;
esac

if [ "${1-}" = redis-server ]; then
  # The image keeps new files private to the server unless a umask was chosen.
  [ "$(umask)" = 0022 ] && umask 0077

  # Protected mode is off in the image's build and on in Debian's: turn it off unless the
  # config file (redis-server's first argument when it is not an option) or the options say.
  shift
  config=
  case "${1-}" in
    ''|-*) ;;
    *) config=$1; shift ;;
  esac
  choose=yes
  for arg in "$@"; do
    [ "$arg" = --protected-mode ] && choose=no
  done
  if [ -n "$config" ] && { [ "$config" = - ] ||
    grep -Eiq '^[[:space:]]*protected-mode[[:space:]]' "$config" 2>/dev/null; }; then
    choose=no
  fi
  if [ "$choose" = yes ]; then
    set -- --protected-mode no "$@"
  fi
  if [ -n "$config" ]; then
    set -- "$config" "$@"
  fi

  if [ "$(id -u)" = 0 ]; then
    # Root prepares the working directory (/data) for redis and starts the server as it. The
    # server is exec'd directly: this script's own directory is private to kinda's user.
    find . \! -user redis -exec chown redis '{}' +
    HOME=$(getent passwd redis | cut -d: -f6)
    export HOME
    exec setpriv --reuid=redis --regid=redis --init-groups redis-server "$@"
  fi
  exec redis-server "$@"
fi

exec "$@"
