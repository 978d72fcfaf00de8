"""The per-server limit shared through Redis (crawler/sharedlimit.py), against the test Redis: the
slots of a crawl killed with -9 come free once its beat runs out, long before their leases end,
and never while it still beats.  Each crawl is a process of its own, as in a campaign."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
import redis

from tests.ops.campaign_helpers import ROOT, redis_url

pytestmark = pytest.mark.redis

SERVER = "http://127.0.0.1:9/"       # no request is made: a slot is only a lease in Redis
BEAT_TTL = 1.5
# One line in: a URL to take a slot for.  One line out: 1 if taken, 0 if the server is full.
CRAWL = """
import sys
from scrapy import Request
from scrapy.utils.test import get_crawler
from crawler.sharedlimit import SharedHostLimit
crawler = get_crawler(settings_dict={"GOVAUDIT_REDIS_URL": sys.argv[1], "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
                                     "GOVAUDIT_SHARED_BEAT_TTL": float(sys.argv[2])})
limit = SharedHostLimit.from_crawler(crawler)
print("ready", flush=True)
for line in sys.stdin:
    print(int(limit.try_slot(Request(line.strip()))), flush=True)
"""


class Crawl:
    def __init__(self, url: str):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen([sys.executable, "-c", CRAWL, url, str(BEAT_TTL)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env=env)
        assert self.proc.stdout.readline().strip() == "ready"

    def take(self) -> bool:
        self.proc.stdin.write(SERVER + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip() == "1"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


@pytest.fixture
def crawls():
    url, started = redis_url(), []

    def start() -> Crawl:
        started.append(Crawl(url))
        return started[-1]
    yield start
    for crawl in started:
        crawl.stop()


def test_a_killed_crawls_slots_come_free_when_its_beat_runs_out(crawls):
    first, second = crawls(), crawls()
    assert first.take() and first.take() and not first.take()
    assert not second.take()
    time.sleep(3 * BEAT_TTL)                    # the first still beats: its slots stay its own
    assert not second.take()
    os.kill(first.proc.pid, signal.SIGKILL)
    first.proc.wait()
    killed = time.monotonic()
    while not second.take():
        assert time.monotonic() - killed < BEAT_TTL + 5, "the dead crawl's slots were never freed"
        time.sleep(0.1)                         # a lease alone would last DOWNLOAD_TIMEOUT + 30 s
    assert second.take() and not second.take()  # both slots, and the limit still holds


def test_a_lease_that_names_no_crawl_is_kept_until_it_expires(crawls):
    """A worker of an older version names no crawl in its leases (a rolling upgrade): its slot is
    never taken away, only its own expiry ends it."""
    client = redis.Redis.from_url(redis_url())
    try:
        crawl = crawls()
        key = "govaudit:inflight:127.0.0.1:9"         # SERVER's, as server_key names it
        client.zadd(key, {uuid.uuid4().hex: time.time() + 600})
        assert crawl.take() and not crawl.take()
    finally:
        client.close()
