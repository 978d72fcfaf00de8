"""What crosses the network, and how fast.

``TrafficStats`` (an extension, ``EXTENSIONS``) counts what crossed it: stats
``govaudit/requests``, ``govaudit/downloaded_bytes``, ``govaudit/full_downloads`` (Scrapy's
DownloaderStats is off: it re-serialises every request and response to count them), and
``govaudit/parse_backlog_peak``, the most answers the spider had on its hands at once; it closes
the crawl (``closespider_pagecount``) after ``GOVAUDIT_MAX_PAGES`` responses.

``PoliteDownloader`` (the ``DOWNLOADER`` setting) makes the per-host limits hold by construction:

* Scrapy 2.19's downloader counts a request against its slot's concurrency only once the task
  that downloads it has started.  On the asyncio reactor that task starts on a later turn of the
  loop, so one pass over a slot's queue sends every queued request at once (measured: 6-12 in
  flight for a limit of 1-2 whenever the delay is 0).  Here a request counts from the moment it
  leaves the queue.
* Slots are keyed by the host's address (``GOVAUDIT_SLOTS_BY_ADDRESS``): hosts served by one
  server (集约化 platforms, ``localhost`` and ``127.0.0.1``) share one concurrency limit and one
  delay.  Scrapy's own ``CONCURRENT_REQUESTS_PER_IP`` keys a host by name until its address is in
  the DNS cache, so the first requests escape the shared limit; here the address is resolved
  before the first request is queued.  The slot's concurrency is ``CONCURRENT_REQUESTS_PER_DOMAIN``.
* The delay is a floor: the random variation (``DOWNLOAD_DELAY_JITTER``) only lengthens it.
* No new request leaves while ``GOVAUDIT_PARSE_BACKLOG`` answers wait for the spider or are in
  its hands.  Scrapy's own bound (``SCRAPER_SLOT_MAX_ACTIVE_SIZE``) is in bytes, counting an
  answer as 1 kB at least, so a fast server could leave a thousand small pages being parsed at
  once, each with its objects; a count bounds them, and never stops the crawl for one large file
  being read (docs/performance.md, "Eighteenth pass").
"""
from __future__ import annotations

import ipaddress
import random
import socket
from time import monotonic

from scrapy import signals
from twisted.internet.threads import deferToThread
from scrapy.core.downloader import Downloader, Slot
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro, deferred_from_coro, maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached


class TrafficStats:
    def __init__(self, crawler):
        self.crawler = crawler
        self.max_pages = crawler.settings.getint("GOVAUDIT_MAX_PAGES") or None
        crawler.signals.connect(self.on_response, signal=signals.response_received)
        crawler.signals.connect(self.on_request, signal=signals.request_reached_downloader)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def on_request(self, request, spider=None):
        self.crawler.stats.inc_value("govaudit/requests")

    def on_response(self, response, request, spider=None):
        if "cached" not in response.flags and request.method != "HEAD":
            # What really crossed the network (a revalidated page comes back from the cache).
            self.crawler.stats.inc_value("govaudit/downloaded_bytes", len(response.body))
            if response.status == 200:
                self.crawler.stats.inc_value("govaudit/full_downloads")
        slot = self.crawler.engine.scraper.slot if self.crawler.engine is not None else None
        if slot is not None:       # answers in the spider's hands once this one is added
            in_hand = len(slot.queue) + len(slot.active) + 1
            self.crawler.stats.max_value("govaudit/parse_backlog_peak", in_hand)
        if self.max_pages and self.crawler.stats.get_value("response_received_count", 0) >= self.max_pages:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="closespider_pagecount"))


class PoliteDownloader(Downloader):
    def __init__(self, crawler):
        super().__init__(crawler)
        self.by_address = crawler.settings.getbool("GOVAUDIT_SLOTS_BY_ADDRESS", True)
        self.addresses: dict[str, str] = {}      # host -> address, fixed for the crawl
        self.parse_backlog = crawler.settings.getint("GOVAUDIT_PARSE_BACKLOG")

    def needs_backout(self) -> bool:
        """No new download while the spider has ``GOVAUDIT_PARSE_BACKLOG`` answers on its hands."""
        if super().needs_backout():
            return True
        engine = self.crawler.engine
        slot = engine.scraper.slot if engine is not None else None
        return bool(self.parse_backlog and slot is not None
                    and len(slot.queue) + len(slot.active) >= self.parse_backlog)

    def get_slot_key(self, request) -> str:
        host = urlparse_cached(request).hostname or ""
        return self.addresses.get(host, host) if self.by_address else host

    async def _enqueue_request(self, request):
        host = urlparse_cached(request).hostname or ""
        if self.by_address and host not in self.addresses:
            self.addresses[host] = await self._resolve(host)
        # Always our own key: a redirect or a retry copies the meta of a request to another host.
        request.meta.pop(self.DOWNLOAD_SLOT, None)
        return await super()._enqueue_request(request)

    async def _resolve(self, host: str) -> str:
        try:
            return str(ipaddress.ip_address(host))
        except ValueError:
            pass
        try:
            return await maybe_deferred_to_future(deferToThread(socket.gethostbyname, host))
        except Exception:       # the download will fail and say why; the name keys its slot
            return host

    def _process_queue(self, slot: Slot) -> None:
        if slot.latercall:
            return                                   # a delayed pass is already due
        now = monotonic()
        delay = slot.delay * (1 + random.uniform(0, slot.jitter)) if slot.delay else 0.0  # noqa: S311
        if delay and slot.lastseen + delay > now:
            slot.latercall = call_later(slot.lastseen + delay - now, self._latercall, slot)
            return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)           # counted now, not when its task starts
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:
                self._process_queue(slot)            # sets the delayed pass for the next one
                break
