#!/usr/bin/env bash
# Crawler benchmark (`make bench`): full and unchanged re-scan of the simulated site, small
# and large, plus `scrapy bench` for scale; then a campaign of six small sites three ways.  Not a test; figures go to docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-python3}
$PY scripts/bench_veto.py
$PY -m govaudit.bench "$@"
# Campaigns: 6 small sites at 20 ms latency, sequential / --workers 3 / 3 Celery workers.
$PY -m govaudit.campaign.bench
