"""Downloader middlewares of the govaudit crawler (the conditional requests of re-scans are
``crawler.rescan.Rescan``)."""
from __future__ import annotations

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from crawler.scope import ScopeMiddleware  # noqa: F401  (registered in settings)


class RevalidatingCachePolicy(RFC2616Policy):
    """HTTP cache of column and list pages for re-scans: always ask the server, with the stored
    validators, and reuse the stored page only when it answers 304 Not Modified.

    Never "fresh" from the cache (an audit must see today's list), and never a stored page in
    place of a 5xx (a broken column is a finding, not something to paper over).
    """

    def is_cached_response_fresh(self, cachedresponse, request) -> bool:
        self._set_conditional_validators(request, cachedresponse)
        return False

    def is_cached_response_valid(self, cachedresponse, response, request) -> bool:
        return response.status == 304


class RobotsTxt(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with every request that waits for a host's robots.txt
    given its rules.  Scrapy 2.19 awaits the one pending Deferred from each such request, and
    ``Deferred.asFuture`` hands the next waiter None, which Scrapy reads as "no robots.txt,
    allow all": the requests to a host sent before its robots.txt came back (several start
    pages, a resumed crawl's restored requests, a unit's site on a host of its own) were
    fetched where it disallowed them.  Each waiter here gets a Deferred of its own."""

    async def robot_parser(self, request):
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(pending, Deferred):
            return await super().robot_parser(request)     # known, or this request asks for it
        mine = Deferred()

        def relay(result):
            if not mine.called:    # a waiter cancelled as the crawl closes has no use for it
                mine.callback(result)
            return result          # unchanged for the next waiter

        pending.addBoth(relay)
        return await maybe_deferred_to_future(mine)
