#!/bin/sh
# The mysql image profile's entrypoint: the mariadb profile's, speaking as the mysql image
# (MYSQL_* variables only, its messages). kinda writes the built-in profiles out side by side;
# bound at /usr/local/bin in the pod, this script finds them under the cluster directory.
here=$(dirname "$0")
mariadb=$here/../mariadb/docker-entrypoint.sh
[ -x "$mariadb" ] || mariadb=${KINDA_CLUSTER_ROOT:-}/builtin-images/mariadb/docker-entrypoint.sh
KINDA_MYSQL_FLAVOR=mysql exec "$mariadb" "$@"
