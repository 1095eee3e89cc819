#!/bin/sh
# kinda's entrypoint for the rabbitmq image, written from the image's documented contract (see
# profile.yaml): the image's /etc/rabbitmq files, the Erlang cookie from RABBITMQ_ERLANG_COOKIE,
# /var/lib/rabbitmq given to rabbitmq when run as root, then Debian's rabbitmq-server as rabbitmq.
set -e
data=${RABBITMQ_DATA_DIR:-/var/lib/rabbitmq}

# `docker run rabbitmq -rabbit …` means rabbitmq-server.
case "${1-}" in
  -*) set -- rabbitmq-server "$@" ;;
esac

if [ "${1-}" = rabbitmq-server ]; then
  deprecated=
  for old in RABBITMQ_DEFAULT_PASS_FILE RABBITMQ_DEFAULT_USER_FILE RABBITMQ_MANAGEMENT_SSL_CACERTFILE \
    RABBITMQ_MANAGEMENT_SSL_CERTFILE RABBITMQ_MANAGEMENT_SSL_DEPTH \
    RABBITMQ_MANAGEMENT_SSL_FAIL_IF_NO_PEER_CERT RABBITMQ_MANAGEMENT_SSL_KEYFILE \
    RABBITMQ_MANAGEMENT_SSL_VERIFY RABBITMQ_SSL_CACERTFILE RABBITMQ_SSL_CERTFILE \
    RABBITMQ_SSL_DEPTH RABBITMQ_SSL_FAIL_IF_NO_PEER_CERT RABBITMQ_SSL_KEYFILE RABBITMQ_SSL_VERIFY \
    RABBITMQ_VM_MEMORY_HIGH_WATERMARK; do
    if [ -n "$(eval "printf %s \"\${$old-}\"")" ]; then
      echo "error: $old is set but deprecated" >&2
      deprecated=yes
    fi
  done
  if [ -n "$deprecated" ]; then
    echo "error: deprecated environment variables detected" >&2
    echo >&2
    echo "Please use a configuration file instead; visit https://www.rabbitmq.com/configure.html to learn more" >&2
    echo >&2
    exit 1
  fi

  # The image's configuration, unless the pod brings its own (a ConfigMap mounted there).
  if [ -w /etc/rabbitmq ]; then
    mkdir -p /etc/rabbitmq/conf.d
    # The image's defaults: guest may log in from other hosts; logs go to the console.
    [ -e /etc/rabbitmq/conf.d/10-defaults.conf ] ||
      printf 'loopback_users.guest = false\nlog.console = true\n' > /etc/rabbitmq/conf.d/10-defaults.conf
    if [ ! -e /etc/rabbitmq/enabled_plugins ]; then
      plugins=rabbitmq_prometheus
      if ls -d /usr/lib/rabbitmq/lib/rabbitmq_server-*/plugins/rabbitmq_management-* \
        >/dev/null 2>&1; then
        plugins=rabbitmq_management,$plugins
      fi
      echo "[$plugins]." > /etc/rabbitmq/enabled_plugins
    fi
  fi

  if [ -n "${RABBITMQ_ERLANG_COOKIE-}" ]; then
    echo "warning: RABBITMQ_ERLANG_COOKIE env variable support is deprecated and will be removed in a future release." >&2
    echo "         Use the \$HOME/.erlang.cookie file or the --erlang-cookie switch instead." >&2
    cookie=${HOME:-$data}/.erlang.cookie
    if [ -e "$cookie" ]; then
      if [ "$(cat "$cookie" 2>/dev/null)" != "$RABBITMQ_ERLANG_COOKIE" ]; then
        echo "warning: $cookie contents do not match RABBITMQ_ERLANG_COOKIE" >&2
      fi
    else
      (umask 077 && printf %s "$RABBITMQ_ERLANG_COOKIE" > "$cookie")
    fi
    chmod 600 "$cookie"
  fi

  # Debian's /usr/sbin/rabbitmq-server wraps the server in su and files under /var/log; the
  # image runs the server itself, in the foreground, as rabbitmq.
  shift
  server=/usr/lib/rabbitmq/bin/rabbitmq-server
  if [ "$(id -u)" = 0 ]; then
    # Root gives the image's directories to rabbitmq and starts the server as it. The server
    # is exec'd directly: this script's own directory is private to kinda's user.
    find /etc/rabbitmq \! -user rabbitmq -exec chown rabbitmq '{}' + 2>/dev/null || true
    for dir in "$data" /var/log/rabbitmq; do
      [ -d "$dir" ] && find "$dir" \! -user rabbitmq -exec chown rabbitmq '{}' +
    done
    exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups "$server" "$@"
  fi
  exec "$server" "$@"
fi

exec "$@"
