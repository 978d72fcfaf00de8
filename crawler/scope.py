"""Where the crawler may go: the start hosts (plus profile hosts), never elsewhere.

Page content is hostile: a link, a redirect or a ``<base>`` may point anywhere, so every
crawl request is checked here, in the spider and again in the downloader (redirects).
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest

from crawler.extract.urls import canonical_url, host_of
from crawler.requestinfo import CRAWL_KINDS, info_of


class Scope:
    def __init__(self, start_urls, allowed_hosts=(), ignore_params=(), exclude_patterns=()):
        self.hosts = {host_of(u) for u in start_urls} | {h.lower() for h in allowed_hosts}
        self.hosts.discard("")
        self.ignore_params = {p.lower() for p in ignore_params}
        self.start_urls = {self.canonical(u) for u in start_urls}
        self.exclude = [re.compile(p) for p in exclude_patterns]

    def canonical(self, url: str) -> str:
        """The snapshot URL convention, minus query parameters the profile calls no-ops."""
        url = canonical_url(url)
        if self.ignore_params:
            parts = urlsplit(url)
            if parts.query:
                kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                        if k.lower() not in self.ignore_params]
                url = urlunsplit(parts._replace(query=urlencode(kept)))
        return url

    def is_internal(self, url: str) -> bool:
        return host_of(url) in self.hosts

    def allows(self, url: str) -> bool:
        if not self.is_internal(url) or urlsplit(url).scheme not in ("http", "https"):
            return False
        return not any(p.search(url) for p in self.exclude)


class OutOfScope(IgnoreRequest):
    """A crawl request (a redirect's target, mostly) outside the scan's hosts."""

    def __init__(self, url: str):
        super().__init__(f"out of scope: {url}")
        self.url = url


class ScopeMiddleware:
    """Downloader middleware: a crawl request (also after a redirect) must stay in scope."""

    def process_request(self, request, spider=None):
        spider = spider or getattr(self, "spider", None)
        ga = info_of(request)
        scope = getattr(spider, "scope", None)
        if scope is None or ga is None or ga.kind not in CRAWL_KINDS:
            return
        if not scope.allows(request.url):
            raise OutOfScope(request.url)
        return

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls()
        crawler.signals.connect(mw._opened, signal=signals.spider_opened)
        return mw

    def _opened(self, spider):
        self.spider = spider
