"""What crossed the network, and the ``--max-pages`` cap: a Scrapy extension (``EXTENSIONS``).

Stats: ``govaudit/requests``, ``govaudit/downloaded_bytes``, ``govaudit/full_downloads``
(Scrapy's DownloaderStats is off: it re-serialises every request and response to count them).
Setting: ``GOVAUDIT_MAX_PAGES`` closes the crawl (``closespider_pagecount``) after that many
responses.
"""
from __future__ import annotations

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro


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
        if self.max_pages and self.crawler.stats.get_value("response_received_count", 0) >= self.max_pages:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="closespider_pagecount"))
