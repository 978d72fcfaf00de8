"""One politeness limit per server across every crawl of a campaign: a downloader middleware
(``DOWNLOADER_MIDDLEWARES``), on when ``GOVAUDIT_REDIS_URL`` is set (campaign workers set it to
their broker).

Scrapy's ``CONCURRENT_REQUESTS_PER_DOMAIN`` holds within one crawl.  Sites of a 集约化 platform
share one server (one host, or several host names on one address), and a campaign crawls them in
several processes on several machines; without a shared limit the server sees the limit times the
number of workers.  Here every request that goes to the network first takes a slot of its server
(resolved address and port) in Redis: a sorted set of leases, at most ``limit`` of them alive.
A lease is given back when the answer (or the error) comes.  Cached answers
(``HttpCacheMiddleware``, before this one) take no slot.

A crawl killed with -9 gives nothing back, so each lease names its crawl, and each crawl beats
from a thread of its own (``govaudit:crawls``: when each crawl's beat runs out, by Redis's
clock).  A lease whose crawl has stopped beating is dropped by the next crawl that asks for a
slot of that server: the slots of a dead worker come free within ``GOVAUDIT_SHARED_BEAT_TTL``
seconds, not after a whole lease.  Every lease also ends by itself after the download timeout
and a margin.

Settings: ``GOVAUDIT_REDIS_URL``; ``GOVAUDIT_SHARED_HOST_LIMIT`` (default: the crawl's
``CONCURRENT_REQUESTS_PER_DOMAIN``); ``GOVAUDIT_SHARED_LEASE_MARGIN`` seconds over
``DOWNLOAD_TIMEOUT``; ``GOVAUDIT_SHARED_BEAT_TTL`` seconds a crawl counts as alive after its
last beat; ``GOVAUDIT_SHARED_POLL`` seconds between tries while the server is full.
"""
from __future__ import annotations

import logging
import socket
import threading
import uuid
from urllib.parse import urlsplit

import redis
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

log = logging.getLogger(__name__)
META_KEY = "_govaudit_shared_slot"

CRAWLS = "govaudit:crawls"     # crawl token -> when its beat runs out

# Redis's own clock, so that machines whose clocks differ agree on when a lease ends.  A lease
# is "<crawl token>:<request token>"; one without a crawl (an older worker's) only expires.
ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
for _, lease in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local crawl = string.match(lease, '^(%x+):')
  if crawl and not redis.call('ZSCORE', KEYS[2], crawl) then
    redis.call('ZREM', KEYS[1], lease)
  end
end
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])) + 60)
  return 1
end
return 0
"""
BEAT = """
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], tonumber(t[1]) + tonumber(ARGV[1]), ARGV[2])
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[1])) + 60)
return 1
"""


class SharedHostLimit:
    def __init__(self, crawler, client, limit: int, lease: float, poll: float, beat_ttl: float = 10.0):
        self.crawler, self.client, self.limit, self.lease, self.poll = crawler, client, limit, lease, poll
        self.acquire_script = client.register_script(ACQUIRE)
        self.servers: dict[tuple, str] = {}
        self.beat = CrawlBeat(client, beat_ttl)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        url = settings.get("GOVAUDIT_REDIS_URL")
        if not url:
            raise NotConfigured("no GOVAUDIT_REDIS_URL: politeness is per crawl")
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=10)
        client.ping()      # unreachable: the crawl fails now, it never runs without its limit
        limit = settings.getint("GOVAUDIT_SHARED_HOST_LIMIT") or settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        lease = settings.getfloat("DOWNLOAD_TIMEOUT") + settings.getfloat("GOVAUDIT_SHARED_LEASE_MARGIN", 30)
        poll = settings.getfloat("GOVAUDIT_SHARED_POLL", 0.05)
        middleware = cls(crawler, client, max(1, limit), lease, poll,
                         beat_ttl=settings.getfloat("GOVAUDIT_SHARED_BEAT_TTL", 10))
        middleware.beat.start()
        crawler.signals.connect(middleware.beat.stop, signal=signals.engine_stopped)
        return middleware

    def server_key(self, url: str) -> str:
        """``govaudit:inflight:<address>:<port>``: host names of one address share it."""
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
        address = self.servers.get((host, port))
        if address is None:
            try:
                address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][4][0]
            except (OSError, IndexError):
                address = host         # unresolvable: the download fails anyway; keyed by its name
            self.servers[(host, port)] = address
        return f"govaudit:inflight:{address}:{port}"

    def try_slot(self, request) -> bool:
        """Take a slot of ``request``'s server if one is free now (a lease naming this crawl)."""
        key, token = self.server_key(request.url), f"{self.beat.token}:{uuid.uuid4().hex}"
        if not self.acquire_script(keys=[key, CRAWLS], args=[self.limit, self.lease, token]):
            return False
        request.meta[META_KEY] = (key, token)
        return True

    async def process_request(self, request, spider=None):
        if META_KEY in request.meta:
            return None
        waited = 0
        while not self.try_slot(request):
            waited += 1
            await maybe_deferred_to_future(deferLater(reactor, self.poll, lambda: None))
        if waited:
            self.crawler.stats.inc_value("govaudit/shared_limit_waits")
        return None

    def _release(self, request) -> None:
        slot = request.meta.pop(META_KEY, None)
        if slot:
            try:
                self.client.zrem(slot[0], slot[1])
            except redis.RedisError as exc:      # the lease expires by itself
                log.warning("could not release the shared slot of %s: %s", request.url, exc)

    def process_response(self, request, response, spider=None):
        self._release(request)
        return response

    def process_exception(self, request, exception, spider=None):
        self._release(request)
        return None


class CrawlBeat:
    """This crawl's beat in ``govaudit:crawls``: refreshed every third of ``ttl`` by a thread, so
    a busy reactor never looks like a dead crawl; removed when the crawl ends."""

    def __init__(self, client, ttl: float):
        self.client, self.ttl, self.token = client, ttl, uuid.uuid4().hex
        self.beat_script = client.register_script(BEAT)
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, name="shared-limit-beat", daemon=True)

    def once(self) -> None:
        self.beat_script(keys=[CRAWLS], args=[self.ttl, self.token])

    def _run(self) -> None:
        while not self.stop_event.wait(self.ttl / 3):
            try:
                self.once()
            except redis.RedisError as exc:     # the next beat tries again; leases still expire
                log.warning("shared-limit beat failed: %s", exc)

    def start(self) -> None:
        self.once()           # before the first lease, which names this crawl
        self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(timeout=10)
        try:
            self.client.zrem(CRAWLS, self.token)
        except redis.RedisError as exc:
            log.warning("could not end the shared-limit beat: %s", exc)
