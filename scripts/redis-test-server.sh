#!/usr/bin/env bash
# A throw-away Redis server for the test suite (used by scripts/test.sh and CI), like pg-test-server.sh.
#
#   eval "$(bash scripts/redis-test-server.sh start)"   # prints: export GOVAUDIT_TEST_REDIS_URL=redis://…
#   bash scripts/redis-test-server.sh stop              # stops it (by its PID) and deletes its folder
#
# Debian's redis-server does not start by itself in a container: this starts it in the background
# (daemonize no) on a free loopback port, without persistence.  Without redis-server installed,
# `start` prints nothing and exits 0, so the redis-marked tests skip.  Only stdout is for `eval`.
set -euo pipefail

STATE_DIR=${GOVAUDIT_REDIS_DIR:-/tmp/govaudit-redis-test}

say() { echo "redis-test-server: $*" >&2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local bin port i
  bin=$(command -v redis-server || true)
  if [ -z "$bin" ]; then
    say "redis-server is not installed; redis tests will be skipped"
    return 0
  fi
  stop_quietly
  mkdir -p "$STATE_DIR"
  port=$(free_port)
  "$bin" --port "$port" --bind 127.0.0.1 --daemonize no --save "" --appendonly no --dir "$STATE_DIR" \
    --logfile "$STATE_DIR/server.log" >/dev/null 2>&1 </dev/null &
  echo $! >"$STATE_DIR/pid"
  for i in $(seq 1 100); do
    if python3 -c "import socket,sys; s=socket.create_connection(('127.0.0.1', $port), 0.2); s.sendall(b'PING\r\n'); sys.exit(0 if s.recv(16).startswith(b'+PONG') else 1)" 2>/dev/null; then
      say "Redis $("$bin" --version | awk '{print $3}') on 127.0.0.1:$port ($STATE_DIR)"
      echo "export GOVAUDIT_TEST_REDIS_URL=redis://127.0.0.1:$port/0"
      return 0
    fi
    sleep 0.1
  done
  say "server failed to start:"; tail -n 20 "$STATE_DIR/server.log" >&2 || true
  stop_quietly
  return 1
}

stop_quietly() {
  [ -d "$STATE_DIR" ] || return 0
  if [ -f "$STATE_DIR/pid" ]; then
    kill "$(cat "$STATE_DIR/pid")" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$(cat "$STATE_DIR/pid")" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$STATE_DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop_quietly; say "stopped" ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
