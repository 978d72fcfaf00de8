#!/usr/bin/env bash
# Crawler benchmark (`make bench`): full and unchanged re-scan of the simulated site, small
# and large, plus `scrapy bench` for scale.  Not a test; figures go to docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-python3}
$PY scripts/bench_veto.py
exec $PY -m govaudit.bench "$@"
