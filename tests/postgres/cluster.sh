#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests: one per test run, in a temporary folder, on
# a loopback port, run by an unprivileged user (PostgreSQL refuses root, and CI runs as root).
#
#   tests/postgres/cluster.sh start STATE_DIR   initdb + start; writes STATE_DIR/address
#                                               (a postgresql:// URI) for the tests to read
#   tests/postgres/cluster.sh stop STATE_DIR    stop and remove the cluster
#
# Without PostgreSQL 15 (Debian's postgresql-15) `start` says so and exits 77 (CTest: skip),
# except under CI=true, where a missing tool fails the run.
set -euo pipefail

bin=/usr/lib/postgresql/15/bin
command=${1:?start or stop}
state=${2:?state folder}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

case "$command" in
  start)
    if [ ! -x "$bin/initdb" ]; then
      echo "cluster.sh: PostgreSQL 15 is not installed ($bin/initdb); apt-get install postgresql-15" >&2
      [ "${CI:-}" = true ] && exit 1
      exit 77
    fi
    "$0" stop "$state" 2>/dev/null || true
    mkdir -p "$state"
    data=$(mktemp -d /tmp/navolg-pg.XXXXXX)
    echo "$data" > "$state/data_dir"
    chmod 0755 "$state"
    if [ "$(id -u)" -eq 0 ]; then chown nobody: "$data"; fi
    as_owner "$bin/initdb" -D "$data/db" -U navolg --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    # A free loopback port: a random one that nothing answers on (bash alone, no python). Another
    # program may take it between the probe and the start: then another port, up to three.
    started=
    for _ in 1 2 3; do
      for _ in $(seq 50); do
        port=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
      done
      # synchronous_commit stays on (the default): every acknowledged command is durable.
      if as_owner "$bin/pg_ctl" -D "$data/db" -l "$data/log" -w -o \
        "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$data -c max_connections=200 -c fsync=on" \
        start >/dev/null; then
        started=yes
        break
      fi
    done
    if [ -z "$started" ]; then
      echo "cluster.sh: PostgreSQL did not start; its log:" >&2
      cat "$data/log" >&2 || true
      exit 1
    fi
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U navolg navolg
    echo "postgresql://navolg@127.0.0.1:$port/navolg" > "$state/address"
    echo "cluster.sh: PostgreSQL on 127.0.0.1:$port (data in $data)"
    ;;
  stop)
    [ -f "$state/data_dir" ] || exit 0
    data=$(cat "$state/data_dir")
    # immediate: no shutdown checkpoint (it took 45 s after a full run); the folder goes next.
    as_owner "$bin/pg_ctl" -D "$data/db" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$data" "$state/data_dir" "$state/address"
    ;;
  *)
    echo "usage: $0 start|stop STATE_DIR" >&2
    exit 2
    ;;
esac
