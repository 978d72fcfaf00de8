"""Downloader middlewares of the govaudit crawler (the conditional requests of re-scans are
``crawler.rescan.Rescan``)."""
from __future__ import annotations

from scrapy.extensions.httpcache import RFC2616Policy

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
