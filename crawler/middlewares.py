"""Downloader middlewares of the govaudit crawler."""
from __future__ import annotations

from scrapy.extensions.httpcache import RFC2616Policy
from sqlalchemy import select

from crawler.scope import ScopeMiddleware  # noqa: F401  (registered in settings)
from govaudit.core import storage


def previous_validators(engine, scan_id: int, urls) -> dict:
    """{url: {"etag", "last_modified", "related", "fetched_at"}} of pages fetched (200) by an earlier scan."""
    pg = storage.page
    out = {}
    urls = list(urls)
    with engine.connect() as conn:
        for i in range(0, len(urls), 500):
            rows = conn.execute(select(pg.c.url, pg.c.etag, pg.c.last_modified, pg.c.fetched_at,
                                       pg.c.facts["related"].label("related"))
                                .where(pg.c.scan_id == scan_id, pg.c.status == 200, pg.c.url.in_(urls[i:i + 500])))
            for row in rows:
                out[row.url] = {"etag": row.etag, "last_modified": row.last_modified, "related": row.related or [],
                                "fetched_at": row.fetched_at}
    return out


class ConditionalRequestMiddleware:
    """Revalidate documents against the previous complete scan (If-None-Match / If-Modified-Since).

    An unchanged document answers 304 and its facts are copied from that scan, so a re-scan
    of an unchanged site downloads almost nothing.  The spider looks the validators up a list
    page at a time (``ga["validators"]``); requests without them are looked up one by one.
    Nothing of the previous scan is held in memory.
    """

    def __init__(self, db, previous_scan_id, enabled=True):
        self.previous = previous_scan_id if enabled else None
        self.db = db
        self.engine = None

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(s.get("GOVAUDIT_DB"), s.get("GOVAUDIT_PREVIOUS_SCAN_ID"), s.getbool("GOVAUDIT_CONDITIONAL_REQUESTS"))

    def process_request(self, request, spider=None):
        ga = request.meta.get("ga") or {}
        if not self.previous or not ga.get("conditional") or request.method != "GET":
            return
        if "validators" in ga:
            found = ga["validators"]
        else:
            if self.engine is None:
                self.engine = storage.connect(self.db)
            url = ga.get("url") or request.url
            found = previous_validators(self.engine, self.previous, [url]).get(url)
        if not found:
            return
        if found["etag"] and b"If-None-Match" not in request.headers:
            request.headers[b"If-None-Match"] = found["etag"]
        if found["last_modified"] and b"If-Modified-Since" not in request.headers:
            request.headers[b"If-Modified-Since"] = found["last_modified"]
        # What the page linked to as 解读/原文, for following them if it turns out unchanged.
        request.meta["previous_related"] = found["related"]
        return


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
