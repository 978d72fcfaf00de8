"""One politeness limit per server across every crawl of a campaign: a downloader middleware
(``DOWNLOADER_MIDDLEWARES``), on when ``GOVAUDIT_REDIS_URL`` is set (campaign workers set it to
their broker).

Scrapy's ``CONCURRENT_REQUESTS_PER_DOMAIN`` holds within one crawl.  Sites of a 集约化 platform
share one server (one host, or several host names on one address), and a campaign crawls them in
several processes on several machines; without a shared limit the server sees the limit times the
number of workers.  Here every request that goes to the network first takes a slot of its server
(resolved address and port) in Redis: a sorted set of leases, at most ``limit`` of them alive.
A lease is given back when the answer (or the error) comes, and expires on its own after the
download timeout and a margin, so a worker killed with -9 holds no slot for long.  Cached answers
(``HttpCacheMiddleware``, before this one) take no slot.

Settings: ``GOVAUDIT_REDIS_URL``; ``GOVAUDIT_SHARED_HOST_LIMIT`` (default: the crawl's
``CONCURRENT_REQUESTS_PER_DOMAIN``); ``GOVAUDIT_SHARED_LEASE_MARGIN`` seconds over
``DOWNLOAD_TIMEOUT``; ``GOVAUDIT_SHARED_POLL`` seconds between tries while the server is full.
"""
from __future__ import annotations

import logging
import socket
import uuid
from urllib.parse import urlsplit

import redis
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

log = logging.getLogger(__name__)
META_KEY = "_govaudit_shared_slot"

# Redis's own clock, so that machines whose clocks differ agree on when a lease ends.
ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])) + 60)
  return 1
end
return 0
"""


class SharedHostLimit:
    def __init__(self, crawler, client, limit: int, lease: float, poll: float):
        self.crawler, self.client, self.limit, self.lease, self.poll = crawler, client, limit, lease, poll
        self.acquire_script = client.register_script(ACQUIRE)
        self.servers: dict[tuple, str] = {}

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
        return cls(crawler, client, max(1, limit), lease, settings.getfloat("GOVAUDIT_SHARED_POLL", 0.05))

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

    async def process_request(self, request, spider=None):
        if META_KEY in request.meta:
            return None
        key, token = self.server_key(request.url), uuid.uuid4().hex
        waited = 0
        while not self.acquire_script(keys=[key], args=[self.limit, self.lease, token]):
            waited += 1
            await maybe_deferred_to_future(deferLater(reactor, self.poll, lambda: None))
        if waited:
            self.crawler.stats.inc_value("govaudit/shared_limit_waits")
        request.meta[META_KEY] = (key, token)
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
