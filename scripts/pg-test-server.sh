#!/usr/bin/env bash
# A throw-away PostgreSQL server for the test suite (used by scripts/test.sh and CI).
#
#   eval "$(bash scripts/pg-test-server.sh start)"   # prints: export GOVAUDIT_TEST_PG_URL=postgresql://…
#   bash scripts/pg-test-server.sh stop              # stops it and deletes the cluster
#
# It initialises a fresh cluster under /tmp with Debian's /usr/lib/postgresql/*/bin tools on a free
# loopback port, trust authentication, no fsync (nothing in it is worth keeping).  initdb refuses to
# run as root, so as root the server runs as the `postgres` user.  Only stdout is meant for `eval`:
# every message goes to stderr.  Without PostgreSQL installed, `start` prints nothing and exits 0, so
# the postgres-marked tests skip.
set -euo pipefail

STATE_DIR=${GOVAUDIT_PG_DIR:-/tmp/govaudit-pg-test}
DB_NAME=govaudit_test
SUPERUSER=postgres

say() { echo "pg-test-server: $*" >&2; }

pg_bin() {
  # Newest installed major version.
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

# Run a command as the cluster owner (postgres when we are root).
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local bin port
  bin=$(pg_bin) || true
  if [ -z "${bin:-}" ]; then
    say "PostgreSQL is not installed (/usr/lib/postgresql/*/bin); postgres tests will be skipped"
    return 0
  fi
  stop_quietly
  mkdir -p "$STATE_DIR"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || { say "no postgres user to run the server as"; return 1; }
    chown postgres: "$STATE_DIR"
  fi
  chmod 700 "$STATE_DIR"
  as_owner "$bin/initdb" -D "$STATE_DIR/data" -U "$SUPERUSER" -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$STATE_DIR/initdb.log" 2>&1 || { say "initdb failed:"; cat "$STATE_DIR/initdb.log" >&2; return 1; }
  port=$(free_port)
  echo "$port" >"$STATE_DIR/port"
  echo "$bin" >"$STATE_DIR/bin"
  as_owner "$bin/pg_ctl" -D "$STATE_DIR/data" -l "$STATE_DIR/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $STATE_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { say "server failed to start:"; tail -n 20 "$STATE_DIR/server.log" >&2; return 1; }
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$SUPERUSER" "$DB_NAME"
  say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($STATE_DIR)"
  echo "export GOVAUDIT_TEST_PG_URL=postgresql://$SUPERUSER@127.0.0.1:$port/$DB_NAME"
}

stop_quietly() {
  [ -d "$STATE_DIR" ] || return 0
  if [ -f "$STATE_DIR/bin" ] && [ -f "$STATE_DIR/data/postmaster.pid" ]; then
    as_owner "$(cat "$STATE_DIR/bin")/pg_ctl" -D "$STATE_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$STATE_DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop_quietly; say "stopped" ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
