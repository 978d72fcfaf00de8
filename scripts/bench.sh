#!/usr/bin/env bash
# Benchmarks (`make bench`): the crawler (full and unchanged re-scan of the simulated site, small
# and large, plus `scrapy bench` for scale), then memory and time of a whole scan and of the audit
# + report (the large site and synthetic snapshots of 1k/10k/100k documents).  Not tests; figures
# go to docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-python3}
$PY -m govaudit.bench "$@"
exec $PY -m govaudit.benchmem
