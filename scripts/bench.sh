#!/usr/bin/env bash
# Benchmarks (`make bench`): the crawler (full and unchanged re-scan of the simulated site, small
# and large, plus `scrapy bench` for scale), the veto checks' CPU per page, memory and time of a
# whole scan and of the audit + report (the large site, simulated sites of 1k/10k/100k documents
# and synthetic snapshots of as many), then a campaign of six small sites three ways.  Not tests; figures go to
# docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-python3}
$PY scripts/bench_veto.py
$PY -m govaudit.bench "$@"
$PY -m govaudit.benchmem --sites large,1000,10000,100000
# The monthly scheduled run of the 1k site, whose processes should weigh what a scan's do.
$PY -m govaudit.benchmem --sites 1000 --sizes '' --scheduled --repeat 1
# Campaigns: 6 small sites at 20 ms latency, sequential / --workers 3 / 3 Celery workers.
$PY -m govaudit.campaign.bench
