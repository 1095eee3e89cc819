#!/bin/sh
# kinda's entrypoint for the nginx image, written from the image's documented behaviour (see
# profile.yaml): before nginx starts, the executable *.sh files of /docker-entrypoint.d run and
# its *.envsh files are sourced, in version order; any other command runs as given.
set -e

case "${1-}" in
  nginx|nginx-debug)
    hooks=$(find -L /docker-entrypoint.d -mindepth 1 -maxdepth 1 -type f 2>/dev/null | sort -V)
    if [ -n "$hooks" ]; then
      echo "$0: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
      for hook in $hooks; do
        case "$hook" in
          *.envsh)
            if [ -x "$hook" ]; then
              echo "$0: Sourcing $hook"
              # shellcheck disable=SC1090 # the pod's own hooks
              . "$hook"
            else
              echo "$0: Ignoring $hook, not executable"
            fi
            ;;
          *.sh)
            if [ -x "$hook" ]; then
              echo "$0: Launching $hook"
              "$hook"
            else
              echo "$0: Ignoring $hook, not executable"
            fi
            ;;
          *) echo "$0: Ignoring $hook" ;;
        esac
      done
      echo "$0: Configuration complete; ready for start up"
    else
      echo "$0: No files found in /docker-entrypoint.d/, skipping configuration"
    fi
    ;;
esac

# Debian has no nginx-debug binary: its nginx is built with --with-debug already.
[ "${1-}" = nginx-debug ] && shift && set -- nginx "$@"
exec "$@"
