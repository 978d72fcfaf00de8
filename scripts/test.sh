#!/usr/bin/env bash
# The whole test suite, set-up included: this is what `make test` and .ci/run execute.
# pytest's options (markers, `-m "not slow"`, timeout) are in setup.cfg [tool:pytest]; arguments are
# passed on: `scripts/test.sh -m slow` runs the slow tests, `scripts/test.sh -n 0` in one process.
# Two pytest-xdist workers by default: the suite outgrew 15 minutes in one process on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-python3}

$PY -m pip install -q -e '.[test]'

# Browser tests use Debian's chromium; PostgreSQL and Redis tests use throw-away local servers;
# the attachment readers use Debian's bsdtar and antiword (without them those formats are not read).
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  need=()
  command -v chromium >/dev/null || need+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  command -v redis-server >/dev/null || need+=(redis-server)
  # Attachment readers: rar/7z members (bsdtar), legacy Word and WPS 文字 (antiword).
  command -v bsdtar >/dev/null || need+=(libarchive-tools)
  command -v antiword >/dev/null || need+=(antiword)
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi
if [ -x scripts/pg-test-server.sh ]; then
  eval "$(bash scripts/pg-test-server.sh start)"
fi
if [ -x scripts/redis-test-server.sh ]; then
  eval "$(bash scripts/redis-test-server.sh start)"
fi

set +e
$PY -m pytest -p no:cacheprovider -n 2 "$@"
rc=$?
set -e
[ -x scripts/pg-test-server.sh ] && bash scripts/pg-test-server.sh stop >/dev/null 2>&1 || true
[ -x scripts/redis-test-server.sh ] && bash scripts/redis-test-server.sh stop >/dev/null 2>&1 || true
exit $rc
